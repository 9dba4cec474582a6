package uk.wycps.connector.proof;

/**
 * What the gateway keeps of a signed answer (H2): the digests it computed itself of what it
 * sent and what it received, both equal to those the register signed, and the signature.
 */
public record AnswerProof(String requestSha256, String bodySha256, String signature) {
}
