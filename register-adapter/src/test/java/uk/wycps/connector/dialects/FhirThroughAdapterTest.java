package uk.wycps.connector.dialects;

import uk.wycps.connector.RegisterConnector;

/** The FHIR R4 dialect contract, run through a register adapter exactly as it runs directly (issue 17). */
class FhirThroughAdapterTest extends FhirContractTest {

    @Override
    protected RegisterConnector connector() {
        return ThroughAdapter.wrap(vertx, super.connector());
    }
}
