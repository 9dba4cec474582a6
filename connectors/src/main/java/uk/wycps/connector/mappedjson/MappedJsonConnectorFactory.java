package uk.wycps.connector.mappedjson;

import uk.wycps.connector.DialectFactory;

/** Factory for the {@code mapped-json} dialect: a register's own JSON, mapped by configuration. */
public final class MappedJsonConnectorFactory extends DialectFactory {

    public static final String DIALECT = "mapped-json";

    public MappedJsonConnectorFactory() {
        super(DIALECT, MappedJsonConnector::new);
    }
}
