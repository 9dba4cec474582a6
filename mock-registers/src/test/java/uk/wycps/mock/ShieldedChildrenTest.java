package uk.wycps.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.wycps.connector.ConnectorRegistry;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.SearchRequest;
import uk.wycps.record.CanonicalFields;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.RecordJson;
import uk.wycps.record.SearchCriteria;

/**
 * The mock registers' shielded children (A10): about 1 in 200, deterministic from the seed,
 * shielded by the register where the child lives now, marked in the ground truth, and served
 * with the mark by every dialect.
 */
class ShieldedChildrenTest {

    private static Set<String> shieldedIds(SyntheticPopulation p) {
        Set<String> ids = new TreeSet<>();
        for (String a : SyntheticPopulation.AUTHORITIES) {
            for (int slot = 0; slot < p.childrenPerRegister(); slot++) {
                if (p.shielded(a, slot)) {
                    ids.add(p.recordId(a, slot));
                }
            }
        }
        return ids;
    }

    @Test
    void aboutOneChildInTwoHundredIsShieldedAndTheSameSeedShieldsTheSameChildren() {
        SyntheticPopulation p = SyntheticPopulation.generate(42, 20_000);
        Set<String> shielded = shieldedIds(p);
        long persons = p.groundTruth().persons().size();
        double share = shielded.size() / (double) persons;
        assertTrue(share > 1 / 260.0 && share < 1 / 150.0, shielded.size() + " of " + persons);
        assertEquals(shielded, shieldedIds(SyntheticPopulation.generate(42, 20_000)));
        assertNotEquals(shielded, shieldedIds(SyntheticPopulation.generate(43, 20_000)));
    }

    @Test
    void aShieldedChildIsShieldedOnlyWhereItLivesNowAndItsEarlierRegistersAreNot() {
        SyntheticPopulation p = SyntheticPopulation.generate(MockOptions.DEFAULT_SEED, 2_000);
        GroundTruth truth = p.groundTruth();
        List<GroundTruth.Person> persons = truth.shieldedPersons();
        assertFalse(persons.isEmpty());
        boolean acrossRegisters = false;
        for (GroundTruth.Person person : persons) {
            List<GroundTruth.RecordRef> shielded = person.records().stream().filter(truth::shielded).toList();
            assertEquals(1, shielded.size(), person.toString());
            GroundTruth.RecordRef ref = shielded.get(0);
            ChildRecord record = p.record(ref.authority(), p.slotOf(ref.authority(), ref.recordId()));
            assertTrue(record.shieldedByOwner());
            assertEquals(ref.authority(), record.address().authority(), "shielded where the child lives now");
            acrossRegisters |= person.crossesRegisters();
        }
        assertTrue(acrossRegisters, "some shielded child is also held, unshielded, by other registers");
    }

    @Test
    void aShieldedChildsBrothersAndSistersAtTheSameHomeAreShieldedToo() {
        SyntheticPopulation p = SyntheticPopulation.generate(MockOptions.DEFAULT_SEED, 2_000);
        int households = 0;
        for (String a : SyntheticPopulation.AUTHORITIES) {
            List<ChildRecord> records = p.records(a);
            Set<uk.wycps.record.Address> shieldedHomes = new java.util.HashSet<>();
            records.stream().filter(ChildRecord::shieldedByOwner).forEach(r -> shieldedHomes.add(r.address()));
            for (ChildRecord r : records) {
                if (shieldedHomes.contains(r.address())) {
                    assertTrue(r.shieldedByOwner(), a + " " + r.recordId() + " lives at a shielded home");
                }
            }
            households += shieldedHomes.size();
        }
        assertTrue(households > 0);
    }

    @Test
    void theFirstTwiceMovedChildOfLeedsIsAlwaysShieldedAtBradford() {
        for (long seed : new long[] {1, 2, 3}) {
            SyntheticPopulation p = SyntheticPopulation.generate(seed, SyntheticPopulation.MIN_CHILDREN * 10);
            GroundTruth.Person person = p.groundTruth().shieldedPersons().stream()
                    .filter(x -> x.records().size() == 3 && x.records().get(0).authority().equals("leeds"))
                    .findFirst().orElseThrow();
            assertEquals(List.of("leeds", "wakefield", "bradford"),
                    person.records().stream().map(GroundTruth.RecordRef::authority).toList());
            assertTrue(p.groundTruth().shielded(person.records().get(2)));
        }
    }

    @Test
    void theGroundTruthFileMarksEveryShieldedRecordAndGivesEachRecordsNameAndBirthDate() throws Exception {
        SyntheticPopulation p = SyntheticPopulation.generate(MockOptions.DEFAULT_SEED, 1_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.groundTruth().writeJson(out);
        JsonNode json = RecordJson.mapper().readTree(out.toByteArray());
        int marked = 0;
        for (JsonNode person : json.get("persons")) {
            for (JsonNode r : person.get("records")) {
                String authority = r.get("authority").asText();
                ChildRecord record = p.record(authority, p.slotOf(authority, r.get("recordId").asText()));
                assertEquals(record.givenName(), r.get("givenName").asText());
                assertEquals(record.familyName(), r.get("familyName").asText());
                assertEquals(record.dateOfBirth().toString(), r.get("dateOfBirth").asText());
                assertEquals(record.shieldedByOwner(), r.has("shielded"), record.recordId());
                if (r.has("shielded")) {
                    assertTrue(r.get("shielded").booleanValue());
                    marked++;
                }
            }
        }
        assertEquals(shieldedIds(p).size(), marked);
        assertTrue(marked > 0);
    }

    /** Verifies that each dialect's mock register serves the mark, read back through that dialect's connector. */
    @ParameterizedTest
    @ValueSource(strings = {MockDialects.CANONICAL_JSON, MockDialects.MAPPED_JSON, MockDialects.FHIR, MockDialects.SQL,
            MockDialects.LEGACY})
    void everyDialectServesTheShieldedMark(String dialect) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            MockFederation federation = MockRegisters.start(vertx, MockOptions.defaults().withChildrenPerRegister(200)
                    .withOnly("bradford", 0).withDialects(Map.of("bradford", dialect)))
                    .await(30, TimeUnit.SECONDS);
            MockRegister bradford = federation.register("bradford");
            RegisterConnector connector = ConnectorRegistry.load().create(vertx, bradford.connectorSettings());
            GroundTruth truth = federation.groundTruth();
            GroundTruth.RecordRef shieldedRef = truth.shieldedRecords().stream()
                    .filter(r -> r.authority().equals("bradford")).findFirst().orElseThrow();
            ChildRecord shielded = bradford.record(shieldedRef.recordId()).orElseThrow();
            ChildRecord ordinary = bradford.records().stream().filter(r -> !r.shieldedByOwner()).findFirst().orElseThrow();
            for (ChildRecord child : List.of(shielded, ordinary)) {
                List<ChildRecord> found = connector.search(new SearchRequest(new SearchCriteria(child.givenName(),
                        child.familyName(), null, null, child.dateOfBirth(), null, null), CanonicalFields.all(),
                        Deadline.afterMillis(5000), "e-shielded")).await(10, TimeUnit.SECONDS);
                ChildRecord served = found.stream().filter(r -> r.recordId().equals(child.recordId())).findFirst()
                        .orElseThrow();
                assertEquals(child.shieldedByOwner(), served.shieldedByOwner(), dialect + " " + child.recordId());
            }
            connector.close();
            federation.close().await(10, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
