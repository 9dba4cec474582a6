package uk.wycps.record;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The categories of registration (M2), in the contract's codes. */
public enum ConcernCategory {
    NEGLECT("neglect"),
    PHYSICAL_ABUSE("physical-abuse"),
    EMOTIONAL_ABUSE("emotional-abuse"),
    SEXUAL_ABUSE("sexual-abuse");

    private final String code;

    ConcernCategory(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }

    /** The category for a contract code; {@link IllegalArgumentException} for any other. */
    @JsonCreator
    public static ConcernCategory fromCode(String code) {
        for (ConcernCategory c : values()) {
            if (c.code.equals(code)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown concern category code");
    }
}
