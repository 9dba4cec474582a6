package uk.wycps.record;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Gender as the contract spells it: {@code female}, {@code male}, {@code unknown}. */
public enum Gender {
    FEMALE, MALE, UNKNOWN;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The gender for a contract code; {@link IllegalArgumentException} for any other. */
    @JsonCreator
    public static Gender fromCode(String code) {
        for (Gender g : values()) {
            if (g.code().equals(code)) {
                return g;
            }
        }
        throw new IllegalArgumentException("unknown gender code");
    }
}
