package uk.wycps.gateway.fanout;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import uk.wycps.connector.ConnectorRegistry;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterSettings;

/**
 * One event loop's registers: each authority's connector with its configured deadline, kept
 * together so that whoever asks a register asks it within its own deadline.
 */
public final class Registers {

    private record Register(RegisterConnector connector, long deadlineMs, String dialect) {
    }

    private final Map<String, Register> byAuthority;

    private Registers(Map<String, Register> byAuthority) {
        this.byAuthority = byAuthority;
    }

    /** A connector of its dialect for every configured register, made on the calling event loop. */
    public static Registers connect(Vertx vertx, List<RegisterSettings> settings) {
        ConnectorRegistry registry = ConnectorRegistry.load();
        Map<String, Register> byAuthority = new LinkedHashMap<>();
        for (RegisterSettings s : settings) {
            byAuthority.put(s.authority(), new Register(registry.create(vertx, s), s.deadline().toMillis(), s.dialect()));
        }
        return new Registers(byAuthority);
    }

    /** Connectors already made (tests: scripted ones), each register given {@code deadlineMs}. */
    static Registers of(Map<String, RegisterConnector> connectors, long deadlineMs) {
        Map<String, Register> byAuthority = new LinkedHashMap<>();
        connectors.forEach((authority, c) -> byAuthority.put(authority, new Register(c, deadlineMs, "scripted")));
        return new Registers(byAuthority);
    }

    /** The configured authorities, in configuration order. */
    public List<String> authorities() {
        return List.copyOf(byAuthority.keySet());
    }

    /** The authority's connector; null for an authority that is not configured. */
    public RegisterConnector connector(String authority) {
        Register r = byAuthority.get(authority);
        return r == null ? null : r.connector();
    }

    /** The authority's dialect (for traces); "unknown" for an authority that is not configured. */
    public String dialect(String authority) {
        Register r = byAuthority.get(authority);
        return r == null ? "unknown" : r.dialect();
    }

    /** The authority's configured deadline, shortened to {@code requestedMs} when that is positive and shorter. */
    public long deadlineMs(String authority, long requestedMs) {
        Register r = byAuthority.get(authority);
        long configured = r == null ? RegisterSettings.DEFAULT_DEADLINE.toMillis() : r.deadlineMs();
        return requestedMs > 0 ? Math.min(configured, requestedMs) : configured;
    }

    /** Releases every register's connections. */
    public Future<Void> close() {
        List<Future<Void>> closing = new ArrayList<>();
        byAuthority.values().forEach(r -> closing.add(r.connector().close()));
        return Future.join(closing).mapEmpty();
    }
}
