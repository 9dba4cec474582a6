package uk.wycps.policy;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a caller may receive from one source authority's register for one declaration (A4, A5):
 * the effective tier, the canonical fields allowed and withheld, and why.
 *
 * <p>When the tier is {@link Tier#ANONYMISED} no person-level data at all leaves that register
 * for this caller: {@code allowedFields} is empty and the register's part of the answer is
 * {@code WITHHELD} (A9).
 */
public record AccessDecision(
        String authority,
        Tier tier,
        Set<String> allowedFields,
        Set<String> withheldFields,
        List<Reason> reasons) {

    public AccessDecision {
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(tier, "tier");
        allowedFields = Set.copyOf(allowedFields);
        withheldFields = Set.copyOf(withheldFields);
        reasons = List.copyOf(reasons);
    }

    /** True when the caller may see person-level records from this register. */
    public boolean recordsVisible() {
        return tier != Tier.ANONYMISED && !allowedFields.isEmpty();
    }
}
