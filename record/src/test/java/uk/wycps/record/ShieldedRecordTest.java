package uk.wycps.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shielded mark (A10) as a field of the canonical record and of its JSON. */
class ShieldedRecordTest {

    @Test
    void aRecordMarkedShieldedInJsonIsShieldedAndWritesTheMarkBack() throws Exception {
        ChildRecord r = RecordJson.mapper().readValue("{\"recordId\":\"LS-000001\",\"shielded\":true}", ChildRecord.class);
        assertTrue(r.shieldedByOwner());
        assertTrue(RecordJson.mapper().writeValueAsString(r).contains("\"shielded\":true"));
    }

    @Test
    void aRecordWithoutTheMarkIsNotShieldedAndWritesNoMark() throws Exception {
        ChildRecord r = RecordJson.mapper().readValue("{\"recordId\":\"LS-000001\"}", ChildRecord.class);
        assertFalse(r.shieldedByOwner());
        assertNull(r.shielded());
        assertFalse(RecordJson.mapper().writeValueAsString(r).contains("shielded"));
    }

    @Test
    void aMarkThatIsNotABooleanIsRefused() {
        assertThrows(MismatchedInputException.class, () -> RecordJson.mapper()
                .readValue("{\"recordId\":\"LS-000001\",\"shielded\":\"yes\"}", ChildRecord.class));
    }

    @Test
    void theLocationFieldsAreTheAddressAndItsHistory() {
        assertEquals(Set.of("address", "addressHistory"), CanonicalFields.location());
        assertTrue(CanonicalFields.all().containsAll(CanonicalFields.location()));
        assertTrue(CanonicalFields.all().contains(CanonicalFields.SHIELDED));
    }

    @Test
    void projectionKeepsTheMarkOnlyWhenAllowed() {
        ChildRecord r = new ChildRecord("LS-1", "A", "B", null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, true);
        assertTrue(FieldProjection.project(r, Set.of(CanonicalFields.SHIELDED)).shieldedByOwner());
        assertFalse(FieldProjection.project(r, Set.of("recordId")).shieldedByOwner());
    }
}
