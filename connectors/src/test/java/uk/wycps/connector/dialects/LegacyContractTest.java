package uk.wycps.connector.dialects;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.legacy.LegacyConnector;
import uk.wycps.record.Address;
import uk.wycps.record.AddressPeriod;
import uk.wycps.record.CanonicalFields;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.ConcernCategory;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.Gender;
import uk.wycps.record.Registration;
import uk.wycps.record.Relationship;

/** The {@code legacy-two-step} connector with Wakefield's mapping file against WireMock stubs. */
class LegacyContractTest extends HttpDialectContract {

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

    @Override
    protected RegisterConnector connector() {
        return connector(ContractSupport.mapping("wakefield.json"));
    }

    private RegisterConnector connector(JsonObject options) {
        return new LegacyConnector(vertx, ContractSupport.settings("wakefield", "legacy-two-step", server, options));
    }

    private void ids(String... ids) {
        answer(get(urlPathEqualTo("/cpr/find")), new JsonObject().put("MATCHES", List.of(ids)).put("COUNT", ids.length).encode(),
                "application/json");
    }

    private void record(String id, String body, int delayMs) {
        server.stubFor(get(urlPathEqualTo("/cpr/child/" + id)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(body).withFixedDelay(delayMs)));
    }

    @Override
    protected void registerHoldsTheKnownChild() {
        ids("WA-000001");
        record("WA-000001", child("WA-000001"), 0);
    }

    @Override
    protected ChildRecord knownChild() {
        return new ChildRecord("WA-000001", "Aisha", "Khan", List.of(), LocalDate.of(2016, 3, 9), Gender.FEMALE,
                List.of("English"), new Address("1 Mill Lane", "Wakefield", "WF1 1AA", "wakefield"),
                List.of(new AddressPeriod(new Address("2 Low Road", "Leeds", "LS1 1AA", "leeds"), LocalDate.of(2016, 3, 9),
                        LocalDate.of(2020, 12, 31))),
                null, List.of(ConcernCategory.NEGLECT),
                new Registration("active", ConcernCategory.NEGLECT, LocalDate.of(2021, 2, 1), null), List.of(), List.of(),
                List.of(), List.of(), List.of(new Relationship("Sara Khan", "mother", false, true)), true, "Asian", null, null, null);
    }

    /** No id: the register searched and found none. */
    @Override
    protected void registerHoldsNoCandidate() {
        ids();
    }

    /** Each record is asked only for the register fields behind the allowed ones (A5). */
    @Override
    protected void verifyAskedOnlyFor(Set<String> fields) {
        assertEquals(Set.of("givenName", "address", "relationships"), fields);
        String asked = server.findAll(getRequestedFor(urlPathEqualTo("/cpr/child/WA-000001"))).get(0)
                .queryParameter("FIELDS").firstValue();
        assertEquals(Set.of("CHILD_NO", "FORENAME", "ADDR_LINE1", "ADDR_TOWN", "ADDR_POSTCODE", "ADDR_LA", "FAMILY"),
                Set.of(asked.split(",")));
    }

    /** A listed record that cannot be fetched or read fails the search: never a partial list (F5). */
    @Override
    protected Map<String, Step> malformedAnswers() {
        Map<String, Step> answers = new LinkedHashMap<>();
        answers.put("a search answer without a list of ids", () -> answer(get(urlPathEqualTo("/cpr/find")), "{}",
                "application/json"));
        answers.put("a listed record the register does not have", () -> {
            ids("WA-000001", "WA-000002");
            record("WA-000001", child("WA-000001"), 0);
            server.stubFor(get(urlPathEqualTo("/cpr/child/WA-000002")).willReturn(aResponse().withStatus(404)
                    .withHeader("Content-Type", "application/json").withBody("{}")));
        });
        answers.put("a record for another id", () -> record("WA-000002", child("WA-000001"), 0));
        answers.put("an unknown code", () -> record("WA-000002", child("WA-000002").replace("\"SEX\": \"F\"", "\"SEX\": \"Q\""), 0));
        answers.put("a record that is not where the mapping says", () -> record("WA-000002", "{\"CHILD_NO\": \"WA-000002\"}", 0));
        answers.put("an id that is not an id", () -> ids("WA-000001", "../admin"));
        // Never read as if the last value won, nor nested past the reader's limit (issue 14 item 7).
        answers.put("a search answer repeating a key", () -> answer(get(urlPathEqualTo("/cpr/find")),
                "{\"MATCHES\": [\"WA-000001\"], \"MATCHES\": [], \"COUNT\": 0}", "application/json"));
        answers.put("a search answer nested too deeply", () -> answer(get(urlPathEqualTo("/cpr/find")),
                "{\"MATCHES\": " + "[".repeat(40) + "]".repeat(40) + "}", "application/json"));
        answers.put("more ids than the limit", () -> {
            List<String> many = new ArrayList<>();
            for (int i = 0; i <= 50; i++) {
                many.add("WA-" + i);
            }
            ids(many.toArray(String[]::new));
        });
        // F5: what the register says beside its list (search.countPath COUNT, search.errorPath ERROR)
        answers.put("a count of more ids than listed", () -> answer(get(urlPathEqualTo("/cpr/find")),
                "{\"MATCHES\": [], \"COUNT\": 7}", "application/json"));
        answers.put("no count", () -> answer(get(urlPathEqualTo("/cpr/find")), "{\"MATCHES\": []}", "application/json"));
        answers.put("an error beside the list", () -> answer(get(urlPathEqualTo("/cpr/find")),
                "{\"MATCHES\": [], \"COUNT\": 0, \"ERROR\": \"backend timeout\"}", "application/json"));
        return answers;
    }

    /**
     * Verifies that, for a register that gives no count, a list as long as the configured cap
     * (the register's own) is an error, as it may have been cut off there; one id fewer is read.
     */
    @Test
    void withoutACountAListAtTheCapIsAnErrorNeverTakenAsWhole() throws Exception {
        JsonObject options = ContractSupport.mapping("wakefield.json");
        options.getJsonObject("search").remove("countPath");
        options.getJsonObject("search").put("maxIds", 3);
        RegisterConnector capped = connector(options);
        answer(get(urlPathEqualTo("/cpr/find")), "{\"MATCHES\": [\"WA-1\", \"WA-2\", \"WA-3\"]}", "application/json");
        assertEquals(RegisterFailure.Kind.ERROR, failure(capped.search(request(Set.of("recordId"), 2000))).kind());
        answer(get(urlPathEqualTo("/cpr/find")), "{\"MATCHES\": [\"WA-1\", \"WA-2\"]}", "application/json");
        assertEquals(2, await(capped.search(request(Set.of("recordId"), 2000))).size());
        await(capped.close());
    }

    /** POSTed in Wakefield's names to its enquiry path. */
    @Override
    protected void verifyEnquiryRecorded(String recordId, EnquiryHistoryEntry entry) {
        server.verify(postRequestedFor(urlEqualTo("/cpr/enquiry/" + recordId + "/" + entry.entryId()))
                .withRequestBody(matchingJsonPath("$.ENTRY_ID", equalTo(entry.entryId())))
                .withRequestBody(matchingJsonPath("$.BY", equalTo("w-9")))
                .withRequestBody(matchingJsonPath("$.CONSENT", equalTo("obtained"))));
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

    /**
     * Verifies that the record calls share the search's deadline: a slow register is a TIMEOUT
     * within it, and no record call starts after it. Each record takes 400 ms and two run at a
     * time, so within the 700 ms deadline at most two rounds (four calls) can start; a connector
     * that waited for every call would make all eight.
     */
    @Test
    void keepsWithinTheDeadline() throws Exception {
        RegisterConnector limited = connector(ContractSupport.mapping("wakefield.json").put("maxConcurrentCalls", 2));
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            String id = "WA-00000" + i;
            ids.add(id);
            record(id, child(id), 400);
        }
        ids(ids.toArray(String[]::new));
        RegisterFailure f = failure(limited.search(request(Set.of("givenName"), 700)));
        assertEquals(RegisterFailure.Kind.TIMEOUT, f.kind());
        server.verify(1, getRequestedFor(urlPathEqualTo("/cpr/find")));
        int recordCalls = server.findAll(getRequestedFor(urlPathMatching("/cpr/child/.*"))).size();
        assertTrue(recordCalls >= 1 && recordCalls <= 4,
                "the record step was reached and stopped at the deadline, not after every call: " + recordCalls + " calls");
        await(limited.close());
    }
}
