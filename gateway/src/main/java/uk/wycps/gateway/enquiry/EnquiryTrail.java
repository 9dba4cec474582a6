package uk.wycps.gateway.enquiry;

import uk.wycps.gateway.audit.AuditSink;
import uk.wycps.gateway.metrics.GatewayMetrics;
import uk.wycps.gateway.outbox.Outbox;

/**
 * What an enquiry leaves behind: its audit entries (H1), the registers' notifications of who
 * asked about their records (H3), the figures it adds to the metrics (O3), and the withheld
 * registers' searches still to run after its answer (A9), which a stopping node waits for.
 */
public record EnquiryTrail(AuditSink audit, Outbox outbox, GatewayMetrics metrics, WithheldSearches withheld) {

    /** With a tracker of its own: for a service nobody stops (tests). */
    public EnquiryTrail(AuditSink audit, Outbox outbox, GatewayMetrics metrics) {
        this(audit, outbox, metrics, new WithheldSearches());
    }
}
