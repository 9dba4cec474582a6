package uk.wycps.connector.mappedjson;

import io.vertx.core.Vertx;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterConnectorFactory;
import uk.wycps.connector.RegisterSettings;

/** Factory for the {@code mapped-json} dialect: a register's own JSON, mapped by configuration. */
public final class MappedJsonConnectorFactory implements RegisterConnectorFactory {

    public static final String DIALECT = "mapped-json";

    @Override
    public String dialect() {
        return DIALECT;
    }

    @Override
    public RegisterConnector create(Vertx vertx, RegisterSettings settings) {
        return new MappedJsonConnector(vertx, settings);
    }
}
