package uk.wycps.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Set;
import uk.wycps.gateway.admission.EventLoopLag;
import uk.wycps.gateway.api.AuditRoutes;
import uk.wycps.gateway.api.EnquiryRoutes;
import uk.wycps.gateway.api.GatewayRouter;
import uk.wycps.gateway.api.PolicyExplainRoutes;
import uk.wycps.gateway.auth.TokenVerifier;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.gateway.console.ConsoleRoutes;
import io.vertx.ext.web.common.template.TemplateEngine;
import uk.wycps.gateway.enquiry.EnquiryParser;
import uk.wycps.gateway.enquiry.EnquiryService;
import uk.wycps.gateway.enquiry.EnquiryTrail;
import uk.wycps.gateway.fanout.RegisterFanOut;
import uk.wycps.gateway.fanout.RegisterGuards;
import uk.wycps.gateway.fanout.Registers;
import uk.wycps.gateway.health.HealthRoutes;
import uk.wycps.gateway.statistics.SmallNumberSuppression;
import uk.wycps.gateway.statistics.StatisticsRoutes;
import uk.wycps.gateway.statistics.StatisticsService;

/**
 * The one place that builds what an event loop serves with: from the shared parts and this
 * event loop's registers, the services and the routes in front of them. A new route or service
 * is wired here.
 */
final class Wiring {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Wiring.class);
    /** When a node first resumes the withheld searches a lost node left: once it serves. */
    static final long RESUME_FIRST_MS = 1_000;
    /** How often nodes sharing an audit look again for withheld searches a lost node left. */
    static final long RESUME_EVERY_MS = 5 * 60_000;

    private Wiring() {
    }

    /**
     * The API's routes, and the practitioner console's beside them, over this event loop's
     * {@code registers}, guarded by {@code guards}. The console uses the same parser, enquiry
     * service, audit view and statistics as the API: what it shows is what the API would answer.
     */
    static Router routes(Vertx vertx, SharedParts shared, Registers registers, RegisterGuards guards,
            TemplateEngine templates) {
        GatewayConfig config = shared.config();
        List<String> authorities = registers.authorities();
        TokenVerifier tokens = TokenVerifier.create(shared.issuerKeys(), config.auth(), Set.copyOf(authorities));
        for (String authority : authorities) {
            // Gauges of the node's shared guards and outbox; registering one again is a no-op.
            shared.metrics().watchRegister(guards.get(authority));
            java.util.concurrent.atomic.AtomicInteger depth = shared.outbox().depth(authority);
            if (depth != null) {
                shared.metrics().watchOutbox(authority, depth);
            }
        }
        EnquiryParser parser = new EnquiryParser(authorities, shared.contract());
        EnquiryService enquiries = new EnquiryService(vertx, shared.policy(),
                new RegisterFanOut(vertx, registers, guards, shared.telemetry()),
                shared.linker(), new EnquiryTrail(shared.audit(), shared.outbox(), shared.metrics(), shared.withheld()), config.contacts());
        if (shared.withheld().takeResuming(enquiries::resumeWithheldSearches)) {
            // The withheld searches a lost node left (A9, H3): once the node serves, and, where
            // several nodes share the audit, every few minutes, since a lost node may not return.
            // Alone on its audit, a node may take every answer made before it started (no search
            // of those runs anywhere); beside others, only those older than any search a live
            // node may still be running.
            boolean byNodes = shared.audit().sharedByNodes();
            java.time.Instant started = java.time.Instant.now();
            java.util.function.Consumer<java.time.Instant> resume = before -> shared.withheld().resume(before)
                    .onFailure(e -> LOG.warn("withheld searches not resumed: cause={}", e.getClass().getSimpleName()));
            vertx.setTimer(RESUME_FIRST_MS, t -> resume.accept(byNodes ? java.time.Instant.now()
                    .minus(EnquiryService.RESUME_GRACE) : started));
            if (byNodes) {
                vertx.setPeriodic(RESUME_EVERY_MS, t -> resume.accept(java.time.Instant.now()
                        .minus(EnquiryService.RESUME_GRACE)));
            }
        }
        StatisticsService statistics = new StatisticsService(registers,
                new SmallNumberSuppression(config.statistics().suppressionThreshold()), shared.audit(), shared.policy());
        AuditRoutes audit = new AuditRoutes(tokens, shared.audit(), shared.policy());
        EventLoopLag lag = EventLoopLag.sample(vertx, shared.metrics()::eventLoopLag);
        Router router = GatewayRouter.create(vertx, config.http().maxBodyBytes(),
                new EnquiryRoutes(tokens, parser, enquiries, shared.metrics(), shared.admission(), lag,
                        shared.telemetry()),
                new PolicyExplainRoutes(tokens, parser, shared.policy()),
                audit,
                new StatisticsRoutes(tokens, statistics, shared.admission(), lag),
                new HealthRoutes(authorities, guards),
                shared.metrics(), shared.admission(), shared.contract());
        ConsoleRoutes.securityHeaders(router);
        new ConsoleRoutes(vertx, config, templates, parser, enquiries, audit, statistics, authorities,
                shared.admission(), lag)
                .mount(router, config.http().maxBodyBytes());
        return router;
    }

    /** The management listener's routes: health and metrics, kept off the API's port. */
    static Router management(Vertx vertx, SharedParts shared, Registers registers, RegisterGuards guards) {
        return GatewayRouter.management(vertx, new HealthRoutes(registers.authorities(), guards), shared.metrics());
    }

    /** The management listener's options. */
    static HttpServerOptions managementOptions(GatewayConfig config) {
        GatewayConfig.Management management = config.management();
        return new HttpServerOptions()
                .setHost(management.host())
                .setPort(management.port())
                .setIdleTimeout(config.http().idleTimeoutSeconds())
                .setMaxHeaderSize(8 * 1024)
                .setHttp2ClearTextEnabled(false);
    }

    /** The API listener's options: bounded headers and request line, no compression. */
    static HttpServerOptions serverOptions(GatewayConfig.Http http) {
        return new HttpServerOptions()
                .setHost(http.host())
                .setPort(http.port())
                .setIdleTimeout(http.idleTimeoutSeconds())
                .setMaxHeaderSize(8 * 1024)
                .setMaxInitialLineLength(4096)
                .setCompressionSupported(false);
    }
}
