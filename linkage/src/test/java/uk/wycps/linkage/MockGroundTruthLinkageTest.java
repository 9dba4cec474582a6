package uk.wycps.linkage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import uk.wycps.record.SearchCriteria;
import uk.wycps.mock.GroundTruth;
import uk.wycps.mock.SyntheticPopulation;
import uk.wycps.record.ChildRecord;

/**
 * Linking on the mock registers' ground truth (F4, issue 6): every child held by two or three
 * authorities (nicknames, other spellings, typos, dropped hyphens, swapped dates, alias surnames,
 * moves) comes back as one person, and no person mixes two children, with the child's siblings
 * and namesakes from every register among the candidates.
 */
class MockGroundTruthLinkageTest {

    private static final FellegiSunterLinker LINKER = FellegiSunterLinker.withDefaults();

    @Test
    void everyChildHeldByTwoOrThreeAuthoritiesIsOnePerson() {
        // GIVEN five registers of 1000 children and their ground truth
        SyntheticPopulation population = SyntheticPopulation.generate(20261124L, 1000);
        Map<String, String> personOf = new HashMap<>();
        for (GroundTruth.Person p : population.groundTruth().persons()) {
            for (GroundTruth.RecordRef r : p.records()) {
                personOf.put(key(r.authority(), r.recordId()), p.personId());
            }
        }
        Map<String, SourcedRecord> byKey = new HashMap<>();
        Map<String, List<SourcedRecord>> byFamily = new HashMap<>();
        for (String authority : population.authorities()) {
            for (ChildRecord r : population.records(authority)) {
                SourcedRecord s = new SourcedRecord(authority, r);
                byKey.put(key(authority, r.recordId()), s);
                byFamily.computeIfAbsent(NameNormaliser.compact(r.familyName()), k -> new ArrayList<>()).add(s);
            }
        }
        List<GroundTruth.Person> crossing = population.groundTruth().crossRegisterPersons();
        assertTrue(crossing.size() > 100, "too few cross-register children: " + crossing.size());
        List<String> split = new ArrayList<>();
        List<String> mixed = new ArrayList<>();
        for (GroundTruth.Person person : crossing) {
            // WHEN an enquiry gives the name and date of birth as one of the registers holds them,
            // and every register returns its records of the child and up to 40 others with the
            // same family name (siblings, cousins, namesakes)
            List<SourcedRecord> own = person.records().stream().map(r -> byKey.get(key(r.authority(), r.recordId()))).toList();
            for (SourcedRecord asHeld : own) {
            ChildRecord first = asHeld.record();
            SearchCriteria subject = new SearchCriteria(first.givenName(), first.familyName(), null, null,
                    first.dateOfBirth(), null, null);
            Set<SourcedRecord> candidates = new LinkedHashSet<>(own);
            for (SourcedRecord r : own) {
                for (SourcedRecord other : byFamily.getOrDefault(NameNormaliser.compact(r.record().familyName()), List.of())) {
                    if (candidates.size() >= own.size() + 40) {
                        break;
                    }
                    candidates.add(other);
                }
            }
            LinkageResult result = LINKER.link(subject, new ArrayList<>(candidates));
            // THEN one person holds exactly the child's records, and no person mixes children
            Set<String> expected = new HashSet<>();
            own.forEach(r -> expected.add(key(r.authority(), r.record().recordId())));
            boolean found = false;
            for (LinkedPerson p : result.persons()) {
                Set<String> got = new HashSet<>();
                Set<String> persons = new HashSet<>();
                for (SourcedRecord r : p.records()) {
                    got.add(key(r.authority(), r.record().recordId()));
                    persons.add(personOf.get(key(r.authority(), r.record().recordId())));
                }
                if (persons.size() > 1) {
                    mixed.add(person.personId());
                }
                found |= got.equals(expected) && p.band() == MatchBand.MATCH;
            }
            if (!found) {
                split.add(person.personId() + " asked as held by " + asHeld.authority());
            }
            }
        }
        assertEquals(List.of(), mixed, "persons mixing two children");
        assertEquals(List.of(), split, "children not found as one MATCH person (of " + crossing.size() + ")");
    }

    private static String key(String authority, String recordId) {
        return authority + ":" + recordId;
    }
}
