package uk.wycps.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.fhir.Fhir;
import uk.wycps.connector.fhir.FhirResources;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.EnquiryHistoryEntry;

/**
 * The mock FHIR register's every answer is valid R4 by HAPI FHIR 8.4.0's instance validator:
 * its CapabilityStatement, searchset pages with and without matches, its errors (each an
 * OperationOutcome) and its answers to writes.
 */
class MockFhirIsValidR4Test {

    private static final String ALL_FACTS = "&_revinclude=Flag:patient&_revinclude=EpisodeOfCare:patient"
            + "&_revinclude=RelatedPerson:patient&_revinclude=Encounter:patient&_revinclude=ServiceRequest:patient"
            + "&_revinclude=AuditEvent:patient";

    private static Vertx vertx;
    private static MockFederation federation;
    private static MockRegister kirklees;
    private static java.net.http.HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        federation = MockRegisters.start(vertx, MockOptions.defaults().withAuthorityDialects().withChildrenPerRegister(200)
                .withEphemeralPorts()).await(60, TimeUnit.SECONDS);
        kirklees = federation.register("kirklees");
        client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(20)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        federation.close().await(20, TimeUnit.SECONDS);
        vertx.close().await(20, TimeUnit.SECONDS);
    }

    private record Answer(int status, String contentType, String body) {
    }

    private static Answer exchange(HttpMethod method, String path, String body) throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + kirklees.port() + path)).timeout(Duration.ofSeconds(60));
        if (body == null) {
            b.method(method.name(), java.net.http.HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", Fhir.CONTENT_TYPE).method(method.name(),
                    java.net.http.HttpRequest.BodyPublishers.ofString(body));
        }
        java.net.http.HttpResponse<String> r = client.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    private static void assertValid(Answer a, String what) {
        assertTrue(a.contentType().startsWith(Fhir.CONTENT_TYPE), what + ": " + a.contentType());
        assertEquals(List.of(), HapiR4.errors(a.body()), what);
    }

    /** Verifies that /metadata is a valid CapabilityStatement offering the search the connector makes. */
    @Test
    void theCapabilityStatementIsValid() throws Exception {
        Answer a = exchange(HttpMethod.GET, "/metadata", null);
        assertEquals(200, a.status());
        assertValid(a, "metadata");
        assertTrue(a.body().contains("\"phonetic\""));
    }

    /**
     * Verifies that searchset pages are valid with every kind of fact included: the first page
     * of a common name with its next link, a later page, single children, and a search with no
     * match (no empty entry list).
     */
    @Test
    void searchPagesAreValid() throws Exception {
        List<String> paths = new ArrayList<>();
        ChildRecord first = kirklees.records().get(0);
        paths.add("/Patient?family=" + first.familyName() + "&_count=2" + ALL_FACTS);
        paths.add("/Patient?family=" + first.familyName() + "&_count=2&_offset=2" + ALL_FACTS);
        for (int i = 1; i < kirklees.records().size(); i += 20) {
            ChildRecord r = kirklees.records().get(i);
            paths.add("/Patient?family=" + r.familyName() + "&given=" + r.givenName() + "&birthdate=" + r.dateOfBirth()
                    + ALL_FACTS);
        }
        paths.add("/Patient?family=Zzyzxqv&birthdate=ge2001-01-01&birthdate=le2001-12-31");
        for (String path : paths) {
            Answer a = exchange(HttpMethod.GET, path.replace(" ", "%20"), null);
            assertEquals(200, a.status(), path);
            assertValid(a, path);
            assertTrue(!a.body().contains("[]"), "no empty list: " + path);
        }
        JsonObject firstPage = new JsonObject(exchange(HttpMethod.GET, paths.get(0), null).body());
        assertTrue(firstPage.getJsonArray("link").stream().anyMatch(l -> "next".equals(((JsonObject) l).getString("relation"))),
                "a next link while more matches remain");
    }

    /** Verifies that every error is an OperationOutcome, valid R4: bad parameters, an unknown path, an injected fault, a conflict. */
    @Test
    void errorsAreValidOperationOutcomes() throws Exception {
        List<Answer> errors = new ArrayList<>();
        errors.add(exchange(HttpMethod.GET, "/Patient?birthdate=not-a-date&family=X", null));
        errors.add(exchange(HttpMethod.GET, "/Observation?code=x", null));
        errors.add(exchange(HttpMethod.PUT, "/AuditEvent/a1", "{\"resourceType\": \"Patient\"}"));
        AuditCheckpoint one = new AuditCheckpoint(3, "aa", "2026-01-01T00:00:00Z", "k", "s1");
        assertEquals(201, exchange(HttpMethod.PUT, "/Basic/" + Fhir.checkpointId(3), FhirResources.checkpoint(one).toString()).status());
        errors.add(exchange(HttpMethod.PUT, "/Basic/" + Fhir.checkpointId(3), FhirResources.checkpoint(
                new AuditCheckpoint(3, "bb", "2026-01-01T00:00:00Z", "k", "s2")).toString()));
        kirklees.setFaults(FaultSettings.mode(FaultMode.ERROR));
        try {
            errors.add(exchange(HttpMethod.GET, "/Patient?family=X", null));
        } finally {
            kirklees.clearFaults();
        }
        assertEquals(List.of(400, 404, 400, 409, 500), errors.stream().map(Answer::status).toList());
        for (Answer a : errors) {
            assertTrue(a.body().contains("\"OperationOutcome\""), a.body());
            assertValid(a, a.status() + " " + a.body());
        }
    }

    /** Verifies that the answers to the connector's writes (201, then 200 for the same again) are valid resources. */
    @Test
    void answersToWritesAreValid() throws Exception {
        ChildRecord r = kirklees.records().get(4);
        EnquiryHistoryEntry e = new EnquiryHistoryEntry("5c0d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "enq-5",
                Instant.parse("2026-03-04T05:06:07Z"), "worker-3", "child-worker", "police", "leeds", "s47-enquiry", "obtained");
        String body = FhirResources.auditEvent(r.recordId(), e).toString();
        Answer created = exchange(HttpMethod.PUT, "/AuditEvent/" + e.entryId(), body);
        Answer again = exchange(HttpMethod.PUT, "/AuditEvent/" + e.entryId(), body);
        assertEquals(List.of(201, 200), List.of(created.status(), again.status()));
        assertValid(created, "AuditEvent created");
        AuditCheckpoint c = new AuditCheckpoint(8, "cc", "2026-01-01T00:00:00Z", "k", "s");
        Answer kept = exchange(HttpMethod.PUT, "/Basic/" + Fhir.checkpointId(8), FhirResources.checkpoint(c).toString());
        assertEquals(201, kept.status());
        assertValid(kept, "Basic created");
        assertTrue(kirklees.auditCheckpoints().contains(c));
    }
}
