package uk.wycps.policy;

/**
 * The information sharing protocol as decisions. Pure and thread-safe: no I/O, no clock, the
 * same inputs give the same decision. Deny by default (A8): anything the policy does not know
 * gets nothing.
 */
public interface SharingPolicy {

    /** The policy's id and version, recorded with every audited decision. */
    String id();

    String version();

    /** Whether {@code caller} may make a named (person-level) enquiry for {@code declaration}. */
    EnquiryPermission permitEnquiry(Caller caller, Declaration declaration);

    /** What {@code caller} may receive from {@code sourceAuthority}'s register. */
    AccessDecision decide(Caller caller, Declaration declaration, String sourceAuthority);
}
