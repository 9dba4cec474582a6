package uk.wycps.connector;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A signed head of the gateway's audit chain (H2): the chain's hash {@code head} after entry
 * {@code index}, at time {@code at}, signed by the gateway's audit key {@code keyId}. Every
 * register keeps the checkpoints it is sent, so the gateway's operator alone cannot rewrite or
 * cut the audit history unnoticed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditCheckpoint(long index, String head, String at, String keyId, String signature) {
}
