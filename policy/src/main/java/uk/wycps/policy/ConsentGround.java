package uk.wycps.policy;

import java.util.Optional;

/** The protocol's five grounds for sharing without consent (P2). */
public enum ConsentGround implements Codes.Coded {
    /** 1. Seeking consent places the child at risk of significant harm. */
    RISK_OF_SIGNIFICANT_HARM("risk-of-significant-harm"),
    /** 2. Seeking or refusal would increase the risk or compromise an investigation. */
    INVESTIGATION_COMPROMISED("investigation-compromised"),
    /** 3. To prevent, or aid the detection of, a crime. */
    CRIME_PREVENTION_DETECTION("crime-prevention-detection"),
    /** 4. An authorised check of the register where there are child protection concerns. */
    AUTHORISED_REGISTER_CHECK("authorised-register-check"),
    /** 5. Building up a picture that a child is at risk of significant harm. */
    BUILDING_PICTURE("building-picture");

    private final String code;

    ConsentGround(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    public static Optional<ConsentGround> fromCode(String code) {
        return Codes.find(ConsentGround.class, code);
    }
}
