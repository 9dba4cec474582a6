package uk.wycps.policy;

import java.util.Objects;

/** What the caller declares with an enquiry: its purpose and justification (P1), and consent (P2). */
public record Declaration(Purpose purpose, String justification, ConsentBasis consent) {

    public Declaration {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(consent, "consent");
    }
}
