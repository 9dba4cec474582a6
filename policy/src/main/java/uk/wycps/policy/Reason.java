package uk.wycps.policy;

/**
 * One step of a decision, for the caller and for review: the policy rule applied, the
 * requirement it implements (e.g. {@code A4}), and plain words.
 */
public record Reason(String rule, String requirement, String explanation) {
}
