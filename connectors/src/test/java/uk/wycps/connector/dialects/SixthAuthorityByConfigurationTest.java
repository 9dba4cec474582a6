package uk.wycps.connector.dialects;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static uk.wycps.connector.dialects.ContractSupport.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.ConnectorRegistry;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.record.SearchCriteria;
import uk.wycps.connector.SearchRequest;
import uk.wycps.record.Address;
import uk.wycps.record.CanonicalFields;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.ConcernCategory;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.Gender;
import uk.wycps.record.Registration;
import uk.wycps.record.Relationship;

/**
 * F3: a sixth authority, York, whose register speaks dialect 2 ({@code mapped-json}) in names,
 * nesting, code lists and a date format no other register uses, is connected by a configuration
 * file alone ({@code sixth-authority/york.json}): the connector is found by dialect through the
 * {@link ConnectorRegistry}, as the gateway does at start-up, with no code of York's own.
 */
class SixthAuthorityByConfigurationTest {

    static final String ANSWER = """
            {"result": {"people": [
              {"id": "YO-77", "name": {"first": "Oliwia", "last": "Kowalska"}, "born": "9.3.2016", "sex": "F",
               "home": {"street": "3 Walmgate", "city": "York", "pc": "YO1 9TX"}, "cats": ["3"],
               "plan": {"state": "open", "cat": "3", "from": "1.2.2024"},
               "people_around": [{"who": "Jan Kowalski", "is": "father", "s1": "yes"}], "lac": "no",
               "asked": [{"ref": "e-5", "when": "2026-01-02T03:04:05Z", "by": "police"}]}
            ]}}""";

    @Test
    void aSixthAuthorityOnDialectTwoIsConnectedByConfigurationAlone() throws Exception {
        Vertx vertx = Vertx.vertx();
        WireMockServer york = ContractSupport.wiremock();
        try {
            // GIVEN York's register and nothing but its configuration entry
            york.stubFor(post(urlEqualTo("/cpr-api/query")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody(ANSWER)));
            york.stubFor(post(urlEqualTo("/cpr-api/people/YO-77/asked/e-6")).willReturn(aResponse().withStatus(201)
                    .withHeader("Content-Type", "application/json").withBody("{}")));
            york.stubFor(put(urlEqualTo("/cpr-api/checkpoints/3")).willReturn(aResponse().withStatus(201)
                    .withHeader("Content-Type", "application/json").withBody("{}")));
            JsonObject entry;
            try (InputStream in = getClass().getResourceAsStream("/sixth-authority/york.json")) {
                entry = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)
                        .replace("${baseUrl}", "http://127.0.0.1:" + york.port()));
            }
            RegisterSettings settings = new RegisterSettings(entry.getString("authority"), entry.getString("dialect"),
                    URI.create(entry.getString("baseUrl")), Duration.ofMillis(entry.getLong("deadlineMs")),
                    RegisterSettings.DEFAULT_MAX_CONNECTIONS, RegisterSettings.DEFAULT_MAX_WAIT_QUEUE,
                    RegisterSettings.DEFAULT_MAX_RESPONSE_BYTES, entry.getJsonObject("options"));

            // WHEN the gateway's registry builds its connector and an enquiry searches it
            RegisterConnector connector = ConnectorRegistry.load().create(vertx, settings);
            SearchCriteria who = new SearchCriteria("Oliwia", "Kowalska", null, null, LocalDate.of(2016, 3, 9),
                    Gender.FEMALE, null);
            List<ChildRecord> found = await(connector.search(new SearchRequest(who, CanonicalFields.all(),
                    Deadline.after(settings.deadline()), "enq-york")));

            // THEN York is asked in its own terms and answers canonical records
            york.verify(postRequestedFor(urlEqualTo("/cpr-api/query")).withRequestBody(equalToJson(
                    "{\"name\": {\"first\": \"Oliwia\", \"last\": \"Kowalska\"}, \"born\": \"9.3.2016\", \"sex\": \"F\","
                            + " \"want\": \"${json-unit.ignore}\"}")));
            assertEquals(List.of(new ChildRecord("YO-77", "Oliwia", "Kowalska", null, LocalDate.of(2016, 3, 9),
                    Gender.FEMALE, null, new Address("3 Walmgate", "York", "YO1 9TX", null), null, null,
                    List.of(ConcernCategory.EMOTIONAL_ABUSE),
                    new Registration("active", ConcernCategory.EMOTIONAL_ABUSE, LocalDate.of(2024, 2, 1), null), null, null,
                    List.of(new EnquiryHistoryEntry("e-5", null, Instant.parse("2026-01-02T03:04:05Z"), null, null, "police",
                            null, null, null)),
                    null, List.of(new Relationship("Jan Kowalski", "father", null, true)), false, null, null, null, null)), found);

            // AND its enquiry history and audit checkpoints reach it
            await(connector.recordEnquiry("YO-77", new EnquiryHistoryEntry("e-6", "q", Instant.parse("2026-02-02T00:00:00Z"),
                    "w", "child-worker", "health", "leeds", "register-check", "obtained"), Deadline.afterMillis(1500)));
            york.verify(postRequestedFor(urlEqualTo("/cpr-api/people/YO-77/asked/e-6")).withRequestBody(equalToJson(
                    "{\"ref\": \"e-6\", \"when\": \"2026-02-02T00:00:00Z\", \"by\": \"health\"}")));
            await(connector.publishCheckpoint(new AuditCheckpoint(3, "h", "2026-02-02T00:00:00Z", "k", "s"),
                    Deadline.afterMillis(1500)));
            york.verify(putRequestedFor(urlEqualTo("/cpr-api/checkpoints/3")));
            await(connector.close());
        } finally {
            york.stop();
            await(vertx.close());
        }
    }
}
