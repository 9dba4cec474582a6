package uk.wycps.policy;

import java.util.Optional;

/** The agencies that take part (A2). */
public enum Agency implements Codes.Coded {
    SOCIAL_SERVICES("social-services"),
    POLICE("police"),
    HEALTH("health"),
    EDUCATION("education"),
    OTHER("other");

    private final String code;

    Agency(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    public static Optional<Agency> fromCode(String code) {
        return Codes.find(Agency.class, code);
    }
}
