package uk.wycps.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.wycps.record.CanonicalFields;

/** Verifies the reasons a decision gives, and deny by default for what a document leaves out. */
class DecisionExplanationTest {

    private static final SharingPolicy POLICY = PolicyLoader.loadDefault(CanonicalFields.all());
    private static final Declaration CHECK = new Declaration(Purpose.REGISTER_CHECK, "referral",
            ConsentBasis.notSought(ConsentGround.AUTHORISED_REGISTER_CHECK));

    private static Caller caller(Role role, Agency agency, String authority, String... grants) {
        return new Caller("u1", role, agency, authority, Set.of(grants));
    }

    private static boolean cites(List<Reason> reasons, String rule, String requirement) {
        return reasons.stream().anyMatch(r -> r.rule().equals(rule) && r.requirement().equals(requirement));
    }

    @Test
    void ownAuthorityDecisionCitesTheOwnAuthorityRuleAndTheWithheldSensitiveFields() {
        AccessDecision d = POLICY.decide(caller(Role.REFERRER, Agency.SOCIAL_SERVICES, "leeds"), CHECK, "leeds");
        assertEquals(Tier.PERSONAL, d.tier());
        assertTrue(cites(d.reasons(), "own-authority", "A4"), d.reasons().toString());
        assertTrue(cites(d.reasons(), "field-classification", "A5"), d.reasons().toString());
        assertTrue(cites(d.reasons(), "looked-after-indicator-only", "A7"), d.reasons().toString());
        assertTrue(d.reasons().stream().anyMatch(r -> r.explanation().contains("ethnicity")));
    }

    @Test
    void scheduleOneWithheldCitesA6() {
        AccessDecision d = POLICY.decide(caller(Role.CHILD_WORKER, Agency.SOCIAL_SERVICES, "leeds"), CHECK, "leeds");
        assertTrue(d.withheldFields().contains(CanonicalFields.RELATIONSHIP_SCHEDULE_ONE));
        assertTrue(cites(d.reasons(), "schedule-one", "A6"), d.reasons().toString());
    }

    @Test
    void policeOfficerWithoutGrantGetsNothingFromAnyRegisterAndIsToldWhy() {
        // issue 3: police officer without grant: nothing from any register
        Caller police = caller(Role.CHILD_WORKER, Agency.POLICE, null);
        for (String a : ApiFieldTable.AUTHORITIES) {
            AccessDecision d = POLICY.decide(police, CHECK, a);
            assertEquals(Tier.ANONYMISED, d.tier(), a);
            assertTrue(d.allowedFields().isEmpty());
            assertEquals(CanonicalFields.all(), d.withheldFields());
            assertTrue(cites(d.reasons(), "other-authority-anonymised", "A4"), d.reasons().toString());
        }
    }

    @Test
    void grantedDecisionCitesTheGrant() {
        AccessDecision d = POLICY.decide(caller(Role.CHILD_WORKER, Agency.SOCIAL_SERVICES, "leeds",
                "cross-authority:bradford"), CHECK, "bradford");
        assertEquals(Tier.SENSITIVE, d.tier());
        assertTrue(d.reasons().stream().anyMatch(r -> r.rule().equals("cross-authority-grant")
                && r.explanation().contains("cross-authority:bradford")), d.reasons().toString());
    }

    @Test
    void planningIsRefusedCitingP3() {
        Declaration planning = new Declaration(Purpose.PLANNING, "annual report",
                ConsentBasis.notSought(ConsentGround.BUILDING_PICTURE));
        Caller c = caller(Role.CP_COORDINATOR, Agency.SOCIAL_SERVICES, "leeds");
        EnquiryPermission p = POLICY.permitEnquiry(c, planning);
        assertFalse(p.permitted());
        assertEquals("purpose-not-permitted", p.code());
        assertTrue(cites(p.reasons(), "planning-statistics-only", "P3"));
        assertTrue(cites(POLICY.decide(c, planning, "leeds").reasons(), "planning-statistics-only", "P3"));
    }

    @Test
    void performanceQualityMayNotMakeNamedEnquiries() {
        EnquiryPermission p = POLICY.permitEnquiry(caller(Role.PERFORMANCE_QUALITY, Agency.SOCIAL_SERVICES, "leeds",
                "cross-authority:*"), CHECK);
        assertFalse(p.permitted());
        assertEquals("role-not-permitted", p.code());
    }

    @Test
    void permittedEnquiryCitesPurposeConsentAndRole() {
        EnquiryPermission p = POLICY.permitEnquiry(caller(Role.CHILD_WORKER, Agency.HEALTH, "leeds"), CHECK);
        assertTrue(p.permitted());
        assertTrue(cites(p.reasons(), "purpose-need-to-know", "P1"));
        assertTrue(cites(p.reasons(), "consent-basis", "P2"));
        assertTrue(cites(p.reasons(), "role-maximum-tier", "A3"));
    }

    @Test
    void unknownSourceAndHomeAuthoritiesGetNothing() {
        AccessDecision d = POLICY.decide(caller(Role.CP_COORDINATOR, Agency.SOCIAL_SERVICES, "leeds",
                "cross-authority:*"), CHECK, "york");
        assertEquals(Tier.ANONYMISED, d.tier());
        assertTrue(cites(d.reasons(), "known-authorities", "A8"));
        Caller york = caller(Role.CP_COORDINATOR, Agency.SOCIAL_SERVICES, "york", "cross-authority:*");
        assertEquals("authority-unknown", POLICY.permitEnquiry(york, CHECK).code());
        assertEquals(Tier.ANONYMISED, POLICY.decide(york, CHECK, "leeds").tier());
    }

    @Test
    void roleAgencyPurposeOrConsentGroundLeftOutOfTheDocumentGetsNothing(@TempDir Path dir) throws IOException {
        // A8: a document that does not list something denies it, rather than defaulting
        String yaml = defaultYaml()
                .replace("    referrer:\n      maxTier: PERSONAL\n", "")
                .replace("    other: {maxTier: SENSITIVE, why: \"Other partner organisations: external professionals,"
                        + " anonymised unless specifically authorised (A4).\"}\n", "")
                .replace("    crime-prevention-detection: {permits: person-level}\n", "")
                .replace("grounds: [risk-of-significant-harm, ", "grounds: [");
        yaml = yaml.replaceAll("(?m)^      why: \"Makes a referral.*\\n", "");
        Path file = dir.resolve("narrow.yaml");
        Files.writeString(file, yaml);
        SharingPolicy narrow = PolicyLoader.load(file, CanonicalFields.all());
        record Case(Caller caller, Declaration declaration, String code) {
        }
        List<Case> cases = List.of(
                new Case(caller(Role.REFERRER, Agency.SOCIAL_SERVICES, "leeds"), CHECK, "role-not-permitted"),
                new Case(caller(Role.CHILD_WORKER, Agency.OTHER, "leeds", "cross-authority:*"), CHECK,
                        "agency-not-permitted"),
                new Case(caller(Role.CHILD_WORKER, Agency.SOCIAL_SERVICES, "leeds"), new Declaration(
                        Purpose.CRIME_PREVENTION_DETECTION, "x", ConsentBasis.obtained("F")), "purpose-not-permitted"),
                new Case(caller(Role.CHILD_WORKER, Agency.SOCIAL_SERVICES, "leeds"), new Declaration(
                        Purpose.S47_ENQUIRY, "x", ConsentBasis.notSought(ConsentGround.RISK_OF_SIGNIFICANT_HARM)),
                        "consent-not-accepted"));
        for (Case c : cases) {
            assertEquals(c.code(), narrow.permitEnquiry(c.caller(), c.declaration()).code(), c.toString());
            AccessDecision d = narrow.decide(c.caller(), c.declaration(), "leeds");
            assertEquals(Tier.ANONYMISED, d.tier(), c.toString());
            assertTrue(d.allowedFields().isEmpty(), c.toString());
        }
        // and what is still listed still works
        assertTrue(narrow.decide(caller(Role.CHILD_WORKER, Agency.SOCIAL_SERVICES, "leeds"), CHECK, "leeds")
                .recordsVisible());
    }

    @Test
    void jsonDocumentIsReadToo(@TempDir Path dir) throws IOException {
        var yaml = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        var tree = yaml.readTree(defaultYaml());
        Path file = dir.resolve("policy.json");
        Files.writeString(file, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(tree));
        ProtocolPolicy p = PolicyLoader.load(file, CanonicalFields.all(), ApiFieldTable.AUTHORITIES);
        assertEquals("wycps-default", p.id());
    }

    static String defaultYaml() throws IOException {
        try (var in = PolicyLoader.class.getResourceAsStream(PolicyLoader.DEFAULT_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
