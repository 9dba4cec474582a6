package uk.wycps.connector.mappedjson;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.http.BoundedHttpCall;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.EnquiryHistoryEntry;

/** The pieces of {@code mapped-json} that other configurable dialects reuse. */
public final class MappedJsonAccess {

    private MappedJsonAccess() {
    }

    /**
     * Maps one untrusted record, checks its id and keeps only {@code keep} (A5); fails with a
     * {@link uk.wycps.connector.RegisterFailure} of kind ERROR when the record is unreadable.
     */
    public static ChildRecord map(JsonMapping mapping, JsonNode source, Set<String> keep) {
        return MappedJsonConnector.map(mapping, source, keep);
    }

    /** The requested fields plus {@code recordId}. */
    public static Set<String> withRecordId(Set<String> fields) {
        return MappedJsonConnector.withRecordId(fields);
    }

    /**
     * Where a configurable dialect writes: its {@code enquiry} ({@code method}, {@code path}) and
     * {@code checkpoint} ({@code path}) options; a null path means the register keeps none.
     */
    public record Writes(HttpMethod enquiryMethod, String enquiryPath, String checkpointPath) {

        /** Reads the options; {@link IllegalArgumentException} naming the register when they do not fit. */
        public static Writes fromOptions(JsonObject options, String authority) {
            JsonObject enquiry = options.getJsonObject("enquiry");
            JsonObject checkpoint = options.getJsonObject("checkpoint");
            return new Writes(HttpDialectSupport.writeMethod(enquiry, authority),
                    enquiry == null ? null : HttpDialectSupport.template(enquiry, "path", null, authority),
                    checkpoint == null ? null : HttpDialectSupport.template(checkpoint, "path", null, authority));
        }

        /** Sends an enquiry-history entry in the register's terms to the configured path. */
        public Future<Void> recordEnquiry(BoundedHttpCall call, String basePath, JsonMapping mapping, String recordId,
                EnquiryHistoryEntry entry, Deadline deadline) {
            return MappedJsonConnector.writeEnquiry(call, basePath, enquiryMethod, enquiryPath, mapping, recordId, entry,
                    deadline);
        }

        /** Sends an audit checkpoint to the configured path. */
        public Future<Void> publishCheckpoint(BoundedHttpCall call, String basePath, AuditCheckpoint checkpoint,
                Deadline deadline) {
            if (checkpointPath == null) {
                return Future.failedFuture(RegisterFailure.error("this register keeps no audit checkpoints"));
            }
            return HttpDialectSupport.publishCheckpoint(call, basePath, checkpointPath, checkpoint, deadline);
        }
    }
}
