package uk.wycps.connector.dialects;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import uk.wycps.adapter.AdapterConfig;
import uk.wycps.adapter.AdapterVerticle;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.connector.canonicaljson.CanonicalJsonConnector;
import uk.wycps.connector.proof.AnswerSignature;
import uk.wycps.record.CanonicalFields;

/**
 * Puts a dialect's connector behind a register adapter (issue 17) and gives back what the
 * gateway then uses: a canonical-json connector to the adapter that checks every signed answer.
 * The dialect contract run on that must pass as it does on the connector directly. Plain HTTP on
 * loopback: mutual TLS is proven in the gateway's RegisterAdapterTest; here it is the protocol.
 */
final class ThroughAdapter {

    private ThroughAdapter() {
    }

    static RegisterConnector wrap(Vertx vertx, RegisterConnector direct) {
        try {
            return wrapped(vertx, direct);
        } catch (Exception e) {
            throw new IllegalStateException("the adapter did not start", e);
        }
    }

    private static RegisterConnector wrapped(Vertx vertx, RegisterConnector direct) throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair signing = ec.generateKeyPair();
        String authority = direct.authority();
        AdapterConfig config = new AdapterConfig(authority, "127.0.0.1", 0, null,
                AnswerSignature.pem("PRIVATE KEY", signing.getPrivate().getEncoded()),
                RegisterSettings.of(authority, "given", URI.create("http://unused")), CanonicalFields.all());
        AtomicInteger port = new AtomicInteger();
        vertx.deployVerticle(new AdapterVerticle(config, direct, port)).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        RegisterSettings toAdapter = RegisterSettings.of(authority, "canonical-json",
                URI.create("http://127.0.0.1:" + port.get()));
        return new CanonicalJsonConnector(vertx, new RegisterSettings(authority, "canonical-json", toAdapter.baseUrl(),
                Duration.ofSeconds(10), toAdapter.maxConnections(), toAdapter.maxWaitQueue(),
                toAdapter.maxResponseBytes(), new JsonObject().put(CanonicalJsonConnector.ANSWER_KEY_OPTION,
                        AnswerSignature.pem("PUBLIC KEY", signing.getPublic().getEncoded()))));
    }
}
