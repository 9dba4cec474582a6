package uk.wycps.connector.sql;

import io.vertx.core.Vertx;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterConnectorFactory;
import uk.wycps.connector.RegisterSettings;

/** Factory for the {@code sql-jdbc} dialect: a configured, parameterised query over a read-only connection. */
public final class SqlConnectorFactory implements RegisterConnectorFactory {

    public static final String DIALECT = "sql-jdbc";

    @Override
    public String dialect() {
        return DIALECT;
    }

    @Override
    public RegisterConnector create(Vertx vertx, RegisterSettings settings) {
        return new SqlConnector(vertx, settings);
    }
}
