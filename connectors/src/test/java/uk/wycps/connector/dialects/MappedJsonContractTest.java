package uk.wycps.connector.dialects;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static uk.wycps.connector.dialects.ContractSupport.await;
import static uk.wycps.connector.dialects.ContractSupport.failure;
import static uk.wycps.connector.dialects.ContractSupport.request;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.mappedjson.MappedJsonConnector;
import uk.wycps.record.Address;
import uk.wycps.record.AddressPeriod;
import uk.wycps.record.CanonicalFields;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.ConcernCategory;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.Gender;
import uk.wycps.record.Registration;
import uk.wycps.record.Relationship;

/** The {@code mapped-json} connector with Calderdale's mapping file against WireMock stubs of Calderdale's JSON. */
class MappedJsonContractTest {

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

    private Vertx vertx;
    private WireMockServer server;
    private RegisterConnector connector;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        server = ContractSupport.wiremock();
        connector = new MappedJsonConnector(vertx, ContractSupport.settings("calderdale", "mapped-json", server,
                ContractSupport.mapping("calderdale.json")));
    }

    @AfterEach
    void stop() throws Exception {
        await(connector.close());
        server.stop();
        await(vertx.close());
    }

    private void answer(String body) {
        server.stubFor(post(urlEqualTo("/api/v2/children/search")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    /** Verifies that the register's names, codes and dd/MM/yyyy dates become the canonical record. */
    @Test
    void mapsTheRegistersJsonToTheCanonicalRecord() throws Exception {
        answer("{\"children\": [" + CHILD + "], \"count\": 1}");
        ChildRecord r = await(connector.search(request(CanonicalFields.all(), 2000))).get(0);
        assertEquals("CA-000042", r.recordId());
        assertEquals("Aysha", r.aliases().get(0).givenName());
        assertEquals(LocalDate.of(2016, 3, 9), r.dateOfBirth());
        assertEquals(Gender.FEMALE, r.gender());
        assertEquals(List.of("Urdu", "English"), r.languages());
        assertEquals(new Address("1 Mill Lane", "Halifax", "HX1 1AA", "calderdale"), r.address());
        assertEquals(new AddressPeriod(new Address("2 Low Road", "Bradford", "BD7 1DP", "bradford"),
                LocalDate.of(2016, 3, 9), LocalDate.of(2020, 12, 31)), r.addressHistory().get(0));
        assertEquals(List.of(ConcernCategory.NEGLECT, ConcernCategory.EMOTIONAL_ABUSE), r.concernCategories());
        assertEquals(new Registration("active", ConcernCategory.NEGLECT, LocalDate.of(2021, 2, 1), null), r.registration());
        assertEquals(new Registration("ended", ConcernCategory.EMOTIONAL_ABUSE, LocalDate.of(2019, 1, 1),
                LocalDate.of(2019, 6, 30)), r.registrationHistory().get(0));
        assertEquals(LocalDate.of(2021, 2, 1), r.meetings().get(0).date());
        assertEquals(new EnquiryHistoryEntry("e-1", "q-1", Instant.parse("2026-01-02T03:04:05Z"), "w-1", "child-worker",
                "police", "leeds", "s47-enquiry", "obtained"), r.enquiryHistory().get(0));
        assertEquals("school", r.referrals().get(0).source());
        assertEquals(new Relationship("Sara Khan", "mother", false, true), r.relationships().get(0));
        assertEquals(false, r.lookedAfterIndicator());
        assertEquals("home conditions", r.concernDetails());
    }

    /** Verifies that the register is asked in its own terms, and only for the register fields behind the allowed ones (A5). */
    @Test
    void asksInTheRegistersTermsForTheAllowedFieldsOnly() throws Exception {
        answer("{\"children\": []}");
        await(connector.search(request(Set.of("givenName", "dateOfBirth", "address"), 2000)));
        server.verify(postRequestedFor(urlEqualTo("/api/v2/children/search"))
                .withRequestBody(equalToJson("""
                        {"search": {"surname": "Khan", "forename": "Aisha", "middle_names": ["Noor"],
                                    "date_of_birth": "09/03/2016", "sex": "2", "post_code": "BD7 1DP"},
                         "return_fields": ["${json-unit.any-string}", "${json-unit.any-string}",
                                           "${json-unit.any-string}", "${json-unit.any-string}"]}""", true, false))
                .withRequestBody(matchingJsonPath("$.return_fields[?(@ == 'child_ref')]"))
                .withRequestBody(matchingJsonPath("$.return_fields[?(@ == 'current_address')]"))
                .withRequestBody(matchingJsonPath("$.return_fields[?(@ == 'forename')]"))
                .withRequestBody(matchingJsonPath("$.return_fields[?(@ == 'date_of_birth')]")));
    }

    /** Verifies that fields a register sends without being asked never leave the connector (A5). */
    @Test
    void dropsFieldsThatWereNotRequested() throws Exception {
        answer("{\"children\": [" + CHILD + "]}");
        ChildRecord r = await(connector.search(request(Set.of("givenName"), 2000))).get(0);
        assertEquals(new ChildRecord("CA-000042", "Aisha", null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null), r);
        ChildRecord s = await(connector.search(request(Set.of("relationships"), 2000))).get(0);
        assertNull(s.relationships().get(0).scheduleOneIndicator(), "Schedule One only when asked (A6)");
        assertNull(s.relationships().get(0).concernIndicator());
    }

    /** Verifies that a code outside the register's code list is an ERROR, never a guess. */
    @Test
    void unknownCodeIsAnError() throws Exception {
        answer("{\"children\": [" + CHILD.replace("\"sex\": \"2\"", "\"sex\": \"7\"") + "]}");
        RegisterFailure f = failure(connector.search(request(CanonicalFields.all(), 2000)));
        assertEquals(RegisterFailure.Kind.ERROR, f.kind());
        answer("{\"children\": [" + CHILD.replace("\"CAT-E\"]", "\"CAT-X\"]") + "]}");
        assertEquals(RegisterFailure.Kind.ERROR, failure(connector.search(request(CanonicalFields.all(), 2000))).kind());
    }

    /** Verifies that broken answers are ERRORs, never an empty match (F5). */
    @Test
    void brokenAnswersAreErrorsNotEmptyMatches() throws Exception {
        for (String broken : List.of(
                "{}",
                "{\"children\": {}}",
                "{\"children\": [" + CHILD.replace("09/03/2016\", \"sex", "2016-03-09\", \"sex") + "]}",
                "{\"children\": [{\"forename\": \"NoId\"}]}",
                "{\"children\": [\"CA-1\"]}",
                "{\"children\": [" + CHILD.replace("\"looked_after\": false", "\"looked_after\": \"no\"") + "]}",
                "{\"children\": [" + CHILD + "",
                "[]")) {
            answer(broken);
            assertEquals(RegisterFailure.Kind.ERROR, failure(connector.search(request(CanonicalFields.all(), 2000))).kind(), broken);
        }
        StringBuilder many = new StringBuilder("{\"children\": [");
        for (int i = 0; i <= 200; i++) {
            many.append(i == 0 ? "" : ",").append("{\"child_ref\": \"CA-").append(i).append("\"}");
        }
        answer(many.append("]}").toString());
        assertEquals(RegisterFailure.Kind.ERROR, failure(connector.search(request(Set.of("givenName"), 2000))).kind());
    }

    /** Verifies that an enquiry-history entry is written in the register's terms to its path (M6, H3). */
    @Test
    void recordsAnEnquiryInTheRegistersTerms() throws Exception {
        server.stubFor(put(urlEqualTo("/api/v2/children/CA-000042/enquiries/e-9")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{}")));
        EnquiryHistoryEntry entry = new EnquiryHistoryEntry("e-9", "q-9", Instant.parse("2026-01-02T03:04:05Z"), "w-9",
                "child-worker", "police", "leeds", "s47-enquiry", "obtained");
        await(connector.recordEnquiry("CA-000042", entry, Deadline.afterMillis(2000)));
        server.verify(putRequestedFor(urlEqualTo("/api/v2/children/CA-000042/enquiries/e-9"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"entry_id": "e-9", "enquiry_ref": "q-9", "enquired_at": "2026-01-02T03:04:05Z", "enquirer": "w-9",
                         "enquirer_role": "child-worker", "enquirer_agency": "police", "enquirer_authority": "leeds",
                         "purpose": "s47-enquiry", "consent_basis": "obtained"}""")));
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
