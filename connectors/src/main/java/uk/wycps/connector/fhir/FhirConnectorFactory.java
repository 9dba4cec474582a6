package uk.wycps.connector.fhir;

import io.vertx.core.Vertx;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterConnectorFactory;
import uk.wycps.connector.RegisterSettings;

/** Factory for the {@code fhir-r4} dialect. */
public final class FhirConnectorFactory implements RegisterConnectorFactory {

    public static final String DIALECT = "fhir-r4";

    @Override
    public String dialect() {
        return DIALECT;
    }

    @Override
    public RegisterConnector create(Vertx vertx, RegisterSettings settings) {
        return new FhirConnector(vertx, settings);
    }
}
