package uk.wycps.policy;

import java.time.LocalDate;
import java.util.Set;

/**
 * The information sharing protocol as decisions. Pure and thread-safe: no I/O, no clock, the
 * same inputs give the same decision. Deny by default (A8): anything the policy does not know
 * gets nothing.
 *
 * <p>Load one with {@link PolicyLoader}.
 */
public interface SharingPolicy {

    /** The policy's id and version, recorded with every audited decision. */
    String id();

    String version();

    /** The date from which the policy applies, or null when it does not say. */
    default LocalDate effectiveDate() {
        return null;
    }

    /** The authorities the policy knows (A8); empty when it does not say. */
    default Set<String> authorities() {
        return Set.of();
    }

    /** The canonical field paths the policy classifies (A5); empty when it does not say. */
    default Set<String> classifiedFields() {
        return Set.of();
    }

    /** The tier of a classified field, or null for a field the policy does not classify. */
    default Tier fieldTier(String field) {
        return null;
    }

    /**
     * Whether {@code caller} is staff of their own authority's register in the sense of A4's
     * own-authority rule: of an agency that sees that authority's records without a grant. The
     * audit of an authority is theirs to read; the same role in another agency only sees what it
     * could have been told in an answer. False when the policy does not say (A8).
     */
    default boolean isOwnAuthorityStaff(Caller caller) {
        return false;
    }

    /**
     * Whether {@code caller} may make a named (person-level) enquiry for {@code declaration}. When
     * refused, every {@link #decide} for the same caller and declaration is ANONYMISED too.
     */
    EnquiryPermission permitEnquiry(Caller caller, Declaration declaration);

    /**
     * What {@code caller} may receive from {@code sourceAuthority}'s register: the effective tier,
     * the fields allowed and withheld, and the reasons, each citing the rule and the requirement.
     * It depends on the caller, the declaration and the source only, never on any record, so an
     * ANONYMISED register's part of an answer is the same with or without a match (A9).
     */
    AccessDecision decide(Caller caller, Declaration declaration, String sourceAuthority);
}
