package uk.wycps.connector.legacy;

import io.vertx.core.Vertx;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterConnectorFactory;
import uk.wycps.connector.RegisterSettings;

/** Factory for the {@code legacy-two-step} dialect: ids first, then one call per record. */
public final class LegacyConnectorFactory implements RegisterConnectorFactory {

    public static final String DIALECT = "legacy-two-step";

    @Override
    public String dialect() {
        return DIALECT;
    }

    @Override
    public RegisterConnector create(Vertx vertx, RegisterSettings settings) {
        return new LegacyConnector(vertx, settings);
    }
}
