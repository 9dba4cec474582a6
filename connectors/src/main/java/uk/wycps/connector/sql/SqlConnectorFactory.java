package uk.wycps.connector.sql;

import uk.wycps.connector.DialectFactory;

/** Factory for the {@code sql-jdbc} dialect: a configured, parameterised query over a read-only connection. */
public final class SqlConnectorFactory extends DialectFactory {

    public static final String DIALECT = "sql-jdbc";

    public SqlConnectorFactory() {
        super(DIALECT, SqlConnector::new);
    }
}
