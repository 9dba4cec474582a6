package uk.wycps.connector.canonicaljson;

import uk.wycps.connector.DialectFactory;

/** Factory for the {@code canonical-json} dialect. */
public final class CanonicalJsonConnectorFactory extends DialectFactory {

    public static final String DIALECT = "canonical-json";

    public CanonicalJsonConnectorFactory() {
        super(DIALECT, CanonicalJsonConnector::new);
    }
}
