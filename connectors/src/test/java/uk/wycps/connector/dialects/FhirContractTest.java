package uk.wycps.connector.dialects;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.havingExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static uk.wycps.connector.dialects.ContractSupport.await;
import static uk.wycps.connector.dialects.ContractSupport.failure;
import static uk.wycps.connector.dialects.ContractSupport.request;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.fhir.FhirConnector;
import uk.wycps.record.Address;
import uk.wycps.record.AddressPeriod;
import uk.wycps.record.CanonicalFields;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.ConcernCategory;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.Gender;
import uk.wycps.record.Meeting;
import uk.wycps.record.PersonName;
import uk.wycps.record.Referral;
import uk.wycps.record.Registration;
import uk.wycps.record.Relationship;

/** The {@code fhir-r4} connector against WireMock stubs of a FHIR R4 server. */
class FhirContractTest {

    static final String W = "https://wycps.example/fhir/";
    static final String PATIENT = """
            {"resourceType": "Patient", "id": "KI-000042",
             "extension": [{"url": "%1$sStructureDefinition/ethnic-category", "valueCodeableConcept": {"text": "Mixed"}},
                           {"url": "%1$sStructureDefinition/legal-status", "valueString": "Child Protection Plan"}],
             "name": [{"use": "official", "family": "Khan", "given": ["Aisha"]},
                      {"use": "nickname", "family": "Khan-Patel", "given": ["Aysha"]}],
             "gender": "female", "birthDate": "2016-03-09",
             "address": [{"use": "home", "line": ["1 Mill Lane"], "city": "Huddersfield", "district": "kirklees", "postalCode": "HD1 1AA"},
                         {"use": "old", "line": ["2 Low Road"], "city": "Bradford", "district": "bradford", "postalCode": "BD7 1DP",
                          "period": {"start": "2016-03-09", "end": "2020-12-31"}}],
             "communication": [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "ur"}], "text": "Urdu"}}]}
            """.formatted(W);
    static final String FACTS = """
            {"resource": {"resourceType": "Flag", "id": "f1", "status": "active", "subject": {"reference": "Patient/KI-000042"},
              "code": {"coding": [{"system": "%1$sCodeSystem/register-flag", "code": "looked-after"}]}}, "search": {"mode": "include"}},
            {"resource": {"resourceType": "Flag", "id": "f2", "status": "active", "subject": {"reference": "Patient/KI-000042"},
              "category": [{"coding": [{"system": "%1$sCodeSystem/concern-category", "code": "neglect"}]}],
              "code": {"coding": [{"system": "%1$sCodeSystem/register-flag", "code": "concern-category"}]}}, "search": {"mode": "include"}},
            {"resource": {"resourceType": "Flag", "id": "f3", "status": "active", "subject": {"reference": "Patient/KI-000042"},
              "code": {"coding": [{"system": "%1$sCodeSystem/register-flag", "code": "concern-details"}], "text": "home conditions"}}},
            {"resource": {"resourceType": "EpisodeOfCare", "id": "e1", "status": "active", "patient": {"reference": "Patient/KI-000042"},
              "extension": [{"url": "%1$sStructureDefinition/concern-category", "valueCoding": {"system": "%1$sCodeSystem/concern-category", "code": "neglect"}}],
              "type": [{"coding": [{"system": "%1$sCodeSystem/episode-type", "code": "cp-registration"}]}], "period": {"start": "2021-02-01"}}},
            {"resource": {"resourceType": "EpisodeOfCare", "id": "e2", "status": "finished", "patient": {"reference": "Patient/KI-000042"},
              "extension": [{"url": "%1$sStructureDefinition/concern-category", "valueCoding": {"system": "%1$sCodeSystem/concern-category", "code": "emotional-abuse"}}],
              "type": [{"coding": [{"system": "%1$sCodeSystem/episode-type", "code": "cp-registration-history"}]}],
              "period": {"start": "2019-01-01", "end": "2019-06-30"}}},
            {"resource": {"resourceType": "RelatedPerson", "id": "r1", "patient": {"reference": "Patient/KI-000042"},
              "extension": [{"url": "%1$sStructureDefinition/concern-indicator", "valueBoolean": true},
                            {"url": "%1$sStructureDefinition/schedule-one-indicator", "valueBoolean": true}],
              "relationship": [{"text": "step-father"}], "name": [{"text": "Imran Khan"}]}},
            {"resource": {"resourceType": "Encounter", "id": "c1", "status": "finished", "subject": {"reference": "Patient/KI-000042"},
              "extension": [{"url": "%1$sStructureDefinition/meeting-outcome", "valueString": "registered - neglect"}],
              "type": [{"text": "initial child protection conference"}], "period": {"start": "2021-02-01"}}},
            {"resource": {"resourceType": "ServiceRequest", "id": "s1", "status": "completed", "intent": "order",
              "subject": {"reference": "Patient/KI-000042"}, "authoredOn": "2021-01-15",
              "requester": {"display": "school"}, "reasonCode": [{"text": "neglect"}]}},
            {"resource": {"resourceType": "AuditEvent", "id": "a1", "recorded": "2026-01-02T03:04:05Z",
              "extension": [{"url": "%1$sStructureDefinition/enquiry-id", "valueString": "q-1"},
                            {"url": "%1$sStructureDefinition/role", "valueString": "child-worker"},
                            {"url": "%1$sStructureDefinition/agency", "valueString": "police"},
                            {"url": "%1$sStructureDefinition/authority", "valueString": "leeds"},
                            {"url": "%1$sStructureDefinition/purpose", "valueString": "s47-enquiry"},
                            {"url": "%1$sStructureDefinition/consent-basis", "valueString": "obtained"}],
              "agent": [{"requestor": true, "who": {"display": "w-1"}}],
              "entity": [{"what": {"reference": "Patient/KI-000042"}}]}}
            """.formatted(W);

    private Vertx vertx;
    private WireMockServer server;
    private RegisterConnector connector;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        server = ContractSupport.wiremock();
        connector = new FhirConnector(vertx, ContractSupport.settings("kirklees", "fhir-r4", server, new JsonObject()));
    }

    @AfterEach
    void stop() throws Exception {
        await(connector.close());
        server.stop();
        await(vertx.close());
    }

    static String bundle(String patient, String facts) {
        return "{\"resourceType\": \"Bundle\", \"type\": \"searchset\", \"total\": 1, \"entry\": ["
                + "{\"fullUrl\": \"urn:x\", \"resource\": " + patient + ", \"search\": {\"mode\": \"match\"}}"
                + (facts.isBlank() ? "" : "," + facts) + "]}";
    }

    private void answer(String body, String contentType) {
        server.stubFor(get(urlPathEqualTo("/Patient")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", contentType).withBody(body)));
    }

    /** Verifies that a searchset Bundle with its Flags, EpisodesOfCare and RelatedPersons becomes the canonical record. */
    @Test
    void mapsTheBundleToTheCanonicalRecord() throws Exception {
        answer(bundle(PATIENT, FACTS), "application/fhir+json; charset=utf-8");
        ChildRecord r = await(connector.search(request(CanonicalFields.all(), 2000))).get(0);
        assertEquals(new ChildRecord("KI-000042", "Aisha", "Khan", List.of(new PersonName("Aysha", "Khan-Patel")),
                LocalDate.of(2016, 3, 9), Gender.FEMALE, List.of("Urdu"),
                new Address("1 Mill Lane", "Huddersfield", "HD1 1AA", "kirklees"),
                List.of(new AddressPeriod(new Address("2 Low Road", "Bradford", "BD7 1DP", "bradford"),
                        LocalDate.of(2016, 3, 9), LocalDate.of(2020, 12, 31))),
                "Child Protection Plan", List.of(ConcernCategory.NEGLECT),
                new Registration("active", ConcernCategory.NEGLECT, LocalDate.of(2021, 2, 1), null),
                List.of(new Registration("ended", ConcernCategory.EMOTIONAL_ABUSE, LocalDate.of(2019, 1, 1), LocalDate.of(2019, 6, 30))),
                List.of(new Meeting(LocalDate.of(2021, 2, 1), "initial child protection conference", "registered - neglect")),
                List.of(new EnquiryHistoryEntry("a1", "q-1", Instant.parse("2026-01-02T03:04:05Z"), "w-1", "child-worker",
                        "police", "leeds", "s47-enquiry", "obtained")),
                List.of(new Referral(LocalDate.of(2021, 1, 15), "school", "neglect")),
                List.of(new Relationship("Imran Khan", "step-father", true, true)),
                true, "Mixed", null, "home conditions", null), r);
    }

    /** Verifies the search parameters, and that _elements and _revinclude ask only for what the allowed fields need (A5). */
    @Test
    void asksForTheAllowedFieldsOnly() throws Exception {
        answer(bundle(PATIENT, ""), "application/fhir+json");
        ChildRecord r = await(connector.search(request(Set.of("givenName", "relationships"), 2000))).get(0);
        server.verify(getRequestedFor(urlPathEqualTo("/Patient"))
                .withQueryParam("family", equalTo("Khan"))
                .withQueryParam("given", equalTo("Aisha,Noor"))
                .withQueryParam("birthdate", equalTo("2016-03-09"))
                .withQueryParam("gender", equalTo("female"))
                .withQueryParam("address-postalcode", equalTo("BD7 1DP"))
                .withQueryParam("_elements", equalTo("name"))
                .withQueryParam("_revinclude", havingExactly("RelatedPerson:patient")));
        assertEquals("Aisha", r.givenName());
        assertNull(r.familyName(), "only the asked fields are returned, though the name element carries more");
        assertNull(r.aliases());
        assertNull(r.dateOfBirth());
    }

    /** Verifies that a Schedule One indicator the server sends unasked is dropped (A6). */
    @Test
    void dropsIndicatorsThatWereNotRequested() throws Exception {
        answer(bundle(PATIENT, FACTS), "application/fhir+json");
        ChildRecord r = await(connector.search(request(Set.of("relationships"), 2000))).get(0);
        assertEquals(List.of(new Relationship("Imran Khan", "step-father", null, null)), r.relationships());
    }

    /** Verifies that broken answers are ERRORs, never an empty match (F5). */
    @Test
    void brokenAnswersAreErrorsNotEmptyMatches() throws Exception {
        for (String broken : List.of(
                "{\"resourceType\": \"OperationOutcome\"}",
                "{\"resourceType\": \"Bundle\", \"type\": \"batch-response\", \"entry\": []}",
                "{\"resourceType\": \"Bundle\", \"type\": \"searchset\", \"entry\": {}}",
                bundle(PATIENT.replace("\"female\"", "\"other\""), ""),
                bundle(PATIENT.replace("\"2016-03-09\", \"address\"", "\"2016-03\", \"address\""), ""),
                bundle(PATIENT.replace("KI-000042", "KI 42/.."), ""),
                bundle(PATIENT, FACTS.replace("\"neglect\"}]}],", "\"arson\"}]}],")),
                bundle(PATIENT, FACTS.replace("\"status\": \"finished\"", "\"status\": \"planned\"")),
                bundle(PATIENT, "{\"resource\": {\"resourceType\": \"Observation\", \"id\": \"o\"}}"),
                bundle(PATIENT, ""))) {
            if (broken.equals(bundle(PATIENT, ""))) {
                answer(broken, "application/json");
            } else {
                answer(broken, "application/fhir+json");
            }
            assertEquals(RegisterFailure.Kind.ERROR, failure(connector.search(request(CanonicalFields.all(), 2000))).kind(), broken);
        }
    }

    /** Verifies that a Bundle with no entry is an answer with no record: the server searched and found none. */
    @Test
    void anEmptySearchsetIsNoRecord() throws Exception {
        answer("{\"resourceType\": \"Bundle\", \"type\": \"searchset\", \"total\": 0}", "application/fhir+json");
        assertEquals(List.of(), await(connector.search(request(CanonicalFields.all(), 2000))));
    }

    /** Verifies that an enquiry goes as an AuditEvent PUT under the entry's id (idempotent, M6). */
    @Test
    void recordsAnEnquiryAsAnAuditEvent() throws Exception {
        String id = "0b6f1c1e-2f65-3c1e-9d7b-2a3c4d5e6f70";
        server.stubFor(put(urlEqualTo("/AuditEvent/" + id)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/fhir+json").withBody("{}")));
        await(connector.recordEnquiry("KI-000042", new EnquiryHistoryEntry(id, "q-9", Instant.parse("2026-01-02T03:04:05Z"),
                "w-9", "child-worker", "police", "leeds", "s47-enquiry", "obtained"), Deadline.afterMillis(2000)));
        server.verify(putRequestedFor(urlEqualTo("/AuditEvent/" + id))
                .withRequestBody(matchingJsonPath("$.resourceType", equalTo("AuditEvent")))
                .withRequestBody(matchingJsonPath("$.id", equalTo(id)))
                .withRequestBody(matchingJsonPath("$.entity[0].what.reference", equalTo("Patient/KI-000042")))
                .withRequestBody(matchingJsonPath("$.recorded", equalTo("2026-01-02T03:04:05Z")))
                .withQueryParam("x", absent()));
    }
}
