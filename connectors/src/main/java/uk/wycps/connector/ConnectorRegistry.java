package uk.wycps.connector;

import io.vertx.core.Vertx;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The connector factories on the class path, indexed by dialect. */
public final class ConnectorRegistry {

    private final Map<String, RegisterConnectorFactory> factories;

    private ConnectorRegistry(Map<String, RegisterConnectorFactory> factories) {
        this.factories = Map.copyOf(factories);
    }

    /** Every factory registered through {@link ServiceLoader}. */
    public static ConnectorRegistry load() {
        Map<String, RegisterConnectorFactory> found = new TreeMap<>();
        for (RegisterConnectorFactory f : ServiceLoader.load(RegisterConnectorFactory.class)) {
            RegisterConnectorFactory previous = found.put(f.dialect(), f);
            if (previous != null) {
                throw new IllegalStateException("two connector factories for dialect '" + f.dialect() + "': "
                        + previous.getClass().getName() + " and " + f.getClass().getName());
            }
        }
        return new ConnectorRegistry(found);
    }

    public boolean supports(String dialect) {
        return factories.containsKey(dialect);
    }

    public java.util.Set<String> dialects() {
        return factories.keySet();
    }

    /** A connector for {@code settings}; {@link IllegalArgumentException} for an unknown dialect. */
    public RegisterConnector create(Vertx vertx, RegisterSettings settings) {
        RegisterConnectorFactory factory = factories.get(settings.dialect());
        if (factory == null) {
            throw new IllegalArgumentException("register '" + settings.authority() + "': no connector for dialect '"
                    + settings.dialect() + "' (known: " + factories.keySet() + ")");
        }
        return factory.create(vertx, settings);
    }
}
