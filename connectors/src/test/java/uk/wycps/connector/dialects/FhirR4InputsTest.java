package uk.wycps.connector.dialects;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static uk.wycps.connector.dialects.DialectContract.await;
import static uk.wycps.connector.dialects.DialectContract.failure;
import static uk.wycps.connector.dialects.DialectContract.request;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.connector.fhir.FhirConnector;
import uk.wycps.record.Address;
import uk.wycps.record.AddressPeriod;
import uk.wycps.record.CanonicalFields;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.ConcernCategory;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.Gender;
import uk.wycps.record.Registration;

/**
 * Valid R4 that a FHIR server may send, each read as the specification says or refused with a
 * reason, never a silent wrong answer (F3, F5): the inputs issue 22 lists.
 */
class FhirR4InputsTest {

    private static final String W = "https://wycps.example/fhir/";
    private static final String SUBJECT = "\"subject\": {\"reference\": \"Patient/KI-1\"}";

    private Vertx vertx;
    private WireMockServer server;
    private RegisterConnector connector;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        server = ContractSupport.wiremock();
        connector = connector(new JsonObject());
    }

    private RegisterConnector connector(JsonObject options) {
        return new FhirConnector(vertx, ContractSupport.settings("kirklees", "fhir-r4", server, options));
    }

    @AfterEach
    void stop() throws Exception {
        await(connector.close());
        server.stop();
        await(vertx.close());
    }

    private static String patient(String more) {
        return "{\"resourceType\": \"Patient\", \"id\": \"KI-1\", \"name\": [{\"use\": \"official\", \"family\": \"Khan\","
                + " \"given\": [\"Aisha\"]}], \"birthDate\": \"2016-03-09\"" + (more.isEmpty() ? "" : ", " + more) + "}";
    }

    private static String match(String resource) {
        return "{\"fullUrl\": \"http://127.0.0.1/fhir/Patient/KI-1\", \"resource\": " + resource
                + ", \"search\": {\"mode\": \"match\"}}";
    }

    private static String include(String resource) {
        return "{\"resource\": " + resource + ", \"search\": {\"mode\": \"include\"}}";
    }

    private static String bundle(String... entries) {
        return "{\"resourceType\": \"Bundle\", \"type\": \"searchset\", \"entry\": [" + String.join(",", entries) + "]}";
    }

    private void answer(String body) {
        server.stubFor(get(urlPathEqualTo("/Patient")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/fhir+json").withBody(body)));
    }

    private ChildRecord one(String body) throws Exception {
        answer(body);
        List<ChildRecord> found = await(connector.search(request(CanonicalFields.all(), 10_000)));
        assertEquals(1, found.size(), found.toString());
        return found.get(0);
    }

    private RegisterFailure refused(String body) throws Exception {
        answer(body);
        RegisterFailure f = failure(connector.search(request(CanonicalFields.all(), 10_000)));
        assertEquals(RegisterFailure.Kind.ERROR, f.kind());
        return f;
    }

    /** Verifies that an extension the profile does not know is ignored, as R4 requires. */
    @Test
    void unknownOrdinaryExtensionsAreIgnored() throws Exception {
        ChildRecord r = one(bundle(match(patient("\"extension\": [{\"url\": \"http://example.org/x\", \"valueString\": \"y\"}]"))));
        assertEquals("Khan", r.familyName());
    }

    /** Verifies that an unknown modifier extension, anywhere in a Patient or a register fact, refuses the answer with a reason. */
    @Test
    void unknownModifierExtensionsRefuseTheAnswer() throws Exception {
        String modifier = "\"modifierExtension\": [{\"url\": \"http://example.org/not\", \"valueBoolean\": true}]";
        assertTrue(refused(bundle(match(patient(modifier)))).getMessage().contains("modifier extension"));
        refused(bundle(match(patient("\"communication\": [{" + modifier + ", \"language\": {\"text\": \"Urdu\"}}]"))));
        refused(bundle(match(patient("")), include("{\"resourceType\": \"Flag\", \"id\": \"f\", \"status\": \"active\", "
                + SUBJECT + ", " + modifier + ", \"code\": {\"coding\": [{\"system\": \"" + W
                + "CodeSystem/register-flag\", \"code\": \"looked-after\"}]}}")));
        refused(bundle(match(patient("\"implicitRules\": \"http://example.org/rules\""))));
    }

    /** Verifies that a dateTime where a date is read (Period.start, authoredOn) gives its day; a partial date is refused. */
    @Test
    void aDateTimeIsReadAsItsDateAndAPartialDateIsRefused() throws Exception {
        ChildRecord r = one(bundle(match(patient("")), include("{\"resourceType\": \"EpisodeOfCare\", \"id\": \"e\", "
                + "\"status\": \"active\", \"patient\": {\"reference\": \"Patient/KI-1\"}, \"type\": [{\"coding\": [{\"system\": \""
                + W + "CodeSystem/episode-type\", \"code\": \"cp-registration\"}]}], "
                + "\"period\": {\"start\": \"2021-02-01T09:30:00+00:00\"}}")));
        assertEquals(LocalDate.of(2021, 2, 1), r.registration().start());
        assertTrue(refused(bundle(match(patient("").replace("\"2016-03-09\"", "\"2016-03\""))))
                .getMessage().contains("partial date"));
    }

    /** Verifies that a language given only as a coding is read from its display, or its code. */
    @Test
    void aLanguageGivenOnlyAsACodingIsRead() throws Exception {
        ChildRecord r = one(bundle(match(patient("\"communication\": ["
                + "{\"language\": {\"coding\": [{\"system\": \"urn:ietf:bcp:47\", \"code\": \"ur\", \"display\": \"Urdu\"}]}},"
                + "{\"language\": {\"coding\": [{\"system\": \"urn:ietf:bcp:47\", \"code\": \"pl\"}]}}]"))));
        assertEquals(List.of("Urdu", "pl"), r.languages());
    }

    /** Verifies that several addresses are ordered by use and period: the home one now, the rest history; work ignored. */
    @Test
    void severalAddressesAreOrderedByUseAndPeriod() throws Exception {
        ChildRecord r = one(bundle(match(patient("\"address\": ["
                + "{\"use\": \"temp\", \"line\": [\"3 Refuge Road\"], \"postalCode\": \"HD2 2BB\"},"
                + "{\"use\": \"work\", \"line\": [\"School\"], \"postalCode\": \"HD9 9ZZ\"},"
                + "{\"use\": \"home\", \"line\": [\"1 Mill Lane\"], \"postalCode\": \"HD1 1AA\"},"
                + "{\"line\": [\"2 Low Road\"], \"postalCode\": \"BD7 1DP\", \"period\": {\"start\": \"2016-03-09\", \"end\": \"2020-12-31\"}}]"))));
        assertEquals(new Address("1 Mill Lane", null, "HD1 1AA", null), r.address());
        assertEquals(List.of(new AddressPeriod(new Address("3 Refuge Road", null, "HD2 2BB", null), null, null),
                new AddressPeriod(new Address("2 Low Road", null, "BD7 1DP", null), LocalDate.of(2016, 3, 9),
                        LocalDate.of(2020, 12, 31))), r.addressHistory());
        ChildRecord latest = one(bundle(match(patient("\"address\": ["
                + "{\"use\": \"home\", \"line\": [\"Old\"], \"period\": {\"start\": \"2018-01-01\"}},"
                + "{\"use\": \"home\", \"line\": [\"New\"], \"period\": {\"start\": \"2023-05-01\"}}]"))));
        assertEquals("New", latest.address().line1(), "of two current homes, the later start");
    }

    /** Verifies that relative, absolute, versioned and urn:uuid references all link a fact to its Patient; another server's do not. */
    @Test
    void everyFormOfReferenceLinksTheFact() throws Exception {
        String flag = "{\"resourceType\": \"Flag\", \"id\": \"%s\", \"status\": \"active\", \"subject\": {\"reference\": \"%s\"},"
                + " \"category\": [{\"coding\": [{\"system\": \"" + W + "CodeSystem/concern-category\", \"code\": \"%s\"}]}],"
                + " \"code\": {\"coding\": [{\"system\": \"" + W + "CodeSystem/register-flag\", \"code\": \"concern-category\"}]}}";
        String base = "http://127.0.0.1:" + server.port();
        String body = bundle(
                "{\"fullUrl\": \"urn:uuid:7d3e1c52-0f59-4b8e-9b21-3c1f0a2d4e5f\", \"resource\": " + patient("")
                        + ", \"search\": {\"mode\": \"match\"}}",
                include(flag.formatted("a", base + "/Patient/KI-1", "neglect")),
                include(flag.formatted("b", "Patient/KI-1/_history/3", "physical-abuse")),
                include(flag.formatted("c", "urn:uuid:7d3e1c52-0f59-4b8e-9b21-3c1f0a2d4e5f", "emotional-abuse")),
                include(flag.formatted("d", "https://elsewhere.example/fhir/Patient/KI-1", "sexual-abuse")));
        ChildRecord r = one(body);
        assertEquals(List.of(ConcernCategory.NEGLECT, ConcernCategory.PHYSICAL_ABUSE, ConcernCategory.EMOTIONAL_ABUSE),
                r.concernCategories());
    }

    /**
     * Verifies that only register facts count: a Flag of another code system, an Encounter that
     * is no conference, an AuditEvent that is no enquiry of the gateway's, a concern Flag entered
     * in error and an included Practitioner change nothing.
     */
    @Test
    void onlyRegisterFactsCount() throws Exception {
        ChildRecord r = one(bundle(match(patient("")),
                include("{\"resourceType\": \"Flag\", \"id\": \"allergy\", \"status\": \"active\", " + SUBJECT
                        + ", \"code\": {\"coding\": [{\"system\": \"http://snomed.info/sct\", \"code\": \"91936005\"}]}}"),
                include("{\"resourceType\": \"Flag\", \"id\": \"oops\", \"status\": \"entered-in-error\", " + SUBJECT
                        + ", \"category\": [{\"coding\": [{\"system\": \"" + W + "CodeSystem/concern-category\", \"code\": \"neglect\"}]}]"
                        + ", \"code\": {\"coding\": [{\"system\": \"" + W + "CodeSystem/register-flag\", \"code\": \"concern-category\"}]}}"),
                include("{\"resourceType\": \"Encounter\", \"id\": \"gp\", \"status\": \"finished\", \"class\": {\"code\": \"AMB\"}, "
                        + SUBJECT + ", \"type\": [{\"text\": \"GP appointment\"}], \"period\": {\"start\": \"2024-01-01\"}}"),
                include("{\"resourceType\": \"AuditEvent\", \"id\": \"read\", \"type\": {\"code\": \"rest\"}, "
                        + "\"recorded\": \"2026-01-01T00:00:00Z\", \"agent\": [{\"requestor\": true}], \"source\": {\"observer\": {}}, "
                        + "\"entity\": [{\"what\": {\"reference\": \"Patient/KI-1\"}}]}"),
                include("{\"resourceType\": \"Practitioner\", \"id\": \"dr\", \"name\": [{\"family\": \"Jones\"}]}")));
        assertEquals(List.of(), r.concernCategories());
        assertEquals(List.of(), r.meetings());
        assertEquals(List.of(), r.enquiryHistory());
    }

    /** Verifies EpisodeOfCare onhold as a standing registration and gender other as unknown (no canonical code for it). */
    @Test
    void onholdEpisodesAndGenderOtherAreAccepted() throws Exception {
        ChildRecord r = one(bundle(match(patient("\"gender\": \"other\"")), include("{\"resourceType\": \"EpisodeOfCare\", "
                + "\"id\": \"e\", \"status\": \"onhold\", \"patient\": {\"reference\": \"Patient/KI-1\"}, \"type\": [{\"coding\": "
                + "[{\"system\": \"" + W + "CodeSystem/episode-type\", \"code\": \"cp-registration\"}]}], "
                + "\"period\": {\"start\": \"2021-02-01\"}}")));
        assertEquals(Gender.UNKNOWN, r.gender());
        assertEquals(new Registration(Registration.ACTIVE, null, LocalDate.of(2021, 2, 1), null), r.registration());
    }

    /** Verifies that a Patient brought as an include (a linked record, say) is no candidate. */
    @Test
    void anIncludedPatientIsNoCandidate() throws Exception {
        ChildRecord r = one(bundle(match(patient("")), include(patient("").replace("KI-1", "KI-2"))));
        assertEquals("KI-1", r.recordId());
    }

    /** Verifies that an error OperationOutcome in a searchset means the answer is not whole: ERROR. */
    @Test
    void anErrorOutcomeInTheSearchsetIsAnError() throws Exception {
        refused(bundle(match(patient("")), "{\"resource\": {\"resourceType\": \"OperationOutcome\", \"issue\": [{\"severity\": "
                + "\"error\", \"code\": \"too-costly\"}]}, \"search\": {\"mode\": \"outcome\"}}"));
    }

    /**
     * Verifies that a warning that the search was cut short is ERROR too (F5), with no match or
     * with one: "too many results, refine" beside an empty bundle read as no record, and includes
     * cut off beside a match passed a child without their registration; a mere note does not.
     */
    @Test
    void aWarningThatTheSearchWasCutShortIsAnErrorWithOrWithoutAMatch() throws Exception {
        for (String code : List.of("too-costly", "incomplete", "throttled")) {
            String outcome = "{\"resource\": {\"resourceType\": \"OperationOutcome\", \"issue\": [{\"severity\": "
                    + "\"warning\", \"code\": \"" + code + "\", \"diagnostics\": \"refine\"}]}, \"search\": {\"mode\": \"outcome\"}}";
            refused(bundle(outcome));
            refused(bundle(match(patient("")), outcome));
        }
        assertEquals("KI-1", one(bundle(match(patient("")), "{\"resource\": {\"resourceType\": \"OperationOutcome\", "
                + "\"issue\": [{\"severity\": \"information\", \"code\": \"informational\"}]}, \"search\": {\"mode\": "
                + "\"outcome\"}}")).recordId());
    }

    private String page(String id, String next, Integer total) {
        return "{\"resourceType\": \"Bundle\", \"type\": \"searchset\"" + (total == null ? "" : ", \"total\": " + total)
                + ", \"link\": [{\"relation\": \"self\", \"url\": \"x\"}"
                + (next == null ? "" : ", {\"relation\": \"next\", \"url\": \"" + next + "\"}") + "], \"entry\": ["
                + match(patient("").replace("KI-1", id)) + "]}";
    }

    private void pages(String first, String second) {
        server.stubFor(get(urlPathEqualTo("/Patient")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/fhir+json").withBody(first)));
        server.stubFor(get(urlPathEqualTo("/page2")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/fhir+json").withBody(second)));
    }

    /** Verifies that link[next] is followed and the pages' Patients merged. */
    @Test
    void nextLinksAreFollowed() throws Exception {
        pages(page("KI-1", "http://127.0.0.1:" + server.port() + "/page2?_getpages=abc", 2), page("KI-2", null, 2));
        List<ChildRecord> found = await(connector.search(request(CanonicalFields.all(), 10_000)));
        assertEquals(List.of("KI-1", "KI-2"), found.stream().map(ChildRecord::recordId).toList());
    }

    /** Verifies that fewer matches than the register's own total, or more than the cap, is an ERROR saying incomplete (F5). */
    @Test
    void aShortOrOversizedAnswerIsIncomplete() throws Exception {
        pages(page("KI-1", null, 2), page("KI-2", null, 2));
        assertTrue(failure(connector.search(request(CanonicalFields.all(), 10_000))).getMessage().contains("incomplete"));
        pages(page("KI-1", "http://127.0.0.1:" + server.port() + "/page2", 999), page("KI-2", null, 999));
        RegisterConnector capped = connector(new JsonObject().put("maxPatients", 10));
        try {
            RegisterFailure f = failure(capped.search(request(CanonicalFields.all(), 10_000)));
            assertTrue(f.getMessage().contains("incomplete"), f.getMessage());
            server.verify(0, getRequestedFor(urlPathEqualTo("/page2")));
        } finally {
            await(capped.close());
        }
    }

    /**
     * Verifies that a search's pages together are bounded, not each alone: every page is held
     * until the last is read, and forty pages each just under the cap could fill the gateway's
     * heap. Eight small pages pass with the usual cap and are an ERROR when each is within the cap
     * but four answers' worth of it is less than they come to.
     */
    @Test
    void aSearchsPagesTogetherAreBoundedNotEachAlone() throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            String next = i < 8 ? "http://127.0.0.1:" + server.port() + "/p" + (i + 1) : null;
            String body = page("KI-" + i, next, null);
            bodies.add(body);
            server.stubFor(get(urlPathEqualTo(i == 1 ? "/Patient" : "/p" + i)).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/fhir+json").withBody(body)));
        }
        int largest = bodies.stream().mapToInt(b -> b.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).max()
                .orElseThrow();
        assertEquals(8, await(connector.search(request(CanonicalFields.all(), 10_000))).size());
        // each page within the cap, the eight of them beyond four times it
        int cap = largest + 1;
        assertTrue(8L * largest > FhirConnector.SEARCH_ANSWERS * (long) cap);
        RegisterSettings s = ContractSupport.settings("kirklees", "fhir-r4", server, new JsonObject());
        RegisterConnector bounded = new FhirConnector(vertx, new RegisterSettings(s.authority(), s.dialect(), s.baseUrl(),
                s.deadline(), s.maxConnections(), s.maxWaitQueue(), cap, s.options()));
        try {
            RegisterFailure f = failure(bounded.search(request(CanonicalFields.all(), 10_000)));
            assertEquals(RegisterFailure.Kind.ERROR, f.kind());
            assertTrue(f.getMessage().contains("too large"), f.getMessage());
        } finally {
            await(bounded.close());
        }
    }

    /**
     * Verifies that a next link without a url, or two next links, make the answer incomplete
     * (ERROR, F5) instead of ending the paging at the first page as if it were the last.
     */
    @Test
    void aNextLinkWithoutAUrlOrTwoNextLinksAreIncomplete() throws Exception {
        String noUrl = page("KI-1", null, null).replace("\"link\": [{\"relation\": \"self\", \"url\": \"x\"}",
                "\"link\": [{\"relation\": \"self\", \"url\": \"x\"}, {\"relation\": \"next\"}");
        assertTrue(refused(noUrl).getMessage().contains("incomplete"), noUrl);
        String twoNext = page("KI-1", "http://127.0.0.1:" + server.port() + "/page2", null).replace("], \"entry\"",
                ", {\"relation\": \"next\", \"url\": \"\"}], \"entry\"");
        assertTrue(refused(twoNext).getMessage().contains("incomplete"), twoNext);
    }

    /**
     * Verifies that the register's total is held against distinct Patients: the same Patient on
     * two pages (unstable paging) with a total of 2 means one candidate was never sent (F5).
     */
    @Test
    void aPatientRepeatedAcrossPagesDoesNotMakeUpTheTotal() throws Exception {
        pages(page("KI-1", "http://127.0.0.1:" + server.port() + "/page2", 2), page("KI-1", null, 2));
        RegisterFailure f = failure(connector.search(request(CanonicalFields.all(), 10_000)));
        assertEquals(RegisterFailure.Kind.ERROR, f.kind());
        assertTrue(f.getMessage().contains("1 of the 2"), f.getMessage());
    }

    /** Verifies that a next link to another host is refused, never followed. */
    @Test
    void aNextLinkToAnotherHostIsRefused() throws Exception {
        pages(page("KI-1", "http://169.254.169.254/page2", null), page("KI-2", null, null));
        assertEquals(RegisterFailure.Kind.ERROR, failure(connector.search(request(CanonicalFields.all(), 10_000))).kind());
    }

    /** Verifies that the CapabilityStatement is read once per connector, and phonetic used where it is offered. */
    @Test
    void theCapabilityStatementIsReadOnceAndPhoneticUsedWhereOffered() throws Exception {
        server.stubFor(get(urlEqualTo("/metadata")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/fhir+json").withBody("{\"resourceType\": \"CapabilityStatement\", "
                        + "\"status\": \"active\", \"kind\": \"instance\", \"rest\": [{\"mode\": \"server\", \"resource\": "
                        + "[{\"type\": \"Patient\", \"searchParam\": [{\"name\": \"family\", \"type\": \"string\"}, "
                        + "{\"name\": \"phonetic\", \"type\": \"string\"}]}]}]}")));
        answer(bundle(match(patient(""))));
        await(connector.search(request(CanonicalFields.all(), 10_000)));
        await(connector.search(request(CanonicalFields.all(), 10_000)));
        server.verify(1, getRequestedFor(urlEqualTo("/metadata")));
        server.verify(2, getRequestedFor(urlPathEqualTo("/Patient")).withQueryParam("phonetic", equalTo("Khan")));
    }

    private static final String PHONETIC_CAPABILITIES = "{\"resourceType\": \"CapabilityStatement\", "
            + "\"status\": \"active\", \"kind\": \"instance\", \"rest\": [{\"mode\": \"server\", \"resource\": "
            + "[{\"type\": \"Patient\", \"searchParam\": [{\"name\": \"family\", \"type\": \"string\"}, "
            + "{\"name\": \"phonetic\", \"type\": \"string\"}]}]}]}";

    /**
     * Verifies that one bad answer to {@code /metadata} (a 500) fails that one search (F5: searched
     * without the phonetic matching the register offers, it was reported a whole check) and no
     * other: the CapabilityStatement is asked for again, and the next search uses phonetic
     * matching where it is offered. Taken for good, a moment's fault narrowed every later search.
     */
    @Test
    void aMetadataFaultFailsOneSearchNotEveryLaterOne() throws Exception {
        server.stubFor(get(urlEqualTo("/metadata")).inScenario("metadata").whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(500)).willSetStateTo("mended"));
        server.stubFor(get(urlEqualTo("/metadata")).inScenario("metadata").whenScenarioStateIs("mended")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/fhir+json")
                        .withBody(PHONETIC_CAPABILITIES)));
        answer(bundle(match(patient(""))));
        assertEquals(RegisterFailure.Kind.ERROR, failure(connector.search(request(CanonicalFields.all(), 10_000))).kind());
        server.verify(0, getRequestedFor(urlPathEqualTo("/Patient")));
        await(connector.search(request(CanonicalFields.all(), 10_000)));
        server.verify(2, getRequestedFor(urlEqualTo("/metadata")));
        server.verify(1, getRequestedFor(urlPathEqualTo("/Patient")).withQueryParam("phonetic", equalTo("Khan")));
    }

    /** Verifies that a server without a CapabilityStatement (404) is asked for it once, then searched plainly. */
    @Test
    void aServerWithoutMetadataIsAskedOnce() throws Exception {
        server.stubFor(get(urlEqualTo("/metadata")).willReturn(aResponse().withStatus(404)));
        answer(bundle(match(patient(""))));
        await(connector.search(request(CanonicalFields.all(), 10_000)));
        await(connector.search(request(CanonicalFields.all(), 10_000)));
        server.verify(1, getRequestedFor(urlEqualTo("/metadata")));
    }

    /** Verifies that writes go as application/fhir+json and that 201 with no body or 200 with plain JSON is success. */
    @Test
    void writesAreFhirJsonAndAnyCreatedOrOkAnswerIsSuccess() throws Exception {
        server.stubFor(put(WireMock.urlPathMatching("/AuditEvent/.*")).willReturn(aResponse().withStatus(201)));
        server.stubFor(put(WireMock.urlPathMatching("/Basic/.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"resourceType\": \"Basic\"}")));
        await(connector.recordEnquiry("KI-1", new EnquiryHistoryEntry("e-1", "q-1", Instant.parse("2026-01-02T03:04:05Z"),
                "w", "child-worker", "police", "leeds", "s47-enquiry", "obtained"), Deadline.afterMillis(10_000)));
        await(connector.publishCheckpoint(new AuditCheckpoint(9, "ab", "2026-01-02T03:04:05Z", "k", "s"), Deadline.afterMillis(10_000)));
        server.verify(putRequestedFor(urlEqualTo("/AuditEvent/e-1")).withHeader("Content-Type", equalTo("application/fhir+json")));
        server.verify(putRequestedFor(urlEqualTo("/Basic/wycps-checkpoint-9")).withHeader("Content-Type", equalTo("application/fhir+json")));
    }
}
