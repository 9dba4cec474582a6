package uk.wycps.linkage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import uk.wycps.record.SearchCriteria;
import uk.wycps.record.Address;
import uk.wycps.record.AddressPeriod;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.Gender;
import uk.wycps.record.PersonName;

/** Linking register candidates into persons (F4). */
class FellegiSunterLinkerTest {

    private static final FellegiSunterLinker LINKER = FellegiSunterLinker.withDefaults();
    private static final LocalDate DOB = LocalDate.of(2016, 3, 9);
    private static final Address BD = new Address("12 Oak Road", "Bradford", "BD7 1DP", "bradford");

    static ChildRecord child(String id, String given, String family, LocalDate dob, Gender gender, Address address) {
        return child(id, given, family, dob, gender, address, null, null);
    }

    static ChildRecord child(String id, String given, String family, LocalDate dob, Gender gender, Address address,
                             List<AddressPeriod> history, List<PersonName> aliases) {
        return new ChildRecord(id, given, family, aliases, dob, gender, null, address, history, null, null, null, null,
                null, null, null, null, null, null, null, null, null);
    }

    static SearchCriteria subject(String given, String family, LocalDate dob, Gender gender, String postcode) {
        return new SearchCriteria(given, family, null, null, dob, gender, postcode);
    }

    private static Set<String> ids(LinkedPerson p) {
        return p.records().stream().map(r -> r.authority() + ":" + r.record().recordId()).collect(Collectors.toSet());
    }

    /** Verifies that one child held by three registers with a typo, a nickname and a swapped date comes back as one person. */
    @Test
    void sameChildInThreeRegistersWithTypoNicknameAndSwappedDateIsOnePerson() {
        // GIVEN the same child as three registers hold him
        List<SourcedRecord> candidates = List.of(
                new SourcedRecord("bradford", child("BD-1", "William", "Smyth", DOB, Gender.MALE, BD)),
                new SourcedRecord("leeds", child("LS-7", "Bill", "Smyth", DOB, Gender.MALE,
                        new Address("12 Oak Rd", "Bradford", "BD7 1DP", "bradford"))),
                new SourcedRecord("kirklees", child("KL-3", "William", "Smith", LocalDate.of(2016, 9, 3), Gender.MALE, BD)));
        // WHEN linked for an enquiry about William Smyth
        LinkageResult result = LINKER.link(subject("William", "Smyth", DOB, null, null), candidates);
        // THEN one person, MATCH, holding all three records
        assertEquals(1, result.persons().size(), () -> bands(result));
        LinkedPerson p = result.persons().get(0);
        assertEquals(MatchBand.MATCH, p.band());
        assertEquals(Set.of("bradford:BD-1", "leeds:LS-7", "kirklees:KL-3"), ids(p));
        assertFalse(result.ambiguous());
    }

    /** Verifies that a child who moved between authorities is found as one person through the address history. */
    @Test
    void childWhoMovedIsOnePersonThroughAddressHistory() {
        Address leedsAddress = new Address("4 Mill Lane", "Leeds", "LS6 2AB", "leeds");
        List<SourcedRecord> candidates = List.of(
                new SourcedRecord("bradford", child("BD-1", "Aisha", "Khan", DOB, Gender.FEMALE, BD)),
                new SourcedRecord("leeds", child("LS-2", "Aysha", "Khan", DOB, Gender.FEMALE, leedsAddress,
                        List.of(new AddressPeriod(BD, LocalDate.of(2016, 3, 9), LocalDate.of(2022, 1, 1))), null)));
        LinkageResult result = LINKER.link(subject("Aisha", "Khan", DOB, Gender.FEMALE, "LS6 2AB"), candidates);
        assertEquals(1, result.persons().size(), () -> bands(result));
        assertEquals(2, result.persons().get(0).records().size());
        assertEquals(MatchBand.MATCH, result.persons().get(0).band());
    }

    /**
     * Verifies that twins whose names only sound alike or share a first part are never merged
     * (F4): the twin guard took a phonetic likeness, and an exact first part, for the same name.
     */
    @Test
    void twinsWhoseNamesOnlySoundAlikeOrShareAFirstPartAreNeverMerged() {
        // Twin names that sound alike but for a first vowel (Ava, Eva) or share a first part
        // (Lily-Mae, Lily-Rose): the
        // same family name, date of birth, gender and address, one twin in each of two registers
        for (String[] twins : new String[][] {{"Ava", "Eva"}, {"Amy", "Emma"}, {"Ethan", "Aidan"},
                {"Lily-Mae", "Lily-Rose"}, {"Anna Maria", "Anna Sofia"}}) {
            List<SourcedRecord> candidates = List.of(
                    new SourcedRecord("bradford", child("BD-1", twins[0], "Khan", DOB, Gender.FEMALE, BD)),
                    new SourcedRecord("leeds", child("LS-1", twins[1], "Khan", DOB, Gender.FEMALE, BD)));
            // WHEN the enquiry names the first twin
            LinkageResult r = LINKER.link(subject(twins[0], "Khan", DOB, Gender.FEMALE, "BD7 1DP"), candidates);
            // THEN two persons: the one asked about, and the other twin at most POSSIBLE
            assertEquals(2, r.persons().size(), () -> String.join("/", twins) + ": " + bands(r));
            assertEquals(Set.of("bradford:BD-1"), ids(r.persons().get(0)), () -> String.join("/", twins) + ": " + bands(r));
            assertEquals(MatchBand.POSSIBLE, r.persons().get(1).band(), () -> String.join("/", twins) + ": " + bands(r));
        }
        // AND one child whose second name one register spells otherwise, or gives as an initial,
        // or transliterates with another first vowel (listed in the nickname table), is one person
        for (String[] one : new String[][] {{"Lily-Mae", "Lily-May"}, {"Lily M", "Lily Mae"}, {"Omar", "Umar"},
                {"Usman", "Osman"}}) {
            LinkageResult r = LINKER.link(subject(one[0], "Khan", DOB, Gender.FEMALE, "BD7 1DP"), List.of(
                    new SourcedRecord("bradford", child("BD-1", one[0], "Khan", DOB, Gender.FEMALE, BD)),
                    new SourcedRecord("leeds", child("LS-1", one[1], "Khan", DOB, Gender.FEMALE, BD))));
            assertEquals(1, r.persons().size(), () -> String.join("/", one) + ": " + bands(r));
        }
        // AND one child whose second name one register lacks is still one person
        LinkageResult same = LINKER.link(subject("Anna", "Khan", DOB, Gender.FEMALE, "BD7 1DP"), List.of(
                new SourcedRecord("bradford", child("BD-1", "Anna Maria", "Khan", DOB, Gender.FEMALE, BD)),
                new SourcedRecord("leeds", child("LS-1", "Anna", "Khan", DOB, Gender.FEMALE, BD))));
        assertEquals(1, same.persons().size(), () -> bands(same));
    }

    /**
     * Verifies that a shielded record's place takes no part in linking (A10): whether it joins
     * another register's record of the same child is the same wherever the shielded child lives,
     * so the grouping tells no caller whether the two places agree.
     */
    @Test
    void aShieldedRecordsPlaceTakesNoPartInLinking() {
        Address halifax = new Address("3 Refuge Row", "Halifax", "HX1 1AA", "calderdale");
        Address bradfordTown = new Address("3 Refuge Row", "Bradford", "BD7 1DP", "bradford");
        List<String> outcomes = new java.util.ArrayList<>();
        for (Address refuge : List.of(halifax, bradfordTown)) {
            List<SourcedRecord> candidates = List.of(
                    new SourcedRecord("bradford", child("BD-1", "Aisha", "Khan", DOB, Gender.FEMALE, BD)),
                    new SourcedRecord("leeds", child("LS-1", "Aisha", "Khan", DOB, Gender.FEMALE, refuge)
                            .withShielded(Boolean.TRUE)));
            LinkageResult r = LINKER.link(subject("Aisha", "Khan", DOB, null, null), candidates);
            outcomes.add(r.persons().stream().map(p -> ids(p) + " " + p.band() + " " + p.score()).toList() + " "
                    + r.moreDetail());
        }
        assertEquals(outcomes.get(0), outcomes.get(1));
    }

    /** Verifies that twins (same family name, date of birth and address, different given names) are never merged. */
    @Test
    void twinsAreNeverMerged() {
        // GIVEN twin sisters, one in each of two registers, and two records of each in all
        List<SourcedRecord> candidates = List.of(
                new SourcedRecord("bradford", child("BD-1", "Aisha", "Khan", DOB, Gender.FEMALE, BD)),
                new SourcedRecord("leeds", child("LS-1", "Amira", "Khan", DOB, Gender.FEMALE, BD)),
                new SourcedRecord("kirklees", child("KL-1", "Holly", "Walker", DOB, Gender.FEMALE, BD)),
                new SourcedRecord("wakefield", child("WF-1", "Molly", "Walker", DOB, Gender.FEMALE, BD)),
                new SourcedRecord("calderdale", child("CA-1", "Aisha", "Khan", DOB, Gender.FEMALE, BD)));
        // WHEN the enquiry gives no given name (the worst case: nothing tells them apart)
        LinkageResult byFamily = LINKER.link(subject(null, "Khan", DOB, null, null), candidates);
        // THEN Aisha and Amira stay apart, and the answer asks for the given name
        for (LinkedPerson p : byFamily.persons()) {
            Set<String> given = p.records().stream().map(r -> r.record().givenName()).collect(Collectors.toSet());
            assertEquals(1, given.size(), () -> "merged twins: " + given);
        }
        assertTrue(byFamily.moreDetail().contains("givenName"), () -> byFamily.moreDetail().toString());
        // WHEN the enquiry names Aisha: the two Aisha records are one person, Amira at most POSSIBLE and apart
        LinkageResult byName = LINKER.link(subject("Aisha", "Khan", DOB, Gender.FEMALE, "BD7 1DP"), candidates);
        LinkedPerson first = byName.persons().get(0);
        assertEquals(MatchBand.MATCH, first.band());
        assertEquals(Set.of("bradford:BD-1", "calderdale:CA-1"), ids(first));
        for (LinkedPerson p : byName.persons().subList(1, byName.persons().size())) {
            assertEquals(MatchBand.POSSIBLE, p.band());
            assertEquals(1, p.records().size());
        }
        // AND Holly and Molly Walker (rhyming names) stay apart too
        LinkageResult walkers = LINKER.link(subject(null, "Walker", DOB, null, null), candidates);
        List<LinkedPerson> walkerPersons = walkers.persons().stream()
                .filter(p -> p.records().get(0).record().familyName().equals("Walker")).toList();
        assertEquals(2, walkerPersons.size(), () -> bands(walkers));
        assertTrue(walkers.moreDetail().contains("givenName"), () -> walkers.moreDetail().toString());
    }

    /** Verifies that a nickname in one register and a typo in another are bridged by the third register's name. */
    @Test
    void aThirdRecordBridgesANicknameAndATypo() {
        List<SourcedRecord> candidates = List.of(
                new SourcedRecord("kirklees", child("KL-1", "Niamh", "O'Neill-Murphy", DOB, Gender.FEMALE, BD)),
                new SourcedRecord("leeds", child("LS-1", "Neve", "O'Neill-Murphy", DOB, Gender.FEMALE, BD)),
                new SourcedRecord("wakefield", child("WF-1", "Naimh", "O'Neill-Murphy", DOB, Gender.FEMALE, BD)));
        LinkageResult result = LINKER.link(subject("Neve", "O'Neill-Murphy", DOB, null, null), candidates);
        assertEquals(1, result.persons().size(), () -> bands(result));
        assertEquals(3, result.persons().get(0).records().size());
    }

    /** Verifies that an initial in a third register does not bridge twins. */
    @Test
    void anInitialDoesNotBridgeTwins() {
        List<SourcedRecord> candidates = List.of(
                new SourcedRecord("bradford", child("BD-1", "Aisha", "Khan", DOB, Gender.FEMALE, BD)),
                new SourcedRecord("leeds", child("LS-1", "Amira", "Khan", DOB, Gender.FEMALE, BD)),
                new SourcedRecord("kirklees", child("KL-1", "A", "Khan", DOB, Gender.FEMALE, BD)));
        LinkageResult result = LINKER.link(subject(null, "Khan", DOB, null, null), candidates);
        for (LinkedPerson p : result.persons()) {
            Set<String> given = p.records().stream().map(r -> r.record().givenName()).filter(g -> g.length() > 1)
                    .collect(Collectors.toSet());
            assertTrue(given.size() <= 1, () -> "merged twins: " + bands(result));
        }
    }

    /** Verifies that twins of different genders with similar names (Amir, Amira) are not merged. */
    @Test
    void twinsOfDifferentGenderWithSimilarNamesAreNotMerged() {
        List<SourcedRecord> candidates = List.of(
                new SourcedRecord("bradford", child("BD-1", "Amir", "Khan", DOB, Gender.MALE, BD)),
                new SourcedRecord("leeds", child("LS-1", "Amira", "Khan", DOB, Gender.FEMALE, BD)));
        LinkageResult result = LINKER.link(subject(null, "Khan", DOB, null, "BD7 1DP"), candidates);
        assertEquals(2, result.persons().size());
        assertTrue(result.moreDetail().contains("gender") || result.moreDetail().contains("givenName"));
    }

    /** Verifies that two records of one register are never merged, however alike. */
    @Test
    void recordsOfTheSameRegisterAreNeverMerged() {
        List<SourcedRecord> candidates = List.of(
                new SourcedRecord("bradford", child("BD-1", "Aisha", "Khan", DOB, Gender.FEMALE, BD)),
                new SourcedRecord("bradford", child("BD-2", "Aisha", "Khan", DOB, Gender.FEMALE, BD)),
                new SourcedRecord("leeds", child("LS-1", "Aisha", "Khan", DOB, Gender.FEMALE, BD)));
        LinkageResult result = LINKER.link(subject("Aisha", "Khan", DOB, null, null), candidates);
        assertEquals(2, result.persons().size());
        for (LinkedPerson p : result.persons()) {
            Set<String> authorities = p.records().stream().map(SourcedRecord::authority).collect(Collectors.toSet());
            assertEquals(p.records().size(), authorities.size(), "two records of one register in a person");
        }
    }

    /** Verifies that a POSSIBLE link is shown as its own person, never merged. */
    @Test
    void possibleLinksAreShownUnmerged() {
        // Same name, date of birth out by a year and a different address: a POSSIBLE pair.
        List<SourcedRecord> candidates = List.of(
                new SourcedRecord("bradford", child("BD-1", "Jack", "Walker", DOB, null, null)),
                new SourcedRecord("leeds", child("LS-1", "Jack", "Walker", LocalDate.of(2015, 6, 1), null,
                        new Address("4 Mill Lane", "Leeds", "LS6 2AB", "leeds"))));
        PairScorer scorer = LINKER.scorer();
        PairComparison between = scorer.compare(scorer.prepare(candidates.get(0).record()), scorer.prepare(candidates.get(1).record()));
        assertEquals(MatchBand.POSSIBLE, between.band(), () -> "weight " + between.weight());
        LinkageResult result = LINKER.link(subject("Jack", "Walker", null, null, null), candidates);
        assertEquals(2, result.persons().size());
        result.persons().forEach(p -> assertEquals(1, p.records().size()));
        assertTrue(result.persons().stream().allMatch(p -> p.band() == MatchBand.POSSIBLE));
        // Two Jack Walkers that the subject cannot tell apart: ask for the date of birth and postcode.
        assertTrue(result.moreDetail().containsAll(List.of("dateOfBirth", "postcode")), () -> result.moreDetail().toString());
    }

    /** Verifies that every person carries a per-field explanation with levels and weights. */
    @Test
    void explanationIsPresentForEveryPerson() {
        List<SourcedRecord> candidates = List.of(
                new SourcedRecord("bradford", child("BD-1", "Katarzyna", "Nowak", DOB, Gender.FEMALE, BD)));
        LinkageResult result = LINKER.link(subject("Kasia", "Nowak", DOB, Gender.FEMALE, "BD7 1DP"), candidates);
        LinkedPerson p = result.persons().get(0);
        List<String> fields = p.explanation().stream().map(FieldComparison::field).toList();
        assertEquals(List.of("givenName", "familyName", "dateOfBirth", "gender", "postcode", "address", "town"), fields);
        assertEquals("nickname", level(p, "givenName"));
        assertEquals("exact", level(p, "dateOfBirth"));
        assertEquals("missing", level(p, "address"));
        assertEquals(0.0, p.explanation().get(5).weight());
        assertTrue(p.explanation().get(0).weight() > 0);
        assertTrue(p.score() > 0.5 && p.score() <= 1.0);
    }

    /** Verifies that records not matching the subject are dropped. */
    @Test
    void nonMatchesAreDropped() {
        List<SourcedRecord> candidates = List.of(
                new SourcedRecord("bradford", child("BD-1", "Oliver", "Brown", LocalDate.of(2010, 1, 1), Gender.MALE,
                        new Address("9 Hill Top", "Wakefield", "WF1 2AA", "wakefield"))));
        LinkageResult result = LINKER.link(subject("Aisha", "Khan", DOB, Gender.FEMALE, "BD7 1DP"), candidates);
        assertTrue(result.persons().isEmpty());
        assertFalse(result.ambiguous());
    }

    /** Verifies that given and family names entered the wrong way round still match, and say so. */
    @Test
    void swappedGivenAndFamilyNamesMatch() {
        List<SourcedRecord> candidates = List.of(
                new SourcedRecord("bradford", child("BD-1", "Khan", "Aisha", DOB, Gender.FEMALE, BD)));
        LinkageResult result = LINKER.link(subject("Aisha", "Khan", DOB, Gender.FEMALE, "BD7 1DP"), candidates);
        assertEquals(1, result.persons().size());
        assertEquals(MatchBand.MATCH, result.persons().get(0).band());
        assertEquals("swapped:exact", level(result.persons().get(0), "familyName"));
    }

    /** Verifies that an alias on the record matches the enquiry's name, and says so. */
    @Test
    void aliasesAreComparedWithNames() {
        List<SourcedRecord> candidates = List.of(
                new SourcedRecord("bradford", child("BD-1", "Aisha", "Patel", DOB, Gender.FEMALE, BD, null,
                        List.of(new PersonName("Aisha", "Khan-Patel")))));
        LinkageResult result = LINKER.link(subject("Aisha", "Khan", DOB, null, null), candidates);
        assertEquals(1, result.persons().size());
        assertEquals("alias:part-match", level(result.persons().get(0), "familyName"));
        assertEquals(MatchBand.MATCH, result.persons().get(0).band());
    }

    /** Verifies that agreeing on a common family name weighs less than agreeing on a rare one. */
    @Test
    void commonFamilyNamesWeighLess() {
        PairScorer scorer = LINKER.scorer();
        ChildRecord smith = child("1", "Jack", "Smith", null, null, null);
        ChildRecord rare = child("1", "Jack", "Quartermaine", null, null, null);
        double wSmith = scorer.compare(scorer.prepare(smith), scorer.prepare(smith)).weight(Field.FAMILY_NAME);
        double wRare = scorer.compare(scorer.prepare(rare), scorer.prepare(rare)).weight(Field.FAMILY_NAME);
        assertTrue(wSmith < wRare - 1, wSmith + " vs " + wRare);
    }

    /** Verifies that names alone never make a MATCH: a date of birth, postcode or address is needed. */
    @Test
    void namesAloneAreNeverAMatch() {
        ChildRecord r = child("1", "Zebedee", "Quartermaine", null, null, null);
        PairScorer scorer = LINKER.scorer();
        assertEquals(MatchBand.POSSIBLE, scorer.compare(scorer.prepare(r), scorer.prepare(r)).band());
    }

    /** Verifies that an empty candidate list gives an empty answer. */
    @Test
    void noCandidates() {
        LinkageResult result = LINKER.link(subject("Aisha", "Khan", DOB, null, null), new ArrayList<>());
        assertTrue(result.persons().isEmpty());
    }

    private static String level(LinkedPerson p, String field) {
        return p.explanation().stream().filter(f -> f.field().equals(field)).findFirst().orElseThrow().level();
    }

    private static String bands(LinkageResult r) {
        return r.persons().stream().map(p -> p.band() + ids(p).toString()).collect(Collectors.joining(", "));
    }
}
