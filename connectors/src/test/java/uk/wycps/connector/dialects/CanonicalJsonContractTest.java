package uk.wycps.connector.dialects;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.canonicaljson.CanonicalJsonConnector;
import uk.wycps.record.Address;
import uk.wycps.record.AddressPeriod;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.ConcernCategory;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.Gender;
import uk.wycps.record.Meeting;
import uk.wycps.record.PersonName;
import uk.wycps.record.RecordJson;
import uk.wycps.record.Referral;
import uk.wycps.record.Registration;
import uk.wycps.record.Relationship;

/** The {@code canonical-json} connector against WireMock stubs of a register speaking the canonical record itself. */
class CanonicalJsonContractTest extends HttpDialectContract {

    private static final ChildRecord CHILD = new ChildRecord("BR-000042", "Aisha", "Khan",
            List.of(new PersonName("Aysha", "Khan-Patel")), LocalDate.of(2016, 3, 9), Gender.FEMALE, List.of("Urdu"),
            new Address("2 Low Road", "Bradford", "BD7 1DP", "bradford"),
            List.of(new AddressPeriod(new Address("1 Mill Lane", "Leeds", "LS1 1AA", "leeds"), LocalDate.of(2016, 3, 9),
                    LocalDate.of(2020, 12, 31))),
            "Child Protection Plan", List.of(ConcernCategory.NEGLECT),
            new Registration("active", ConcernCategory.NEGLECT, LocalDate.of(2021, 2, 1), null), List.of(),
            List.of(new Meeting(LocalDate.of(2021, 2, 1), "initial child protection conference", "registered - neglect")),
            List.of(new EnquiryHistoryEntry("e-1", "q-1", Instant.parse("2026-01-02T03:04:05Z"), "w-1", "child-worker",
                    "police", "leeds", "s47-enquiry", "obtained")),
            List.of(new Referral(LocalDate.of(2021, 1, 15), "school", "neglect")),
            List.of(new Relationship("Sara Khan", "mother", false, true)), false, "Pakistani", "asthma", "home conditions", null);

    @Override
    protected RegisterConnector connector() {
        return new CanonicalJsonConnector(vertx, ContractSupport.settings("bradford", "canonical-json", server,
                new JsonObject()));
    }

    private void answer(String body) {
        answer(post(urlEqualTo("/search")), body, "application/json");
    }

    private static String json(Object value) {
        try {
            return RecordJson.mapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The register answers the whole record, whatever it was asked: the connector must keep only what was. */
    @Override
    protected void registerHoldsTheKnownChild() {
        answer("{\"records\": [" + json(CHILD) + "]}");
    }

    @Override
    protected ChildRecord knownChild() {
        return CHILD;
    }

    /**
     * The compact empty answer, {@code {"records":[]}} byte for byte, is recognised without the
     * parser (issue 21) and is an empty answer; its same-length look-alikes are errors (see
     * {@link #malformedAnswers()}).
     */
    @org.junit.jupiter.api.Test
    void compactEmptyAnswerIsAnEmptyAnswer() throws Exception {
        answer("{\"records\":[]}");
        assertEquals(List.of(), await(connector.search(request(Set.of("givenName"), DEADLINE_MS))));
    }

    @Override
    protected void registerHoldsNoCandidate() {
        answer("{\"records\": []}");
    }

    /** The criteria and the fields asked, in the canonical names. */
    @Override
    protected void verifyAskedOnlyFor(Set<String> fields) {
        JsonObject sent = new JsonObject(server.findAll(postRequestedFor(urlEqualTo("/search"))).get(0).getBodyAsString());
        assertEquals(new JsonObject(json(AISHA)), sent.getJsonObject("criteria"));
        assertEquals(fields, Set.copyOf(sent.getJsonArray("fields").getList()));
    }

    @Override
    protected Map<String, Step> malformedAnswers() {
        String child = json(CHILD);
        Map<String, Step> answers = answersOf(List.of(
                "{}",
                "{\"records\": {}}",
                "{\"records\": [{\"givenName\": \"NoId\"}]}",
                "{\"records\": [{\"recordId\": \"  \"}]}",
                "{\"records\": [{\"recordId\": \"" + "B".repeat(65) + "\"}]}",
                "{\"records\": [\"BR-1\"]}",
                "{\"records\": [" + child.replace("\"female\"", "\"other\"") + "]}",
                "{\"records\": [" + child.replace("\"2016-03-09\"", "\"09/03/2016\"") + "]}",
                "{\"records\": [" + child.replace("\"neglect\"", "\"arson\"") + "]}",
                "{\"records\": [" + child,
                "[]",
                // the same length as the compact empty answer the connector recognises without its parser
                "{\"records\":{}}",
                "{\"record5\":[]}",
                "{\"records\":[]]"), this::answer);
        answers.put("more than 200 records",
                () -> answer(idsOnlyAnswer("records", "recordId", "BR-", CanonicalJsonConnector.MAX_RECORDS + 1)));
        return answers;
    }

    /** PUT under the record and the entry's id (idempotent), in canonical names. */
    @Override
    protected void verifyEnquiryRecorded(String recordId, EnquiryHistoryEntry entry) {
        server.verify(putRequestedFor(urlEqualTo("/records/" + recordId + "/enquiries/" + entry.entryId()))
                .withRequestBody(equalToJson(json(entry))));
    }
}
