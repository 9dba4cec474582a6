package uk.wycps.connector.canonicaljson;

import io.vertx.core.Vertx;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterConnectorFactory;
import uk.wycps.connector.RegisterSettings;

/** Factory for the {@code canonical-json} dialect. */
public final class CanonicalJsonConnectorFactory implements RegisterConnectorFactory {

    public static final String DIALECT = "canonical-json";

    @Override
    public String dialect() {
        return DIALECT;
    }

    @Override
    public RegisterConnector create(Vertx vertx, RegisterSettings settings) {
        return new CanonicalJsonConnector(vertx, settings);
    }
}
