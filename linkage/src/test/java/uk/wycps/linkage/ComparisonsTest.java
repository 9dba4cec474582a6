package uk.wycps.linkage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.List;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.junit.jupiter.api.Test;
import uk.wycps.record.Address;
import uk.wycps.record.AddressPeriod;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.Gender;

/** Every comparison level of every field (F4). */
class ComparisonsTest {

    private static final Nicknames NICKNAMES = Nicknames.defaults();

    private static String given(String a, String b) {
        return Field.GIVEN_NAME.levels().get(Comparisons.givenName(form(a), form(b)));
    }

    private static String family(String a, String b) {
        return Field.FAMILY_NAME.levels().get(Comparisons.familyName(form(a), form(b)));
    }

    private static PreparedRecord.NameForm form(String s) {
        return PreparedRecord.name(s, List.of(), NICKNAMES);
    }

    @Test
    void givenNameLevels() {
        assertEquals("exact", given("Aisha", "AISHA"));
        assertEquals("exact", given("Zoë", "Zoe"));
        assertEquals("nickname", given("Bill", "William"));
        assertEquals("nickname", given("Kasia", "Katarzyna"));
        assertEquals("jw-high", given("Jayne", "Jane"));
        assertEquals("phonetic", given("Geoff", "Jeff"));
        assertEquals("jw-medium", given("Holly", "Molly"));
        // alike to Double Metaphone but for the first vowel: twins' names, only loosely alike (F4)
        assertEquals("jw-medium", given("Ava", "Eva"));
        assertEquals("phonetic", given("Lacey", "Lacie"));
        assertEquals("initial", given("J", "John"));
        assertEquals("initial", given("J.", "John"));
        assertEquals("disagree", given("Aisha", "Amira"));
        assertEquals("disagree", given("J", "Mary"));
        assertEquals("missing", given(null, "John"));
        assertEquals("missing", given("  ", "John"));
    }

    @Test
    void aMiddleNameMatchCountsAtBestAsJwHigh() {
        assertEquals("jw-high", given("Mary Ann", "Ann"));
    }

    @Test
    void familyNameLevels() {
        assertEquals("exact", family("O'Brien", "OBRIEN"));
        assertEquals("exact", family("Khan-Patel", "Khan Patel"));
        assertEquals("part-match", family("Khan-Patel", "Khan"));
        assertEquals("part-match", family("Smith", "Jones Smith"));
        assertEquals("jw-high", family("Thompson", "Tomson"));
        assertEquals("phonetic", family("Dixon", "Dickson"));
        assertEquals("jw-medium", family("Morris", "Norris"));
        assertEquals("disagree", family("Khan", "Walker"));
        assertEquals("missing", family("Khan", null));
    }

    private static String dob(String a, String b) {
        return Field.DATE_OF_BIRTH.levels().get(Comparisons.dateOfBirth(
                a == null ? -1 : PreparedRecord.dob(LocalDate.parse(a)), b == null ? -1 : PreparedRecord.dob(LocalDate.parse(b))));
    }

    @Test
    void dateOfBirthLevels() {
        assertEquals("exact", dob("2016-03-09", "2016-03-09"));
        assertEquals("day-month-swapped", dob("2016-03-09", "2016-09-03"));
        assertEquals("one-digit-off", dob("2016-03-09", "2016-03-08"));
        assertEquals("one-digit-off", dob("2016-03-19", "2016-03-09"));
        assertEquals("one-digit-off", dob("2016-03-12", "2016-03-21")); // adjacent digits transposed
        assertEquals("year-within-one", dob("2016-03-09", "2017-05-20"));
        assertEquals("year-within-one", dob("2009-12-30", "2010-12-30"));
        assertEquals("disagree", dob("2016-03-09", "2012-07-21"));
        assertEquals("missing", dob(null, "2012-07-21"));
    }

    @Test
    void genderLevels() {
        assertEquals(Field.S_EXACT, Comparisons.gender(Gender.FEMALE.ordinal(), Gender.FEMALE.ordinal()));
        assertEquals(Field.S_DIS, Comparisons.gender(Gender.FEMALE.ordinal(), Gender.MALE.ordinal()));
        assertEquals(Field.S_MISS, Comparisons.gender(-1, Gender.MALE.ordinal()));
        // UNKNOWN counts as missing.
        PreparedRecord a = PreparedRecord.of(record("A", "Khan", null, Gender.UNKNOWN, null, null), NICKNAMES);
        PreparedRecord b = PreparedRecord.of(record("A", "Khan", null, Gender.MALE, null, null), NICKNAMES);
        assertEquals(Field.S_MISS, Comparisons.gender(a.gender, b.gender));
    }

    static ChildRecord record(String given, String family, LocalDate dob, Gender gender, Address address,
                              List<AddressPeriod> history) {
        return new ChildRecord("id", given, family, null, dob, gender, null, address, history, null, null, null, null,
                null, null, null, null, null, null, null, null, null);
    }

    private static String postcode(String a, List<String> aHistory, String b, List<String> bHistory) {
        PreparedRecord ra = PreparedRecord.of(record("A", "B", null, null, new Address("1 Road", "Town", a, null),
                aHistory.stream().map(p -> new AddressPeriod(new Address(null, null, p, null), null, null)).toList()), NICKNAMES);
        PreparedRecord rb = PreparedRecord.of(record("A", "B", null, null, new Address("1 Road", "Town", b, null),
                bHistory.stream().map(p -> new AddressPeriod(new Address(null, null, p, null), null, null)).toList()), NICKNAMES);
        return Field.POSTCODE.levels().get(Comparisons.postcode(ra.postcode, ra.postcodes, rb.postcode, rb.postcodes));
    }

    @Test
    void postcodeLevels() {
        assertEquals("exact", postcode("BD7 1DP", List.of(), "bd71dp", List.of()));
        assertEquals("history-overlap", postcode("LS6 2AB", List.of("BD7 1DP"), "BD7 1DP", List.of()));
        assertEquals("one-char-off", postcode("BD7 1DP", List.of(), "BD7 1DB", List.of()));
        assertEquals("one-char-off", postcode("4011", List.of(), "4101", List.of()));
        assertEquals("same-district", postcode("BD7 1DP", List.of(), "BD7 4QZ", List.of()));
        assertEquals("disagree", postcode("BD7 1DP", List.of(), "LS6 2AB", List.of()));
        assertEquals("missing", postcode(null, List.of(), "LS6 2AB", List.of()));
    }

    private static String address(String a, List<String> aHistory, String b, List<String> bHistory) {
        PreparedRecord ra = PreparedRecord.of(record("A", "B", null, null, a == null ? null : new Address(a, null, null, null),
                aHistory.stream().map(l -> new AddressPeriod(new Address(l, null, null, null), null, null)).toList()), NICKNAMES);
        PreparedRecord rb = PreparedRecord.of(record("A", "B", null, null, b == null ? null : new Address(b, null, null, null),
                bHistory.stream().map(l -> new AddressPeriod(new Address(l, null, null, null), null, null)).toList()), NICKNAMES);
        return Field.ADDRESS.levels().get(Comparisons.address(ra.line, ra.lines, rb.line, rb.lines));
    }

    @Test
    void addressLevels() {
        assertEquals("exact", address("12 Oak Road", List.of(), "12 oak rd", List.of()));
        assertEquals("jw-high", address("12 Oak Road", List.of(), "12 Oak Raod", List.of()));
        assertEquals("history-overlap", address("3 Elm Street", List.of("12 Oak Road"), "12 Oak Road", List.of()));
        assertEquals("token-overlap", address("12 Oak Road Bradford Moor", List.of(), "Oak Road Moor", List.of()));
        assertEquals("disagree", address("12 Oak Road", List.of(), "7 Church Lane", List.of()));
        assertEquals("missing", address(null, List.of(), "7 Church Lane", List.of()));
    }

    @Test
    void townLevels() {
        assertEquals(Field.T_EXACT, Comparisons.town("bradford", "bradford"));
        assertEquals(Field.T_JW_HIGH, Comparisons.town("bradford", "bradfrod"));
        assertEquals(Field.T_DIS, Comparisons.town("bradford", "leeds"));
        assertEquals(Field.T_MISS, Comparisons.town(null, "leeds"));
    }

    @Test
    void jaroWinklerAgreesWithCommonsText() {
        JaroWinklerSimilarity reference = new JaroWinklerSimilarity();
        String[] words = {"martha", "marhta", "dixon", "dickson", "jones", "johnson", "a", "ab", "abc", "crate", "trace",
                "dwayne", "duane", "katarzyna", "kasia", "x", "tullaroop street willaroo", "tullaroop st willaroo"};
        for (String a : words) {
            for (String b : words) {
                assertEquals(reference.apply(a, b), JaroWinkler.similarity(a, b), 1e-9, a + "/" + b);
            }
        }
    }
}
