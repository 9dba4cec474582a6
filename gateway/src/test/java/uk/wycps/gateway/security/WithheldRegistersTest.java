package uk.wycps.gateway.security;

import static uk.wycps.gateway.support.Answers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.wycps.gateway.audit.AuditEntry;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.enquiry.EnquiryService;
import uk.wycps.gateway.support.FederationHarness;
import uk.wycps.gateway.support.GatewayHarness;
import uk.wycps.gateway.support.LogCapture;
import uk.wycps.gateway.support.NonInterference;
import uk.wycps.mock.FaultMode;
import uk.wycps.mock.FaultSettings;
import uk.wycps.record.ChildRecord;

/**
 * Registers withheld from the caller are searched after the answer has left (A9, issue 14 item
 * 2): the answer cannot wait on them or fail because of them, their searches stay out of the
 * published latencies, and what they answered and who was told is audited afterwards. The
 * caller's {@code complete}/{@code outcome} for them is what it always was (F5). Each test has
 * its own federation (faults and a closed outbox are not shared).
 */
class WithheldRegistersTest {

    private Vertx vertx;
    private InMemoryAuditSink audit;
    private FederationHarness federation;
    private LogCapture logs;
    private NonInterference quiet;
    private ChildRecord bradfordOnly;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        audit = new InMemoryAuditSink();
        logs = LogCapture.start();
        // Bradford's deadline well past its 1.5 s latency in the tests that slow it: a loaded
        // machine's pause must not turn its search after the answer into a timeout.
        federation = await(FederationHarness.start(vertx, audit, s -> "bradford".equals(s.authority())
                ? s.withDeadline(java.time.Duration.ofSeconds(5)) : s));
        quiet = new NonInterference(federation, audit, logs);
        bradfordOnly = NonInterference.childHeldOnlyBy(federation, "bradford");
        quiet.quiet();
    }

    @AfterEach
    void stop() throws Exception {
        logs.close();
        federation.close().recover(e -> Future.succeededFuture()).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        await(vertx.close());
    }

    private HttpResponse<Buffer> enquireAsLeeds() throws Exception {
        return await(federation.gateway.enquire(federation.gateway.issuer.token("child-worker", "social-services", "leeds"),
                GatewayHarness.enquiry(bradfordOnly.givenName(), bradfordOnly.familyName(),
                        bradfordOnly.dateOfBirth().toString())));
    }

    private List<AuditEntry> followUps(String enquiryId) {
        return audit.entries().stream().filter(e -> enquiryId.equals(e.enquiryId())
                && e.result().startsWith(EnquiryService.WITHHELD_SEARCHED)).toList();
    }

    private static JsonObject register(JsonObject answer, String authority) {
        return answer.getJsonArray("registers").stream().map(o -> (JsonObject) o)
                .filter(r -> authority.equals(r.getString("authority"))).findFirst().orElseThrow();
    }

    /** F5 as it always was: a withheld register is never "no record", so the answer is not complete. */
    private static void assertWithheldAsAlways(JsonObject answer) {
        JsonObject bradford = register(answer, "bradford");
        assertEquals("WITHHELD", bradford.getString("status"), answer.encodePrettily());
        assertFalse(bradford.containsKey("latencyMs"), answer.encodePrettily());
        assertFalse(answer.getBoolean("complete"));
        assertEquals("not-all-checked", answer.getString("outcome"));
        assertTrue(answer.getJsonArray("persons").isEmpty());
    }

    @Test
    void theAnswerLeavesBeforeAWithheldRegisterAnswersAndItsMatchIsNotifiedAndAuditedAfterwards() throws Exception {
        federation.mocks.register("bradford").setFaults(FaultSettings.latency(1500));
        HttpResponse<Buffer> r = enquireAsLeeds();
        assertEquals(200, r.statusCode(), r.bodyAsString());
        JsonObject answer = r.bodyAsJsonObject();
        String enquiryId = answer.getString("enquiryId");
        assertWithheldAsAlways(answer);
        AuditEntry answered = audit.entries().stream().filter(e -> enquiryId.equals(e.enquiryId())).findFirst()
                .orElseThrow(() -> new AssertionError("H1: the answer's entry is durable before the answer leaves"));
        assertEquals(AuditEntry.ANSWERED, answered.result());
        assertTrue(answered.notified().isEmpty());
        assertTrue(followUps(enquiryId).isEmpty(), "the withheld register had not answered when the answer left");

        quiet.quiet();
        List<AuditEntry> after = followUps(enquiryId);
        assertEquals(1, after.size(), audit.entries().toString());
        AuditEntry followUp = after.get(0);
        assertEquals(EnquiryService.WITHHELD_SEARCHED, followUp.result());
        assertTrue(followUp.registers().contains(new AuditEntry.RegisterAnswer("bradford", "WITHHELD(OK)")),
                followUp.registers().toString());
        assertTrue(followUp.notified().stream().anyMatch(n -> n.recordId().equals(bradfordOnly.recordId())));
        assertTrue(federation.mocks.register("bradford").enquiryHistory(bradfordOnly.recordId()).stream()
                .anyMatch(h -> enquiryId.equals(h.enquiryId())), "H3, A9: Bradford is told of the enquiry");
    }

    @Test
    void aWithheldRegisterThatNeverAnswersLeavesTheAnswerWithheldAndIsAuditedAsNotChecked() throws Exception {
        federation.mocks.register("bradford").setFaults(FaultSettings.mode(FaultMode.HANG));
        HttpResponse<Buffer> r = enquireAsLeeds();
        assertEquals(200, r.statusCode(), r.bodyAsString());
        assertWithheldAsAlways(r.bodyAsJsonObject());
        quiet.quiet();
        AuditEntry followUp = followUps(r.bodyAsJsonObject().getString("enquiryId")).get(0);
        assertTrue(followUp.registers().contains(new AuditEntry.RegisterAnswer("bradford", "WITHHELD(TIMEOUT)")),
                followUp.registers().toString());
        assertTrue(followUp.notified().stream().noneMatch(n -> n.authority().equals("bradford")),
                followUp.notified().toString());
    }

    @Test
    void aCallerWhoShortensTheDeadlineCannotStopAWithheldRegisterBeingTold() throws Exception {
        federation.mocks.register("bradford").setFaults(FaultSettings.latency(300));
        HttpResponse<Buffer> r = await(federation.gateway.client.post("/api/v1/enquiries")
                .bearerTokenAuthentication(federation.gateway.issuer.token("child-worker", "social-services", "leeds"))
                .putHeader("X-Deadline-Ms", "20")
                .sendJsonObject(GatewayHarness.enquiry(bradfordOnly.givenName(), bradfordOnly.familyName(),
                        bradfordOnly.dateOfBirth().toString())));
        assertEquals(200, r.statusCode(), r.bodyAsString());
        quiet.quiet();
        AuditEntry followUp = followUps(r.bodyAsJsonObject().getString("enquiryId")).get(0);
        assertTrue(followUp.registers().contains(new AuditEntry.RegisterAnswer("bradford", "WITHHELD(OK)")),
                "searched with Bradford's own deadline: " + followUp.registers());
        assertTrue(followUp.notified().stream().anyMatch(n -> n.recordId().equals(bradfordOnly.recordId())));
    }

    @Test
    void aWithheldRegistersSearchesStayOutOfThePublishedLatencies() throws Exception {
        JsonObject before = bradfordHealth();
        String metricsBefore = await(federation.gateway.management.get("/metrics").send()).bodyAsString();
        HttpResponse<Buffer> r = enquireAsLeeds();
        assertEquals(200, r.statusCode());
        quiet.quiet();
        JsonObject after = bradfordHealth();
        assertTrue(after.getInteger("callsInWindow") > before.getInteger("callsInWindow"),
                "Bradford was searched: " + after.encode());
        assertEquals(before.getJsonObject("latency").getInteger("samples"),
                after.getJsonObject("latency").getInteger("samples"), "no latency sample of a withheld search");
        String metrics = await(federation.gateway.management.get("/metrics").send()).bodyAsString();
        String latency = "wycps_register_searches_seconds_count{authority=\"bradford\",status=\"OK\"}";
        assertEquals(value(metricsBefore, latency), value(metrics, latency), "no Bradford latency published");
        String withheld = "wycps_withheld_searches_total{authority=\"bradford\",status=\"OK\"}";
        assertEquals(value(metricsBefore, withheld) + 1, value(metrics, withheld), "the withheld search is counted");
    }

    @Test
    void anOutboxThatCannotTakeAWithheldMatchChangesNothingInTheAnswer() throws Exception {
        HttpResponse<Buffer> healthy = enquireAsLeeds();
        quiet.quiet();
        await(federation.gateway.gateway.outbox().close());
        HttpResponse<Buffer> failing = enquireAsLeeds();
        assertEquals(200, failing.statusCode(), failing.bodyAsString());
        assertEquals(mask(healthy.bodyAsJsonObject()), mask(failing.bodyAsJsonObject()));
        String enquiryId = failing.bodyAsJsonObject().getString("enquiryId");
        for (int i = 0; i < 100 && followUps(enquiryId).isEmpty(); i++) {
            Thread.sleep(50);
        }
        assertEquals(EnquiryService.WITHHELD_SEARCHED + ":notification-failed", followUps(enquiryId).get(0).result(),
                "the audit says that Bradford could not be told");
    }

    /**
     * Verifies that the audit view does not tell a reader who may not see a withheld register
     * whether it held the child (A9) through the follow-up entry's result: with the outbox
     * unable to queue, a match's entry says "notification-failed" in the log and a miss's does
     * not; a Leeds co-ordinator without grants is shown both alike (as is anyone who may not see
     * every register searched: the failed notification may be any of theirs), while one granted
     * every authority is shown what the log says.
     */
    @Test
    void theAuditViewShowsAWithheldMatchsFailedNotificationOnlyToAReaderWhoMaySeeThatRegister() throws Exception {
        await(federation.gateway.gateway.outbox().close());
        java.time.Instant from = java.time.Instant.now().minusMillis(1);
        String leedsWorker = federation.gateway.issuer.token("child-worker", "social-services", "leeds");
        String match = await(federation.gateway.enquire(leedsWorker, GatewayHarness.enquiry(bradfordOnly.givenName(),
                bradfordOnly.familyName(), bradfordOnly.dateOfBirth().toString()))).bodyAsJsonObject().getString("enquiryId");
        String miss = await(federation.gateway.enquire(leedsWorker, GatewayHarness.enquiry("Zephyrine",
                "Quillfeather-Oakes", "2015-02-03"))).bodyAsJsonObject().getString("enquiryId");
        for (int i = 0; i < 100 && (followUps(match).isEmpty() || followUps(miss).isEmpty()); i++) {
            Thread.sleep(50);
        }
        assertEquals(EnquiryService.WITHHELD_SEARCHED + ":notification-failed", followUps(match).get(0).result());
        assertEquals(EnquiryService.WITHHELD_SEARCHED, followUps(miss).get(0).result());
        java.util.function.BiFunction<String, String, String> resultSeen = (token, enquiryId) -> {
            try {
                HttpResponse<Buffer> r = await(federation.gateway.client.get("/api/v1/audit?limit=1000&from=" + from)
                        .bearerTokenAuthentication(token).send());
                assertEquals(200, r.statusCode(), r.bodyAsString());
                return r.bodyAsJsonObject().getJsonArray("entries").stream().map(o -> (JsonObject) o)
                        .filter(e -> enquiryId.equals(e.getString("enquiryId"))
                                && e.getString("result").startsWith(EnquiryService.WITHHELD_SEARCHED))
                        .map(e -> e.getString("result")).findFirst().orElseThrow();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        String coordinator = federation.gateway.issuer.token("cp-coordinator", "social-services", "leeds");
        assertEquals(resultSeen.apply(coordinator, miss), resultSeen.apply(coordinator, match),
                "a match and a miss look alike to a reader who may not see Bradford");
        String granted = federation.gateway.issuer.token("cp-coordinator", "social-services", "leeds",
                "cross-authority:*");
        assertEquals(EnquiryService.WITHHELD_SEARCHED + ":notification-failed", resultSeen.apply(granted, match));
    }

    /**
     * Verifies that a withheld match whose notification cannot be queued looks like a miss on
     * every route a Leeds caller and their co-ordinator can observe (answer, audit, statistics,
     * explain, health, metrics, log lines; A9): the gateway once logged a warning for the match
     * alone, since only a match is ever queued.
     */
    @Test
    void aWithheldMatchWhoseNotificationCannotBeQueuedLooksLikeAMissOnEveryRoute() throws Exception {
        await(federation.gateway.gateway.outbox().close());
        NonInterference.Observer leeds = new NonInterference.Observer(
                federation.gateway.issuer.token("child-worker", "social-services", "leeds"),
                federation.gateway.issuer.token("cp-coordinator", "social-services", "leeds"));
        NonInterference.Observation held = quiet.observe(leeds, GatewayHarness.enquiry(bradfordOnly.givenName(),
                bradfordOnly.familyName(), bradfordOnly.dateOfBirth().toString()));
        NonInterference.Observation nobody = quiet.observe(leeds, GatewayHarness.enquiry("Zephyrine",
                "Quillfeather-Oakes", "2015-02-03"));
        assertEquals(Map.of(), NonInterference.differences(held, nobody));
    }

    /**
     * Verifies that a node stopped right after an answer still searches the withheld register and
     * queues the notification of its match, durably, before it closes its audit and outbox (H3,
     * O4; the outbox delivers it, now or after the restart): stopping dropped the search, and a
     * withheld register holding the child was never told. Bradford answers after 1.5 s; the node
     * is stopped as soon as the answer is in.
     */
    @Test
    void aNodeStoppedRightAfterAnAnswerStillTellsTheWithheldRegisterOfItsMatch() throws Exception {
        federation.mocks.register("bradford").setFaults(uk.wycps.mock.FaultSettings.latency(1500));
        HttpResponse<Buffer> r = enquireAsLeeds();
        assertEquals(200, r.statusCode(), r.bodyAsString());
        String enquiryId = r.bodyAsJsonObject().getString("enquiryId");
        await(federation.gateway.close());
        List<AuditEntry> followUp = followUps(enquiryId);
        assertEquals(1, followUp.size(), "the withheld search ran and its audit entry was written before the node stopped");
        // the plain result: the notification was durable in the outbox before the entry was written
        assertEquals(EnquiryService.WITHHELD_SEARCHED, followUp.get(0).result());
        assertTrue(followUp.get(0).notified().stream().anyMatch(n -> "bradford".equals(n.authority())
                && bradfordOnly.recordId().equals(n.recordId())), followUp.toString());
    }

    private static double value(String metrics, String series) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        return 0;
    }

    private static JsonObject mask(JsonObject answer) {
        JsonObject copy = answer.copy();
        copy.remove("enquiryId");
        copy.getJsonArray("registers").forEach(o -> ((JsonObject) o).remove("latencyMs"));
        return copy;
    }

    private JsonObject bradfordHealth() throws Exception {
        JsonObject health = await(federation.gateway.management.get("/health/ready").send()).bodyAsJsonObject();
        return health.getJsonArray("registers").stream().map(o -> (JsonObject) o)
                .filter(r -> "bradford".equals(r.getString("authority"))).findFirst().orElseThrow();
    }

    /** The entry a Leeds child worker's answer about Bradford's child leaves: Bradford and the others withheld. */
    private AuditEntry answerWithheld(String enquiryId, java.time.Instant at) {
        return new AuditEntry(enquiryId, at, "corr-" + enquiryId, new uk.wycps.policy.Caller("worker-1",
                uk.wycps.policy.Role.CHILD_WORKER, uk.wycps.policy.Agency.SOCIAL_SERVICES, "leeds", java.util.Set.of()),
                AuditEntry.ANSWERED, "register-check", "Referral from school nurse", "not-sought:authorised-register-check",
                new uk.wycps.record.SearchCriteria(bradfordOnly.givenName(), bradfordOnly.familyName(), null, null,
                        bradfordOnly.dateOfBirth(), null, null),
                List.of(new AuditEntry.RegisterAnswer("bradford", "WITHHELD"), new AuditEntry.RegisterAnswer("calderdale",
                        "WITHHELD"), new AuditEntry.RegisterAnswer("kirklees", "WITHHELD"),
                        new AuditEntry.RegisterAnswer("leeds", "OK"), new AuditEntry.RegisterAnswer("wakefield", "WITHHELD")),
                List.of(), List.of(), "wycps-default@1");
    }

    /**
     * Verifies that a node runs again the withheld searches a lost node left (A9, H3): an answer
     * that withheld Bradford, three minutes old, with no second entry (its node killed between
     * the answer and them: before, that register was never told) is searched again, Bradford is
     * told of its match and the entry recording it is written, once; an answer younger than the
     * grace (its node may still be searching) and one with its second entry are left alone.
     */
    @Test
    void aNodeResumesTheWithheldSearchesALostNodeLeftAndThoseOnly() throws Exception {
        java.time.Instant now = java.time.Instant.now();
        String lost = java.util.UUID.randomUUID().toString();
        String fresh = java.util.UUID.randomUUID().toString();
        String done = java.util.UUID.randomUUID().toString();
        await(audit.append(answerWithheld(lost, now.minus(java.time.Duration.ofMinutes(3)))));
        // (made after this node started: its own start pass leaves it alone too)
        await(audit.append(answerWithheld(fresh, now)));
        AuditEntry doneAnswer = answerWithheld(done, now.minus(java.time.Duration.ofMinutes(3)));
        await(audit.append(doneAnswer));
        await(audit.append(new AuditEntry(done, doneAnswer.at(), doneAnswer.correlationId(), doneAnswer.caller(),
                EnquiryService.WITHHELD_SEARCHED, doneAnswer.purpose(), doneAnswer.justification(), doneAnswer.consent(),
                doneAnswer.criteria(), List.of(new AuditEntry.RegisterAnswer("bradford", "WITHHELD(OK)")), List.of(),
                List.of(), doneAnswer.policy())));

        await(federation.gateway.gateway.resumeWithheldSearches(now));

        List<AuditEntry> resumed = followUps(lost);
        assertEquals(1, resumed.size(), audit.entries().toString());
        assertEquals(EnquiryService.WITHHELD_SEARCHED, resumed.get(0).result());
        assertTrue(resumed.get(0).registers().contains(new AuditEntry.RegisterAnswer("bradford", "WITHHELD(OK)")),
                resumed.get(0).registers().toString());
        assertTrue(resumed.get(0).notified().stream().anyMatch(n -> "bradford".equals(n.authority())
                && bradfordOnly.recordId().equals(n.recordId())), resumed.get(0).toString());
        assertTrue(followUps(fresh).isEmpty(), "an answer within the grace is its own node's to finish");
        assertEquals(1, followUps(done).size(), "an answer with its second entry is not searched again");
        // AND a second pass finds nothing more to do
        assertEquals(0, await(federation.gateway.gateway.resumeWithheldSearches(now)));
        assertEquals(1, followUps(lost).size());
        // (the fresh answer's own node finishes it, here by hand, so that the gateway is quiet)
        await(audit.append(new AuditEntry(fresh, now, "corr-" + fresh, doneAnswer.caller(),
                EnquiryService.WITHHELD_SEARCHED, doneAnswer.purpose(), doneAnswer.justification(), doneAnswer.consent(),
                doneAnswer.criteria(), List.of(), List.of(), List.of(), doneAnswer.policy())));
        quiet.quiet();
        assertTrue(federation.mocks.register("bradford").enquiryHistory(bradfordOnly.recordId()).stream()
                .anyMatch(h -> lost.equals(h.enquiryId())), "H3, A9: Bradford is told of the resumed enquiry");
    }
}
