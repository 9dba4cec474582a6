package uk.wycps.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Verifies field projection (A5) against the record's own components, so that a field added to
 * {@link ChildRecord} but forgotten in {@link FieldProjection} fails here.
 */
class FieldProjectionTest {

    static ChildRecord full() {
        Address home = new Address("1 Main Street", "Leeds", "LS1 1AA", "leeds");
        return new ChildRecord("LE-000001", "Aisha", "Khan", List.of(new PersonName("Aysha", "Khan-Patel")),
                LocalDate.of(2016, 3, 9), Gender.FEMALE, List.of("Urdu"), home,
                List.of(new AddressPeriod(home, LocalDate.of(2016, 3, 9), null)), "Child Protection Plan",
                List.of(ConcernCategory.NEGLECT),
                new Registration(Registration.ACTIVE, ConcernCategory.NEGLECT, LocalDate.of(2024, 1, 1), null),
                List.of(), List.of(new Meeting(LocalDate.of(2024, 1, 1), "initial conference", "registered")),
                List.of(new EnquiryHistoryEntry("e1", "q1", Instant.EPOCH, "sub", "child-worker", "social-services",
                        "leeds", "register-check", "obtained")),
                List.of(new Referral(LocalDate.of(2023, 12, 1), "school", "bruising")),
                List.of(new Relationship("Tariq Khan", "father", true, true)), Boolean.FALSE,
                "Asian or Asian British - Pakistani", "asthma", "details", Boolean.TRUE);
    }

    @Test
    void everyFieldAllowedKeepsEveryComponent() throws Exception {
        ChildRecord projected = FieldProjection.project(full(), CanonicalFields.all());
        assertEquals(full(), projected);
        for (RecordComponent c : ChildRecord.class.getRecordComponents()) {
            assertNotNull(c.getAccessor().invoke(projected), c.getName());
        }
    }

    @Test
    void eachFieldIsKeptExactlyWhenAllowed() throws Exception {
        for (RecordComponent c : ChildRecord.class.getRecordComponents()) {
            ChildRecord only = FieldProjection.project(full(), Set.of(c.getName()));
            for (RecordComponent other : ChildRecord.class.getRecordComponents()) {
                Object value = other.getAccessor().invoke(only);
                if (other.getName().equals(c.getName())) {
                    assertNotNull(value, c.getName() + " kept when allowed");
                } else {
                    assertNull(value, other.getName() + " dropped when only " + c.getName() + " is allowed");
                }
            }
        }
    }

    @Test
    void relationshipIndicatorsAreProjectedOnTheirOwn() {
        Set<String> allowed = new HashSet<>(CanonicalFields.topLevel());
        Relationship r = FieldProjection.project(full(), allowed).relationships().get(0);
        assertEquals("Tariq Khan", r.name());
        assertNull(r.concernIndicator());
        assertNull(r.scheduleOneIndicator());
        allowed.add(CanonicalFields.RELATIONSHIP_CONCERN);
        r = FieldProjection.project(full(), allowed).relationships().get(0);
        assertEquals(Boolean.TRUE, r.concernIndicator());
        assertNull(r.scheduleOneIndicator());
    }

    @Test
    void nothingAllowedLeavesAnEmptyRecord() throws Exception {
        ChildRecord none = FieldProjection.project(full(), Set.of());
        for (RecordComponent c : ChildRecord.class.getRecordComponents()) {
            assertNull(c.getAccessor().invoke(none), c.getName());
        }
    }
}
