package uk.wycps.gateway.enquiry;

import uk.wycps.gateway.audit.AuditSink;
import uk.wycps.gateway.metrics.GatewayMetrics;
import uk.wycps.gateway.outbox.Outbox;

/**
 * What an enquiry leaves behind: its audit entries (H1), the registers' notifications of who
 * asked about their records (H3) and the figures it adds to the metrics (O3).
 */
public record EnquiryTrail(AuditSink audit, Outbox outbox, GatewayMetrics metrics) {
}
