package uk.wycps.gateway.security;

import static uk.wycps.gateway.support.Answers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import uk.wycps.gateway.audit.AuditEntry;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.support.FederationHarness;
import uk.wycps.gateway.support.GatewayHarness;
import uk.wycps.gateway.support.LogCapture;
import uk.wycps.gateway.support.NonInterference;
import uk.wycps.policy.Role;
import uk.wycps.record.ChildRecord;

/**
 * {@code GET /api/v1/audit} cuts every entry for its reader (A9, H1, issue 14 item 1): only
 * what that reader could have been told in an answer. The log itself keeps the whole entry.
 */
@ExtendWith(VertxExtension.class)
class AuditViewTest {

    private static final InMemoryAuditSink AUDIT = new InMemoryAuditSink();
    private static FederationHarness federation;
    private static NonInterference quiet;
    private static LogCapture logs;
    private static ChildRecord bradfordOnly;

    @BeforeAll
    static void start(Vertx vertx, VertxTestContext ctx) {
        logs = LogCapture.start();
        FederationHarness.start(vertx, AUDIT).onComplete(ctx.succeeding(f -> {
            federation = f;
            quiet = new NonInterference(f, AUDIT, logs);
            ctx.completeNow();
        }));
    }

    @AfterAll
    static void stop(VertxTestContext ctx) {
        logs.close();
        federation.close().onComplete(ctx.succeedingThenComplete());
    }

    private static ChildRecord bradfordOnly() throws Exception {
        if (bradfordOnly == null) {
            bradfordOnly = NonInterference.childHeldOnlyBy(federation, "bradford");
        }
        return bradfordOnly;
    }

    private static JsonObject enquiryFor(ChildRecord child) {
        return GatewayHarness.enquiry(child.givenName(), child.familyName(), child.dateOfBirth().toString());
    }

    /** Enquires as {@code token} and returns the enquiry id, once everything after the answer is done. */
    private static String enquire(String token, JsonObject enquiry) throws Exception {
        HttpResponse<Buffer> r = await(federation.gateway.enquire(token, enquiry));
        quiet.quiet();
        return r.statusCode() == 200 ? r.bodyAsJsonObject().getString("enquiryId") : null;
    }

    private static List<JsonObject> view(String token, Instant from) throws Exception {
        HttpResponse<Buffer> r = await(federation.gateway.client.get("/api/v1/audit?limit=1000&from=" + from)
                .bearerTokenAuthentication(token).send());
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getJsonArray("entries").stream().map(o -> (JsonObject) o).toList();
    }

    private static List<JsonObject> entriesOf(List<JsonObject> view, String enquiryId) {
        return view.stream().filter(e -> enquiryId.equals(e.getString("enquiryId"))).toList();
    }

    private static List<String> authorities(JsonObject entry, String list) {
        return entry.getJsonArray(list, new JsonArray()).stream()
                .map(o -> ((JsonObject) o).getString("authority")).toList();
    }

    /** Whether the log itself (not the view) notified {@code authority} for the enquiry. */
    private static boolean logNotified(String enquiryId, String authority) {
        return AUDIT.entries().stream().filter(e -> enquiryId.equals(e.enquiryId()))
                .flatMap(e -> e.notified().stream()).anyMatch(n -> authority.equals(n.authority()));
    }

    @ParameterizedTest(name = "an enquiry by a Leeds {0}")
    @EnumSource(Role.class)
    void aLeedsCoordinatorSeesEveryRegisterItMayNotSeeAsWithheldAndNoneOfItsRecordsWhileTheLogKeepsThem(Role role)
            throws Exception {
        Instant from = Instant.now().minusMillis(1);
        String enquiryId = enquire(federation.gateway.issuer.token(role.code(), "social-services", "leeds"),
                enquiryFor(bradfordOnly()));
        List<JsonObject> seen = view(federation.gateway.issuer.token("cp-coordinator", "social-services", "leeds"), from);
        assertFalse(seen.isEmpty(), "the co-ordinator sees the enquiry of their own staff");
        for (JsonObject entry : seen) {
            for (Object o : entry.getJsonArray("registers")) {
                JsonObject r = (JsonObject) o;
                if (!"leeds".equals(r.getString("authority"))) {
                    assertEquals("WITHHELD", r.getString("status"), entry.encodePrettily());
                }
            }
            for (String list : new String[] {"released", "notified"}) {
                authorities(entry, list).forEach(a -> assertEquals("leeds", a, entry.encodePrettily()));
            }
            assertFalse(entry.encode().contains("BD-"), entry.encodePrettily());
        }
        if (enquiryId != null) {
            assertTrue(logNotified(enquiryId, "bradford"), "the log keeps the notification of Bradford's record");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Role.class)
    void onlyACoordinatorOfAnAuthorityMayReadItsAudit(Role role) throws Exception {
        HttpResponse<Buffer> r = await(federation.gateway.client.get("/api/v1/audit")
                .bearerTokenAuthentication(federation.gateway.issuer.token(role.code(), "social-services", "leeds")).send());
        assertEquals(role == Role.CP_COORDINATOR ? 200 : 403, r.statusCode(), r.bodyAsString());
    }

    @Test
    void bradfordsCoordinatorSeesItsNotifiedRecordButNotLeedsCriteriaJustificationOrRegister() throws Exception {
        Instant from = Instant.now().minusMillis(1);
        String enquiryId = enquire(federation.gateway.issuer.token("child-worker", "social-services", "leeds"),
                enquiryFor(bradfordOnly()));
        List<JsonObject> seen = entriesOf(view(
                federation.gateway.issuer.token("cp-coordinator", "social-services", "bradford"), from), enquiryId);
        assertFalse(seen.isEmpty(), "Bradford's co-ordinator sees the enquiry that notified its record");
        assertTrue(seen.stream().anyMatch(e -> authorities(e, "notified").contains("bradford")), seen.toString());
        for (JsonObject entry : seen) {
            assertFalse(entry.containsKey("criteria"), entry.encodePrettily());
            assertFalse(entry.containsKey("justification"), entry.encodePrettily());
            assertEquals("leeds", entry.getJsonObject("caller").getString("authority"), "who asked is the register's to know");
            for (Object o : entry.getJsonArray("registers")) {
                JsonObject r = (JsonObject) o;
                if (!"bradford".equals(r.getString("authority"))) {
                    assertEquals("WITHHELD", r.getString("status"), entry.encodePrettily());
                }
            }
        }
    }

    @Test
    void aCoordinatorGrantedBradfordSeesBradfordsNotifiedRecordOfTheirStaffsEnquiry() throws Exception {
        Instant from = Instant.now().minusMillis(1);
        String enquiryId = enquire(federation.gateway.issuer.token("child-worker", "social-services", "leeds"),
                enquiryFor(bradfordOnly()));
        List<JsonObject> seen = entriesOf(view(federation.gateway.issuer.token("cp-coordinator", "social-services",
                "leeds", "cross-authority:bradford"), from), enquiryId);
        assertTrue(seen.stream().anyMatch(e -> authorities(e, "notified").contains("bradford")), seen.toString());
        assertTrue(seen.stream().allMatch(e -> e.containsKey("criteria")), "their own staff's criteria are shown");
    }

    /**
     * Verifies that a co-ordinator of another agency (a token naming education, or health, with an
     * authority) may not read that authority's audit: the policy does not let them see its
     * records (A4's own-authority rule is for social services), and the audit lists which of
     * them went to whom and what colleagues typed (A4, A9).
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"education", "health", "police"})
    void aCoordinatorOfAnotherAgencyMayNotReadTheAuthoritysAudit(String agency) throws Exception {
        HttpResponse<Buffer> r = await(federation.gateway.client.get("/api/v1/audit")
                .bearerTokenAuthentication(federation.gateway.issuer.token("cp-coordinator", agency, "bradford")).send());
        assertEquals(403, r.statusCode(), r.bodyAsString());
        assertEquals("role-not-permitted", r.bodyAsJsonObject().getString("error"));
    }

    /**
     * Verifies the view itself, behind the route's refusal: for a reader who is not their own
     * register's staff, their own authority's register is decided like any other (WITHHELD, its
     * records dropped), and no criteria or justification are kept.
     */
    @Test
    void theViewGivesAReaderOfAnotherAgencyNothingOfTheirAuthoritysRegister() {
        uk.wycps.policy.SharingPolicy policy = uk.wycps.policy.PolicyLoader.loadDefault(
                uk.wycps.record.CanonicalFields.all(), java.util.Set.of("bradford", "calderdale", "kirklees", "leeds", "wakefield"));
        uk.wycps.policy.Caller educationCoordinator = new uk.wycps.policy.Caller("edu-1", Role.CP_COORDINATOR,
                uk.wycps.policy.Agency.EDUCATION, "bradford", java.util.Set.of());
        JsonObject entry = new JsonObject().put("enquiryId", "e-1").put("result", "withheld-searched:notification-failed")
                .put("purpose", "register-check").put("consent", "not-sought:authorised-register-check")
                .put("caller", new JsonObject().put("authority", "bradford").put("agency", "social-services"))
                .put("criteria", new JsonObject().put("familyName", "Khan")).put("justification", "Referral")
                .put("registers", new JsonArray().add(new JsonObject().put("authority", "bradford").put("status", "OK")))
                .put("released", new JsonArray())
                .put("notified", new JsonArray().add(new JsonObject().put("authority", "bradford").put("recordId", "BD-000001")));
        JsonObject seen = new uk.wycps.gateway.audit.AuditView(policy, educationCoordinator).cut(entry);
        assertEquals("WITHHELD", seen.getJsonArray("registers").getJsonObject(0).getString("status"), seen.encode());
        assertTrue(seen.getJsonArray("notified").isEmpty(), seen.encode());
        assertFalse(seen.containsKey("criteria"), seen.encode());
        assertFalse(seen.containsKey("justification"), seen.encode());
        assertEquals("withheld-searched", seen.getString("result"), seen.encode());
        // and Bradford's own social-services co-ordinator is shown all of it
        JsonObject own = new uk.wycps.gateway.audit.AuditView(policy, new uk.wycps.policy.Caller("co-1",
                Role.CP_COORDINATOR, uk.wycps.policy.Agency.SOCIAL_SERVICES, "bradford", java.util.Set.of())).cut(entry);
        assertEquals("OK", own.getJsonArray("registers").getJsonObject(0).getString("status"), own.encode());
        assertEquals(1, own.getJsonArray("notified").size(), own.encode());
        assertTrue(own.containsKey("criteria"), own.encode());
        assertEquals("withheld-searched:notification-failed", own.getString("result"), own.encode());
    }

    @Test
    void theViewIsCutButTheEntryInTheLogIsWhole() throws Exception {
        String enquiryId = enquire(federation.gateway.issuer.token("cp-coordinator", "social-services", "leeds"),
                enquiryFor(bradfordOnly()));
        List<AuditEntry> logged = AUDIT.entries().stream().filter(e -> enquiryId.equals(e.enquiryId())).toList();
        assertTrue(logged.stream().anyMatch(e -> e.criteria() != null), "the log keeps the criteria");
        assertTrue(logNotified(enquiryId, "bradford"), "the log keeps the notified record");
        assertTrue(logged.stream().flatMap(e -> e.registers().stream())
                .anyMatch(r -> r.authority().equals("bradford") && r.status().startsWith("WITHHELD(")),
                "the log keeps how the withheld register answered");
    }

}
