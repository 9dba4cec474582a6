package uk.wycps.gateway.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.concurrent.TimeUnit;

/** What the gateway's tests ask of every answer, and the small helpers they share. */
public final class Answers {

    private Answers() {
    }

    /** Waits (off the event loop, in a test thread) for {@code f}, at most 30 s. */
    public static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** The entry of {@code registers} (an answer's or a health body's) for {@code authority}. */
    public static JsonObject registerEntry(JsonArray registers, String authority) {
        for (int i = 0; i < registers.size(); i++) {
            if (authority.equals(registers.getJsonObject(i).getString("authority"))) {
                return registers.getJsonObject(i);
            }
        }
        throw new AssertionError("no entry for " + authority + " in " + registers.encode());
    }

    /** The entry of an answer's {@code registers} for {@code authority}. */
    public static JsonObject registerEntry(JsonObject answer, String authority) {
        return registerEntry(answer.getJsonArray("registers"), authority);
    }

    /** No stack trace, exception name or source position anywhere in {@code text}. */
    public static void assertNoStackTrace(String text) {
        assertFalse(text.contains("Exception") || text.contains("\tat ") || text.contains(".java:"),
                "no stack trace: " + text);
    }

    /**
     * F5: the answer is 200 and says nothing was found among the registers that answered, but
     * that {@code unchecked} was not checked (with {@code status} and a notice saying so): no
     * persons, {@code complete: false}, outcome {@code not-all-checked}, never {@code none-found}.
     * Returns the unchecked register's entry.
     */
    public static JsonObject assertNotAllChecked(HttpResponse<Buffer> r, String unchecked, String status) {
        String text = r.bodyAsString();
        assertEquals(200, r.statusCode(), text);
        assertNoStackTrace(text);
        JsonObject answer = r.bodyAsJsonObject();
        assertFalse(answer.getBoolean("complete"), text);
        assertEquals("not-all-checked", answer.getString("outcome"), text);
        assertTrue(answer.getJsonArray("persons").isEmpty(), text);
        JsonObject entry = registerEntry(answer, unchecked);
        assertEquals(status, entry.getString("status"), text);
        assertTrue(entry.getString("notice").contains("This is not a 'no record' result."), text);
        return entry;
    }
}
