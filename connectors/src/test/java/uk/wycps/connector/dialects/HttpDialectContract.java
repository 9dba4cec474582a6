package uk.wycps.connector.dialects;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.statistics.RegisterStatistics;
import uk.wycps.record.RecordJson;

/**
 * The contract for a dialect spoken over HTTP, its register a WireMock server: what every HTTP
 * dialect shares (statistics at {@code GET /statistics?asOf=}, checkpoints at
 * {@code PUT /audit-checkpoints/{index}}) is said here once.
 */
public abstract class HttpDialectContract extends DialectContract {

    protected WireMockServer server;

    @Override
    protected void startRegister() {
        server = ContractSupport.wiremock();
    }

    @Override
    protected void stopRegister() {
        server.stop();
    }

    /** The content type the register answers a write with. */
    protected String writeAnswerType() {
        return "application/json";
    }

    /** The status the register answers a search step with: 200 but where a test says otherwise. */
    private int answerStatus = 200;

    /** Answers a search step ({@code GET} or {@code POST} at {@code stub}) with {@code body}. */
    protected final void answer(com.github.tomakehurst.wiremock.client.MappingBuilder stub, String body, String contentType) {
        server.stubFor(stub.willReturn(aResponse().withStatus(answerStatus).withHeader("Content-Type", contentType)
                .withBody(body)));
    }

    /**
     * Verifies that a search is asked past any cache between ({@code Cache-Control: no-cache}:
     * never a "no record" kept from before the child was registered) and that an answer with a
     * success status other than 200 (202 "accepted, not yet done", 203 from something between,
     * 206 a part) is an ERROR, never an empty match (F5).
     */
    @org.junit.jupiter.api.Test
    void aSearchAsksPastCachesAndAnAnswerNot200IsAnErrorNeverNoRecord() throws Exception {
        registerHoldsNoCandidate();
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), await(connector.search(
                request(uk.wycps.record.CanonicalFields.all(), DEADLINE_MS))));
        List<com.github.tomakehurst.wiremock.verification.LoggedRequest> reads = server.findAll(
                com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(anyUrl()));
        org.junit.jupiter.api.Assertions.assertFalse(reads.isEmpty());
        for (var read : reads) {
            org.junit.jupiter.api.Assertions.assertEquals("no-cache", read.getHeader("Cache-Control"), read.getUrl());
        }
        for (int status : List.of(202, 203, 206)) {
            answerStatus = status;
            registerHoldsNoCandidate();
            org.junit.jupiter.api.Assertions.assertEquals(uk.wycps.connector.RegisterFailure.Kind.ERROR,
                    failure(connector.search(request(uk.wycps.record.CanonicalFields.all(), DEADLINE_MS))).kind(),
                    "status " + status);
        }
        answerStatus = 200;
    }

    @Override
    protected void registerKeepsHistory() {
        server.stubFor(any(urlPathMatching("/audit-checkpoints/.*")).atPriority(1).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{}")));
        server.stubFor(any(anyUrl()).atPriority(5).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", writeAnswerType()).withBody("{}")));
    }

    @Override
    protected void verifyCheckpointKept(AuditCheckpoint checkpoint) throws Exception {
        server.verify(putRequestedFor(urlEqualTo("/audit-checkpoints/" + checkpoint.index()))
                .withRequestBody(equalToJson(RecordJson.mapper().writeValueAsString(checkpoint))));
    }

    @Override
    protected void registerComputes(RegisterStatistics statistics) throws Exception {
        answer(get(urlEqualTo("/statistics?asOf=" + statistics.asOf())), RecordJson.mapper().writeValueAsString(statistics),
                "application/json");
    }

    /** Each body an answer of its own, named by itself, answered by {@code answer}. */
    protected static Map<String, Step> answersOf(List<String> bodies, Consumer<String> answer) {
        Map<String, Step> answers = new LinkedHashMap<>();
        bodies.forEach(body -> answers.put(body, () -> answer.accept(body)));
        return answers;
    }

    /** {@code {"list": [{"idKey": "<prefix>0"}, ...]}} with {@code count} records: ids and nothing else. */
    protected static String idsOnlyAnswer(String list, String idKey, String prefix, int count) {
        StringBuilder many = new StringBuilder("{\"" + list + "\": [");
        for (int i = 0; i < count; i++) {
            many.append(i == 0 ? "" : ",").append("{\"").append(idKey).append("\": \"").append(prefix).append(i).append("\"}");
        }
        return many.append("]}").toString();
    }
}
