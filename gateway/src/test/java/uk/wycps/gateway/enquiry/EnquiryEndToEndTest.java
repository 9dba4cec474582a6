package uk.wycps.gateway.enquiry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static uk.wycps.gateway.support.ErrorBodies.assertError;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.gateway.audit.AuditEntry;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.support.FederationHarness;
import uk.wycps.gateway.support.GatewayHarness;
import uk.wycps.mock.GroundTruth;
import uk.wycps.mock.SyntheticPopulation;
import uk.wycps.record.ChildRecord;

/**
 * Verifies one enquiry end to end over real loopback sockets: a real JWT, the gateway, five mock
 * registers with synthetic data (F2, F4, F5, A4, A9, H1, H3).
 */
@ExtendWith(VertxExtension.class)
class EnquiryEndToEndTest {

    private static final InMemoryAuditSink AUDIT = new InMemoryAuditSink();
    private static FederationHarness federation;
    private static SyntheticPopulation.CrossBoundaryExample child;

    @BeforeAll
    static void start(Vertx vertx, VertxTestContext ctx) {
        FederationHarness.start(vertx, AUDIT).onComplete(ctx.succeeding(f -> {
            federation = f;
            child = f.mocks.population().crossBoundaryExample();
            ctx.completeNow();
        }));
    }

    @AfterAll
    static void stop(VertxTestContext ctx) {
        federation.close().onComplete(ctx.succeedingThenComplete());
    }

    private static JsonObject childEnquiry() {
        return GatewayHarness.enquiry(child.givenName(), child.familyName(), child.dateOfBirth().toString());
    }

    private static Set<String> childAuthorities() {
        return child.records().stream().map(GroundTruth.RecordRef::authority).collect(Collectors.toSet());
    }

    @Test
    void childHeldInTwoAuthoritiesIsOneLinkedPersonWithFiveRegistersChecked(VertxTestContext ctx) {
        // GIVEN a Bradford child worker granted access to every authority
        String token = federation.gateway.issuer.token("child-worker", "social-services", "bradford",
                "cross-authority:*");
        // WHEN they enquire about a child who moved between two authorities
        federation.gateway.enquire(token, childEnquiry()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
            // THEN five registers were checked and the child's two records are one person
            assertEquals(200, r.statusCode(), r.bodyAsString());
            JsonObject answer = r.bodyAsJsonObject();
            assertTrue(answer.getBoolean("complete"));
            assertEquals("found", answer.getString("outcome"));
            JsonArray registers = answer.getJsonArray("registers");
            assertEquals(5, registers.size());
            for (int i = 0; i < 5; i++) {
                assertEquals("OK", registers.getJsonObject(i).getString("status"));
                assertNull(registers.getJsonObject(i).getString("notice"));
            }
            JsonArray persons = answer.getJsonArray("persons");
            assertEquals(1, persons.size(), answer.encodePrettily());
            JsonObject person = persons.getJsonObject(0);
            assertEquals("MATCH", person.getString("band"));
            Set<String> held = person.getJsonArray("records").stream()
                    .map(o -> ((JsonObject) o).getString("authority")).collect(Collectors.toSet());
            assertEquals(childAuthorities(), held);
            JsonObject record = person.getJsonArray("records").getJsonObject(0);
            assertEquals("SENSITIVE", record.getString("tier"));
            assertEquals(child.familyName(), record.getJsonObject("data").getString("familyName"));
            assertFalse(person.getJsonArray("explanation").isEmpty());
            ctx.completeNow();
        })));
    }

    @Test
    void socialWorkerOfAnotherAuthorityWithoutGrantGetsNoRecordAndNoHint(VertxTestContext ctx) {
        // GIVEN a Leeds child worker with no cross-authority grant, and a child held elsewhere
        String token = federation.gateway.issuer.token("child-worker", "social-services", "leeds");
        JsonObject nobody = GatewayHarness.enquiry("Zebedee", "Quartermaine-Oyelaran", "2019-02-03");
        // WHEN they enquire about the child, and about a child no register holds
        federation.gateway.enquire(token, childEnquiry())
                .compose(withMatch -> federation.gateway.enquire(token, nobody).map(noMatch -> List.of(withMatch, noMatch)))
                .onComplete(ctx.succeeding(answers -> ctx.verify(() -> {
                    JsonObject withMatch = answers.get(0).bodyAsJsonObject();
                    JsonObject noMatch = answers.get(1).bodyAsJsonObject();
                    // THEN no record comes back and the other registers' parts are identical (A4, A9)
                    assertEquals(0, withMatch.getJsonArray("persons").size(), withMatch.encodePrettily());
                    assertFalse(withMatch.getBoolean("complete"));
                    assertEquals("not-all-checked", withMatch.getString("outcome"));
                    assertEquals(withheldParts(noMatch), withheldParts(withMatch));
                    for (String authority : childAuthorities()) {
                        JsonObject part = part(withMatch, authority);
                        assertEquals("WITHHELD", part.getString("status"));
                        assertNull(part.getValue("latencyMs"), "no timing hint");
                        assertTrue(part.getString("notice").contains("not a 'no record' result"));
                    }
                    assertEquals("OK", part(withMatch, "leeds").getString("status"));
                    ctx.completeNow();
                })));
    }

    @Test
    void matchingRegisterIsToldOfAnEnquiryItsCallerCouldNotSee(Vertx vertx, VertxTestContext ctx) {
        // GIVEN a police officer with no grant (A4: anonymised everywhere)
        String token = federation.gateway.issuer.token("referrer", "police", null);
        GroundTruth.RecordRef held = child.records().get(0);
        int before = federation.mocks.register(held.authority()).enquiryHistory(held.recordId()).size();
        federation.gateway.enquire(token, childEnquiry()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
            assertEquals(0, r.bodyAsJsonObject().getJsonArray("persons").size());
            // THEN the register holding the child is told of the enquiry (A9), shortly after the answer
            long deadline = System.currentTimeMillis() + 5000;
            vertx.setPeriodic(50, id -> {
                int now = federation.mocks.register(held.authority()).enquiryHistory(held.recordId()).size();
                if (now > before) {
                    vertx.cancelTimer(id);
                    ctx.completeNow();
                } else if (System.currentTimeMillis() > deadline) {
                    vertx.cancelTimer(id);
                    ctx.failNow("no access notification reached " + held.authority());
                }
            });
        })));
    }

    @Test
    void everyAnsweredEnquiryIsAuditedWithItsRegistersAndReleasedRecords(VertxTestContext ctx) {
        String token = federation.gateway.issuer.token("cp-coordinator", "social-services",
                child.records().get(0).authority());
        federation.gateway.enquire(token, childEnquiry()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
            String enquiryId = r.bodyAsJsonObject().getString("enquiryId");
            AuditEntry entry = AUDIT.entries().stream().filter(e -> e.enquiryId().equals(enquiryId)).findFirst()
                    .orElseThrow();
            assertEquals(AuditEntry.ANSWERED, entry.result());
            assertEquals(5, entry.registers().size());
            assertEquals("register-check", entry.purpose());
            assertEquals("not-sought:authorised-register-check", entry.consent());
            // Exactly the records the answer released, each at the tier it was released at
            Set<String> answered = new java.util.HashSet<>();
            for (Object p : r.bodyAsJsonObject().getJsonArray("persons")) {
                for (Object rec : ((JsonObject) p).getJsonArray("records")) {
                    JsonObject record = (JsonObject) rec;
                    answered.add(record.getString("authority") + "/" + record.getString("recordId") + "/"
                            + record.getString("tier"));
                }
            }
            assertFalse(answered.isEmpty());
            assertEquals(answered, entry.released().stream()
                    .map(x -> x.authority() + "/" + x.recordId() + "/" + x.tier()).collect(Collectors.toSet()));
            assertEquals(child.familyName(), entry.criteria().familyName());
            assertEquals(child.givenName(), entry.criteria().givenName());
            assertEquals(child.dateOfBirth(), entry.criteria().dateOfBirth());
            assertEquals(child.records().get(0).authority(), entry.caller().authority());
            ctx.completeNow();
        })));
    }

    @Test
    void twoChildrenTheEnquiryCannotTellApartAskForMoreDetail(VertxTestContext ctx) {
        // GIVEN two children of one register who share a family name and date of birth (twins)
        ChildRecord[] twins = twins();
        String token = federation.gateway.issuer.token("child-worker", "social-services", "bradford",
                "cross-authority:*");
        JsonObject enquiry = GatewayHarness.enquiry(null, twins[0].familyName(), twins[0].dateOfBirth().toString());
        // WHEN the enquiry gives only those two
        federation.gateway.enquire(token, enquiry).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
            // THEN the answer says which attributes would tell them apart, and never merges them
            JsonObject answer = r.bodyAsJsonObject();
            assertEquals("more-detail-needed", answer.getString("outcome"), answer.encodePrettily());
            assertTrue(answer.getJsonArray("moreDetail").contains("givenName"));
            Set<String> ids = records(answer);
            assertTrue(ids.contains(twins[0].recordId()) && ids.contains(twins[1].recordId()));
            answer.getJsonArray("persons").forEach(p -> {
                Set<String> mine = ((JsonObject) p).getJsonArray("records").stream()
                        .map(x -> ((JsonObject) x).getString("recordId")).collect(Collectors.toSet());
                assertFalse(mine.contains(twins[0].recordId()) && mine.contains(twins[1].recordId()), "never merged");
            });
            ctx.completeNow();
        })));
    }

    @Test
    void metricsCountEnquiriesAndRegisterAnswersWithoutPersonalData(VertxTestContext ctx) {
        String token = federation.gateway.issuer.token("child-worker", "social-services", "bradford",
                "cross-authority:*");
        federation.gateway.enquire(token, childEnquiry())
                .compose(r -> federation.gateway.management.get("/metrics").send())
                .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    // O3: Prometheus text; H5: codes and ids only
                    assertEquals(200, r.statusCode());
                    String text = r.bodyAsString();
                    assertTrue(text.contains("wycps_enquiries_seconds_count{complete=\"true\",outcome=\"found\"}"), text);
                    // the event loops' lag, which admission refuses on, is there for operators too
                    assertTrue(text.contains("wycps_event_loop_lag_seconds_count"), text);
                    assertTrue(text.contains("wycps_register_searches_seconds_count{authority=\"bradford\",status=\"OK\"}"));
                    assertTrue(text.contains("jvm_memory_used_bytes"));
                    assertFalse(text.contains(child.familyName()));
                    assertFalse(text.contains(child.dateOfBirth().toString()));
                    ctx.completeNow();
                })));
    }

    private static ChildRecord[] twins() {
        for (var register : federation.mocks.registers()) {
            Map<String, ChildRecord> seen = new HashMap<>();
            for (ChildRecord r : register.records()) {
                ChildRecord other = seen.putIfAbsent(r.familyName() + "|" + r.dateOfBirth(), r);
                if (other != null && !other.givenName().equals(r.givenName())) {
                    return new ChildRecord[] {other, r};
                }
            }
        }
        throw new IllegalStateException("the synthetic data holds no twins");
    }

    private static Set<String> records(JsonObject answer) {
        return answer.getJsonArray("persons").stream()
                .flatMap(p -> ((JsonObject) p).getJsonArray("records").stream())
                .map(r -> ((JsonObject) r).getString("recordId")).collect(Collectors.toSet());
    }

    private static JsonObject part(JsonObject answer, String authority) {
        return answer.getJsonArray("registers").stream().map(o -> (JsonObject) o)
                .filter(o -> authority.equals(o.getString("authority"))).findFirst().orElseThrow();
    }

    private static JsonArray withheldParts(JsonObject answer) {
        JsonArray parts = new JsonArray();
        answer.getJsonArray("registers").stream().map(o -> (JsonObject) o)
                .filter(o -> "WITHHELD".equals(o.getString("status"))).forEach(parts::add);
        return parts;
    }
}
