package uk.wycps.connector.fhir;

import uk.wycps.connector.DialectFactory;

/** Factory for the {@code fhir-r4} dialect. */
public final class FhirConnectorFactory extends DialectFactory {

    public static final String DIALECT = "fhir-r4";

    public FhirConnectorFactory() {
        super(DIALECT, FhirConnector::new);
    }
}
