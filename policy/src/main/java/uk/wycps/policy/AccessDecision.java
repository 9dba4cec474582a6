package uk.wycps.policy;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a caller may receive from one source authority's register for one declaration (A4, A5,
 * A10): the effective tier, the canonical fields allowed and withheld, and why.
 *
 * <p>When the tier is {@link Tier#ANONYMISED} no person-level data at all leaves that register
 * for this caller: {@code allowedFields} is empty and the register's part of the answer is
 * {@code WITHHELD} (A9).
 *
 * <p>The decision is made before any register is asked, so it says in advance what a record
 * releases in each case of shielding (A10): {@code allowedFields} for an ordinary record,
 * {@code shieldedAllowedFields} for a record its owning authority shields, and
 * {@code linkedAllowedFields} for a record linked in one person with a shielded record. Each is
 * a subset of the one before it in the sense that matters: none adds a field.
 */
public record AccessDecision(
        String authority,
        Tier tier,
        Set<String> allowedFields,
        Set<String> withheldFields,
        List<Reason> reasons,
        Set<String> shieldedAllowedFields,
        Set<String> linkedAllowedFields) {

    public AccessDecision {
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(tier, "tier");
        allowedFields = Set.copyOf(allowedFields);
        withheldFields = Set.copyOf(withheldFields);
        reasons = List.copyOf(reasons);
        shieldedAllowedFields = Set.copyOf(shieldedAllowedFields);
        linkedAllowedFields = Set.copyOf(linkedAllowedFields);
        if (!allowedFields.containsAll(shieldedAllowedFields) || !allowedFields.containsAll(linkedAllowedFields)) {
            throw new IllegalArgumentException("shielding may only withhold fields, never allow more");
        }
    }

    /** A decision with no shielding rule: a shielded record releases nothing more than an ordinary one. */
    public AccessDecision(String authority, Tier tier, Set<String> allowedFields, Set<String> withheldFields,
            List<Reason> reasons) {
        this(authority, tier, allowedFields, withheldFields, reasons, allowedFields, allowedFields);
    }

    /** True when the caller may see person-level records from this register. */
    public boolean recordsVisible() {
        return tier != Tier.ANONYMISED && !allowedFields.isEmpty();
    }

    /** The fields a record of this register releases, given how shielding touches it. */
    public Set<String> allowedFields(Shielding shielding) {
        return switch (shielding) {
            case NONE -> allowedFields;
            case SHIELDED -> shieldedAllowedFields;
            case LINKED_TO_SHIELDED -> linkedAllowedFields;
        };
    }

    /** The fields withheld from a record of this register, given how shielding touches it. */
    public Set<String> withheldFields(Shielding shielding) {
        if (shielding == Shielding.NONE) {
            return withheldFields;
        }
        Set<String> withheld = new java.util.LinkedHashSet<>(withheldFields);
        allowedFields.stream().filter(f -> !allowedFields(shielding).contains(f)).forEach(withheld::add);
        return Set.copyOf(withheld);
    }

    /** How shielding (A10) touches one record. */
    public enum Shielding {
        /** An ordinary record, in a person with no shielded record. */
        NONE,
        /** The record is shielded by its owning authority. */
        SHIELDED,
        /** The record is not shielded, but is linked in one person with a shielded record. */
        LINKED_TO_SHIELDED
    }
}
