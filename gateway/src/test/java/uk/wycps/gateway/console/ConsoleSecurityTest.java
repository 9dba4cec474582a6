package uk.wycps.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static uk.wycps.gateway.console.ConsoleHarness.await;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.mock.SyntheticPopulation;

/**
 * The console's safety over real HTTP (issue 16, H5): a form without the session's token is
 * refused; no page that shows a child may be cached; the CSP (without unsafe-inline) is on every
 * response; a signed-out or idle session gets the sign-in page and no data; the session cookie is
 * HttpOnly and SameSite=Strict; a console enquiry's audit entry is the API's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleSecurityTest {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern ENQUIRY_ID = Pattern.compile("id=\"enquiry-id\">([0-9a-f-]{36})<");

    private ConsoleHarness harness;
    private SyntheticPopulation.CrossBoundaryExample child;

    @BeforeAll
    void start() throws Exception {
        // The default idle timeout (15 minutes): on a busy machine a few seconds' idle limit ended
        // sessions between one request of a test and its next. Expiry has its own gateway below.
        harness = ConsoleHarness.startDemo();
        child = harness.mocks.population().crossBoundaryExample();
    }

    @AfterAll
    void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private WebClientSession browserLike() {
        return browserLike(harness);
    }

    private static WebClientSession browserLike(ConsoleHarness on) {
        return WebClientSession.create(WebClient.create(on.vertx, new WebClientOptions()
                .setDefaultHost("127.0.0.1").setDefaultPort(on.gateway.port()).setFollowRedirects(false)));
    }

    private static String csrf(HttpResponse<Buffer> page) {
        Matcher m = CSRF.matcher(page.bodyAsString());
        assertTrue(m.find(), () -> "the page has a form token: " + page.statusCode() + " " + page.bodyAsString());
        return m.group(1);
    }

    /** Signs in as a persona; returns the form token of the signed-in session. */
    private String signIn(WebClientSession web, String persona) throws Exception {
        return signIn(web, harness, persona);
    }

    private static String signIn(WebClientSession web, ConsoleHarness on, String persona) throws Exception {
        HttpResponse<Buffer> signInPage = await(web.get("/").send());
        HttpResponse<Buffer> signedIn = await(web.post("/sign-in/demo").sendForm(MultiMap.caseInsensitiveMultiMap()
                .add("csrf", csrf(signInPage)).add("persona", persona)));
        assertEquals(303, signedIn.statusCode());
        return csrf(await(web.get("/enquiry").send()));
    }

    private MultiMap enquiryForm(String csrf) {
        MultiMap form = MultiMap.caseInsensitiveMultiMap()
                .add("givenName", child.givenName()).add("familyName", child.familyName())
                .add("dob-day", String.valueOf(child.dateOfBirth().getDayOfMonth()))
                .add("dob-month", String.valueOf(child.dateOfBirth().getMonthValue()))
                .add("dob-year", String.valueOf(child.dateOfBirth().getYear()))
                .add("purpose", "register-check").add("justification", "Referral from school nurse")
                .add("consent", "not-sought").add("ground", "authorised-register-check");
        if (csrf != null) {
            form.add("csrf", csrf);
        }
        return form;
    }

    private static void assertCsp(HttpResponse<Buffer> r, String what) {
        String csp = r.getHeader("Content-Security-Policy");
        assertNotNull(csp, "CSP on " + what);
        assertTrue(csp.contains("default-src 'self'") && csp.contains("script-src 'self'"), csp);
        assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
    }

    /**
     * Verifies that the console's enquiries are admitted as the API's are (A1, issue 14): a
     * practitioner over their rate gets a 429 page with Retry-After that shows no child, and no
     * enquiry is made (no audit entry, so no register was asked).
     */
    @Test
    void aPractitionerOverTheirRateIsRefusedByTheConsoleAsByTheApi() throws Exception {
        // GIVEN a gateway admitting one enquiry a minute per caller
        ConsoleHarness limited = ConsoleHarness.start(GatewayConfig.Console.demo(),
                new GatewayConfig.Limits(0, new GatewayConfig.Rate(1, 1), null, null));
        try {
            WebClientSession web = browserLike(limited);
            String csrf = signIn(web, limited, "social-worker");
            // WHEN the practitioner sends the form twice
            HttpResponse<Buffer> first = await(web.post("/enquiry").sendForm(enquiryForm(csrf)));
            int entries = limited.audit.entries().size();
            HttpResponse<Buffer> second = await(web.post("/enquiry").sendForm(enquiryForm(csrf)));
            // THEN the first is answered and the second refused with 429, Retry-After, and no child shown
            assertEquals(200, first.statusCode());
            assertEquals(429, second.statusCode(), second.bodyAsString());
            assertNotNull(second.getHeader("Retry-After"));
            assertTrue(second.bodyAsString().contains("Too many enquiries just now"), second.bodyAsString());
            assertFalse(second.bodyAsString().contains(child.familyName()));
            assertEquals(entries, limited.audit.entries().size(), "no enquiry was made");
        } finally {
            limited.close();
        }
    }

    /**
     * Verifies that an answer arriving after its session was signed out is neither shown nor
     * kept (A4): it was asked under that sign-in, at its tier, and whoever holds the session now
     * (nobody, or someone signed in since) may not see it. It was rendered into the session as
     * it had become.
     */
    @Test
    void anAnswerArrivingAfterItsSessionWasSignedOutIsNeitherShownNorKept() throws Exception {
        WebClientSession web = browserLike();
        String csrf = signIn(web, "social-worker");
        for (uk.wycps.mock.MockRegister r : harness.mocks.registers()) {
            r.setFaults(uk.wycps.mock.FaultSettings.latency(3000));
        }
        try {
            // GIVEN an enquiry the registers take 3 s to answer
            io.vertx.core.Future<HttpResponse<Buffer>> asked = web.post("/enquiry").sendForm(enquiryForm(csrf));
            Thread.sleep(500);
            // WHEN the session signs out meanwhile
            assertEquals(303, await(web.post("/sign-out").sendForm(MultiMap.caseInsensitiveMultiMap().add("csrf", csrf)))
                    .statusCode());
            HttpResponse<Buffer> answer = await(asked);
            // THEN the answer is not shown: the sign-in page instead, nothing of the child
            assertEquals(401, answer.statusCode(), answer.bodyAsString());
            assertFalse(answer.bodyAsString().contains(child.familyName()), answer.bodyAsString());
            assertFalse(ENQUIRY_ID.matcher(answer.bodyAsString()).find());
        } finally {
            for (uk.wycps.mock.MockRegister r : harness.mocks.registers()) {
                r.setFaults(uk.wycps.mock.FaultSettings.latency(0));
            }
        }
    }

    /**
     * Verifies that the co-ordinator's audit page says when its list is cut short and offers the
     * entries written after, by the log's order: it showed the oldest 100 as if they were all,
     * and the latest enquiries about the authority's children, those a co-ordinator is told of,
     * never appeared (and paging by time would skip an entry written later with an earlier time).
     */
    @Test
    void theAuditPageSaysWhenItsListIsCutShortAndOffersTheLaterEntries() throws Exception {
        ConsoleHarness own = ConsoleHarness.startDemo();
        try {
            java.time.Instant first = java.time.Instant.parse("2026-11-01T10:00:00Z");
            for (int i = 0; i < 106; i++) {
                // the last written later but with an earlier time, as a withheld register's entry is
                String id = i == 105 ? "enquiry-written-late" : "enquiry-" + i;
                await(own.audit.append(new uk.wycps.gateway.audit.AuditEntry(id, first.plusSeconds(i == 105 ? 50 : i),
                        "corr-" + i, new uk.wycps.policy.Caller("worker-1", uk.wycps.policy.Role.CHILD_WORKER,
                                uk.wycps.policy.Agency.SOCIAL_SERVICES, "bradford", java.util.Set.of()),
                        uk.wycps.gateway.audit.AuditEntry.ANSWERED, "register-check", "Referral", "not-sought",
                        new uk.wycps.record.SearchCriteria("Aisha", "Khan", null, null, null, null, null),
                        List.of(new uk.wycps.gateway.audit.AuditEntry.RegisterAnswer("bradford", "OK")), List.of(),
                        List.of(), "wycps-default@1")));
            }
            WebClientSession web = browserLike(own);
            signIn(web, own, "coordinator");
            HttpResponse<Buffer> page = await(web.get("/audit").send());
            assertEquals(200, page.statusCode(), page.bodyAsString());
            assertTrue(page.bodyAsString().contains("id=\"more-entries\""), page.bodyAsString());
            Matcher later = Pattern.compile("href=\"(/audit\\?after=[0-9]+)\"").matcher(page.bodyAsString());
            assertTrue(later.find(), page.bodyAsString());
            HttpResponse<Buffer> next = await(web.get(later.group(1).replace("&amp;", "&")).send());
            assertEquals(200, next.statusCode(), next.bodyAsString());
            assertTrue(next.bodyAsString().contains("2026-11-01T10:01:44Z"), "the last entry is on the next page");
            assertTrue(next.bodyAsString().contains("enquiry-written-late"), "an entry written later with an earlier time too");
            assertFalse(next.bodyAsString().contains("id=\"more-entries\""), next.bodyAsString());
        } finally {
            own.close();
        }
    }

    @Test
    void aFormPostWithoutTheSessionsTokenIsRefusedAndRunsNoEnquiry() throws Exception {
        WebClientSession web = browserLike();
        String csrf = signIn(web, "social-worker");
        int before = harness.audit.entries().size();
        HttpResponse<Buffer> without = await(web.post("/enquiry").sendForm(enquiryForm(null)));
        assertEquals(403, without.statusCode());
        HttpResponse<Buffer> wrong = await(web.post("/enquiry").sendForm(enquiryForm(csrf + "x")));
        assertEquals(403, wrong.statusCode());
        assertFalse(without.bodyAsString().contains(child.familyName()) || wrong.bodyAsString().contains(child.familyName()));
        assertEquals(before, harness.audit.entries().size(), "no enquiry was made");
        // and with the token it is answered
        assertEquals(200, await(web.post("/enquiry").sendForm(enquiryForm(csrf))).statusCode());
    }

    @Test
    void noPageThatShowsAChildCanBeCachedAndEveryResponseCarriesTheCsp() throws Exception {
        WebClientSession web = browserLike();
        String csrf = signIn(web, "social-worker");
        HttpResponse<Buffer> answer = await(web.post("/enquiry").sendForm(enquiryForm(csrf)));
        assertEquals(200, answer.statusCode());
        assertTrue(answer.bodyAsString().contains(child.familyName()), "the answer shows the child");
        assertEquals("no-store", answer.getHeader("Cache-Control"));
        Matcher id = ENQUIRY_ID.matcher(answer.bodyAsString());
        assertTrue(id.find());
        HttpResponse<Buffer> print = await(web.get("/answers/" + id.group(1) + "/print").send());
        assertTrue(print.bodyAsString().contains(child.familyName()));
        assertEquals("no-store", print.getHeader("Cache-Control"));
        assertCsp(answer, "the answer");
        assertCsp(print, "the print view");
        for (String path : List.of("/", "/enquiry", "/audit", "/statistics", "/no-such-page",
                "/govuk/govuk-frontend.min.css", "/console/static/console.js", "/api/v1/statistics")) {
            HttpResponse<Buffer> r = await(web.get(path).send());
            assertCsp(r, path);
            if (r.getHeader("Content-Type") != null && r.getHeader("Content-Type").startsWith("text/html")) {
                assertEquals("no-store", r.getHeader("Cache-Control"), path);
            }
        }
        // GOV.UK Frontend's files are served from the webjar
        assertEquals(200, await(web.get("/govuk/govuk-frontend.min.css").send()).statusCode());
        assertEquals(200, await(web.get("/govuk/govuk-frontend.min.js").send()).statusCode());
    }

    @Test
    void theSessionCookieIsHttpOnlyAndStrictAndSignInGivesANewSession() throws Exception {
        WebClientSession web = browserLike();
        HttpResponse<Buffer> page = await(web.get("/").send());
        String before = page.cookies().stream().filter(c -> c.startsWith(ConsoleRoutes.SESSION_COOKIE + "="))
                .findFirst().orElseThrow();
        assertTrue(before.toLowerCase(java.util.Locale.ROOT).contains("httponly") && before.contains("SameSite=Strict"), before);
        HttpResponse<Buffer> signedIn = await(web.post("/sign-in/demo").sendForm(MultiMap.caseInsensitiveMultiMap()
                .add("csrf", csrf(page)).add("persona", "social-worker")));
        String after = signedIn.cookies().stream().filter(c -> c.startsWith(ConsoleRoutes.SESSION_COOKIE + "="))
                .findFirst().orElseThrow();
        assertFalse(after.split(";")[0].equals(before.split(";")[0]), "a new session id on sign-in (no fixation)");
    }

    @Test
    void theStatisticsDownloadIsTheApisCsvForTheSameCaller() throws Exception {
        WebClientSession web = browserLike();
        signIn(web, "planner");
        HttpResponse<Buffer> csv = await(web.get("/statistics.csv").send());
        assertEquals(200, csv.statusCode());
        assertTrue(csv.getHeader("Content-Type").startsWith("text/csv"));
        assertTrue(csv.getHeader("Content-Disposition").startsWith("attachment"));
        Personas.Persona planner = Personas.find("planner");
        String token = harness.issuer.token(planner.role(), planner.agency(), planner.authority());
        HttpResponse<Buffer> api = await(harness.api.get("/api/v1/statistics?purpose=planning")
                .bearerTokenAuthentication(token).putHeader("Accept", "text/csv").send());
        assertEquals(200, api.statusCode());
        assertEquals(api.bodyAsString(), csv.bodyAsString());
        // and a role without statistics gets a page saying so, not figures
        WebClientSession other = browserLike();
        signIn(other, "police-officer");
        assertEquals(403, await(other.get("/statistics.csv").send()).statusCode());
    }

    @Test
    void aSignedOutSessionGetsTheSignInPageAndNoData() throws Exception {
        WebClientSession web = browserLike();
        String csrf = signIn(web, "social-worker");
        HttpResponse<Buffer> answer = await(web.post("/enquiry").sendForm(enquiryForm(csrf)));
        Matcher id = ENQUIRY_ID.matcher(answer.bodyAsString());
        assertTrue(id.find());
        assertEquals(303, await(web.post("/sign-out").sendForm(MultiMap.caseInsensitiveMultiMap().add("csrf", csrf)))
                .statusCode());
        assertSignInPageWithoutData(await(web.get("/answers/" + id.group(1) + "/print").send()));
        assertSignInPageWithoutData(await(web.get("/enquiry").send()));
        assertSignInPageWithoutData(await(web.post("/enquiry").sendForm(enquiryForm(csrf))));
        assertSignInPageWithoutData(await(web.get("/audit").send()));
    }

    @Test
    void anIdleSessionEndsAndThenGetsTheSignInPageAndNoData() throws Exception {
        // A gateway whose idle sessions end after 3 s, so that expiry can be seen.
        ConsoleHarness idle = ConsoleHarness.startDemo(Duration.ofSeconds(3));
        try {
            WebClientSession web = browserLike(idle);
            String enquiryId = signInAndEnquire(web);
            Thread.sleep(4000);
            assertSignInPageWithoutData(await(web.get("/answers/" + enquiryId + "/print").send()));
        } finally {
            idle.close();
        }
    }

    /**
     * Verifies that a sign-in ends after {@code auth.maxTokenLifetimeSeconds} however busy the
     * session is: the role and grants are the identity provider's as they were at sign-in, and an
     * API token lives no longer. Before, a session used every few minutes lasted for ever.
     */
    @Test
    void aBusySessionEndsWhenItsSignInIsOlderThanATokenMayBe() throws Exception {
        ConsoleHarness shortSignIn = ConsoleHarness.startDemo(Duration.ofMinutes(10), 3);
        try {
            WebClientSession web = browserLike(shortSignIn);
            String enquiryId = signInAndEnquire(web);
            // busy: a page every half second, far inside the idle timeout
            for (int i = 0; i < 8; i++) {
                Thread.sleep(500);
                await(web.get("/enquiry").send());
            }
            assertSignInPageWithoutData(await(web.get("/answers/" + enquiryId + "/print").send()));
            assertSignInPageWithoutData(await(web.get("/enquiry").send()));
        } finally {
            shortSignIn.close();
        }
    }

    /** Signs in as a social worker and makes an enquiry; its id, read from the answer page. */
    private String signInAndEnquire(WebClientSession web) throws Exception {
        String csrf = signIn(web, "social-worker");
        HttpResponse<Buffer> answer = await(web.post("/enquiry").sendForm(enquiryForm(csrf)));
        Matcher id = ENQUIRY_ID.matcher(answer.bodyAsString());
        assertTrue(id.find(), () -> "answered while signed in: " + answer.statusCode());
        return id.group(1);
    }

    private void assertSignInPageWithoutData(HttpResponse<Buffer> r) {
        assertEquals(401, r.statusCode());
        String body = r.bodyAsString();
        assertTrue(body.contains("id=\"sign-in-heading\""), "the sign-in page");
        assertFalse(body.contains(child.familyName()) || body.contains(child.givenName()), "no data");
    }

    @Test
    void aConsoleEnquirysAuditEntriesAreTheSameAsTheApis() throws Exception {
        WebClientSession web = browserLike();
        String csrf = signIn(web, "health-visitor");
        HttpResponse<Buffer> page = await(web.post("/enquiry").sendForm(enquiryForm(csrf)));
        Matcher id = ENQUIRY_ID.matcher(page.bodyAsString());
        assertTrue(id.find());
        Personas.Persona persona = Personas.find("health-visitor");
        JsonObject body = new JsonObject()
                .put("subject", new JsonObject().put("givenName", child.givenName()).put("familyName", child.familyName())
                        .put("dateOfBirth", child.dateOfBirth().toString()))
                .put("purpose", new JsonObject().put("code", "register-check").put("justification",
                        "Referral from school nurse"))
                .put("consent", new JsonObject().put("status", "not-sought").put("ground", "authorised-register-check"));
        String apiId = harness.apiAnswer(persona, body).getString("enquiryId");
        // The health visitor may not see three registers: each enquiry has its answered entry and,
        // once those registers have been searched after the answer, a withheld-searched entry.
        List<JsonObject> console = entries(id.group(1), 2);
        List<JsonObject> api = entries(apiId, 2);
        assertEquals(api, console);
    }

    /** The audit entries of one enquiry (waiting for {@code expected} of them), minus what must differ. */
    private List<JsonObject> entries(String enquiryId, int expected) throws InterruptedException {
        List<JsonObject> found = List.of();
        for (int i = 0; i < 100 && found.size() < expected; i++) {
            found = harness.audit.entries().stream().filter(e -> enquiryId.equals(e.enquiryId()))
                    .map(e -> e.toJson().copy()).sorted(java.util.Comparator.comparing(e -> e.getString("result")))
                    .toList();
            if (found.size() < expected) {
                Thread.sleep(100);
            }
        }
        assertEquals(expected, found.size(), "audit entries of " + enquiryId);
        // What differs is only what must: the enquiry's id, time, correlation id and who signed in.
        for (JsonObject e : found) {
            e.remove("enquiryId");
            e.remove("at");
            e.remove("correlationId");
            e.getJsonObject("caller").remove("sub");
        }
        return found;
    }
}
