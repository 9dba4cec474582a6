package uk.wycps.connector.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import uk.wycps.connector.RecordIds;
import uk.wycps.connector.RegisterConnector;

/** The sql-jdbc dialect contract, run through a register adapter exactly as it runs directly (issue 17). */
class SqlThroughAdapterTest extends SqlConnectorTest {

    /** The SQL connector inside the adapter, whose query the contract reads. */
    private SqlConnector direct;

    @Override
    protected RegisterConnector connector() {
        direct = (SqlConnector) super.connector();
        return uk.wycps.connector.dialects.ThroughAdapterAccess.wrap(vertx, direct);
    }

    @Override
    protected void verifyAskedOnlyFor(Set<String> fields) {
        assertEquals("SELECT v.id, v.forename, v.street, v.pc, v.family FROM kid_view v WHERE v.surname = ? "
                + "AND (? IS NULL OR v.dob = ?)", direct.sqlFor(RecordIds.withRecordId(fields)));
    }
}
