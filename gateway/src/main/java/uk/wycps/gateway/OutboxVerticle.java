package uk.wycps.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import uk.wycps.connector.ConnectorRegistry;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.outbox.Outbox;

/**
 * The outbox's own event loop and connectors: deliveries to registers (enquiry history,
 * checkpoints) never share a connection pool with enquiries. Which outbox (the file journal or
 * the PostgreSQL table) is the opener's choice.
 */
final class OutboxVerticle extends VerticleBase {

    private final List<RegisterSettings> registers;
    private final BiFunction<Vertx, Map<String, RegisterConnector>, Future<? extends Outbox>> opener;
    private final List<RegisterConnector> connectors = new ArrayList<>();
    private Outbox outbox;

    OutboxVerticle(List<RegisterSettings> registers,
            BiFunction<Vertx, Map<String, RegisterConnector>, Future<? extends Outbox>> opener) {
        this.registers = List.copyOf(registers);
        this.opener = opener;
    }

    @Override
    public Future<?> start() {
        ConnectorRegistry registry = ConnectorRegistry.load();
        Map<String, RegisterConnector> byAuthority = new LinkedHashMap<>();
        for (RegisterSettings settings : registers) {
            RegisterConnector connector = registry.create(vertx, settings);
            connectors.add(connector);
            byAuthority.put(settings.authority(), connector);
        }
        return opener.apply(vertx, byAuthority).onSuccess(o -> outbox = o);
    }

    Outbox outbox() {
        return outbox;
    }

    @Override
    public Future<?> stop() {
        List<Future<Void>> closing = new ArrayList<>();
        if (outbox != null) {
            closing.add(outbox.close());
        }
        connectors.forEach(c -> closing.add(c.close()));
        return Future.join(closing);
    }
}
