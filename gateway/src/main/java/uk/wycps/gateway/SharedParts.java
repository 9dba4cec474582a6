package uk.wycps.gateway;

import uk.wycps.gateway.admission.AdmissionControl;
import uk.wycps.gateway.api.ApiContract;
import uk.wycps.gateway.audit.AuditSink;
import uk.wycps.gateway.auth.IssuerKeys;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.gateway.metrics.GatewayMetrics;
import uk.wycps.gateway.outbox.Outbox;
import uk.wycps.gateway.tracing.Telemetry;
import uk.wycps.linkage.RecordLinker;
import uk.wycps.policy.SharingPolicy;

/**
 * What every event loop of the gateway shares, made once at start-up ({@link Gateway}): the
 * configuration, the policy, the linker, the audit, the outbox to the registers, the metrics, the
 * node's admission control, the identity provider's keys, the OpenAPI contract requests are
 * checked against, the tracing, and the withheld registers' searches still to run (which a
 * stopping node waits for).
 * Each is thread-safe; what is per event loop (connections, servers) is made by {@link Wiring}.
 */
record SharedParts(GatewayConfig config, SharingPolicy policy, RecordLinker linker, AuditSink audit,
        Outbox outbox, GatewayMetrics metrics, AdmissionControl admission, IssuerKeys issuerKeys,
        ApiContract contract, Telemetry telemetry, uk.wycps.gateway.enquiry.WithheldSearches withheld) {
}
