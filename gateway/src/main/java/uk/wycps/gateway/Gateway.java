package uk.wycps.gateway;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.audit.AuditSink;
import uk.wycps.gateway.audit.FileAuditSink;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.linkage.ExactLinker;
import uk.wycps.linkage.RecordLinker;
import uk.wycps.policy.PolicyLoader;
import uk.wycps.record.CanonicalFields;
import uk.wycps.policy.SharingPolicy;

/**
 * A running gateway. {@link #start} is one chain: policy, audit, then one verticle per event
 * loop; any failed step fails the start and leaves nothing half-running.
 */
public final class Gateway {

    private final Vertx vertx;
    private final String deploymentId;
    private final int port;
    private final AuditSink audit;

    private Gateway(Vertx vertx, String deploymentId, int port, AuditSink audit) {
        this.vertx = vertx;
        this.deploymentId = deploymentId;
        this.port = port;
        this.audit = audit;
    }

    /** Starts with the file audit sink of the configuration. */
    public static Future<Gateway> start(Vertx vertx, GatewayConfig config) {
        return FileAuditSink.open(vertx, config.audit().directory())
                .compose(audit -> start(vertx, config, audit));
    }

    /** Starts with the given audit sink (tests and benchmarks). */
    public static Future<Gateway> start(Vertx vertx, GatewayConfig config, AuditSink audit) {
        SharingPolicy policy;
        try {
            policy = loadPolicy(config);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        RecordLinker linker = new ExactLinker();
        int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
        AtomicInteger port = new AtomicInteger();
        return vertx.deployVerticle(() -> new GatewayVerticle(config, policy, linker, audit, port),
                        new DeploymentOptions().setInstances(instances))
                .map(id -> new Gateway(vertx, id, port.get(), audit));
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

    public Future<Void> close() {
        return vertx.undeploy(deploymentId).compose(v -> audit.close());
    }
}
