package uk.wycps.gateway.fanout;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import uk.wycps.connector.RegisterSettings;

/**
 * The guards of a gateway's registers, one per register, shared by every event loop of one
 * deployment: the gateway deploys one verticle per core, and each would otherwise count failures
 * and concurrent calls on its own, opening a breaker N times slower and letting N times more
 * calls through.
 */
public final class RegisterGuards implements Shareable {

    private static final String MAP = "uk.wycps.gateway.fanout.guards";

    private final Map<String, RegisterGuard> byAuthority;

    private RegisterGuards(Map<String, RegisterGuard> byAuthority) {
        this.byAuthority = byAuthority;
    }

    /** New guards, one per register, with each register's {@link GuardSettings}. */
    public static RegisterGuards create(List<RegisterSettings> registers) {
        Map<String, RegisterGuard> guards = new LinkedHashMap<>();
        for (RegisterSettings r : registers) {
            guards.put(r.authority(), new RegisterGuard(r.authority(), GuardSettings.from(r)));
        }
        return new RegisterGuards(java.util.Collections.unmodifiableMap(guards));
    }

    /**
     * The guards shared by the instances of deployment {@code deploymentId}: the first instance
     * to ask creates them, the others get the same ones.
     */
    public static RegisterGuards shared(Vertx vertx, String deploymentId, List<RegisterSettings> registers) {
        Objects.requireNonNull(deploymentId, "deploymentId");
        LocalMap<String, RegisterGuards> map = vertx.sharedData().getLocalMap(MAP);
        return map.computeIfAbsent(deploymentId, id -> create(registers));
    }

    /** Forgets the shared guards of a deployment (on undeploy). */
    public static void release(Vertx vertx, String deploymentId) {
        vertx.sharedData().<String, RegisterGuards>getLocalMap(MAP).remove(deploymentId);
    }

    /** The guard of a register, or null when none is configured. */
    public RegisterGuard get(String authority) {
        return byAuthority.get(authority);
    }

    public Collection<RegisterGuard> all() {
        return byAuthority.values();
    }
}
