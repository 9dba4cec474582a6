package uk.wycps.connector.mappedjson;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.util.Set;
import uk.wycps.connector.Deadline;
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

    /** Sends an enquiry-history entry in the register's terms to the configured path. */
    public static Future<Void> writeEnquiry(BoundedHttpCall call, String basePath, HttpMethod method, String template,
                                            JsonMapping mapping, String recordId, EnquiryHistoryEntry entry,
                                            Deadline deadline) {
        return MappedJsonConnector.writeEnquiry(call, basePath, method, template, mapping, recordId, entry, deadline);
    }
}
