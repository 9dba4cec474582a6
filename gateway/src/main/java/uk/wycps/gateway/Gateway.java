package uk.wycps.gateway;

import uk.wycps.gateway.durable.PrivateFiles;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.admission.AdmissionControl;
import uk.wycps.gateway.api.ApiContract;
import uk.wycps.gateway.tracing.Telemetry;
import uk.wycps.gateway.audit.AuditKeys;
import uk.wycps.gateway.auth.IssuerKeys;
import uk.wycps.gateway.audit.AuditSink;
import uk.wycps.gateway.audit.FileAuditSink;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.gateway.config.PolicySchema;
import uk.wycps.gateway.metrics.GatewayMetrics;
import uk.wycps.gateway.admission.PostgresRateLimiter;
import uk.wycps.gateway.audit.PostgresAuditSink;
import uk.wycps.gateway.durable.Postgres;
import uk.wycps.gateway.outbox.Outbox;
import uk.wycps.gateway.outbox.OutboxMessage;
import uk.wycps.gateway.outbox.PostgresOutbox;
import uk.wycps.gateway.outbox.RegisterOutbox;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.wycps.linkage.FellegiSunterLinker;
import uk.wycps.linkage.RecordLinker;
import uk.wycps.policy.PolicyLoader;
import uk.wycps.policy.SharingPolicy;
import uk.wycps.record.CanonicalFields;
import uk.wycps.gateway.enquiry.WithheldSearches;
import uk.wycps.gateway.enquiry.EnquiryService;
import uk.wycps.connector.http.PrivateKeyFiles;

/**
 * A running gateway. {@link #start} is one chain: policy, outbox, audit, then one verticle per
 * event loop; any failed step fails the start and undoes what had started.
 */
public final class Gateway {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Vertx vertx;
    private final List<String> deployments;
    private final int port;
    private final AuditSink audit;
    private final Outbox outbox;
    private final int managementPort;
    private final AdmissionControl admission;
    private final long sweeper;
    private final IssuerKeys issuerKeys;
    /** What to close after the outbox (the PostgreSQL pool); nothing for the file audit. */
    private final Supplier<Future<Void>> afterClose;
    /** The withheld registers' searches promised and not yet done, and how long stopping waits for them. */
    private final WithheldSearches withheld;
    private final Duration withheldWait;

    private Gateway(Vertx vertx, List<String> deployments, int port, int managementPort, AuditSink audit,
            Outbox outbox, AdmissionControl admission, long sweeper, IssuerKeys issuerKeys,
            Supplier<Future<Void>> afterClose, WithheldSearches withheld, Duration withheldWait) {
        this.vertx = vertx;
        this.withheld = withheld;
        this.withheldWait = withheldWait;
        this.issuerKeys = issuerKeys;
        this.managementPort = managementPort;
        this.admission = admission;
        this.sweeper = sweeper;
        this.deployments = List.copyOf(deployments);
        this.port = port;
        this.audit = audit;
        this.outbox = outbox;
        this.afterClose = afterClose;
    }

    /** Starts with the file audit sink of the configuration, signing checkpoints with its key; no tracing. */
    public static Future<Gateway> start(Vertx vertx, GatewayConfig config) {
        return start(vertx, config, Telemetry.off());
    }

    /** As {@link #start(Vertx, GatewayConfig)}, tracing through {@code telemetry} (whose Vert.x {@code vertx} is). */
    public static Future<Gateway> start(Vertx vertx, GatewayConfig config, Telemetry telemetry) {
        GatewayConfig.Audit settings = config.audit();
        if (settings.postgres() != null) {
            return startWithPostgres(vertx, config, telemetry);
        }
        return vertx.executeBlocking(() -> signer(settings)).compose(signer -> {
            List<String> deployed = new ArrayList<>();
            OutboxVerticle outboxVerticle = new OutboxVerticle(config.registers(),
                    (v, connectors) -> RegisterOutbox.open(v, settings.directory(), connectors));
            return vertx.deployVerticle(outboxVerticle)
                    .compose(id -> {
                        deployed.add(id);
                        Outbox outbox = outboxVerticle.outbox();
                        return FileAuditSink.open(vertx, settings.directory(), signer, settings.checkpointEvery(),
                                        checkpoint -> publish(outbox, config.registers(), checkpoint))
                                .compose(audit -> startWith(vertx, config, audit, outbox, deployed, telemetry,
                                                Future::succeededFuture)
                                        .recover(e -> audit.close().transform(v -> Future.failedFuture(e))));
                    })
                    .recover(e -> undeploy(vertx, deployed).transform(v -> Future.failedFuture(e)));
        });
    }

    /**
     * {@code audit.postgres}: migrates the schema on a worker thread (a failed migration fails
     * the start, before anything listens), then the outbox delivering from the shared table and
     * the audit writing to the shared chain.
     */
    private static Future<Gateway> startWithPostgres(Vertx vertx, GatewayConfig config, Telemetry telemetry) {
        GatewayConfig.Audit settings = config.audit();
        GatewayConfig.Postgres pg = settings.postgres();
        return vertx.executeBlocking(() -> {
            requirePrivate(settings.signingKeyFile());
            Postgres database = Postgres.of(pg.uri(), pg.user(), pg.passwordFile());
            AuditKeys.Signer signer = AuditKeys.signer(Files.readString(settings.signingKeyFile()),
                    Files.readString(settings.verificationKeyFile()));
            var migrated = database.migrate();
            LOG.info("audit database schema up to date ({} migrations applied now)", migrated.migrationsExecuted);
            return new Object[] {database, signer};
        }).compose(opened -> {
            Postgres database = (Postgres) opened[0];
            AuditKeys.Signer signer = (AuditKeys.Signer) opened[1];
            io.vertx.sqlclient.Pool pool = database.pool(vertx);
            Supplier<Future<Void>> closePool = pool::close;
            List<String> deployed = new ArrayList<>();
            OutboxVerticle outboxVerticle = new OutboxVerticle(config.registers(),
                    (v, connectors) -> PostgresOutbox.start(v, pool, database.connectOptions(), connectors, pg.node(),
                            pg.outboxLease()));
            List<String> authorities = config.registers().stream().map(RegisterSettings::authority).toList();
            return vertx.deployVerticle(outboxVerticle)
                    .compose(id -> {
                        deployed.add(id);
                        return PostgresAuditSink.open(vertx, pool, signer, settings.checkpointEvery(), authorities,
                                pg.node());
                    })
                    .compose(audit -> {
                        // The rate buckets are shared by every node, like the audit (issue 20).
                        GatewayConfig.Limits limits = config.limits();
                        PostgresRateLimiter perCaller = limits.perCaller() == null ? null
                                : new PostgresRateLimiter(pool, "caller:", limits.perCaller());
                        PostgresRateLimiter perAgency = limits.perAgency() == null ? null
                                : new PostgresRateLimiter(pool, "agency:", limits.perAgency());
                        AdmissionControl admission = new AdmissionControl(limits, perCaller, perAgency);
                        Runnable sweep = () -> {
                            admission.sweep();
                            if (perCaller != null) {
                                perCaller.sweep();
                            }
                            if (perAgency != null) {
                                perAgency.sweep();
                            }
                        };
                        return startWith(vertx, config, audit, outboxVerticle.outbox(), deployed, telemetry, admission, sweep,
                                closePool);
                    })
                    .recover(e -> undeploy(vertx, deployed).compose(v -> pool.close())
                            .transform(v -> Future.failedFuture(e)));
        });
    }

    /** Starts with the given audit sink (tests and benchmarks); the outbox lives in {@code outboxDirectory}. */
    public static Future<Gateway> start(Vertx vertx, GatewayConfig config, AuditSink audit, Path outboxDirectory) {
        return start(vertx, config, audit, outboxDirectory, Telemetry.off());
    }

    /** As {@link #start(Vertx, GatewayConfig, AuditSink, Path)}, tracing through {@code telemetry}. */
    public static Future<Gateway> start(Vertx vertx, GatewayConfig config, AuditSink audit, Path outboxDirectory,
            Telemetry telemetry) {
        List<String> deployed = new ArrayList<>();
        OutboxVerticle outboxVerticle = new OutboxVerticle(config.registers(),
                (v, connectors) -> RegisterOutbox.open(v, outboxDirectory, connectors));
        return vertx.deployVerticle(outboxVerticle)
                .compose(id -> {
                    deployed.add(id);
                    return startWith(vertx, config, audit, outboxVerticle.outbox(), deployed, telemetry,
                            Future::succeededFuture);
                })
                .recover(e -> undeploy(vertx, deployed).transform(v -> Future.failedFuture(e)));
    }

    /** O2: a checkpoint signing key others can read (or replace) could forge checkpoints; the file audit's and PostgreSQL's alike. */
    private static void requirePrivate(Path signingKeyFile) {
        String open = PrivateKeyFiles.problem(signingKeyFile);
        if (open != null) {
            throw new IllegalStateException("audit.signingKeyFile " + open);
        }
    }

    private static AuditKeys.Signer signer(GatewayConfig.Audit settings) throws Exception {
        if (settings.signingKeyFile() != null) {
            requirePrivate(settings.signingKeyFile());
            AuditKeys.Signer signer = AuditKeys.signer(Files.readString(settings.signingKeyFile()),
                    Files.readString(settings.verificationKeyFile()));
            PrivateFiles.createDirectories(settings.directory());
            // verify-audit reads the public key beside the log unless given another.
            PrivateFiles.writeString(settings.directory().resolve(AuditKeys.PUBLIC_FILE),
                    Files.readString(settings.verificationKeyFile()));
            return signer;
        }
        return AuditKeys.loadOrCreate(settings.directory());
    }

    private static void publish(Outbox outbox, List<RegisterSettings> registers, AuditCheckpoint checkpoint) {
        List<OutboxMessage> messages = new ArrayList<>();
        registers.forEach(r -> messages.add(OutboxMessage.checkpoint(r.authority(), checkpoint)));
        outbox.enqueue(messages);
    }

    private static Future<Gateway> startWith(Vertx vertx, GatewayConfig config, AuditSink audit, Outbox outbox,
            List<String> deployed, Telemetry telemetry, Supplier<Future<Void>> afterClose) {
        AdmissionControl admission = AdmissionControl.local(config.limits());
        return startWith(vertx, config, audit, outbox, deployed, telemetry, admission, admission::sweep, afterClose);
    }

    /** {@code sweep} runs every minute: it drops the rate buckets that are full again. */
    private static Future<Gateway> startWith(Vertx vertx, GatewayConfig config, AuditSink audit, Outbox outbox,
            List<String> deployed, Telemetry telemetry, AdmissionControl admission, Runnable sweep,
            Supplier<Future<Void>> afterClose) {
        SharingPolicy policy;
        try {
            policy = loadPolicy(config);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        RecordLinker linker = FellegiSunterLinker.withDefaults();
        int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
        AtomicInteger port = new AtomicInteger();
        AtomicInteger managementPort = new AtomicInteger();
        GatewayMetrics metrics = new GatewayMetrics();
        // One key set for the node, read before anything listens: no keys, no start.
        return ApiContract.load(vertx).compose(contract -> IssuerKeys.start(vertx, config.auth()).compose(keys -> {
                    WithheldSearches withheld = new WithheldSearches();
                    SharedParts shared = new SharedParts(config, policy, linker, audit, outbox, metrics, admission, keys,
                            contract, telemetry, withheld);
                    return vertx.deployVerticle(() -> new GatewayVerticle(shared, port, managementPort),
                                    new DeploymentOptions().setInstances(instances))
                            .map(id -> {
                                deployed.add(id);
                                long sweeper = vertx.setPeriodic(60_000, t -> sweep.run());
                                return new Gateway(vertx, deployed, port.get(), managementPort.get(), audit, outbox,
                                        admission, sweeper, keys, afterClose, withheld, longestWithheldSearch(config));
                            })
                            .recover(e -> keys.close().transform(v -> Future.failedFuture(e)));
                }));
    }

    /**
     * How long stopping waits for withheld searches: the slowest register's deadline, the random
     * delay before it and a margin, but never more than {@link #MOST_WITHHELD_WAIT}, so that the
     * audit is still closed (its last checkpoint written) within the shutdown hook's ten seconds.
     */
    private static Duration longestWithheldSearch(GatewayConfig config) {
        long slowest = config.registers().stream().mapToLong(r -> r.deadline().toMillis()).max().orElse(0);
        return Duration.ofMillis(Math.min(MOST_WITHHELD_WAIT.toMillis(),
                slowest + EnquiryService.WITHHELD_DELAY_MS + 1_000));
    }

    static final Duration MOST_WITHHELD_WAIT = Duration.ofSeconds(5);

    private static Future<Void> undeploy(Vertx vertx, List<String> deployments) {
        List<Future<Void>> all = new ArrayList<>();
        for (int i = deployments.size() - 1; i >= 0; i--) {
            all.add(vertx.undeploy(deployments.get(i)));
        }
        return Future.join(all).mapEmpty();
    }

    private static SharingPolicy loadPolicy(GatewayConfig config) {
        Set<String> authorities = new LinkedHashSet<>();
        for (RegisterSettings r : config.registers()) {
            authorities.add(r.authority());
        }
        if (config.policyFile() == null) {
            return PolicyLoader.loadDefault(CanonicalFields.all(), authorities);
        }
        PolicySchema.check(config.policyFile());
        return PolicyLoader.load(config.policyFile(), CanonicalFields.all(), authorities);
    }

    /** The port the gateway listens on (the real one when configured with 0). */
    public int port() {
        return port;
    }

    /**
     * Runs again, now, the withheld searches of answers given more than
     * {@link EnquiryService#RESUME_GRACE} before {@code now} whose second entry is missing; the
     * node also does this by itself once it serves. How many were run.
     */
    public Future<Integer> resumeWithheldSearches(java.time.Instant now) {
        return withheld.resume(now.minus(EnquiryService.RESUME_GRACE));
    }

    /** The port of the management listener ({@code /metrics}, {@code /health/ready}). */
    public int managementPort() {
        return managementPort;
    }

    /** The node's admission control (enquiries in flight, rate limits). */
    public AdmissionControl admission() {
        return admission;
    }

    /** The outbox to the registers. */
    public Outbox outbox() {
        return outbox;
    }

    /** Stops serving, then closes the audit (writing a last checkpoint) and the outbox. */
    public Future<Void> close() {
        vertx.cancelTimer(sweeper);
        List<String> serving = deployments.subList(1, deployments.size());
        // The withheld registers' searches of answers already given first (H3: a match's
        // register is told), for as long as the slowest of them may take; then stop serving.
        // A pass resuming lost ones takes no more, and is waited for within the same bound.
        withheld.stop();
        return withheld.pass().transform(done -> Future.succeededFuture()).timeout(withheldWait.toMillis(),
                        java.util.concurrent.TimeUnit.MILLISECONDS).recover(e -> Future.succeededFuture())
                .compose(v -> withheld.drained(vertx, withheldWait))
                .onSuccess(left -> {
                    if (left > 0) {
                        LOG.warn("stopping with {} withheld registers' searches not finished", left);
                    }
                })
                .compose(left -> undeploy(vertx, serving))
                .compose(v -> issuerKeys.close())
                .compose(v -> audit.close())
                .compose(v -> vertx.undeploy(deployments.get(0)))
                .compose(v -> afterClose.get());
    }
}
