package uk.wycps.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import uk.wycps.record.CanonicalFields;

/**
 * Verifies the default policy's shielding rule (A10) over every caller kind it knows: role x
 * agency x home authority (or none) x source register x grants. The oracle is the rule as
 * docs/policy.md words it, written out here, not read from the document.
 */
class ShieldingRuleTest {

    private static final SharingPolicy POLICY = PolicyLoader.loadDefault(CanonicalFields.all());
    private static final Set<String> LOCATION = CanonicalFields.location();
    private static final List<String> HOMES = new ArrayList<>();

    static {
        HOMES.addAll(ApiFieldTable.AUTHORITIES);
        HOMES.add(null);
    }

    private static List<Set<String>> grants(String source) {
        return List.of(Set.of(), Set.of("cross-authority:" + source), Set.of("cross-authority:*"),
                Set.of("schedule-one"), Set.of("cross-authority:*", "schedule-one"),
                Set.of("cross-authority:" + (source.equals("leeds") ? "bradford" : "leeds")));
    }

    @Test
    void aShieldedRecordReleasesLocationOnlyToItsOwnSocialServicesAtSensitiveWhateverTheGrants() {
        Declaration declaration = new Declaration(Purpose.S47_ENQUIRY, "scan",
                ConsentBasis.notSought(ConsentGround.RISK_OF_SIGNIFICANT_HARM));
        int decisions = 0;
        int withLocation = 0;
        for (Role role : Role.values()) {
            for (Agency agency : Agency.values()) {
                for (String home : HOMES) {
                    for (String source : ApiFieldTable.AUTHORITIES) {
                        for (Set<String> g : grants(source)) {
                            Caller caller = new Caller("scan", role, agency, home, g);
                            AccessDecision d = POLICY.decide(caller, declaration, source);
                            boolean inside = source.equals(home) && agency == Agency.SOCIAL_SERVICES;
                            Set<String> shielded = d.allowedFields(AccessDecision.Shielding.SHIELDED);
                            Set<String> linked = d.allowedFields(AccessDecision.Shielding.LINKED_TO_SHIELDED);
                            String what = role.code() + "/" + agency.code() + "@" + home + " -> " + source + " " + g;
                            boolean seesShielded = inside && d.tier() == Tier.SENSITIVE;
                            assertEquals(seesShielded, shielded.containsAll(LOCATION), what);
                            if (!seesShielded) {
                                assertTrue(LOCATION.stream().noneMatch(shielded::contains), what);
                                assertTrue(d.withheldFields(AccessDecision.Shielding.SHIELDED).containsAll(LOCATION), what);
                            }
                            boolean seesLinked = inside && d.recordsVisible();
                            assertEquals(seesLinked, linked.containsAll(LOCATION), what);
                            if (!seesLinked) {
                                assertTrue(LOCATION.stream().noneMatch(linked::contains), what);
                            }
                            // Shielding withholds location and nothing else.
                            Set<String> rest = new LinkedHashSet<>(d.allowedFields());
                            rest.removeAll(LOCATION);
                            assertTrue(shielded.containsAll(rest) && linked.containsAll(rest), what);
                            // A visible record always carries its mark.
                            assertEquals(d.recordsVisible(), shielded.contains(CanonicalFields.SHIELDED), what);
                            if (d.recordsVisible()) {
                                assertTrue(d.reasons().stream().anyMatch(r -> r.rule().equals("shielding")
                                        && r.requirement().equals("A10")), what + " " + d.reasons());
                                assertTrue(d.reasons().stream().anyMatch(r -> r.rule().equals("shielded-person")), what);
                            }
                            decisions++;
                            withLocation += seesShielded ? 1 : 0;
                        }
                    }
                }
            }
        }
        assertEquals(Role.values().length * Agency.values().length * HOMES.size() * 5 * 6, decisions);
        // Five SENSITIVE social-services roles, each at its own register, with each of the six grant sets.
        assertEquals(5 * 5 * 6, withLocation);
    }

    @Test
    void theExplanationSaysWhereAShieldedChildsLocationGoesAndWhomToCall() {
        Caller kirklees = new Caller("k", Role.CHILD_WORKER, Agency.SOCIAL_SERVICES, "kirklees", Set.of("cross-authority:*"));
        Declaration declaration = new Declaration(Purpose.REGISTER_CHECK, "x",
                ConsentBasis.notSought(ConsentGround.AUTHORISED_REGISTER_CHECK));
        AccessDecision d = POLICY.decide(kirklees, declaration, "leeds");
        Reason shielding = d.reasons().stream().filter(r -> r.rule().equals("shielding")).findFirst().orElseThrow();
        assertTrue(shielding.explanation().contains("withheld whatever the tier and grants"), shielding.explanation());
        assertTrue(shielding.explanation().contains("contact goes through leeds"), shielding.explanation());
        assertFalse(d.allowedFields(AccessDecision.Shielding.SHIELDED).contains("address"));
        assertTrue(d.allowedFields().contains("address"), "an ordinary Leeds record still gives its address to a granted caller");
    }

    @Test
    void thePolicyModulesLocationFieldsAreTheRecordsOwn() {
        assertEquals(CanonicalFields.location(), PolicyLoader.RECORD_LOCATION_FIELDS);
        assertEquals(CanonicalFields.SHIELDED, PolicyLoader.SHIELDED_FIELD);
        assertEquals(new LinkedHashSet<>(List.of("address", "addressHistory")),
                ((ProtocolPolicy) POLICY).document().shielding().locationFields());
    }
}
