package uk.wycps.gateway.enquiry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static uk.wycps.gateway.support.ErrorBodies.assertError;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.URI;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.support.GatewayHarness;

/**
 * Verifies that bad enquiries get a clear 4xx with the error body of API.md, the path of the
 * offending field, and no stack trace (P1, P2; API.md errors).
 */
@ExtendWith(VertxExtension.class)
class EnquiryValidationTest {

    private static GatewayHarness harness;
    private static String token;
    private static final InMemoryAuditSink AUDIT = new InMemoryAuditSink();

    @BeforeAll
    static void start(Vertx vertx, VertxTestContext ctx) {
        List<RegisterSettings> registers = List.of(
                RegisterSettings.of("leeds", "canonical-json", URI.create("http://127.0.0.1:1")));
        GatewayHarness.start(vertx, registers, AUDIT).onComplete(ctx.succeeding(h -> {
            harness = h;
            token = h.issuer.token("child-worker", "social-services", "leeds");
            ctx.completeNow();
        }));
    }

    @AfterAll
    static void stop(VertxTestContext ctx) {
        harness.close().onComplete(ctx.succeedingThenComplete());
    }

    private static JsonObject valid() {
        return GatewayHarness.enquiry("Aisha", "Khan", "2016-03-09");
    }

    private void expect400(VertxTestContext ctx, Consumer<JsonObject> breakIt, String field) {
        JsonObject body = valid();
        breakIt.accept(body);
        harness.enquire(token, body).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
            JsonObject error = assertError(r, 400, null);
            assertEquals(field, error.getString("field"));
            ctx.completeNow();
        })));
    }

    @Test
    void missingPurposeIs400(VertxTestContext ctx) {
        expect400(ctx, b -> b.remove("purpose"), "$.purpose");
    }

    @Test
    void unknownPurposeIs400(VertxTestContext ctx) {
        expect400(ctx, b -> b.getJsonObject("purpose").put("code", "curiosity"), "$.purpose.code");
    }

    @Test
    void missingJustificationIs400(VertxTestContext ctx) {
        expect400(ctx, b -> b.getJsonObject("purpose").remove("justification"), "$.purpose.justification");
    }

    @Test
    void missingConsentIs400(VertxTestContext ctx) {
        expect400(ctx, b -> b.remove("consent"), "$.consent");
    }

    @Test
    void consentObtainedWithoutFormReferenceIs400(VertxTestContext ctx) {
        expect400(ctx, b -> b.put("consent", new JsonObject().put("status", "obtained")), "$.consent.formReference");
    }

    @Test
    void consentNotSoughtWithoutGroundIs400(VertxTestContext ctx) {
        expect400(ctx, b -> b.put("consent", new JsonObject().put("status", "not-sought")), "$.consent.ground");
    }

    @Test
    void consentRefusedWithoutWhoRefusedIs400(VertxTestContext ctx) {
        expect400(ctx, b -> b.put("consent", new JsonObject().put("status", "refused")
                .put("ground", "risk-of-significant-harm")), "$.consent.refusedBy");
    }

    @Test
    void missingFamilyNameIs400(VertxTestContext ctx) {
        expect400(ctx, b -> b.getJsonObject("subject").remove("familyName"), "$.subject.familyName");
    }

    @Test
    void familyNameWithoutGivenNameOrDateOfBirthIs400(VertxTestContext ctx) {
        expect400(ctx, b -> b.put("subject", new JsonObject().put("familyName", "Khan")), "$.subject.givenName");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "Kh%", "K_an", "Khan\u202Eevil", "Khan\u0000", "Khan\nX"})
    void wildcardsAndControlCharactersInNamesAre400(String name, VertxTestContext ctx) {
        expect400(ctx, b -> b.getJsonObject("subject").put("familyName", name), "$.subject.familyName");
    }

    @Test
    void unknownRegisterIs400(VertxTestContext ctx) {
        expect400(ctx, b -> b.put("registers", new JsonArray().add("york")), "$.registers[0]");
    }

    @Test
    void unknownFieldIs400(VertxTestContext ctx) {
        expect400(ctx, b -> b.getJsonObject("subject").put("nhsNumber", "123"), "$.subject.nhsNumber");
    }

    /** The OpenAPI document's schema (O2) refuses a wrong type with the JSON path of the field. */
    @Test
    void aFieldOfTheWrongTypeIsRefusedByTheSchemaWithItsJsonPath(VertxTestContext ctx) {
        expect400(ctx, b -> b.getJsonObject("subject").put("dateOfBirth", 20160309), "$.subject.dateOfBirth");
    }

    @Test
    void anUnknownFieldInsideAListIsNamedWithItsIndex(VertxTestContext ctx) {
        expect400(ctx, b -> b.getJsonObject("subject").put("aliases", new JsonArray()
                .add(new JsonObject().put("givenName", "Aysha"))
                .add(new JsonObject().put("familyName", "Khan").put("nickname", "Ash"))), "$.subject.aliases[1].nickname");
    }

    @Test
    void aGenderOutsideTheSchemasListIs400(VertxTestContext ctx) {
        harness.enquire(token, valid().put("subject", valid().getJsonObject("subject").put("gender", "f")))
                .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    JsonObject error = assertError(r, 400, "invalid-field");
                    assertEquals("$.subject.gender", error.getString("field"));
                    ctx.completeNow();
                })));
    }

    @Test
    void malformedJsonIs400(VertxTestContext ctx) {
        harness.client.post("/api/v1/enquiries").bearerTokenAuthentication(token)
                .putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer("{\"subject\": {\"familyName\": "))
                .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    assertError(r, 400, "malformed-json");
                    ctx.completeNow();
                })));
    }

    @Test
    void bodyThatIsNotJsonIs415(VertxTestContext ctx) {
        harness.client.post("/api/v1/enquiries").bearerTokenAuthentication(token)
                .putHeader("Content-Type", "text/plain")
                .sendBuffer(Buffer.buffer("familyName=Khan"))
                .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    assertError(r, 415, "unsupported-media-type");
                    ctx.completeNow();
                })));
    }

    @Test
    void bodyOverTheLimitIs413(VertxTestContext ctx) {
        JsonObject body = valid();
        body.getJsonObject("purpose").put("justification", "x".repeat(64 * 1024));
        harness.enquire(token, body).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
            assertError(r, 413, "body-too-large");
            ctx.completeNow();
        })));
    }

    @Test
    void planningPurposeIs403ForNamedEnquiries(VertxTestContext ctx) {
        JsonObject body = valid();
        body.getJsonObject("purpose").put("code", "planning");
        harness.enquire(token, body).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
            assertError(r, 403, null);
            ctx.completeNow();
        })));
    }

    @Test
    void unknownRoleIs403(VertxTestContext ctx) {
        String t = harness.issuer.token("janitor", "social-services", "leeds");
        harness.enquire(t, valid()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
            assertError(r, 403, "unknown-role-or-agency");
            ctx.completeNow();
        })));
    }

    @Test
    void performanceAndQualityStaffGet403ForNamedEnquiries(VertxTestContext ctx) {
        String t = harness.issuer.token("performance-quality", "social-services", "leeds");
        harness.enquire(t, valid()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
            assertError(r, 403, null);
            ctx.completeNow();
        })));
    }

    @Test
    void badDeadlineHeaderIs400(VertxTestContext ctx) {
        harness.client.post("/api/v1/enquiries").bearerTokenAuthentication(token)
                .putHeader("X-Deadline-Ms", "soon")
                .sendJsonObject(valid())
                .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    assertError(r, 400, "invalid-header");
                    ctx.completeNow();
                })));
    }
}
