package uk.wycps.mock;

import java.util.Locale;

/** How a mock register misbehaves on {@code /search} and {@code /records} (API.md, O1). */
public enum FaultMode {
    /** Answers normally. */
    NONE,
    /** Accepts the request and never answers. */
    HANG,
    /** Closes the connection without an answer. */
    RESET,
    /** 200 with {@code application/json} and a body that is not valid JSON. */
    MALFORMED,
    /** The correct answer, one byte at a time. */
    DRIP,
    /** The correct body with a content type other than JSON. */
    WRONG_CONTENT_TYPE,
    /** HTTP 500. */
    ERROR;

    /** The contract's code: {@code none}, {@code hang}, ..., {@code wrong-content-type}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The mode for a contract code; {@link IllegalArgumentException} for any other. */
    public static FaultMode fromCode(String code) {
        for (FaultMode m : values()) {
            if (m.code().equals(code)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown fault mode");
    }
}
