package uk.wycps.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import uk.wycps.connector.ConnectorRegistry;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.api.ApiContract;
import uk.wycps.gateway.tracing.Telemetry;
import uk.wycps.gateway.api.AuditRoutes;
import uk.wycps.gateway.api.EnquiryRoutes;
import uk.wycps.gateway.api.GatewayRouter;
import uk.wycps.gateway.api.PolicyExplainRoutes;
import uk.wycps.gateway.audit.AuditSink;
import uk.wycps.gateway.auth.TokenVerifier;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.gateway.enquiry.EnquiryParser;
import uk.wycps.gateway.enquiry.EnquiryService;
import uk.wycps.gateway.fanout.RegisterFanOut;
import uk.wycps.gateway.fanout.RegisterGuards;
import uk.wycps.gateway.health.HealthRoutes;
import uk.wycps.gateway.metrics.GatewayMetrics;
import uk.wycps.gateway.outbox.RegisterOutbox;
import uk.wycps.gateway.statistics.SmallNumberSuppression;
import uk.wycps.gateway.statistics.StatisticsRoutes;
import uk.wycps.gateway.statistics.StatisticsService;
import uk.wycps.linkage.RecordLinker;
import uk.wycps.policy.SharingPolicy;

/**
 * One event loop's share of the gateway: its own HTTP server (Vert.x spreads connections over
 * the instances sharing the port) and its own connectors, so a register's connections are used
 * on the event loop that owns them. Policy, linker and audit are shared and thread-safe.
 */
final class GatewayVerticle extends VerticleBase {

    private final GatewayConfig config;
    private final SharingPolicy policy;
    private final RecordLinker linker;
    private final AuditSink audit;
    private final List<RegisterConnector> connectors = new ArrayList<>();
    private final AtomicInteger boundPort;
    private final RegisterOutbox outbox;
    private final GatewayMetrics metrics;
    private final ApiContract contract;
    private final Telemetry telemetry;

    /** {@code boundPort} receives the port the first instance listens on. */
    GatewayVerticle(GatewayConfig config, SharingPolicy policy, RecordLinker linker, AuditSink audit,
            RegisterOutbox outbox, GatewayMetrics metrics, ApiContract contract, Telemetry telemetry,
            AtomicInteger boundPort) {
        this.telemetry = telemetry;
        this.contract = contract;
        this.outbox = outbox;
        this.metrics = metrics;
        this.boundPort = boundPort;
        this.config = config;
        this.policy = policy;
        this.linker = linker;
        this.audit = audit;
    }

    @Override
    public Future<?> start() {
        ConnectorRegistry registry = ConnectorRegistry.load();
        Map<String, RegisterConnector> byAuthority = new LinkedHashMap<>();
        Map<String, Long> deadlines = new LinkedHashMap<>();
        Map<String, String> dialects = new LinkedHashMap<>();
        for (RegisterSettings settings : config.registers()) {
            RegisterConnector connector = registry.create(vertx, settings);
            connectors.add(connector);
            byAuthority.put(settings.authority(), connector);
            deadlines.put(settings.authority(), settings.deadline().toMillis());
            dialects.put(settings.authority(), settings.dialect());
        }
        List<String> authorities = List.copyOf(byAuthority.keySet());
        // One breaker and bulkhead per register for the whole deployment, not one per event loop.
        RegisterGuards guards = RegisterGuards.shared(vertx, context.deploymentID(), config.registers());
        for (String authority : authorities) {
            metrics.watchRegister(guards.get(authority));
            metrics.watchOutbox(authority, outbox.depth(authority));
        }
        TokenVerifier tokens = TokenVerifier.create(vertx, config.auth(), java.util.Set.copyOf(authorities));
        EnquiryService service = new EnquiryService(vertx, metrics, policy, new RegisterFanOut(vertx, byAuthority, guards, telemetry, dialects), deadlines, linker,
                audit, outbox);
        EnquiryParser parser = new EnquiryParser(authorities, contract);
        EnquiryRoutes enquiries = new EnquiryRoutes(tokens, parser, service, metrics, telemetry);
        PolicyExplainRoutes explain = new PolicyExplainRoutes(tokens, parser, policy);
        GatewayConfig.Http http = config.http();
        HttpServerOptions options = new HttpServerOptions()
                .setHost(http.host())
                .setPort(http.port())
                .setIdleTimeout(http.idleTimeoutSeconds())
                .setMaxHeaderSize(8 * 1024)
                .setMaxInitialLineLength(4096)
                .setCompressionSupported(false);
        HttpServer server = vertx.createHttpServer(options)
                .requestHandler(GatewayRouter.create(vertx, http.maxBodyBytes(), enquiries, explain,
                        new AuditRoutes(tokens, audit), new StatisticsRoutes(tokens, new StatisticsService(byAuthority,
                                deadlines, new SmallNumberSuppression(config.statistics().suppressionThreshold()), audit,
                                policy)),
                        new HealthRoutes(authorities, guards), metrics, contract));
        return server.listen().onSuccess(s -> boundPort.compareAndSet(0, s.actualPort()));
    }

    @Override
    public Future<?> stop() {
        List<Future<Void>> closing = new ArrayList<>();
        connectors.forEach(c -> closing.add(c.close()));
        RegisterGuards.release(vertx, context.deploymentID());
        return Future.join(closing);
    }
}
