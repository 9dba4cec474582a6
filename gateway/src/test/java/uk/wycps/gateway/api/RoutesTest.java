package uk.wycps.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static uk.wycps.gateway.support.Answers.await;
import static uk.wycps.gateway.support.ErrorBodies.assertError;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.support.FederationHarness;
import uk.wycps.gateway.support.GatewayHarness;

/**
 * Verifies the routes beside enquiries, over HTTP against the five mock registers: the audit
 * view (H1), statistics (S1), policy explain (A4), and the router's own 404 and 405. Every
 * refusal is a clear 4xx with the error body of API.md, and gives no data.
 */
@ExtendWith(VertxExtension.class)
class RoutesTest {

    private static FederationHarness federation;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start(Vertx vertx) throws Exception {
        federation = await(FederationHarness.start(vertx, new InMemoryAuditSink()));
        gateway = federation.gateway;
    }

    @AfterAll
    static void stop() throws Exception {
        await(federation.close());
    }

    private static HttpResponse<Buffer> send(HttpMethod method, String uri, String token) throws Exception {
        HttpRequest<Buffer> request = gateway.client.request(method, uri);
        if (token != null) {
            request.bearerTokenAuthentication(token);
        }
        return await(method == HttpMethod.POST ? request.sendJsonObject(new JsonObject()) : request.send());
    }

    private static String coordinator(String authority) {
        return gateway.issuer.token("cp-coordinator", "social-services", authority);
    }

    @ParameterizedTest(name = "{0} {1} without a token is 401")
    @CsvSource({"GET,/api/v1/audit", "GET,/api/v1/statistics?purpose=planning", "POST,/api/v1/policy/explain",
            "POST,/api/v1/enquiries"})
    void everyApiRouteRefusesACallWithoutAToken(String method, String uri) throws Exception {
        assertError(send(HttpMethod.valueOf(method), uri, null), 401, "unauthorized");
    }

    @ParameterizedTest(name = "{0} {1} with a forged token is 401")
    @CsvSource({"GET,/api/v1/audit", "GET,/api/v1/statistics?purpose=planning", "POST,/api/v1/policy/explain"})
    void everyApiRouteRefusesAnUnsignedToken(String method, String uri) throws Exception {
        String unsigned = uk.wycps.gateway.support.TestIssuer.unsigned("cp-coordinator", "social-services", "leeds");
        assertError(send(HttpMethod.valueOf(method), uri, unsigned), 401, "unauthorized");
    }

    @ParameterizedTest(name = "audit {0}={1} is 400 naming {0}")
    @CsvSource({"recordId,../etc", "recordId,'a b'", "limit,0", "limit,-3", "limit,many", "limit,100000000",
            "from,yesterday", "to,2026-13-01T00:00:00Z", "from,2026-01-01"})
    void auditParametersAreValidated(String name, String value) throws Exception {
        HttpResponse<Buffer> r = await(gateway.client.get("/api/v1/audit").addQueryParam(name, value)
                .bearerTokenAuthentication(coordinator("leeds")).send());
        JsonObject body = assertError(r, 400, "invalid-parameter");
        assertEquals(name, body.getString("field"));
    }

    @Test
    void theAuditViewIsForCoordinatorsOnly() throws Exception {
        HttpResponse<Buffer> r = send(HttpMethod.GET, "/api/v1/audit",
                gateway.issuer.token("child-worker", "social-services", "leeds"));
        assertError(r, 403, "role-not-permitted");
    }

    @Test
    void theAuditViewShowsRefusedEnquiriesAndKeepsToItsTimeWindow() throws Exception {
        // GIVEN a Leeds performance-quality officer whose named enquiry is refused (P3), then an answered one
        String planner = gateway.issuer.token("performance-quality", "social-services", "leeds");
        assertError(await(gateway.enquire(planner, GatewayHarness.enquiry("Aisha", "Khan", "2016-03-09"))), 403, null);
        String worker = gateway.issuer.token("child-worker", "social-services", "leeds");
        assertEquals(200, await(gateway.enquire(worker, GatewayHarness.enquiry("Aisha", "Khan", "2016-03-09")))
                .statusCode());
        // WHEN the Leeds co-ordinator reads the audit view
        JsonArray entries = auditView(coordinator("leeds"), null, null);
        // THEN the refused enquiry is there with its reason, and the answered one after it
        JsonObject refused = entries.stream().map(o -> (JsonObject) o)
                .filter(e -> e.getString("result", "").startsWith("refused:"))
                .filter(e -> "performance-quality".equals(e.getJsonObject("caller").getString("role"))).findFirst()
                .orElseThrow(() -> new AssertionError("no refused entry in " + entries.encode()));
        assertEquals("enquiry", refused.getString("type"));
        JsonObject answered = entries.stream().map(o -> (JsonObject) o)
                .filter(e -> "answered".equals(e.getString("result")))
                .filter(e -> "child-worker".equals(e.getJsonObject("caller").getString("role")))
                .reduce((a, b) -> b).orElseThrow();
        Instant refusedAt = Instant.parse(refused.getString("at"));
        Instant answeredAt = Instant.parse(answered.getString("at"));
        // AND the window is [from, to): closing at the answered entry leaves it out, opening at it keeps
        // it, and opening after the refusal leaves that out
        assertFalse(ids(auditView(coordinator("leeds"), null, answeredAt)).contains(answered.getString("enquiryId")));
        assertTrue(ids(auditView(coordinator("leeds"), answeredAt, answeredAt.plusMillis(1)))
                .contains(answered.getString("enquiryId")));
        assertTrue(ids(auditView(coordinator("leeds"), refusedAt, null)).contains(refused.getString("enquiryId")));
        assertFalse(ids(auditView(coordinator("leeds"), refusedAt.plusNanos(1), null))
                .contains(refused.getString("enquiryId")));
    }

    private static JsonArray auditView(String token, Instant from, Instant to) throws Exception {
        HttpRequest<Buffer> request = gateway.client.get("/api/v1/audit").addQueryParam("limit", "1000");
        if (from != null) {
            request.addQueryParam("from", from.toString());
        }
        if (to != null) {
            request.addQueryParam("to", to.toString());
        }
        HttpResponse<Buffer> r = await(request.bearerTokenAuthentication(token).send());
        assertEquals(200, r.statusCode(), r.bodyAsString());
        assertEquals("no-store", r.getHeader("Cache-Control"));
        JsonObject body = r.bodyAsJsonObject();
        assertEquals(body.getInteger("count"), body.getJsonArray("entries").size());
        return body.getJsonArray("entries");
    }

    private static List<String> ids(JsonArray entries) {
        return entries.stream().map(o -> ((JsonObject) o).getString("enquiryId")).toList();
    }

    @Test
    void statisticsWithoutAPurposeIs400() throws Exception {
        JsonObject body = assertError(send(HttpMethod.GET, "/api/v1/statistics", coordinator("leeds")), 400,
                "missing-field");
        assertEquals("purpose", body.getString("field"));
    }

    @ParameterizedTest(name = "statistics asOf={0} is 400")
    @CsvSource({"soon", "2026-02-30", "31/01/2026", "2026-1-31"})
    void statisticsRefuseADateThatIsNotOne(String asOf) throws Exception {
        JsonObject body = assertError(send(HttpMethod.GET, "/api/v1/statistics?purpose=planning&asOf=" + asOf,
                coordinator("leeds")), 400, "invalid-parameter");
        assertEquals("asOf", body.getString("field"));
    }

    @Test
    void statisticsAreNotForAChildWorker() throws Exception {
        assertError(send(HttpMethod.GET, "/api/v1/statistics?purpose=planning",
                gateway.issuer.token("child-worker", "social-services", "leeds")), 403, null);
    }

    @Test
    void explainWithAMalformedBodyIs400() throws Exception {
        HttpResponse<Buffer> r = await(gateway.client.post("/api/v1/policy/explain")
                .bearerTokenAuthentication(coordinator("leeds")).putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer("{\"purpose\": ")));
        assertError(r, 400, null);
    }

    @Test
    void aSignedTokenWithARoleThePolicyDoesNotKnowIs403() throws Exception {
        String unknownRole = gateway.issuer.sign(new JsonObject().put("role", "head-of-everything")
                .put("agency", "social-services").put("authority", "leeds"),
                uk.wycps.gateway.support.TestIssuer.ISSUER, uk.wycps.gateway.support.TestIssuer.AUDIENCE, 600);
        assertError(send(HttpMethod.POST, "/api/v1/policy/explain", unknownRole), 403, "unknown-role-or-agency");
    }

    @Test
    void anUnknownPathIs404WithTheErrorBody() throws Exception {
        assertError(send(HttpMethod.GET, "/api/v1/children", coordinator("leeds")), 404, null);
    }

    @ParameterizedTest(name = "{0} {1} is 405")
    @CsvSource({"GET,/api/v1/enquiries", "PUT,/api/v1/enquiries", "DELETE,/api/v1/enquiries",
            "GET,/api/v1/policy/explain", "POST,/api/v1/audit", "DELETE,/api/v1/statistics"})
    void aKnownPathWithTheWrongMethodIs405(String method, String uri) throws Exception {
        assertError(send(HttpMethod.valueOf(method), uri, coordinator("leeds")), 405, null);
    }
}
