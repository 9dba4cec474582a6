package uk.wycps.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import uk.wycps.record.CanonicalFields;

/**
 * Verifies that the default policy decides every row of docs/policy-scenarios.md as the table
 * says: the same file reviewers read is the test's input.
 */
class PolicyScenarioTableTest {

    /** Maven runs tests with the module directory as working directory. */
    static final Path TABLE = Path.of(System.getProperty("policy.scenarios", "../docs/policy-scenarios.md"));

    static final SharingPolicy POLICY = PolicyLoader.loadDefault(CanonicalFields.all());

    record Scenario(int number, String role, String agency, String home, String source, String grants,
            String purpose, String consent, String enquiry, String tier, String fields, String clause, String shielded,
            String linked) {
        @Override
        public String toString() {
            return "#" + number + " " + role + "/" + agency + "@" + home + " -> " + source + " [" + grants + "] "
                    + purpose + " (" + clause + ")";
        }
    }

    static List<Scenario> scenarios() throws IOException {
        List<Scenario> rows = new ArrayList<>();
        boolean header = false;
        for (String line : Files.readAllLines(TABLE)) {
            if (!line.startsWith("|")) {
                continue;
            }
            String[] cells = Arrays.stream(line.substring(1, line.lastIndexOf('|')).split("\\|"))
                    .map(String::strip).toArray(String[]::new);
            if (!header) {
                assertEquals("#", cells[0], "the table's first column is #");
                header = true;
                continue;
            }
            if (cells[0].startsWith("-")) {
                continue;
            }
            assertEquals(14, cells.length, "row " + line);
            rows.add(new Scenario(Integer.parseInt(cells[0]), cells[1], cells[2], cells[3], cells[4], cells[5],
                    cells[6], cells[7], cells[8], cells[9], cells[10], cells[11], cells[12], cells[13]));
        }
        return rows;
    }

    static Stream<Arguments> rows() throws IOException {
        return scenarios().stream().map(Arguments::of);
    }

    @Test
    void tableHasAtLeastSixtyRowsEachCitingARequirement() throws IOException {
        List<Scenario> rows = scenarios();
        assertTrue(rows.size() >= 60, "only " + rows.size() + " scenarios");
        for (Scenario s : rows) {
            assertTrue(s.clause().matches(".*\\b[AFHMOPS][0-9].*"), s + " cites no requirement");
        }
        Set<Integer> numbers = new LinkedHashSet<>();
        rows.forEach(s -> assertTrue(numbers.add(s.number()), "row number " + s.number() + " twice"));
    }

    @Test
    void tableCoversEveryRoleAgencyPurposeAndBothSidesOfEachGrant() throws IOException {
        List<Scenario> rows = scenarios();
        for (Role r : Role.values()) {
            assertTrue(rows.stream().anyMatch(s -> s.role().equals(r.code())), "no row for role " + r.code());
        }
        for (Agency a : Agency.values()) {
            assertTrue(rows.stream().anyMatch(s -> s.agency().equals(a.code())), "no row for agency " + a.code());
        }
        for (Purpose p : Purpose.values()) {
            assertTrue(rows.stream().anyMatch(s -> s.purpose().equals(p.code())), "no row for purpose " + p.code());
        }
        assertTrue(rows.stream().anyMatch(s -> s.home().equals(s.source())), "no own-authority row");
        assertTrue(rows.stream().anyMatch(s -> !s.home().equals(s.source())), "no other-authority row");
        assertTrue(rows.stream().anyMatch(s -> s.grants().contains("cross-authority:")), "no granted row");
        assertTrue(rows.stream().anyMatch(s -> s.grants().equals("-")), "no row without a grant");
        for (String cell : List.of("location", "no location", "-")) {
            assertTrue(rows.stream().anyMatch(s -> s.shielded().equals(cell)), "no row with shielded " + cell);
            assertTrue(rows.stream().anyMatch(s -> s.linked().equals(cell)), "no row with linked " + cell);
        }
        for (String group : List.of("none", "personal", "personal+sensitive", "all")) {
            assertTrue(rows.stream().anyMatch(s -> s.fields().equals(group)), "no row for field group " + group);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void defaultPolicyDecidesAsTheScenarioTableSays(Scenario s) {
        // GIVEN the caller and declaration of the row
        Caller caller = new Caller("scenario-" + s.number(), Role.fromCode(s.role()).orElseThrow(),
                Agency.fromCode(s.agency()).orElseThrow(), s.home().equals("-") ? null : s.home(),
                s.grants().equals("-") ? Set.of() : Set.of(s.grants().split(",")));
        Declaration declaration = new Declaration(Purpose.fromCode(s.purpose()).orElseThrow(),
                "scenario " + s.number(), consent(s.consent()));
        // WHEN the default policy decides
        EnquiryPermission permission = POLICY.permitEnquiry(caller, declaration);
        AccessDecision decision = POLICY.decide(caller, declaration, s.source());
        // THEN the enquiry, tier and fields are the row's
        assertEquals(s.enquiry(), permission.permitted() ? "permit" : permission.code(), "enquiry: " + s);
        assertEquals(Tier.valueOf(s.tier()), decision.tier(), "tier: " + s + " " + decision.reasons());
        Set<String> expected = ApiFieldTable.group(s.fields());
        assertEquals(expected, decision.allowedFields(), "fields: " + s);
        Set<String> withheld = new LinkedHashSet<>(CanonicalFields.all());
        withheld.removeAll(expected);
        assertEquals(withheld, decision.withheldFields(), "withheld: " + s);
        assertEquals(!expected.isEmpty(), decision.recordsVisible(), "records visible: " + s);
        assertFalse(decision.reasons().isEmpty(), "no reason given: " + s);
        decision.reasons().forEach(r -> assertTrue(r.requirement().matches("[A-Z][0-9]{1,2}"), r.toString()));
        // AND a shielded record, or one linked with a shielded record, releases location as the row says (A10)
        assertEquals(shieldedGroup(expected, s.shielded()), decision.allowedFields(AccessDecision.Shielding.SHIELDED),
                "shielded: " + s + " " + decision.reasons());
        assertEquals(shieldedGroup(expected, s.linked()),
                decision.allowedFields(AccessDecision.Shielding.LINKED_TO_SHIELDED), "linked: " + s);
        Set<String> withheldIfShielded = new LinkedHashSet<>(CanonicalFields.all());
        withheldIfShielded.removeAll(shieldedGroup(expected, s.shielded()));
        assertEquals(withheldIfShielded, decision.withheldFields(AccessDecision.Shielding.SHIELDED),
                "withheld if shielded: " + s);
    }

    /** The row's field group, less the location fields when the row says {@code no location}. */
    static Set<String> shieldedGroup(Set<String> fields, String cell) {
        Set<String> out = new LinkedHashSet<>(fields);
        switch (cell) {
            case "-" -> assertTrue(fields.isEmpty(), "'-' only where nothing is released");
            case "location" -> assertTrue(fields.containsAll(Set.of("address", "addressHistory")), cell);
            case "no location" -> out.removeAll(Set.of("address", "addressHistory"));
            default -> throw new IllegalArgumentException("shielded cell '" + cell + "'");
        }
        return out;
    }

    static ConsentBasis consent(String code) {
        String[] p = code.split(":", 3);
        return switch (p[0]) {
            case "obtained" -> ConsentBasis.obtained(p[1]);
            case "not-sought" -> ConsentBasis.notSought(ConsentGround.fromCode(p[1]).orElseThrow());
            case "refused" -> ConsentBasis.refused(ConsentGround.fromCode(p[2]).orElseThrow(),
                    RefusedBy.fromCode(p[1]).orElseThrow());
            default -> throw new IllegalArgumentException("consent " + code);
        };
    }
}
