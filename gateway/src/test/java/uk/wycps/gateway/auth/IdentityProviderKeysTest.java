package uk.wycps.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static uk.wycps.gateway.support.Answers.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.wycps.gateway.api.ApiException;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.config.ConfigException;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.gateway.fanout.WireMockRegisters;
import uk.wycps.gateway.support.GatewayHarness;
import uk.wycps.gateway.support.JwksServer;
import uk.wycps.gateway.support.TestIssuer;
import uk.wycps.policy.Caller;

/**
 * Verifies keys from the identity provider (issue 14, A1) against a key set served by the test:
 * a key rotation with no restart (the new key's tokens accepted, the old key's refused once it
 * has left the set, even a token verified before), OpenID discovery, the read on an unknown
 * {@code kid} and its rate limit, and the token checks that came with it: {@code typ}, the
 * longest lifetime, a token issued in the future.
 */
class IdentityProviderKeysTest {

    private static final Set<String> AUTHORITIES = Set.copyOf(WireMockRegisters.AUTHORITIES);
    private Vertx vertx;
    private JwksServer idp;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        if (idp != null) {
            await(idp.close());
        }
        await(vertx.close());
    }

    private GatewayConfig.Auth auth(URI jwksUri, boolean discover) {
        return new GatewayConfig.Auth(idp.issuer(), TestIssuer.AUDIENCE, List.of(), 0, jwksUri, discover,
                GatewayConfig.Auth.DEFAULT_MAX_TOKEN_LIFETIME_SECONDS);
    }

    /** The status of one enquiry with {@code token}, polled until it is {@code wanted} (at most 100 tries). */
    private static int statusUntil(GatewayHarness g, String token, int wanted) throws Exception {
        int status = 0;
        for (int i = 0; i < 100 && status != wanted; i++) {
            if (i > 0) {
                Thread.sleep(100);
            }
            status = await(g.enquire(token, GatewayHarness.enquiry(WireMockRegisters.GIVEN, WireMockRegisters.FAMILY,
                    WireMockRegisters.DOB))).statusCode();
        }
        return status;
    }

    @Test
    void aRotatedKeyIsTakenWithoutARestartAndTheOldKeyIsRefusedOnceItHasLeftTheSet() throws Exception {
        // GIVEN an identity provider publishing key-1, its set good for 1 s, and a gateway reading it
        idp = await(new JwksServer(vertx, 1).publish("key-1").start());
        try (WireMockRegisters registers = new WireMockRegisters(false)) {
            GatewayHarness g = await(GatewayHarness.start(vertx, registers.settings(null, 2000, 1 << 20, 64, null),
                    new InMemoryAuditSink(), c -> c.withAuth(auth(URI.create(idp.keySetUri()), false))));
            try {
                String old = idp.token("key-1", TestIssuer.AUDIENCE);
                assertEquals(200, statusUntil(g, old, 200));
                // WHEN the provider rotates: key-2 published, then key-1 withdrawn
                idp.publish("key-2");
                String fresh = idp.token("key-2", TestIssuer.AUDIENCE);
                // THEN key-2's tokens are accepted without a restart
                assertEquals(200, statusUntil(g, fresh, 200));
                idp.withdraw("key-1");
                // AND key-1's token, accepted (and remembered) before, is refused once the set is read again
                assertEquals(401, statusUntil(g, old, 401));
                assertEquals(200, statusUntil(g, fresh, 200));
            } finally {
                await(g.close());
            }
        }
    }

    @Test
    void theKeySetIsFoundByOpenIdDiscoveryFromTheIssuer() throws Exception {
        idp = await(new JwksServer(vertx, 300).publish("key-1").start());
        try (WireMockRegisters registers = new WireMockRegisters(false)) {
            // GIVEN auth with the issuer only: no keys, no jwksUri
            GatewayHarness g = await(GatewayHarness.start(vertx, registers.settings(null, 2000, 1 << 20, 64, null),
                    new InMemoryAuditSink(), c -> c.withAuth(auth(null, true))));
            try {
                // THEN the provider's key verifies its tokens
                assertEquals(200, statusUntil(g, idp.token("key-1", TestIssuer.AUDIENCE), 200));
                assertEquals(1, idp.keySetReads());
            } finally {
                await(g.close());
            }
        }
    }

    @Test
    void theGatewayDoesNotStartWhenTheKeySetHasNoUsableKey() throws Exception {
        idp = await(new JwksServer(vertx, 300).start());
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> await(IssuerKeys.start(vertx, auth(URI.create(idp.keySetUri()), false))));
        assertInstanceOf(ConfigException.class, e.getCause());
    }

    private TokenVerifier verifier(Duration minRefresh) throws Exception {
        IssuerKeys keys = await(IssuerKeys.start(vertx, auth(URI.create(idp.keySetUri()), false), minRefresh));
        return TokenVerifier.create(keys, auth(URI.create(idp.keySetUri()), false), AUTHORITIES);
    }

    private static int status(Future<Caller> verified) throws Exception {
        try {
            await(verified);
            return 200;
        } catch (ExecutionException e) {
            return ((ApiException) e.getCause()).status();
        }
    }

    @Test
    void anUnknownKidHasTheSetReadAgainAtOnceButNotMoreThanOnceInTheInterval() throws Exception {
        // GIVEN a set good for an hour, read at start
        idp = await(new JwksServer(vertx, 3600).publish("key-1").start());
        TokenVerifier verifier = verifier(Duration.ofSeconds(30));
        assertEquals(1, idp.keySetReads());
        // WHEN key-2 is published and a token names it
        idp.publish("key-2");
        assertEquals(200, status(verifier.verify("Bearer " + idp.token("key-2", TestIssuer.AUDIENCE))));
        // THEN the set was read again at once
        assertEquals(2, idp.keySetReads());
        // AND a flood of tokens naming unknown kids (an attacker's keys) is refused without another read
        List<Future<Caller>> flood = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            flood.add(verifier.verify("Bearer " + idp.token("attacker-" + i, TestIssuer.AUDIENCE)));
        }
        for (Future<Caller> f : flood) {
            assertEquals(401, status(f));
        }
        assertEquals(2, idp.keySetReads());
    }

    @Test
    void aTokenOfAnotherTypeIsRefusedAndAnAccessTokenOrPlainJwtIsAccepted() throws Exception {
        idp = await(new JwksServer(vertx, 3600).publish("key-1").start());
        TokenVerifier verifier = verifier(Duration.ofSeconds(30));
        long now = System.currentTimeMillis() / 1000;
        JsonObject times = new JsonObject().put("iat", now).put("exp", now + 600);
        assertEquals(200, status(verifier.verify("Bearer " + idp.token("key-1", TestIssuer.AUDIENCE, times, "JWT"))));
        assertEquals(200, status(verifier.verify("Bearer " + idp.token("key-1", TestIssuer.AUDIENCE,
                times.copy().put("jti", "2"), "at+jwt"))));
        for (String typ : List.of("logout+jwt", "JWE", "id_token")) {
            assertEquals(401, status(verifier.verify("Bearer " + idp.token("key-1", TestIssuer.AUDIENCE,
                    times.copy().put("jti", typ), typ))), typ);
        }
    }

    @Test
    void aTokenLivingLongerThanTheMaximumIsRefused() throws Exception {
        idp = await(new JwksServer(vertx, 3600).publish("key-1").start());
        TokenVerifier verifier = verifier(Duration.ofSeconds(30));
        long now = System.currentTimeMillis() / 1000;
        // exactly the maximum (3600 s) passes; a second more does not
        assertEquals(200, status(verifier.verify("Bearer " + idp.token("key-1", TestIssuer.AUDIENCE,
                new JsonObject().put("iat", now).put("exp", now + 3600), null))));
        assertEquals(401, status(verifier.verify("Bearer " + idp.token("key-1", TestIssuer.AUDIENCE,
                new JsonObject().put("iat", now).put("exp", now + 3601), null))));
        // nor a lifetime that overflows: exp near the end of time, iat before the epoch (the
        // difference once wrapped round to a negative number and passed)
        assertEquals(401, status(verifier.verify("Bearer " + idp.token("key-1", TestIssuer.AUDIENCE,
                new JsonObject().put("iat", -100L).put("exp", Long.MAX_VALUE - 30), null))));
    }

    @Test
    void aTokenIssuedOrValidOnlyInTheFutureIsRefused() throws Exception {
        idp = await(new JwksServer(vertx, 3600).publish("key-1").start());
        TokenVerifier verifier = verifier(Duration.ofSeconds(30));
        long now = System.currentTimeMillis() / 1000;
        assertEquals(401, status(verifier.verify("Bearer " + idp.token("key-1", TestIssuer.AUDIENCE,
                new JsonObject().put("iat", now + 600).put("exp", now + 1200), null))));
        assertEquals(401, status(verifier.verify("Bearer " + idp.token("key-1", TestIssuer.AUDIENCE,
                new JsonObject().put("iat", now).put("nbf", now + 600).put("exp", now + 1200), null))));
    }

    @Test
    void maxAgeIsReadFromCacheControlAndBounded() {
        assertEquals(Duration.ofSeconds(120), IssuerKeys.maxAge("public, max-age=120"));
        assertEquals(IssuerKeys.DEFAULT_MAX_AGE, IssuerKeys.maxAge(null));
        assertEquals(Duration.ofSeconds(1), IssuerKeys.maxAge("max-age=0"));
        assertEquals(IssuerKeys.LONGEST_MAX_AGE, IssuerKeys.maxAge("max-age=99999999999"));
        assertTrue(IssuerKeys.maxAge("no-store").toSeconds() <= 1);
    }
}
