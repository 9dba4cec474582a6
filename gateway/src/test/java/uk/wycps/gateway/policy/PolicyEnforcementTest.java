package uk.wycps.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.support.FederationHarness;
import uk.wycps.gateway.support.GatewayHarness;
import uk.wycps.mock.GroundTruth;
import uk.wycps.record.ChildRecord;

/**
 * Verifies over HTTP that the sharing policy decides what each caller receives from each
 * register (A4-A9, P3): other authorities' records only with a grant, nothing for callers
 * anonymised everywhere, and an explanation that names no child.
 */
@ExtendWith(VertxExtension.class)
class PolicyEnforcementTest {

    private static FederationHarness federation;
    /** A child held by Leeds and Bradford under the same name and date of birth. */
    private static ChildRecord leedsRecord;
    private static String bradfordRecordId;

    @BeforeAll
    static void start(Vertx vertx, VertxTestContext ctx) {
        FederationHarness.start(vertx, new InMemoryAuditSink()).onComplete(ctx.succeeding(f -> {
            federation = f;
            for (GroundTruth.Person p : f.mocks.groundTruth().crossRegisterPersons()) {
                GroundTruth.RecordRef leeds = ref(p, "leeds");
                GroundTruth.RecordRef bradford = ref(p, "bradford");
                if (leeds == null || bradford == null) {
                    continue;
                }
                ChildRecord l = f.mocks.register("leeds").record(leeds.recordId()).orElseThrow();
                ChildRecord b = f.mocks.register("bradford").record(bradford.recordId()).orElseThrow();
                if (l.givenName().equals(b.givenName()) && l.familyName().equals(b.familyName())
                        && Objects.equals(l.dateOfBirth(), b.dateOfBirth())) {
                    leedsRecord = l;
                    bradfordRecordId = b.recordId();
                    break;
                }
            }
            ctx.verify(() -> assertNotNull(leedsRecord, "the synthetic data holds a Leeds-Bradford child"));
            ctx.completeNow();
        }));
    }

    @AfterAll
    static void stop(VertxTestContext ctx) {
        federation.close().onComplete(ctx.succeedingThenComplete());
    }

    private static GroundTruth.RecordRef ref(GroundTruth.Person p, String authority) {
        return p.records().stream().filter(r -> r.authority().equals(authority)).findFirst().orElse(null);
    }

    private static JsonObject enquiry() {
        return GatewayHarness.enquiry(leedsRecord.givenName(), leedsRecord.familyName(),
                leedsRecord.dateOfBirth().toString());
    }

    private static Set<String> statuses(JsonObject answer, String status) {
        Set<String> out = new HashSet<>();
        answer.getJsonArray("registers").forEach(o -> {
            JsonObject part = (JsonObject) o;
            if (status.equals(part.getString("status"))) {
                out.add(part.getString("authority"));
            }
        });
        return out;
    }

    private static List<JsonObject> records(JsonObject answer) {
        return answer.getJsonArray("persons").stream()
                .flatMap(p -> ((JsonObject) p).getJsonArray("records").stream())
                .map(r -> (JsonObject) r).toList();
    }

    @Test
    void policeOfficerWithoutGrantGetsNothingFromAnyRegister(VertxTestContext ctx) {
        String token = federation.gateway.issuer.token("referrer", "police", null);
        federation.gateway.enquire(token, enquiry()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
            JsonObject answer = r.bodyAsJsonObject();
            assertEquals(5, statuses(answer, "WITHHELD").size(), answer.encodePrettily());
            assertTrue(answer.getJsonArray("persons").isEmpty());
            assertFalse(r.bodyAsString().contains(leedsRecord.familyName()));
            ctx.completeNow();
        })));
    }

    @Test
    void leedsChildWorkerGetsPersonalAndSensitiveFromLeedsOnly(VertxTestContext ctx) {
        String token = federation.gateway.issuer.token("child-worker", "social-services", "leeds");
        federation.gateway.enquire(token, enquiry()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
            JsonObject answer = r.bodyAsJsonObject();
            assertEquals(Set.of("leeds"), statuses(answer, "OK"));
            assertEquals(Set.of("bradford", "calderdale", "kirklees", "wakefield"), statuses(answer, "WITHHELD"));
            List<JsonObject> records = records(answer);
            assertEquals(1, records.size(), answer.encodePrettily());
            JsonObject record = records.get(0);
            assertEquals("leeds", record.getString("authority"));
            assertEquals("SENSITIVE", record.getString("tier"));
            JsonObject data = record.getJsonObject("data");
            assertEquals(leedsRecord.familyName(), data.getString("familyName"));
            if (leedsRecord.ethnicity() != null) {
                assertEquals(leedsRecord.ethnicity(), data.getString("ethnicity"));
            }
            // A6: Schedule One goes only with the schedule-one grant
            assertTrue(record.getJsonArray("withheld").contains("relationships[].scheduleOneIndicator"));
            JsonArray relationships = data.getJsonArray("relationships", new JsonArray());
            relationships.forEach(rel -> assertFalse(((JsonObject) rel).containsKey("scheduleOneIndicator")));
            ctx.completeNow();
        })));
    }

    @Test
    void leedsChildWorkerGrantedBradfordGetsBradfordToo(VertxTestContext ctx) {
        String token = federation.gateway.issuer.token("child-worker", "social-services", "leeds",
                "cross-authority:bradford");
        federation.gateway.enquire(token, enquiry()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
            JsonObject answer = r.bodyAsJsonObject();
            assertEquals(Set.of("leeds", "bradford"), statuses(answer, "OK"));
            assertEquals(Set.of("calderdale", "kirklees", "wakefield"), statuses(answer, "WITHHELD"));
            Set<String> ids = new HashSet<>();
            records(answer).forEach(rec -> ids.add(rec.getString("recordId")));
            assertTrue(ids.contains(leedsRecord.recordId()) && ids.contains(bradfordRecordId), answer.encodePrettily());
            ctx.completeNow();
        })));
    }

    @Test
    void explainSaysWhatEachRegisterWouldGiveAndNamesNoChild(VertxTestContext ctx) {
        String token = federation.gateway.issuer.token("child-worker", "social-services", "leeds");
        JsonObject declaration = enquiry();
        declaration.remove("subject");
        federation.gateway.client.post("/api/v1/policy/explain").bearerTokenAuthentication(token)
                .sendJsonObject(declaration)
                .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    assertEquals(200, r.statusCode(), r.bodyAsString());
                    JsonObject answer = r.bodyAsJsonObject();
                    assertTrue(answer.getBoolean("enquiryPermitted"));
                    for (Object o : answer.getJsonArray("registers")) {
                        JsonObject part = (JsonObject) o;
                        boolean own = part.getString("authority").equals("leeds");
                        assertEquals(own ? "SENSITIVE" : "ANONYMISED", part.getString("tier"));
                        assertEquals(own, part.getBoolean("recordsVisible"));
                        assertFalse(part.getJsonArray("reasons").isEmpty());
                        assertTrue(part.getJsonArray("reasons").stream()
                                .anyMatch(x -> "A4".equals(((JsonObject) x).getString("requirement"))));
                    }
                    assertFalse(r.bodyAsString().contains(leedsRecord.familyName()));
                    ctx.completeNow();
                })));
    }

    @Test
    void explainForPlanningSaysNamedEnquiriesAreRefused(VertxTestContext ctx) {
        String token = federation.gateway.issuer.token("senior-manager", "social-services", "leeds");
        JsonObject declaration = enquiry();
        declaration.remove("subject");
        declaration.getJsonObject("purpose").put("code", "planning");
        federation.gateway.client.post("/api/v1/policy/explain").bearerTokenAuthentication(token)
                .sendJsonObject(declaration)
                .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    JsonObject answer = r.bodyAsJsonObject();
                    assertFalse(answer.getBoolean("enquiryPermitted"));
                    assertEquals("purpose-not-permitted", answer.getJsonObject("refusal").getString("code"));
                    ctx.completeNow();
                })));
    }
}
