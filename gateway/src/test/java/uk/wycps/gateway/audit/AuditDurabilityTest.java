package uk.wycps.gateway.audit;

import static uk.wycps.gateway.support.Answers.await;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static uk.wycps.gateway.support.ErrorBodies.assertError;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.support.GatewayHarness;
import uk.wycps.gateway.support.TestIssuer;

/**
 * Verifies the durability of what the gateway owes (H1, H3): an enquiry fails closed while the
 * audit cannot be written and succeeds again once it can; every enquiry-history entry reaches a
 * register that was down, across a gateway restart, exactly once; and a Child Protection
 * Co-ordinator reads only their own authority's audit.
 */
@ExtendWith(VertxExtension.class)
class AuditDurabilityTest {

    private static final String RECORD = """
            {"records": [{"recordId": "BD-000001", "givenName": "Aisha", "familyName": "Khan",
              "dateOfBirth": "2016-03-09", "gender": "female"}]}""";

    @TempDir
    Path auditDir;

    private WireMockServer register;
    private List<RegisterSettings> registers;

    @BeforeEach
    void startRegister() {
        register = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        register.start();
        register.stubFor(post(urlEqualTo("/search")).willReturn(okJson(RECORD)));
        register.stubFor(put(urlPathMatching("/audit-checkpoints/.*")).willReturn(okJson("{}")));
        registers = List.of(RegisterSettings.of("bradford", "canonical-json",
                URI.create("http://127.0.0.1:" + register.port())));
    }

    @AfterEach
    void stopRegister() {
        register.stop();
    }


    private static JsonObject enquiry() {
        return GatewayHarness.enquiry("Aisha", "Khan", "2016-03-09");
    }

    @Test
    void enquiriesGet503WhileTheAuditIsUnwritableAndSucceedAgainAfter(Vertx vertx) throws Exception {
        TestIssuer issuer = new TestIssuer(vertx);
        GatewayHarness gateway = await(GatewayHarness.startWithFileAudit(vertx, issuer, registers, auditDir));
        String token = issuer.token("child-worker", "social-services", "bradford");
        Path log = auditDir.resolve(FileAuditSink.FILE_NAME);
        try {
            assertEquals(200, await(gateway.enquire(token, enquiry())).statusCode());
            // GIVEN the log becomes unwritable, even to root (an immutable file)
            Assumptions.assumeTrue(chattr("+i", log), "chattr +i is not supported on this file system");
            try {
                // WHEN an enquiry comes THEN 503 and no record data (H1)
                HttpResponse<Buffer> refused = await(gateway.enquire(token, enquiry()));
                assertError(refused, 503, "audit-unavailable");
                assertFalse(refused.bodyAsString().contains("Khan"));
            } finally {
                chattr("-i", log);
            }
            // AND once writable again, enquiries succeed and the chain is whole
            assertEquals(200, await(gateway.enquire(token, enquiry())).statusCode());
        } finally {
            await(gateway.close());
        }
        AuditVerifier.Result result = AuditVerifier.verifyDirectory(auditDir);
        assertTrue(result.intact(), result.toString());
        assertEquals(2, result.entries(), "the refused enquiry left no entry");
    }

    /**
     * Verifies that a node starting on the log of a node lost right after an answer runs the
     * withheld registers' searches that answer promised (A9, H3): before, a node killed (not
     * stopped) between the two left a register holding the child never told, and nothing but a
     * missing second entry said so.
     */
    @Test
    void aNodeStartingOnALostNodesLogRunsTheWithheldSearchesItLeftAndTellsTheRegister(Vertx vertx) throws Exception {
        register.stubFor(post(urlEqualTo("/enquiries")).willReturn(okJson("{}")));
        // GIVEN the log of a node lost right after answering a Leeds worker, Bradford withheld and never searched
        String enquiryId = java.util.UUID.randomUUID().toString();
        FileAuditSink lost = await(FileAuditSink.open(vertx, auditDir, AuditKeys.loadOrCreate(auditDir), 1000, c -> { }));
        // (answered seconds before the node was lost, and restarted at once: as a service manager does)
        await(lost.append(new AuditEntry(enquiryId, java.time.Instant.now().minusSeconds(5),
                "corr-lost", new uk.wycps.policy.Caller("worker-1", uk.wycps.policy.Role.CHILD_WORKER,
                        uk.wycps.policy.Agency.SOCIAL_SERVICES, "leeds", java.util.Set.of()),
                AuditEntry.ANSWERED, "register-check", "Referral from school nurse", "not-sought:authorised-register-check",
                new uk.wycps.record.SearchCriteria("Aisha", "Khan", null, null, java.time.LocalDate.of(2016, 3, 9), null,
                        null),
                List.of(new AuditEntry.RegisterAnswer("bradford", "WITHHELD")), List.of(), List.of(), "wycps-default@1")));
        await(lost.close());
        // WHEN a node starts on that log
        GatewayHarness node = await(GatewayHarness.startWithFileAudit(vertx, new TestIssuer(vertx), registers, auditDir));
        try {
            // THEN Bradford is told of the enquiry about its child
            long deadline = System.currentTimeMillis() + 20_000;
            while (historyDeliveries().stream().noneMatch(e -> e.getRequest().getBodyAsString().contains(enquiryId))
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(historyDeliveries().stream().anyMatch(e -> e.getRequest().getBodyAsString().contains(enquiryId)),
                    "H3, A9: the withheld register is told");
        } finally {
            await(node.close());
        }
        // AND the log holds the entry saying so, and is whole
        List<String> followUps = java.nio.file.Files.readAllLines(auditDir.resolve(FileAuditSink.FILE_NAME)).stream()
                .filter(l -> l.contains(enquiryId) && l.contains(AuditEntry.WITHHELD_SEARCHED)).toList();
        assertEquals(1, followUps.size(), followUps.toString());
        assertTrue(followUps.get(0).contains("BD-000001"), followUps.get(0));
        assertTrue(AuditVerifier.verifyDirectory(auditDir).intact());
    }

    private static boolean chattr(String flag, Path file) throws Exception {
        Process p = new ProcessBuilder("chattr", flag, file.toString()).redirectErrorStream(true).start();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @Test
    void everyEnquiryHistoryEntryReachesARegisterThatWasDownExactlyOnceAcrossARestart(Vertx vertx) throws Exception {
        // GIVEN the register answers searches but cannot take enquiry-history entries
        register.stubFor(post(urlEqualTo("/enquiries")).willReturn(aResponse().withStatus(503)));
        TestIssuer issuer = new TestIssuer(vertx);
        String token = issuer.token("child-worker", "social-services", "bradford");
        GatewayHarness first = await(GatewayHarness.startWithFileAudit(vertx, issuer, registers, auditDir));
        for (int i = 0; i < 5; i++) {
            assertEquals(200, await(first.enquire(token, enquiry())).statusCode());
        }
        // WHEN the gateway is restarted while the register is still down, and then it comes back
        await(first.close());
        GatewayHarness second = await(GatewayHarness.startWithFileAudit(vertx, issuer, registers, auditDir));
        try {
            register.stubFor(post(urlEqualTo("/enquiries")).willReturn(okJson("{}")));
            // THEN each of the five entries is acknowledged once, and none is sent again after
            long deadline = System.currentTimeMillis() + 20_000;
            while (acknowledged().size() < 5 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(1500);
            Map<String, Integer> acked = acknowledged();
            assertEquals(5, acked.size(), "entries acknowledged: " + acked);
            acked.forEach((entry, times) -> assertEquals(1, times, entry + " sent again after its acknowledgement"));
            // AND the backlog went in one exchange, not one per entry
            assertEquals(1, acknowledgedExchanges(), "exchanges that delivered the backlog");
            assertEquals(Map.of(), await(second.gateway.outbox().pendingCounts()).entrySet().stream()
                    .filter(e -> e.getValue() > 0).collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                            Map.Entry::getValue)));
        } finally {
            await(second.close());
        }
        // AND a third start finds the acknowledgements in the journal: nothing pending, nothing resent
        GatewayHarness third = await(GatewayHarness.startWithFileAudit(vertx, issuer, registers, auditDir));
        try {
            assertTrue(await(third.gateway.outbox().pendingCounts()).values().stream().allMatch(n -> n == 0));
            Thread.sleep(500);
            assertEquals(1, acknowledgedExchanges(), "exchanges after the third start");
        } finally {
            await(third.close());
        }
    }

    /** Enquiry-history entries the register acknowledged, and how often, by entry id. */
    private Map<String, Integer> acknowledged() {
        Map<String, Integer> acked = new HashMap<>();
        for (ServeEvent e : historyDeliveries()) {
            if (e.getResponse().getStatus() == 200) {
                new JsonObject(e.getRequest().getBodyAsString()).getJsonArray("entries").forEach(d ->
                        acked.merge(((JsonObject) d).getJsonObject("entry").getString("entryId"), 1, Integer::sum));
            }
        }
        return acked;
    }

    private long acknowledgedExchanges() {
        return historyDeliveries().stream().filter(e -> e.getResponse().getStatus() == 200).count();
    }

    private List<ServeEvent> historyDeliveries() {
        return register.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().equals("/enquiries")).toList();
    }

    @Test
    void coordinatorReadsOnlyTheirOwnAuthoritysEntriesAndCanExportThem(Vertx vertx) throws Exception {
        register.stubFor(post(urlEqualTo("/enquiries")).willReturn(okJson("{}")));
        register.stubFor(post(urlEqualTo("/calderdale/search")).willReturn(okJson("{\"records\": []}")));
        List<RegisterSettings> two = List.of(registers.get(0), RegisterSettings.of("calderdale", "canonical-json",
                URI.create("http://127.0.0.1:" + register.port() + "/calderdale")));
        TestIssuer issuer = new TestIssuer(vertx);
        GatewayHarness gateway = await(GatewayHarness.startWithFileAudit(vertx, issuer, two, auditDir));
        try {
            // GIVEN a Bradford worker's enquiry that released BD-000001
            await(gateway.enquire(issuer.token("child-worker", "social-services", "bradford"), enquiry()));
            // WHEN Bradford's and Calderdale's co-ordinators read the audit
            JsonObject bradford = await(gateway.client.get("/api/v1/audit?recordId=BD-000001")
                    .bearerTokenAuthentication(issuer.token("cp-coordinator", "social-services", "bradford")).send())
                    .bodyAsJsonObject();
            JsonObject calderdale = await(gateway.client.get("/api/v1/audit")
                    .bearerTokenAuthentication(issuer.token("cp-coordinator", "social-services", "calderdale")).send())
                    .bodyAsJsonObject();
            HttpResponse<Buffer> lines = await(gateway.client.get("/api/v1/audit?format=jsonl&recordId=BD-000001")
                    .bearerTokenAuthentication(issuer.token("cp-coordinator", "social-services", "bradford")).send());
            HttpResponse<Buffer> worker = await(gateway.client.get("/api/v1/audit")
                    .bearerTokenAuthentication(issuer.token("child-worker", "social-services", "bradford")).send());
            // THEN Bradford's sees it, Calderdale's does not, the export is JSON lines, a worker gets 403
            assertEquals(1, bradford.getInteger("count"), bradford.encodePrettily());
            assertEquals("register-check", bradford.getJsonArray("entries").getJsonObject(0).getString("purpose"));
            assertEquals(0, calderdale.getInteger("count"), calderdale.encodePrettily());
            assertEquals("application/x-ndjson", lines.getHeader("Content-Type"));
            // the answer's entry alone: the one recording Calderdale's search after the answer (A9)
            // releases no Bradford record
            assertEquals(1, lines.bodyAsString().strip().split("\n").length, lines.bodyAsString());
            assertError(worker, 403, "role-not-permitted");
        } finally {
            await(gateway.close());
        }
    }
}
