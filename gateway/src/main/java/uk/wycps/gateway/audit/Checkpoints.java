package uk.wycps.gateway.audit;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import uk.wycps.connector.AuditCheckpoint;

/**
 * Signed statements the gateway writes into its own chain: checkpoints (the chain head at an
 * index and time) and purge markers (which entries retention emptied, and when). Each is an
 * entry of the chain like any other, and carries a signature by the gateway's audit key over a
 * fixed payload.
 */
final class Checkpoints {

    static final String CHECKPOINT = "checkpoint";
    static final String PURGE = "purge";
    static final String CHECKPOINT_PREFIX = "{\"type\":\"" + CHECKPOINT + "\"";
    static final String PURGE_PREFIX = "{\"type\":\"" + PURGE + "\"";

    private Checkpoints() {
    }

    static String checkpointPayload(long index, String head, String at) {
        return "wycps-audit-checkpoint\n" + index + "\n" + head + "\n" + at;
    }

    static String purgePayload(String ranges, String at) {
        return "wycps-audit-purge\n" + ranges + "\n" + at;
    }

    /** A checkpoint entry for the chain head {@code head} at entry {@code index}. */
    static AuditCheckpoint checkpoint(AuditKeys.Signer signer, long index, String head, Instant at) {
        String time = at.toString();
        return new AuditCheckpoint(index, head, time, signer.keyId(), signer.sign(checkpointPayload(index, head, time)));
    }

    static String checkpointEntry(AuditCheckpoint c) {
        return new JsonObject().put("type", CHECKPOINT).put("index", c.index()).put("head", c.head()).put("at", c.at())
                .put("keyId", c.keyId()).put("signature", c.signature()).encode();
    }

    static String purgeEntry(AuditKeys.Signer signer, String ranges, Instant at, long count) {
        String time = at.toString();
        return new JsonObject().put("type", PURGE).put("ranges", ranges).put("count", count).put("at", time)
                .put("keyId", signer.keyId()).put("signature", signer.sign(purgePayload(ranges, time))).encode();
    }
}
