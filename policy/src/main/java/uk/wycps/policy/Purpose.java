package uk.wycps.policy;

import java.util.Optional;

/** Why an enquiry is made (P1). {@link #PLANNING} permits anonymised statistics only (P3). */
public enum Purpose implements Codes.Coded {
    S47_ENQUIRY("s47-enquiry"),
    REGISTER_CHECK("register-check"),
    CP_CONFERENCE("cp-conference"),
    CRIME_PREVENTION_DETECTION("crime-prevention-detection"),
    PLANNING("planning");

    private final String code;

    Purpose(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    public static Optional<Purpose> fromCode(String code) {
        return Codes.find(Purpose.class, code);
    }
}
