package uk.wycps.gateway.outbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.RecordJson;

/**
 * Something a register must be told, kept on disk until it acknowledges it: an entry for a
 * record's history of enquiries (H3, A9) or a checkpoint of the audit chain (H2). {@code id} is
 * what the register de-duplicates on. {@code urgent}: an access to a shielded record (A10),
 * sent ahead of everything else waiting for that register and without lingering.
 */
public record OutboxMessage(String id, String authority, Kind kind, String recordId, EnquiryHistoryEntry entry,
        AuditCheckpoint checkpoint, @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean urgent) {

    public enum Kind {
        ENQUIRY_HISTORY, CHECKPOINT
    }

    public OutboxMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(kind, "kind");
    }

    /** A message that is not urgent. */
    public OutboxMessage(String id, String authority, Kind kind, String recordId, EnquiryHistoryEntry entry,
            AuditCheckpoint checkpoint) {
        this(id, authority, kind, recordId, entry, checkpoint, false);
    }

    public static OutboxMessage history(String authority, String recordId, EnquiryHistoryEntry entry) {
        return new OutboxMessage(entry.entryId(), authority, Kind.ENQUIRY_HISTORY, recordId, entry, null, false);
    }

    /** An access to a shielded record (A10): its owner is told at once, ahead of other history. */
    public static OutboxMessage urgentHistory(String authority, String recordId, EnquiryHistoryEntry entry) {
        return new OutboxMessage(entry.entryId(), authority, Kind.ENQUIRY_HISTORY, recordId, entry, null, true);
    }

    /**
     * {@code messages} without the checkpoints of registers whose connector keeps none
     * ({@link RegisterConnector#keepsCheckpoints}): never sent, they would only pile up in the
     * register's lane. A register this node has no connector for keeps its messages.
     */
    static List<OutboxMessage> keptBy(List<OutboxMessage> messages, Map<String, RegisterConnector> connectors) {
        return messages.stream().filter(m -> {
            RegisterConnector connector = connectors.get(m.authority());
            return m.kind() != Kind.CHECKPOINT || connector == null || connector.keepsCheckpoints();
        }).toList();
    }

    public static OutboxMessage checkpoint(String authority, AuditCheckpoint checkpoint) {
        return new OutboxMessage("checkpoint-" + checkpoint.index() + "-" + authority, authority, Kind.CHECKPOINT, null,
                null, checkpoint);
    }

    private static <T> T fromJson(JsonObject json, Class<T> type) {
        try {
            return RecordJson.mapper().readValue(json.encode(), type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable outbox message", e);
        }
    }

    /** The message as JSON text (its own fields, nulls left out), as the PostgreSQL outbox keeps it. */
    public String encode() {
        try {
            return RecordJson.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an outbox message could not be encoded", e);
        }
    }

    /** The message {@link #encode} wrote. */
    public static OutboxMessage decode(String text) {
        return fromJson(new JsonObject(text));
    }

    static OutboxMessage fromJson(JsonObject json) {
        Kind kind = Kind.valueOf(json.getString("kind"));
        EnquiryHistoryEntry entry = json.containsKey("entry")
                ? fromJson(json.getJsonObject("entry"), EnquiryHistoryEntry.class) : null;
        AuditCheckpoint checkpoint = json.containsKey("checkpoint")
                ? fromJson(json.getJsonObject("checkpoint"), AuditCheckpoint.class) : null;
        return new OutboxMessage(json.getString("id"), json.getString("authority"), kind, json.getString("recordId"),
                entry, checkpoint, json.getBoolean("urgent", false));
    }
}
