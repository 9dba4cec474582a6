package uk.wycps.connector.dialects;

import io.vertx.core.Vertx;
import uk.wycps.connector.RegisterConnector;

/** {@link ThroughAdapter} for contract tests outside this package (the SQL dialect's). */
public final class ThroughAdapterAccess {

    private ThroughAdapterAccess() {
    }

    public static RegisterConnector wrap(Vertx vertx, RegisterConnector direct) {
        return ThroughAdapter.wrap(vertx, direct);
    }
}
