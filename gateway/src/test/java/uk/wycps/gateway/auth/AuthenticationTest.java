package uk.wycps.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static uk.wycps.gateway.support.Answers.await;
import static uk.wycps.gateway.support.ErrorBodies.assertError;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.api.ApiException;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.support.GatewayHarness;
import uk.wycps.gateway.support.SettableClock;
import uk.wycps.gateway.support.TestIssuer;
import uk.wycps.policy.Caller;

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

    /**
     * A token valid for a minute from now (signed by the test issuer, so that the library's own
     * signature and time checks, which read the real clock, pass) for a caller of Leeds.
     */
    private static String tokenForAMinute(long iat) {
        return harness.issuer.signWithTimes(new JsonObject().put("role", "child-worker").put("agency", "social-services")
                .put("authority", "leeds"), iat, iat + 60, null);
    }

    private static void assertRefusedAsExpired(Future<Caller> verified) {
        ApiException refused = assertInstanceOf(ApiException.class,
                assertThrows(ExecutionException.class, () -> await(verified)).getCause());
        assertEquals(401, refused.status());
        assertEquals("The token has expired.", refused.getMessage());
    }

    @Test
    void aTokenAcceptedOnceIsRefusedOnceItHasExpired(Vertx vertx) throws Exception {
        // Verified tokens are remembered; expiry must still be checked on every use, by the
        // verifier's clock, which the test moves instead of waiting for the token to run out.
        long iat = System.currentTimeMillis() / 1000;
        String token = tokenForAMinute(iat);
        GatewayConfig.Auth auth = harness.issuer.auth();
        SettableClock clock = new SettableClock(Instant.ofEpochSecond(iat));
        TokenVerifier verifier = TokenVerifier.create(vertx, auth, Set.of("leeds"), clock);
        // GIVEN the token verified once (and so remembered)
        assertEquals("worker-17", await(verifier.verify("Bearer " + token)).subject());
        // WHEN the clock reaches the last second the token (with the leeway) is good for, THEN it is still accepted
        clock.set(Instant.ofEpochSecond(iat + 60 + auth.leewaySeconds()));
        assertEquals("worker-17", await(verifier.verify("Bearer " + token)).subject());
        // WHEN the clock passes it, THEN the remembered token is refused with 401
        clock.set(Instant.ofEpochSecond(iat + 60 + auth.leewaySeconds() + 1));
        assertRefusedAsExpired(verifier.verify("Bearer " + token));
    }

    @Test
    void aTokenPastItsExpiryByTheVerifiersClockIsRefusedOnFirstUse(Vertx vertx) throws Exception {
        // GIVEN a verifier that has not seen the token, whose clock is past the token's expiry
        // (the library's own check, on the real clock, would accept it)
        long iat = System.currentTimeMillis() / 1000;
        String token = tokenForAMinute(iat);
        GatewayConfig.Auth auth = harness.issuer.auth();
        TokenVerifier verifier = TokenVerifier.create(vertx, auth, Set.of("leeds"),
                new SettableClock(Instant.ofEpochSecond(iat + 60 + auth.leewaySeconds() + 1)));
        // THEN it is refused with 401
        assertRefusedAsExpired(verifier.verify("Bearer " + token));
    }

    @Test
    void garbageBearerGets401(VertxTestContext ctx) {
        expect401(ctx, i -> "not.a.jwt");
    }
}
