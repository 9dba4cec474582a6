package uk.wycps.gateway.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

/** Assertions on the error body of API.md. */
public final class ErrorBodies {

    private ErrorBodies() {
    }

    /** The answer has {@code status}, a JSON error body with {@code code}, and no stack trace. */
    public static JsonObject assertError(HttpResponse<Buffer> response, int status, String code) {
        assertEquals(status, response.statusCode(), () -> "body: " + response.bodyAsString());
        assertEquals("application/json", response.getHeader("Content-Type"));
        Answers.assertNoStackTrace(response.bodyAsString());
        JsonObject body = response.bodyAsJsonObject();
        if (code != null) {
            assertEquals(code, body.getString("error"));
        }
        assertNotNull(body.getString("message"));
        assertFalse(body.containsKey("persons"), "no data with an error");
        return body;
    }
}
