package uk.wycps.connector.dialects;

import uk.wycps.connector.RegisterConnector;

/** The MappedJson dialect contract, run through a register adapter exactly as it runs directly (issue 17). */
class MappedJsonThroughAdapterTest extends MappedJsonContractTest {

    @Override
    protected RegisterConnector connector() {
        return ThroughAdapter.wrap(vertx, super.connector());
    }
}
