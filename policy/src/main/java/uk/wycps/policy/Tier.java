package uk.wycps.policy;

/**
 * The protocol's information levels (A3), in order: whoever may see a tier may see every tier
 * below it.
 */
public enum Tier {
    ANONYMISED, PERSONAL, SENSITIVE;

    /** True when this tier includes {@code other}. */
    public boolean includes(Tier other) {
        return compareTo(other) >= 0;
    }

    /** The lower of two tiers. */
    public static Tier min(Tier a, Tier b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
