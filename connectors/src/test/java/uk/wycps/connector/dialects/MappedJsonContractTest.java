package uk.wycps.connector.dialects;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.mappedjson.MappedJsonConnector;
import uk.wycps.record.Address;
import uk.wycps.record.AddressPeriod;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.ConcernCategory;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.Gender;
import uk.wycps.record.Meeting;
import uk.wycps.record.PersonName;
import uk.wycps.record.Referral;
import uk.wycps.record.Registration;
import uk.wycps.record.Relationship;

/** The {@code mapped-json} connector with Calderdale's mapping file against WireMock stubs of Calderdale's JSON. */
class MappedJsonContractTest extends HttpDialectContract {

    static final String SEARCH = "/api/v2/children/search";
    static final String CHILD = """
            {"child_ref": "CA-000042", "forename": "Aisha", "surname": "Khan",
             "known_as": [{"forename": "Aysha", "surname": "Khan-Patel"}],
             "date_of_birth": "09/03/2016", "sex": "2", "languages_spoken": ["Urdu", "English"],
             "current_address": {"line_1": "1 Mill Lane", "town": "Halifax", "post_code": "HX1 1AA", "local_authority": "calderdale"},
             "address_history": [{"address": {"line_1": "2 Low Road", "town": "Bradford", "post_code": "BD7 1DP", "local_authority": "bradford"},
                                  "from_date": "09/03/2016", "to_date": "31/12/2020"}],
             "legal_status": "Child Protection Plan", "concern_categories": ["CAT-N", "CAT-E"],
             "registration": {"reg_status": "A", "category": "CAT-N", "start_date": "01/02/2021"},
             "registration_history": [{"reg_status": "E", "category": "CAT-E", "start_date": "01/01/2019", "end_date": "30/06/2019"}],
             "conferences": [{"conference_date": "01/02/2021", "conference_type": "initial child protection conference", "outcome": "registered - neglect"}],
             "enquiry_log": [{"entry_id": "e-1", "enquiry_ref": "q-1", "enquired_at": "2026-01-02T03:04:05Z", "enquirer": "w-1",
                              "enquirer_role": "child-worker", "enquirer_agency": "police", "enquirer_authority": "leeds",
                              "purpose": "s47-enquiry", "consent_basis": "obtained"}],
             "referrals": [{"referral_date": "15/01/2021", "referral_source": "school", "referral_reason": "neglect"}],
             "family_members": [{"full_name": "Sara Khan", "relationship": "mother", "concern_flag": false, "schedule_one_flag": true}],
             "looked_after": false, "ethnicity": "Asian or Asian British - Pakistani",
             "health_notes": "asthma", "concern_details": "home conditions"}""";

    @Override
    protected RegisterConnector connector() {
        return new MappedJsonConnector(vertx, ContractSupport.settings("calderdale", "mapped-json", server,
                ContractSupport.mapping("calderdale.json")));
    }

    private void answer(String body) {
        answer(post(urlEqualTo(SEARCH)), body, "application/json");
    }

    @Override
    protected void registerHoldsTheKnownChild() {
        answer("{\"children\": [" + CHILD + "], \"count\": 1}");
    }

    @Override
    protected ChildRecord knownChild() {
        return new ChildRecord("CA-000042", "Aisha", "Khan", List.of(new PersonName("Aysha", "Khan-Patel")),
                LocalDate.of(2016, 3, 9), Gender.FEMALE, List.of("Urdu", "English"),
                new Address("1 Mill Lane", "Halifax", "HX1 1AA", "calderdale"),
                List.of(new AddressPeriod(new Address("2 Low Road", "Bradford", "BD7 1DP", "bradford"),
                        LocalDate.of(2016, 3, 9), LocalDate.of(2020, 12, 31))),
                "Child Protection Plan", List.of(ConcernCategory.NEGLECT, ConcernCategory.EMOTIONAL_ABUSE),
                new Registration("active", ConcernCategory.NEGLECT, LocalDate.of(2021, 2, 1), null),
                List.of(new Registration("ended", ConcernCategory.EMOTIONAL_ABUSE, LocalDate.of(2019, 1, 1),
                        LocalDate.of(2019, 6, 30))),
                List.of(new Meeting(LocalDate.of(2021, 2, 1), "initial child protection conference", "registered - neglect")),
                List.of(new EnquiryHistoryEntry("e-1", "q-1", Instant.parse("2026-01-02T03:04:05Z"), "w-1", "child-worker",
                        "police", "leeds", "s47-enquiry", "obtained")),
                List.of(new Referral(LocalDate.of(2021, 1, 15), "school", "neglect")),
                List.of(new Relationship("Sara Khan", "mother", false, true)),
                false, "Asian or Asian British - Pakistani", "asthma", "home conditions", null);
    }

    @Override
    protected void registerHoldsNoCandidate() {
        answer("{\"children\": [], \"count\": 0}");
    }

    /** The criteria in the register's names, codes and date format; the register's fields behind the allowed ones. */
    @Override
    protected void verifyAskedOnlyFor(Set<String> fields) {
        JsonObject sent = new JsonObject(server.findAll(postRequestedFor(urlEqualTo(SEARCH))).get(0).getBodyAsString());
        assertEquals(new JsonObject("""
                {"surname": "Khan", "forename": "Aisha", "middle_names": ["Noor"],
                 "date_of_birth": "09/03/2016", "sex": "2", "post_code": "BD7 1DP"}"""), sent.getJsonObject("search"));
        assertEquals(Set.of("givenName", "address", "relationships"), fields);
        assertEquals(Set.of("child_ref", "forename", "current_address", "family_members"),
                Set.copyOf(sent.getJsonArray("return_fields").getList()));
    }

    @Override
    protected Map<String, Step> malformedAnswers() {
        Map<String, Step> answers = answersOf(List.of(
                "{}",
                "{\"children\": {}}",
                // each record-level fault with the count its list holds: the record itself is what fails
                "{\"children\": [" + CHILD.replace("09/03/2016\", \"sex", "2016-03-09\", \"sex") + "], \"count\": 1}",
                "{\"children\": [{\"forename\": \"NoId\"}], \"count\": 1}",
                "{\"children\": [{\"child_ref\": \"" + "C".repeat(65) + "\"}], \"count\": 1}",
                "{\"children\": [\"CA-1\"], \"count\": 1}",
                "{\"children\": [" + CHILD.replace("\"looked_after\": false", "\"looked_after\": \"no\"") + "], \"count\": 1}",
                "{\"children\": [" + CHILD.replace("\"sex\": \"2\"", "\"sex\": \"7\"") + "], \"count\": 1}",
                "{\"children\": [" + CHILD.replace("\"CAT-E\"]", "\"CAT-X\"]") + "], \"count\": 1}",
                "{\"children\": [" + CHILD + "",
                "[]",
                // F5: what the register says beside its list (search.countPath, search.errorPath)
                "{\"children\": [" + CHILD + "], \"count\": 3}",
                "{\"children\": []}",
                "{\"children\": [], \"count\": \"0\"}",
                "{\"children\": [], \"count\": 0, \"error\": {\"code\": \"INDEX_REBUILDING\"}}",
                "{\"children\": [], \"count\": 0, \"error\": \"backend timeout\"}"), this::answer);
        answers.put("more than 200 records", () -> answer(idsOnlyAnswer("children", "child_ref", "CA-", 201)));
        return answers;
    }

    @Override
    protected void verifyEnquiryRecorded(String recordId, EnquiryHistoryEntry entry) {
        server.verify(putRequestedFor(urlEqualTo("/api/v2/children/" + recordId + "/enquiries/" + entry.entryId()))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"entry_id": "%s", "enquiry_ref": "q-9", "enquired_at": "2026-01-02T03:04:05Z", "enquirer": "w-9",
                         "enquirer_role": "child-worker", "enquirer_agency": "police", "enquirer_authority": "leeds",
                         "purpose": "s47-enquiry", "consent_basis": "obtained"}""".formatted(entry.entryId()))));
    }

    /** Verifies that a mapping naming a field the canonical model does not have stops start-up (O2). */
    @Test
    void aWrongMappingStopsStartUp() {
        JsonObject bad = ContractSupport.mapping("calderdale.json");
        bad.getJsonObject("record").put("shoeSize", "shoe_size");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MappedJsonConnector(vertx,
                ContractSupport.settings("calderdale", "mapped-json", server, bad)));
        assertTrue(e.getMessage().contains("shoeSize"), e.getMessage());
        JsonObject badCode = ContractSupport.mapping("calderdale.json");
        badCode.getJsonObject("codes").getJsonObject("gender").put("3", "other");
        assertThrows(IllegalArgumentException.class, () -> new MappedJsonConnector(vertx,
                ContractSupport.settings("calderdale", "mapped-json", server, badCode)));
    }
}
