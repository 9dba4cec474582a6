package uk.wycps.policy;

import java.util.Optional;

/** Whether consent to share was obtained (P2). */
public enum ConsentStatus implements Codes.Coded {
    OBTAINED("obtained"),
    NOT_SOUGHT("not-sought"),
    REFUSED("refused");

    private final String code;

    ConsentStatus(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    public static Optional<ConsentStatus> fromCode(String code) {
        return Codes.find(ConsentStatus.class, code);
    }
}
