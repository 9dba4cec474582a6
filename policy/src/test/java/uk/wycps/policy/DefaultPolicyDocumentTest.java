package uk.wycps.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import uk.wycps.policy.PolicyDocument.FieldEntry;
import uk.wycps.record.CanonicalFields;

/** Verifies the default policy document against API.md and the protocol. */
class DefaultPolicyDocumentTest {

    private static final ProtocolPolicy POLICY = PolicyLoader.loadDefault(CanonicalFields.all());

    @Test
    void defaultPolicyClassifiesEveryCanonicalFieldAndNoOther() {
        // A5, O2: a field added to ChildRecord without a tier in the default policy fails here
        // (and PolicyLoader.loadDefault refuses it at start-up).
        assertEquals(CanonicalFields.all(), POLICY.classifiedFields());
        for (String f : CanonicalFields.all()) {
            assertNotNull(POLICY.fieldTier(f), f + " is not classified");
        }
    }

    @Test
    void fieldTiersAreTheTableOfApiMd() {
        assertEquals(ApiFieldTable.FIELD_TIERS.keySet(), POLICY.classifiedFields(),
                "API.md's table and the canonical record disagree: update both (and the policy)");
        ApiFieldTable.FIELD_TIERS.forEach((f, t) -> assertEquals(t, POLICY.fieldTier(f), f));
    }

    @Test
    void lookedAfterHistoryIsAnIndicatorOnly() {
        // A7
        FieldEntry e = POLICY.document().fields().entries().get("lookedAfterIndicator");
        assertTrue(e.indicatorOnly());
        assertEquals("A7", e.note().requirement());
    }

    @Test
    void scheduleOneIndicatorIsRestrictedToSocialServicesWithTheGrant() {
        // A6
        FieldEntry e = POLICY.document().fields().entries().get(CanonicalFields.RELATIONSHIP_SCHEDULE_ONE);
        assertEquals(Tier.SENSITIVE, e.tier());
        assertEquals(Set.of(Agency.SOCIAL_SERVICES), e.onlyFor().agencies());
        assertEquals(Caller.SCHEDULE_ONE, e.onlyFor().authorisation());
        assertEquals("A6", e.onlyFor().rule().requirement());
        long restricted = POLICY.document().fields().entries().values().stream().filter(f -> f.onlyFor() != null)
                .count();
        assertEquals(1, restricted, "only the Schedule One indicator carries a restriction");
    }

    @Test
    void documentHasIdVersionDateAndTheNineRolesAndFiveAuthorities() {
        assertEquals("wycps-default", POLICY.id());
        assertEquals("1.0.0", POLICY.version());
        assertEquals(LocalDate.of(2026, 11, 24), POLICY.effectiveDate());
        assertEquals(ApiFieldTable.AUTHORITIES, POLICY.authorities());
        assertEquals(Set.of(Role.values()), POLICY.document().roles().entries().keySet());
        assertEquals(Set.of(Agency.values()), POLICY.document().agencies().entries().keySet());
        assertEquals(Set.of(Purpose.values()), POLICY.document().purposes().entries().keySet());
        ApiFieldTable.ROLE_TIERS.forEach((role, tier) ->
                assertEquals(tier, POLICY.document().roles().entries().get(role).maxTier(), role.code()));
        POLICY.document().roles().entries().forEach((role, entry) ->
                assertNotNull(entry.why(), role.code() + " has no reason for its tier"));
        assertEquals(PolicyDocument.Scope.STATISTICS_ONLY,
                POLICY.document().purposes().entries().get(Purpose.PLANNING).permits());
        assertEquals(Set.of(ConsentGround.values()), POLICY.document().consent().grounds());
    }

    @Test
    void ruleIdsAreUniqueAndEachCitesARequirement() {
        List<PolicyDocument.Rule> rules = new java.util.ArrayList<>();
        PolicyDocument d = POLICY.document();
        rules.add(d.authorities().rule());
        rules.add(d.roles().rule());
        rules.add(d.agencies().rule());
        rules.add(d.fields().rule());
        rules.add(d.purposes().rule());
        rules.add(d.consent().rule());
        rules.add(d.crossAuthority().ownAuthority());
        rules.add(d.crossAuthority().granted());
        rules.add(d.crossAuthority().otherwise());
        d.fields().entries().values().forEach(f -> {
            if (f.note() != null) {
                rules.add(f.note());
            }
            if (f.onlyFor() != null) {
                rules.add(f.onlyFor().rule());
            }
        });
        d.purposes().entries().values().forEach(p -> {
            if (p.rule() != null) {
                rules.add(p.rule());
            }
        });
        Set<String> ids = new HashSet<>();
        for (PolicyDocument.Rule r : rules) {
            assertTrue(ids.add(r.id()), "rule id twice: " + r.id());
            assertTrue(r.requirement().matches("[A-Z][0-9]{1,2}"), r.toString());
            assertNotNull(r.clause(), r.id() + " quotes no clause of the protocol");
        }
    }
}
