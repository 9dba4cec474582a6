package uk.wycps.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import uk.wycps.mock.GroundTruth.Person;
import uk.wycps.mock.GroundTruth.RecordRef;
import uk.wycps.mock.SyntheticPopulation.CrossBoundaryExample;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.RecordJson;

/** The synthetic population: deterministic, realistic enough, and its ground truth consistent (O1, F4, M1-M8). */
class SyntheticPopulationTest {

    private static final SyntheticPopulation POPULATION =
            SyntheticPopulation.generate(MockOptions.DEFAULT_SEED, MockOptions.DEFAULT_CHILDREN);
    private static final Map<String, Pattern> POSTCODES = Map.of(
            "bradford", Pattern.compile("BD\\d{1,2} \\d[A-Z]{2}"),
            "calderdale", Pattern.compile("HX\\d \\d[A-Z]{2}"),
            "kirklees", Pattern.compile("(HD\\d|WF1[2-7]) \\d[A-Z]{2}"),
            "leeds", Pattern.compile("LS\\d{1,2} \\d[A-Z]{2}"),
            "wakefield", Pattern.compile("WF\\d{1,2} \\d[A-Z]{2}"));
    private static final Map<String, String> PREFIXES = Map.of(
            "bradford", "BD", "calderdale", "CA", "kirklees", "KI", "leeds", "LE", "wakefield", "WA");

    /** Verifies that the same seed gives the very same records, and another seed other records. */
    @Test
    void sameSeedGivesSameRecordsAndAnotherSeedOthers() throws Exception {
        SyntheticPopulation again = SyntheticPopulation.generate(MockOptions.DEFAULT_SEED, MockOptions.DEFAULT_CHILDREN);
        SyntheticPopulation other = SyntheticPopulation.generate(MockOptions.DEFAULT_SEED + 1, MockOptions.DEFAULT_CHILDREN);
        for (String authority : SyntheticPopulation.AUTHORITIES) {
            assertEquals(POPULATION.records(authority), again.records(authority));
            assertEquals(RecordJson.mapper().writeValueAsString(POPULATION.records(authority)),
                    RecordJson.mapper().writeValueAsString(again.records(authority)));
            assertNotEquals(POPULATION.records(authority), other.records(authority));
        }
        assertEquals(POPULATION.crossBoundaryExample(), again.crossBoundaryExample());
    }

    /** Verifies that each register holds the asked number of children (at least 200), ids unique and prefixed. */
    @Test
    void everyRegisterHoldsItsChildrenWithUniquePrefixedIds() {
        for (String authority : SyntheticPopulation.AUTHORITIES) {
            List<ChildRecord> records = POPULATION.records(authority);
            assertEquals(500, records.size());
            Set<String> ids = new HashSet<>();
            for (int slot = 0; slot < records.size(); slot++) {
                ChildRecord r = records.get(slot);
                assertTrue(r.recordId().matches(PREFIXES.get(authority) + "-\\d{6}"), r.recordId());
                assertTrue(ids.add(r.recordId()), "duplicate id " + r.recordId());
                assertEquals(slot, POPULATION.slotOf(authority, r.recordId()));
            }
        }
        assertEquals(-1, POPULATION.slotOf("leeds", "BD-000001"));
        assertEquals(-1, POPULATION.slotOf("leeds", "LE-999999"));
        assertEquals(-1, POPULATION.slotOf("leeds", "LE-00001x"));
        assertThrows(IllegalArgumentException.class, () -> SyntheticPopulation.generate(1, 5));
    }

    /** Verifies that every record carries the canonical fields M1-M8 with plausible values. */
    @Test
    void recordsArePlausible() {
        int scheduleOne = 0;
        int lookedAfter = 0;
        int hyphenated = 0;
        int withAliases = 0;
        Set<String> languages = new HashSet<>();
        for (String authority : SyntheticPopulation.AUTHORITIES) {
            for (ChildRecord r : POPULATION.records(authority)) {
                assertNotNull(r.givenName());
                assertNotNull(r.familyName());
                assertNotNull(r.gender());
                assertFalse(r.dateOfBirth().isBefore(LocalDate.of(2008, 1, 1)));
                assertFalse(r.dateOfBirth().isAfter(LocalDate.of(2025, 12, 31)));
                assertEquals(authority, r.address().authority());
                assertTrue(POSTCODES.get(authority).matcher(r.postcode()).matches(), r.postcode());
                assertFalse(r.addressHistory().isEmpty());
                assertNotNull(r.registration());
                assertNotNull(r.registration().category());
                assertFalse(r.registration().start().isBefore(r.dateOfBirth()));
                assertFalse(r.meetings().isEmpty());
                assertFalse(r.referrals().isEmpty());
                assertFalse(r.relationships().isEmpty());
                assertNotNull(r.legalStatus());
                assertNotNull(r.ethnicity());
                assertNotNull(r.concernDetails());
                scheduleOne += r.relationships().stream().anyMatch(x -> Boolean.TRUE.equals(x.scheduleOneIndicator())) ? 1 : 0;
                lookedAfter += r.lookedAfterIndicator() ? 1 : 0;
                hyphenated += r.familyName().contains("-") ? 1 : 0;
                withAliases += r.aliases().isEmpty() ? 0 : 1;
                languages.addAll(r.languages());
            }
        }
        int total = 5 * 500;
        assertTrue(scheduleOne > 0 && scheduleOne < total / 5, "schedule one " + scheduleOne);
        assertTrue(lookedAfter > total / 20 && lookedAfter < total / 2, "looked after " + lookedAfter);
        assertTrue(hyphenated > 20, "hyphenated " + hyphenated);
        assertTrue(withAliases > total / 10, "aliases " + withAliases);
        assertTrue(languages.containsAll(Set.of("English", "Urdu", "Polish")), languages.toString());
    }

    /** Verifies that 10-15% of children are held by two or three registers, with addresses crossing authorities (F4). */
    @Test
    void someChildrenAreHeldByTwoOrThreeRegisters() {
        List<Person> persons = POPULATION.groundTruth().persons();
        List<Person> crossing = POPULATION.groundTruth().crossRegisterPersons();
        double share = crossing.size() / (double) persons.size();
        assertTrue(share >= 0.10 && share <= 0.15, "share " + share);
        assertTrue(crossing.stream().anyMatch(p -> p.records().size() == 3));
        int records = persons.stream().mapToInt(p -> p.records().size()).sum();
        assertEquals(5 * 500, records, "every record belongs to exactly one person");

        int identical = 0;
        int differing = 0;
        for (Person p : crossing) {
            Set<String> authorities = new HashSet<>();
            ChildRecord first = null;
            for (RecordRef ref : p.records()) {
                assertTrue(authorities.add(ref.authority()), "two records of one child in one register");
                ChildRecord r = POPULATION.record(ref.authority(), POPULATION.slotOf(ref.authority(), ref.recordId()));
                assertEquals(p, POPULATION.groundTruth().personOf(ref.authority(), ref.recordId()));
                if (first == null) {
                    first = r;
                } else {
                    // The later register knows where the child lived before.
                    String firstAuthority = first.address().authority();
                    assertTrue(r.addressHistory().stream().anyMatch(a -> a.address().authority().equals(firstAuthority)));
                    boolean same = r.givenName().equals(first.givenName()) && r.familyName().equals(first.familyName())
                            && r.dateOfBirth().equals(first.dateOfBirth());
                    if (same) {
                        identical++;
                    } else {
                        differing++;
                    }
                }
            }
        }
        assertTrue(identical > 20, "identical " + identical);
        assertTrue(differing > 20, "variants " + differing);
    }

    /**
     * Verifies that registers hold sibling groups, twins among them: same family name, address and
     * conference, each naming the other, yet different persons in the ground truth (F4 hard negatives).
     */
    @Test
    void siblingGroupsAndTwinsAreDifferentPersons() {
        int groups = 0;
        int twins = 0;
        for (String authority : SyntheticPopulation.AUTHORITIES) {
            List<ChildRecord> records = POPULATION.records(authority);
            for (int slot = 0; slot + 1 < records.size(); slot++) {
                ChildRecord a = records.get(slot);
                ChildRecord b = records.get(slot + 1);
                String bName = b.givenName() + " " + b.familyName();
                boolean siblings = a.relationships().stream().anyMatch(r -> r.name().equals(bName)
                        && r.relationship().matches("(twin )?(brother|sister)"));
                // A brother or sister of the same name elsewhere can happen; one at the same address is the group.
                if (!siblings || !a.address().equals(b.address())) {
                    continue;
                }
                groups++;
                String aName = a.givenName() + " " + a.familyName();
                assertTrue(b.relationships().stream().anyMatch(r -> r.name().equals(aName)), "each names the other");
                assertEquals(a.registration().start(), b.registration().start(), "registered at one conference");
                assertNotEquals(a.givenName(), b.givenName());
                assertNotEquals(POPULATION.groundTruth().personOf(authority, a.recordId()),
                        POPULATION.groundTruth().personOf(authority, b.recordId()));
                if (a.dateOfBirth().equals(b.dateOfBirth())) {
                    twins++;
                    assertTrue(a.relationships().stream().anyMatch(r -> r.name().equals(bName)
                            && r.relationship().startsWith("twin ")));
                }
            }
        }
        assertTrue(groups > 200, "sibling pairs " + groups);
        assertTrue(twins > 5, "twins " + twins);
    }

    /** Verifies the demo's example: exactly two registers, identical name, date of birth and gender, different address. */
    @Test
    void crossBoundaryExampleIsHeldByExactlyTwoRegistersWithIdenticalIdentity() {
        CrossBoundaryExample example = POPULATION.crossBoundaryExample();
        assertEquals(2, example.records().size());
        RecordRef a = example.records().get(0);
        RecordRef b = example.records().get(1);
        assertNotEquals(a.authority(), b.authority());
        ChildRecord ra = POPULATION.record(a.authority(), POPULATION.slotOf(a.authority(), a.recordId()));
        ChildRecord rb = POPULATION.record(b.authority(), POPULATION.slotOf(b.authority(), b.recordId()));
        for (ChildRecord r : List.of(ra, rb)) {
            assertEquals(example.givenName(), r.givenName());
            assertEquals(example.familyName(), r.familyName());
            assertEquals(example.dateOfBirth(), r.dateOfBirth());
            assertEquals(example.gender(), r.gender());
        }
        assertNotEquals(ra.address(), rb.address());
        assertEquals(List.of(a, b), POPULATION.groundTruth().personOf(a.authority(), a.recordId()).records());
        assertEquals(example.givenName(), example.criteria().givenName());
        assertEquals(example.dateOfBirth(), example.criteria().dateOfBirth());
    }

    /** Verifies that the ground truth written for testers lists every person and record. */
    @Test
    void groundTruthJsonListsEveryPerson() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        POPULATION.groundTruth().writeJson(out);
        JsonNode json = RecordJson.mapper().readTree(out.toByteArray());
        assertEquals(MockOptions.DEFAULT_SEED, json.get("seed").asLong());
        assertEquals(POPULATION.groundTruth().persons().size(), json.get("persons").size());
        JsonNode firstCrossing = json.get("persons").findParents("records").stream()
                .filter(p -> p.get("records").size() > 1).findFirst().orElseThrow();
        assertNotNull(firstCrossing.get("personId").asText());
    }

    /** Verifies that a benchmark-sized register is a view that regenerates records rather than holding them. */
    @Test
    void largeRegistersAreGeneratedOnDemand() {
        SyntheticPopulation big = SyntheticPopulation.generate(7, 1_000_000);
        List<ChildRecord> leeds = big.records("leeds");
        assertEquals(1_000_000, leeds.size());
        ChildRecord r = leeds.get(999_999);
        assertEquals(r, leeds.get(999_999));
        assertEquals(999_999, big.slotOf("leeds", r.recordId()));
        assertEquals(r.givenName(), big.identity("leeds", 999_999).givenName());
        assertEquals(2, big.crossBoundaryExample().records().size());
    }
}
