package uk.wycps.gateway.enquiry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static uk.wycps.gateway.support.Answers.await;
import static uk.wycps.gateway.support.Answers.registerEntry;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.support.FederationHarness;
import uk.wycps.gateway.support.GatewayHarness;
import uk.wycps.mock.MockRegister;
import uk.wycps.record.ChildRecord;

/**
 * Verifies that a FHIR register holding more candidates than the gateway may read in one search
 * (here pages of one candidate, at most one page) is reported as not checked, with a notice
 * saying its answer was incomplete, never as the first page read as the whole answer (F5); and,
 * as the control that shows the test can fail, that the same search with room for every page is
 * read whole.
 */
@ExtendWith(VertxExtension.class)
class IncompleteRegisterAnswerTest {

    /** Pages of one candidate, so that a subject with two candidates already needs two pages. */
    private static final int PAGE_SIZE = 1;

    private FederationHarness federation;

    /** A subject (family name and date of birth) and how many candidates Kirklees' own FHIR search counts for it. */
    private record Subject(String familyName, LocalDate dateOfBirth, int candidates) {
    }

    @AfterEach
    void stop() throws Exception {
        if (federation != null) {
            await(federation.close());
        }
    }

    /** The mock federation, Kirklees (FHIR R4) reading pages of {@link #PAGE_SIZE} and at most {@code maxPages} of them. */
    private void start(Vertx vertx, int maxPages) throws Exception {
        federation = await(FederationHarness.start(vertx, new InMemoryAuditSink(), s -> !"kirklees".equals(s.authority()) ? s
                // A deadline long enough for every page of the control on a loaded machine: the
                // page cap, not the clock, is what this test is about.
                : new RegisterSettings(s.authority(), s.dialect(), s.baseUrl(), java.time.Duration.ofSeconds(10),
                        s.maxConnections(), s.maxWaitQueue(), s.maxResponseBytes(),
                        s.options().copy().put("pageSize", PAGE_SIZE).put("maxPages", maxPages))));
    }

    /**
     * A Kirklees child for whom Kirklees' FHIR search by family name and the birth years around
     * the date of birth (the query the connector sends for a family name with a date of birth,
     * FhirSearch) counts more candidates than fit on one page: asked of the mock register
     * itself, so that the subject is chosen by what the register answers, not assumed.
     */
    private Subject subjectWithSeveralCandidates(Vertx vertx) throws Exception {
        MockRegister kirklees = federation.mocks.register("kirklees");
        assertEquals("fhir-r4", kirklees.dialect());
        WebClient client = WebClient.create(vertx);
        try {
            for (ChildRecord r : kirklees.records()) {
                if (r.familyName() == null || r.dateOfBirth() == null) {
                    continue;
                }
                int year = r.dateOfBirth().getYear();
                HttpResponse<Buffer> page = await(client.getAbs(kirklees.baseUrl() + "/Patient?family="
                        + URLEncoder.encode(r.familyName(), StandardCharsets.UTF_8) + "&birthdate=ge" + (year - 1)
                        + "-01-01&birthdate=le" + (year + 1) + "-12-31&_count=" + PAGE_SIZE + "&_elements=id").send());
                assertEquals(200, page.statusCode(), page.bodyAsString());
                int total = page.bodyAsJsonObject().getInteger("total");
                // More than a page, but few enough that the control reads every page quickly.
                if (total > PAGE_SIZE && total <= 10) {
                    assertTrue(page.bodyAsJsonObject().getJsonArray("link").stream()
                            .anyMatch(l -> "next".equals(((JsonObject) l).getString("relation"))),
                            "the register itself says there is another page: " + page.bodyAsString());
                    return new Subject(r.familyName(), r.dateOfBirth(), total);
                }
            }
        } finally {
            client.close();
        }
        throw new AssertionError("no Kirklees child has between 2 and 10 candidates");
    }

    private HttpResponse<Buffer> enquire(Subject subject) throws Exception {
        String token = federation.gateway.issuer.token("child-worker", "social-services", "bradford", "cross-authority:*");
        return await(federation.gateway.enquire(token,
                GatewayHarness.enquiry(null, subject.familyName(), subject.dateOfBirth().toString())));
    }

    @Test
    void aFhirRegisterWithMorePagesThanCanBeReadIsNotCheckedAndSaysIncomplete(Vertx vertx) throws Exception {
        // GIVEN Kirklees may read one page of one candidate, and a subject it holds several candidates for
        start(vertx, 1);
        Subject subject = subjectWithSeveralCandidates(vertx);
        // WHEN the subject is enquired about
        HttpResponse<Buffer> r = enquire(subject);
        // THEN Kirklees was not checked, and the answer says so: incomplete, never "none found"
        String text = r.bodyAsString();
        assertEquals(200, r.statusCode(), text);
        JsonObject answer = r.bodyAsJsonObject();
        assertFalse(answer.getBoolean("complete"), text);
        assertNotEquals("none-found", answer.getString("outcome"), text);
        JsonObject kirklees = registerEntry(answer, "kirklees");
        assertEquals("ERROR", kirklees.getString("status"), text);
        String notice = kirklees.getString("notice");
        assertNotNull(notice, text);
        assertTrue(notice.contains("was not checked"), notice);
        assertTrue(notice.contains("incomplete"), notice);
        assertTrue(notice.contains("This is not a 'no record' result."), notice);
    }

    @Test
    void theSameSearchWithRoomForEveryPageIsReadWhole(Vertx vertx) throws Exception {
        // GIVEN the same page size, but room for every page (the control: the cap above is what cut the answer)
        start(vertx, 1000);
        Subject subject = subjectWithSeveralCandidates(vertx);
        // WHEN the same kind of subject is enquired about
        HttpResponse<Buffer> r = enquire(subject);
        // THEN Kirklees answered, read page by page, and the answer is complete
        String text = r.bodyAsString();
        assertEquals(200, r.statusCode(), text);
        JsonObject answer = r.bodyAsJsonObject();
        assertEquals("OK", registerEntry(answer, "kirklees").getString("status"), text);
        assertTrue(answer.getBoolean("complete"), text);
        assertNotEquals("none-found", answer.getString("outcome"), text);
    }
}
