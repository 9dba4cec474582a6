package uk.wycps.gateway;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.api.ApiContract;
import uk.wycps.gateway.tracing.Telemetry;
import uk.wycps.gateway.audit.AuditKeys;
import uk.wycps.gateway.audit.AuditSink;
import uk.wycps.gateway.audit.FileAuditSink;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.gateway.metrics.GatewayMetrics;
import uk.wycps.gateway.outbox.OutboxMessage;
import uk.wycps.gateway.outbox.RegisterOutbox;
import uk.wycps.linkage.FellegiSunterLinker;
import uk.wycps.linkage.RecordLinker;
import uk.wycps.policy.PolicyLoader;
import uk.wycps.policy.SharingPolicy;
import uk.wycps.record.CanonicalFields;

/**
 * A running gateway. {@link #start} is one chain: policy, outbox, audit, then one verticle per
 * event loop; any failed step fails the start and undoes what had started.
 */
public final class Gateway {

    private final Vertx vertx;
    private final List<String> deployments;
    private final int port;
    private final AuditSink audit;
    private final RegisterOutbox outbox;

    private Gateway(Vertx vertx, List<String> deployments, int port, AuditSink audit, RegisterOutbox outbox) {
        this.vertx = vertx;
        this.deployments = List.copyOf(deployments);
        this.port = port;
        this.audit = audit;
        this.outbox = outbox;
    }

    /** Starts with the file audit sink of the configuration, signing checkpoints with its key; no tracing. */
    public static Future<Gateway> start(Vertx vertx, GatewayConfig config) {
        return start(vertx, config, Telemetry.off());
    }

    /** As {@link #start(Vertx, GatewayConfig)}, tracing through {@code telemetry} (whose Vert.x {@code vertx} is). */
    public static Future<Gateway> start(Vertx vertx, GatewayConfig config, Telemetry telemetry) {
        GatewayConfig.Audit settings = config.audit();
        return vertx.executeBlocking(() -> signer(settings)).compose(signer -> {
            List<String> deployed = new ArrayList<>();
            OutboxVerticle outboxVerticle = new OutboxVerticle(config.registers(), settings.directory());
            return vertx.deployVerticle(outboxVerticle)
                    .compose(id -> {
                        deployed.add(id);
                        RegisterOutbox outbox = outboxVerticle.outbox();
                        return FileAuditSink.open(vertx, settings.directory(), signer, settings.checkpointEvery(),
                                        checkpoint -> publish(outbox, config.registers(), checkpoint))
                                .compose(audit -> startWith(vertx, config, audit, outbox, deployed, telemetry)
                                        .recover(e -> audit.close().transform(v -> Future.failedFuture(e))));
                    })
                    .recover(e -> undeploy(vertx, deployed).transform(v -> Future.failedFuture(e)));
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
        OutboxVerticle outboxVerticle = new OutboxVerticle(config.registers(), outboxDirectory);
        return vertx.deployVerticle(outboxVerticle)
                .compose(id -> {
                    deployed.add(id);
                    return startWith(vertx, config, audit, outboxVerticle.outbox(), deployed, telemetry);
                })
                .recover(e -> undeploy(vertx, deployed).transform(v -> Future.failedFuture(e)));
    }

    private static AuditKeys.Signer signer(GatewayConfig.Audit settings) throws Exception {
        if (settings.signingKeyFile() != null) {
            AuditKeys.Signer signer = AuditKeys.signer(Files.readString(settings.signingKeyFile()),
                    Files.readString(settings.verificationKeyFile()));
            Files.createDirectories(settings.directory());
            // verify-audit reads the public key beside the log unless given another.
            Files.copy(settings.verificationKeyFile(), settings.directory().resolve(AuditKeys.PUBLIC_FILE),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return signer;
        }
        return AuditKeys.loadOrCreate(settings.directory());
    }

    private static void publish(RegisterOutbox outbox, List<RegisterSettings> registers, AuditCheckpoint checkpoint) {
        List<OutboxMessage> messages = new ArrayList<>();
        registers.forEach(r -> messages.add(OutboxMessage.checkpoint(r.authority(), checkpoint)));
        outbox.enqueue(messages);
    }

    private static Future<Gateway> startWith(Vertx vertx, GatewayConfig config, AuditSink audit, RegisterOutbox outbox,
            List<String> deployed, Telemetry telemetry) {
        SharingPolicy policy;
        try {
            policy = loadPolicy(config);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        RecordLinker linker = FellegiSunterLinker.withDefaults();
        int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
        AtomicInteger port = new AtomicInteger();
        GatewayMetrics metrics = new GatewayMetrics();
        return ApiContract.load(vertx)
                .compose(contract -> vertx.deployVerticle(() -> new GatewayVerticle(config, policy, linker, audit, outbox,
                        metrics, contract, telemetry, port), new DeploymentOptions().setInstances(instances)))
                .map(id -> {
                    deployed.add(id);
                    return new Gateway(vertx, deployed, port.get(), audit, outbox);
                });
    }

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
        return config.policyFile() == null
                ? PolicyLoader.loadDefault(CanonicalFields.all(), authorities)
                : PolicyLoader.load(config.policyFile(), CanonicalFields.all(), authorities);
    }

    /** The port the gateway listens on (the real one when configured with 0). */
    public int port() {
        return port;
    }

    /** The outbox to the registers. */
    public RegisterOutbox outbox() {
        return outbox;
    }

    /** Stops serving, then closes the audit (writing a last checkpoint) and the outbox. */
    public Future<Void> close() {
        List<String> serving = deployments.subList(1, deployments.size());
        return undeploy(vertx, serving)
                .compose(v -> audit.close())
                .compose(v -> vertx.undeploy(deployments.get(0)));
    }
}
