package uk.wycps.gateway.auth;

import static uk.wycps.gateway.support.ErrorBodies.assertError;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.URI;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.support.GatewayHarness;
import uk.wycps.gateway.support.TestIssuer;

/**
 * Verifies that every call without a valid token from the trusted issuer gets 401 and nothing
 * else (A1), including the attacks of PITFALLS.md: {@code alg: none}, an HMAC token signed with
 * the public key, a token without {@code exp}.
 */
@ExtendWith(VertxExtension.class)
class AuthenticationTest {

    private static GatewayHarness harness;
    private static final InMemoryAuditSink AUDIT = new InMemoryAuditSink();
    private static final JsonObject ENQUIRY = GatewayHarness.enquiry("Aisha", "Khan", "2016-03-09");

    @BeforeAll
    static void start(Vertx vertx, VertxTestContext ctx) {
        // No register is reached by these tests; an unused port answers "connection refused".
        List<RegisterSettings> registers = List.of(
                RegisterSettings.of("leeds", "canonical-json", URI.create("http://127.0.0.1:1")));
        GatewayHarness.start(vertx, registers, AUDIT).onComplete(ctx.succeeding(h -> {
            harness = h;
            ctx.completeNow();
        }));
    }

    @AfterAll
    static void stop(VertxTestContext ctx) {
        harness.close().onComplete(ctx.succeedingThenComplete());
    }

    private void expect401(VertxTestContext ctx, Function<TestIssuer, String> token) {
        String t;
        try {
            t = token.apply(harness.issuer);
        } catch (RuntimeException e) {
            ctx.failNow(e);
            return;
        }
        Future<HttpResponse<Buffer>> call = harness.enquire(t, ENQUIRY);
        call.onComplete(ctx.succeeding(response -> ctx.verify(() -> {
            assertError(response, 401, "unauthorized");
            org.junit.jupiter.api.Assertions.assertTrue(AUDIT.entries().stream().noneMatch(e -> e.caller() == null),
                    "a 401 has no caller to audit");
            ctx.completeNow();
        })));
    }

    @Test
    void noTokenGets401(VertxTestContext ctx) {
        expect401(ctx, i -> null);
    }

    @Test
    void tokenWithBadSignatureGets401(VertxTestContext ctx) {
        expect401(ctx, i -> i.tampered("child-worker", "social-services", "leeds"));
    }

    @Test
    void expiredTokenGets401(VertxTestContext ctx) {
        expect401(ctx, i -> i.expired("child-worker", "social-services", "leeds"));
    }

    @Test
    void tokenWithoutExpiryGets401(VertxTestContext ctx) {
        expect401(ctx, i -> i.withoutExpiry("child-worker", "social-services", "leeds"));
    }

    @Test
    void tokenForAnotherAudienceGets401(VertxTestContext ctx) {
        expect401(ctx, i -> i.sign(new JsonObject().put("role", "child-worker").put("agency", "social-services")
                .put("authority", "leeds"), TestIssuer.ISSUER, "another-service", 600));
    }

    @Test
    void tokenWithoutAudienceGets401(VertxTestContext ctx) {
        expect401(ctx, i -> i.sign(new JsonObject().put("role", "child-worker").put("agency", "social-services")
                .put("authority", "leeds"), TestIssuer.ISSUER, null, 600));
    }

    @Test
    void tokenFromAnotherIssuerGets401(VertxTestContext ctx) {
        expect401(ctx, i -> i.sign(new JsonObject().put("role", "child-worker").put("agency", "social-services")
                .put("authority", "leeds"), "https://evil.example", TestIssuer.AUDIENCE, 600));
    }

    @Test
    void unsignedAlgNoneTokenGets401(VertxTestContext ctx) {
        expect401(ctx, i -> TestIssuer.unsigned("child-worker", "social-services", "leeds"));
    }

    @Test
    void hmacTokenSignedWithThePublicKeyGets401(VertxTestContext ctx) {
        expect401(ctx, i -> {
            try {
                return i.hmacWithPublicKey("child-worker", "social-services", "leeds");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void tokenWithoutRoleGets401(VertxTestContext ctx) {
        expect401(ctx, i -> i.sign(new JsonObject().put("agency", "social-services").put("authority", "leeds"),
                TestIssuer.ISSUER, TestIssuer.AUDIENCE, 600));
    }

    @Test
    void aTokenAcceptedOnceIsRefusedOnceItHasExpired(Vertx vertx, VertxTestContext ctx) {
        // Verified tokens are remembered; expiry must still be checked on every use.
        String token = harness.issuer.sign(new JsonObject().put("role", "child-worker").put("agency", "social-services")
                .put("authority", "leeds"), TestIssuer.ISSUER, TestIssuer.AUDIENCE, 2);
        harness.enquire(token, ENQUIRY).onComplete(ctx.succeeding(first -> ctx.verify(() -> {
            org.junit.jupiter.api.Assertions.assertEquals(200, first.statusCode(), first.bodyAsString());
            vertx.setTimer(3200, t -> harness.enquire(token, ENQUIRY).onComplete(ctx.succeeding(later -> ctx.verify(() -> {
                assertError(later, 401, "unauthorized");
                ctx.completeNow();
            }))));
        })));
    }

    @Test
    void garbageBearerGets401(VertxTestContext ctx) {
        expect401(ctx, i -> "not.a.jwt");
    }
}
