package uk.wycps.gateway.enquiry;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.record.EnquiryHistoryEntry;

/**
 * Tells a register that one of its children was enquired about (H3), and, where the caller
 * could not see that register's records, raises the access notification of A9 the same way.
 * Sent after the answer, off the answer's path, once per record; a failed delivery is logged
 * by ids only. (A durable outbox with retry replaces this in the audit work.)
 */
public class EnquiryHistoryNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(EnquiryHistoryNotifier.class);
    private static final Duration DELIVERY_DEADLINE = Duration.ofSeconds(5);

    private final Map<String, RegisterConnector> connectors;

    public EnquiryHistoryNotifier(Map<String, RegisterConnector> connectors) {
        this.connectors = Map.copyOf(connectors);
    }

    /** One record to tell its register about. */
    public record Notification(String authority, String recordId, EnquiryHistoryEntry entry) {
    }

    /** Delivers each notification; the future completes when every delivery has finished. */
    public Future<Void> deliver(List<Notification> notifications) {
        if (notifications.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Future<Void>> sent = notifications.stream().map(this::deliverOne).toList();
        return Future.join(sent).mapEmpty();
    }

    private Future<Void> deliverOne(Notification n) {
        RegisterConnector connector = connectors.get(n.authority());
        if (connector == null) {
            return Future.succeededFuture();
        }
        return connector.recordEnquiry(n.recordId(), n.entry(), Deadline.after(DELIVERY_DEADLINE))
                .onFailure(e -> LOG.warn("enquiry history not delivered: register={}, recordId={}, entryId={}, reason={}",
                        n.authority(), n.recordId(), n.entry().entryId(), e.getMessage()))
                .recover(e -> Future.succeededFuture());
    }

    /** A fresh entry id for one record of one enquiry. */
    static String entryId(String enquiryId, String authority, String recordId) {
        return UUID.nameUUIDFromBytes((enquiryId + '|' + authority + '|' + recordId)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }
}
