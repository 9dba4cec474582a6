package uk.wycps.linkage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.RecordJson;
import uk.wycps.record.SearchCriteria;

/**
 * Linking measured against an oracle that owes nothing to the linker (F4, issue 23). The mock
 * registers spell a child's name differently with the same nickname table the linker uses, so a
 * test on their ground truth checks the linker against its own knowledge. Here the second
 * record of each child is made from lists written apart from {@code nicknames.txt} and from the
 * mock's {@code NameVariants}: diminutives and other forms a practitioner would meet, and a
 * slip of a neighbouring key on a UK keyboard (the mock swaps, drops or doubles letters). The
 * truth is known by construction. What is asserted:
 * <ul>
 * <li>never a MATCH between two different children (siblings at one address, twins);</li>
 * <li>the variants of the same child offered to the practitioner, as MATCH or POSSIBLE (a miss
 * hides a register's record of the child), and those linked outright (MATCH), are reported and
 * kept above floors set a little below the first measurement (2026-12-01, seed 20261201: 599 of
 * 600 offered, the miss a nickname and a surname slip together, "Susannah Pickles" against "Sue
 * Puckles"; 481 of 600 linked as one MATCH person), so that a regression shows.</li>
 * </ul>
 * The seed is fixed (printed; {@code -Dlinkage.seed} to change it).
 */
class IndependentVariantsLinkageTest {

    /** Formal name, then forms of it used by or for the same child (not taken from nicknames.txt). */
    private static final List<List<String>> FORMS = List.of(
            List.of("Margaret", "Maggie", "Peggy", "Meg"), List.of("Catherine", "Cathy", "Kate", "Katie"),
            List.of("Christopher", "Chris", "Kit"), List.of("Nicholas", "Nick", "Nicky"),
            List.of("Jonathan", "Jon", "Jonny"), List.of("Matthew", "Matt"), List.of("Edward", "Ed", "Eddie", "Ted"),
            List.of("Henry", "Harry", "Hal"), List.of("Robert", "Rob", "Bobby", "Robbie"),
            List.of("Richard", "Rich", "Ricky", "Dick"), List.of("Victoria", "Vicky", "Tori"),
            List.of("Jennifer", "Jenny", "Jen"), List.of("Eleanor", "Ellie", "Nell"), List.of("Penelope", "Penny"),
            List.of("Theodore", "Theo", "Teddy"), List.of("Anthony", "Tony", "Ant"), List.of("Stephen", "Steve"),
            List.of("Joseph", "Joe", "Joey"), List.of("Zachary", "Zach", "Zac"), List.of("Florence", "Flo", "Florrie"),
            List.of("Harriet", "Hattie"), List.of("Dominic", "Dom"), List.of("Nathaniel", "Nathan", "Nate"),
            List.of("Susannah", "Susie", "Sue"), List.of("Gabriel", "Gabe"), List.of("Frances", "Fran", "Frankie"),
            List.of("Oliver", "Ollie"), List.of("Lucinda", "Lucy", "Cindy"), List.of("Timothy", "Tim", "Timmy"),
            List.of("Deborah", "Debbie", "Deb"));

    private static final List<String> FAMILIES = List.of("Ackroyd", "Brearley", "Crowther", "Dewhirst", "Earnshaw",
            "Fairbank", "Greenwood", "Holroyd", "Illingworth", "Jagger", "Kershaw", "Lumb", "Mitchell", "Normanton",
            "Oldroyd", "Pickles", "Quarmby", "Rhodes", "Sutcliffe", "Thewlis", "Utley", "Verity", "Whiteley");

    private static final String[] KEYBOARD = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};

    private static final FellegiSunterLinker LINKER = FellegiSunterLinker.withDefaults();

    @Test
    void variantsOfOneChildAreAlwaysOfferedAndDifferentChildrenAreNeverMatched() {
        long seed = Long.getLong("linkage.seed", 20_261_201L);
        System.out.println("IndependentVariantsLinkageTest seed: " + seed);
        Random random = new Random(seed);
        int pairs = 0;
        int matched = 0;
        List<String> missed = new ArrayList<>();
        List<String> wrongMatches = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            List<String> forms = FORMS.get(random.nextInt(FORMS.size()));
            String family = FAMILIES.get(random.nextInt(FAMILIES.size()));
            String dob = String.format(Locale.ROOT, "%d-%02d-%02d", 2008 + random.nextInt(17), 1 + random.nextInt(12),
                    1 + random.nextInt(28));
            String postcode = "LS" + (1 + random.nextInt(28)) + " " + (1 + random.nextInt(9)) + "QT";
            String gender = random.nextBoolean() ? "female" : "male";
            ChildRecord asHeld = record("LE-" + i, forms.get(0), family, dob, gender, postcode);
            String variantName = i % 3 == 2 ? slip(random, forms.get(0)) : forms.get(1 + random.nextInt(forms.size() - 1));
            ChildRecord variant = record("BD-" + i, variantName, i % 5 == 4 ? slip(random, family) : family, dob, gender,
                    postcode);
            // A sibling at the same address: another given name, another date of birth
            List<String> otherForms = FORMS.get((FORMS.indexOf(forms) + 1 + random.nextInt(FORMS.size() - 1)) % FORMS.size());
            ChildRecord sibling = record("KI-" + i, otherForms.get(0), family,
                    String.format(Locale.ROOT, "%d-%02d-%02d", 2008 + random.nextInt(17), 1 + random.nextInt(12),
                            1 + random.nextInt(28)), random.nextBoolean() ? "female" : "male", postcode);
            SearchCriteria subject = new SearchCriteria(asHeld.givenName(), family, null, null, asHeld.dateOfBirth(),
                    null, null);
            LinkageResult result = LINKER.link(subject, List.of(new SourcedRecord("leeds", asHeld),
                    new SourcedRecord("bradford", variant), new SourcedRecord("kirklees", sibling)));
            pairs++;
            boolean offered = false;
            for (LinkedPerson p : result.persons()) {
                List<String> ids = p.records().stream().map(r -> r.record().recordId()).toList();
                if (ids.contains(variant.recordId())) {
                    offered = true;
                    if (p.band() == MatchBand.MATCH && ids.contains(asHeld.recordId())) {
                        matched++;
                    }
                }
                if (ids.contains(sibling.recordId()) && ids.size() > 1) {
                    wrongMatches.add(asHeld.givenName() + "/" + sibling.givenName() + " " + family + " merged: " + ids);
                }
            }
            if (!offered) {
                missed.add(asHeld.givenName() + " " + asHeld.familyName() + " -> " + variant.givenName() + " "
                        + variant.familyName());
            }
        }
        double matchShare = (double) matched / pairs;
        System.out.printf(Locale.ROOT, "IndependentVariantsLinkageTest: %d pairs, %d linked as one MATCH person (%.3f), "
                + "%d not offered%n", pairs, matched, matchShare, missed.size());
        assertEquals(List.of(), wrongMatches, "different children merged");
        double offeredShare = 1.0 - (double) missed.size() / pairs;
        assertTrue(offeredShare >= OFFERED_FLOOR, "offered fell to " + offeredShare + ", missed: " + missed);
        assertTrue(matchShare >= MATCH_FLOOR, "share linked as one MATCH person fell to " + matchShare);
    }

    /** Floors a little below the first measurement (class comment). */
    private static final double OFFERED_FLOOR = 0.995;
    private static final double MATCH_FLOOR = 0.78;

    /** One letter replaced by its neighbour on the same row of the keyboard. */
    private static String slip(Random random, String name) {
        for (int attempt = 0; attempt < 20; attempt++) {
            int at = 1 + random.nextInt(name.length() - 1);
            char c = Character.toLowerCase(name.charAt(at));
            for (String row : KEYBOARD) {
                int k = row.indexOf(c);
                if (k >= 0) {
                    int n = k == 0 ? 1 : k == row.length() - 1 ? k - 1 : (random.nextBoolean() ? k - 1 : k + 1);
                    return name.substring(0, at) + row.charAt(n) + name.substring(at + 1);
                }
            }
        }
        return name;
    }

    private static ChildRecord record(String id, String given, String family, String dob, String gender, String postcode) {
        String json = "{\"recordId\":\"" + id + "\",\"givenName\":\"" + given + "\",\"familyName\":\"" + family
                + "\",\"dateOfBirth\":\"" + dob + "\",\"gender\":\"" + gender + "\",\"address\":{\"line1\":\"1 Mill Lane\","
                + "\"town\":\"Leeds\",\"postcode\":\"" + postcode + "\"}}";
        try {
            return RecordJson.mapper().readValue(json, ChildRecord.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
