package uk.wycps.connector.dialects;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static uk.wycps.connector.dialects.ContractSupport.await;
import static uk.wycps.connector.dialects.ContractSupport.failure;
import static uk.wycps.connector.dialects.ContractSupport.request;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.legacy.LegacyConnector;
import uk.wycps.record.Address;
import uk.wycps.record.CanonicalFields;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.ConcernCategory;
import uk.wycps.record.Gender;
import uk.wycps.record.Relationship;

/** The {@code legacy-two-step} connector with Wakefield's mapping file against WireMock stubs. */
class LegacyContractTest {

    static String child(String id) {
        return """
                {"CHILD": {"CHILD_NO": "%s", "FORENAME": "Aisha", "SURNAME": "Khan", "ALIASES": [], "DOB": "20160309", "SEX": "F",
                 "LANGUAGES": ["English"], "ADDR_LINE1": "1 Mill Lane", "ADDR_TOWN": "Wakefield", "ADDR_POSTCODE": "WF1 1AA",
                 "ADDR_LA": "wakefield", "ADDRESS_HISTORY": [{"LINE1": "2 Low Road", "TOWN": "Leeds", "POSTCODE": "LS1 1AA",
                 "LA": "leeds", "FROM": "20160309", "TO": "20201231"}], "CATEGORIES": ["NEG"],
                 "REG": {"STATUS": "CURRENT", "CATEGORY": "NEG", "START": "20210201"}, "REG_HISTORY": [], "CONFERENCES": [],
                 "ENQUIRIES": [], "REFERRALS": [], "FAMILY": [{"NAME": "Sara Khan", "RELATIONSHIP": "mother", "CONCERN": "N",
                 "SCHEDULE_ONE": "Y"}], "LAC": "Y", "ETHNICITY": "Asian"}}""".formatted(id);
    }

    private Vertx vertx;
    private WireMockServer server;
    private RegisterConnector connector;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        server = ContractSupport.wiremock();
        connector = connector(ContractSupport.mapping("wakefield.json"));
    }

    private RegisterConnector connector(JsonObject options) {
        return new LegacyConnector(vertx, ContractSupport.settings("wakefield", "legacy-two-step", server, options));
    }

    @AfterEach
    void stop() throws Exception {
        await(connector.close());
        server.stop();
        await(vertx.close());
    }

    private void ids(String... ids) {
        server.stubFor(get(urlPathEqualTo("/cpr/find")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(new JsonObject().put("MATCHES", List.of(ids)).put("COUNT", ids.length).encode())));
    }

    private void record(String id, String body, int delayMs) {
        server.stubFor(get(urlPathEqualTo("/cpr/child/" + id)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(body).withFixedDelay(delayMs)));
    }

    /** Verifies the two steps: ids by search, then each record, mapped from the legacy codes and yyyyMMdd dates. */
    @Test
    void searchesThenFetchesEachRecord() throws Exception {
        ids("WA-000001", "WA-000002");
        record("WA-000001", child("WA-000001"), 0);
        record("WA-000002", child("WA-000002"), 0);
        List<ChildRecord> found = await(connector.search(request(CanonicalFields.all(), 2000)));
        assertEquals(List.of("WA-000001", "WA-000002"), found.stream().map(ChildRecord::recordId).toList());
        ChildRecord r = found.get(0);
        assertEquals(LocalDate.of(2016, 3, 9), r.dateOfBirth());
        assertEquals(Gender.FEMALE, r.gender());
        assertEquals(new Address("1 Mill Lane", "Wakefield", "WF1 1AA", "wakefield"), r.address());
        assertEquals("leeds", r.addressHistory().get(0).address().authority());
        assertEquals(List.of(ConcernCategory.NEGLECT), r.concernCategories());
        assertEquals("active", r.registration().status());
        assertEquals(new Relationship("Sara Khan", "mother", false, true), r.relationships().get(0));
        assertEquals(true, r.lookedAfterIndicator());
        server.verify(getRequestedFor(urlPathEqualTo("/cpr/find")).withQueryParam("SURNAME", equalTo("Khan"))
                .withQueryParam("FORENAME", equalTo("Aisha")).withQueryParam("DOB", equalTo("20160309"))
                .withQueryParam("SEX", equalTo("F")).withQueryParam("MIDDLE", equalTo("Noor")));
    }

    /** Verifies that each record is asked only for the register fields behind the allowed ones, and nothing else leaves (A5). */
    @Test
    void asksEachRecordForTheAllowedFieldsOnly() throws Exception {
        ids("WA-000001");
        record("WA-000001", child("WA-000001"), 0);
        ChildRecord r = await(connector.search(request(Set.of("givenName", "address"), 2000))).get(0);
        server.verify(getRequestedFor(urlPathEqualTo("/cpr/child/WA-000001"))
                .withQueryParam("FIELDS", equalTo("CHILD_NO,FORENAME,ADDR_LINE1,ADDR_TOWN,ADDR_POSTCODE,ADDR_LA")));
        assertEquals(new ChildRecord("WA-000001", "Aisha", null, null, null, null, null,
                new Address("1 Mill Lane", "Wakefield", "WF1 1AA", "wakefield"), null, null, null, null, null, null, null,
                null, null, null, null, null, null, null), r);
    }

    /**
     * Verifies that a search for record ids alone (a register withheld from the caller, A5, A9)
     * makes no per-record call: a match then costs no more exchanges, nor time, than no match.
     */
    @Test
    void asksNoRecordWhenOnlyIdsAreWanted() throws Exception {
        ids("WA-000001", "WA-000002");
        record("WA-000001", child("WA-000001"), 0);
        List<ChildRecord> found = await(connector.search(request(Set.of(CanonicalFields.RECORD_ID), 2000)));
        assertEquals(List.of(ChildRecord.idOnly("WA-000001"), ChildRecord.idOnly("WA-000002")), found);
        server.verify(0, getRequestedFor(urlPathEqualTo("/cpr/child/WA-000001")));
        server.verify(1, getRequestedFor(urlPathEqualTo("/cpr/find")));
    }

    /** Verifies that at most maxConcurrentCalls record calls run at once. */
    @Test
    void limitsConcurrentRecordCalls() throws Exception {
        JsonObject options = ContractSupport.mapping("wakefield.json").put("maxConcurrentCalls", 2);
        RegisterConnector limited = connector(options);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            String id = "WA-00000" + i;
            ids.add(id);
            record(id, child(id), 200);
        }
        ids(ids.toArray(String[]::new));
        long t0 = System.nanoTime();
        assertEquals(6, await(limited.search(request(Set.of("givenName"), 5000))).size());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 580, "6 calls of 200 ms, 2 at a time, take 3 rounds; took " + ms + " ms");
        await(limited.close());
    }

    /** Verifies that the record calls share the search's deadline: a slow register is a TIMEOUT within it. */
    @Test
    void keepsWithinTheDeadline() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            String id = "WA-00000" + i;
            ids.add(id);
            record(id, child(id), 400);
        }
        ids(ids.toArray(String[]::new));
        long t0 = System.nanoTime();
        RegisterFailure f = failure(connector.search(request(Set.of("givenName"), 700)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(RegisterFailure.Kind.TIMEOUT, f.kind());
        assertTrue(ms < 1000, "failed at the deadline, not after every call; took " + ms + " ms");
    }

    /** Verifies that a listed record that cannot be fetched or read fails the search: never a partial list (F5). */
    @Test
    void aMissingOrBrokenRecordFailsTheSearch() throws Exception {
        ids("WA-000001", "WA-000002");
        record("WA-000001", child("WA-000001"), 0);
        server.stubFor(get(urlPathEqualTo("/cpr/child/WA-000002")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{}")));
        assertEquals(RegisterFailure.Kind.ERROR, failure(connector.search(request(Set.of("givenName"), 2000))).kind());
        record("WA-000002", child("WA-000001"), 0);
        assertEquals(RegisterFailure.Kind.ERROR, failure(connector.search(request(Set.of("givenName"), 2000))).kind(),
                "a record for another id");
        record("WA-000002", child("WA-000002").replace("\"SEX\": \"F\"", "\"SEX\": \"Q\""), 0);
        assertEquals(RegisterFailure.Kind.ERROR, failure(connector.search(request(Set.of("givenName"), 2000))).kind(),
                "an unknown code");
        ids("WA-000001", "../admin");
        assertEquals(RegisterFailure.Kind.ERROR, failure(connector.search(request(Set.of("givenName"), 2000))).kind(),
                "an id that is not an id");
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= 50; i++) {
            many.add("WA-" + i);
        }
        ids(many.toArray(String[]::new));
        assertEquals(RegisterFailure.Kind.ERROR, failure(connector.search(request(Set.of("givenName"), 2000))).kind(),
                "more ids than the limit");
    }

    /**
     * Verifies that a register answer repeating a key, or nested past the reader's limit, is
     * ERROR, never read as if the last value won (issue 14 item 7).
     */
    @Test
    void anAnswerRepeatingAKeyOrNestedTooDeeplyIsAnError() throws Exception {
        server.stubFor(get(urlPathEqualTo("/cpr/find")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"MATCHES\": [\"WA-000001\"], \"MATCHES\": [], \"COUNT\": 0}")));
        assertEquals(RegisterFailure.Kind.ERROR, failure(connector.search(request(Set.of("givenName"), 2000))).kind());
        server.stubFor(get(urlPathEqualTo("/cpr/find")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"MATCHES\": " + "[".repeat(40) + "]".repeat(40) + "}")));
        assertEquals(RegisterFailure.Kind.ERROR, failure(connector.search(request(Set.of("givenName"), 2000))).kind());
    }

    /** Verifies that no id means no record: the register searched and found none. */
    @Test
    void noIdsIsNoRecord() throws Exception {
        ids();
        assertEquals(List.of(), await(connector.search(request(Set.of("givenName"), 2000))));
    }
}
