package uk.wycps.policy;

import java.util.Objects;

/**
 * The consent basis of an enquiry (P2): consent obtained with the authority's form reference,
 * or not sought / refused on one of the five grounds; a refusal names who refused.
 * Construct through {@link #obtained}, {@link #notSought} or {@link #refused}.
 */
public record ConsentBasis(ConsentStatus status, String formReference, ConsentGround ground, RefusedBy refusedBy) {

    public ConsentBasis {
        Objects.requireNonNull(status, "status");
        switch (status) {
            case OBTAINED -> {
                if (formReference == null || formReference.isBlank() || ground != null || refusedBy != null) {
                    throw new IllegalArgumentException("obtained consent takes a form reference and nothing else");
                }
            }
            case NOT_SOUGHT -> {
                if (ground == null || formReference != null || refusedBy != null) {
                    throw new IllegalArgumentException("consent not sought takes a ground and nothing else");
                }
            }
            case REFUSED -> {
                if (ground == null || refusedBy == null || formReference != null) {
                    throw new IllegalArgumentException("refused consent takes a ground and who refused");
                }
            }
        }
    }

    public static ConsentBasis obtained(String formReference) {
        return new ConsentBasis(ConsentStatus.OBTAINED, formReference, null, null);
    }

    public static ConsentBasis notSought(ConsentGround ground) {
        return new ConsentBasis(ConsentStatus.NOT_SOUGHT, null, ground, null);
    }

    public static ConsentBasis refused(ConsentGround ground, RefusedBy refusedBy) {
        return new ConsentBasis(ConsentStatus.REFUSED, null, ground, refusedBy);
    }

    /** A short code for audit and history, e.g. {@code not-sought:authorised-register-check}. */
    public String summary() {
        return switch (status) {
            case OBTAINED -> "obtained";
            case NOT_SOUGHT -> "not-sought:" + ground.code();
            case REFUSED -> "refused-by-" + refusedBy.code() + ":" + ground.code();
        };
    }
}
