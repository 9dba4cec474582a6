package uk.wycps.connector.legacy;

import uk.wycps.connector.DialectFactory;

/** Factory for the {@code legacy-two-step} dialect: ids first, then one call per record. */
public final class LegacyConnectorFactory extends DialectFactory {

    public static final String DIALECT = "legacy-two-step";

    public LegacyConnectorFactory() {
        super(DIALECT, LegacyConnector::new);
    }
}
