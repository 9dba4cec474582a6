package uk.wycps.gateway.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import uk.wycps.gateway.auth.DemoKeys;

/** The configuration tests' starting point: the smallest file `serve` accepts, to change one thing in. */
final class TestConfigs {

    /** A key the loader reads, not the demo's own (which `serve` refuses, comparing keys). */
    static final String PUBLIC_KEY = DemoKeys.verificationKeyPem().replace("A", "B");

    private TestConfigs() {
    }

    /** One plain-http register (marked insecure), one issuer key, the file audit. */
    static JsonObject minimal() {
        return new JsonObject()
                .put("http", new JsonObject().put("port", 0))
                .put("auth", new JsonObject().put("issuer", "https://idp.example")
                        .put("keys", new JsonArray().add(new JsonObject().put("algorithm", "ES256")
                                .put("publicKey", PUBLIC_KEY))))
                .put("registers", new JsonArray().add(new JsonObject().put("authority", "leeds")
                        .put("dialect", "canonical-json").put("baseUrl", "http://127.0.0.1:9104").put("insecure", true)))
                .put("audit", new JsonObject().put("directory", "audit"));
    }
}
