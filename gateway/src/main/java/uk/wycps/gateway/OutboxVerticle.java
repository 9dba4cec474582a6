package uk.wycps.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import uk.wycps.connector.ConnectorRegistry;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.outbox.RegisterOutbox;

/**
 * The outbox's own event loop and connectors: deliveries to registers (enquiry history,
 * checkpoints) never share a connection pool with enquiries.
 */
final class OutboxVerticle extends VerticleBase {

    private final List<RegisterSettings> registers;
    private final Path directory;
    private final List<RegisterConnector> connectors = new ArrayList<>();
    private RegisterOutbox outbox;

    OutboxVerticle(List<RegisterSettings> registers, Path directory) {
        this.registers = List.copyOf(registers);
        this.directory = directory;
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
        return RegisterOutbox.open(vertx, directory, byAuthority).onSuccess(o -> outbox = o);
    }

    RegisterOutbox outbox() {
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
