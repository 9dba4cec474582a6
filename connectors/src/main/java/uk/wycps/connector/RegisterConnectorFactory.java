package uk.wycps.connector;

import io.vertx.core.Vertx;

/**
 * Creates connectors for one register dialect. Implementations are listed in
 * {@code META-INF/services/uk.wycps.connector.RegisterConnectorFactory} and found by
 * {@link ConnectorRegistry}; a configured dialect with no factory stops start-up (O2).
 */
public interface RegisterConnectorFactory {

    /** The dialect name used in configuration, e.g. {@code canonical-json}. */
    String dialect();

    /**
     * A connector for the register in {@code settings}. Throws {@link IllegalArgumentException}
     * naming the problem when the settings do not fit this dialect.
     */
    RegisterConnector create(Vertx vertx, RegisterSettings settings);
}
