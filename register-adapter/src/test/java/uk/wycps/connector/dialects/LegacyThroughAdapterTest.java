package uk.wycps.connector.dialects;

import uk.wycps.connector.RegisterConnector;

/** The Legacy dialect contract, run through a register adapter exactly as it runs directly (issue 17). */
class LegacyThroughAdapterTest extends LegacyContractTest {

    @Override
    protected RegisterConnector connector() {
        return ThroughAdapter.wrap(vertx, super.connector());
    }
}
