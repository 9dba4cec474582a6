package uk.wycps.connector.mappedjson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.http.AnswerBodies;
import uk.wycps.connector.http.BoundedHttpCall;
import uk.wycps.record.RecordJson;

/**
 * What the configurable HTTP dialects share: path templates filled with URL-encoded values,
 * the enquiry-history and audit-checkpoint exchanges, and reading an untrusted JSON body.
 */
public final class HttpDialectSupport {

    private static final Set<String> WRITE_METHODS = Set.of("PUT", "POST");

    private HttpDialectSupport() {
    }

    /** A path template from the options, e.g. {@code /children/{recordId}}; checked at start-up. */
    public static String template(JsonObject options, String key, String fallback, String authority) {
        String value = options == null ? null : options.getString(key);
        String t = value == null ? fallback : value;
        if (t == null || !t.startsWith("/") || t.contains("?") || t.contains("#") || t.contains("..")) {
            throw new IllegalArgumentException("register '" + authority + "': " + key
                    + " must be a path starting with '/' (no query, no '..')");
        }
        return t;
    }

    /** The method for a write from the options: PUT (default) or POST. */
    public static HttpMethod writeMethod(JsonObject options, String authority) {
        String m = options == null ? "PUT" : options.getString("method", "PUT");
        if (!WRITE_METHODS.contains(m)) {
            throw new IllegalArgumentException("register '" + authority + "': method must be PUT or POST");
        }
        return HttpMethod.valueOf(m);
    }

    /** Fills {@code {name}} placeholders with URL-encoded path segments. */
    public static String fill(String template, Map<String, String> values) {
        String out = template;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace("{" + e.getKey() + "}", segment(e.getValue()));
        }
        return out;
    }

    public static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public static String query(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** PUTs the canonical checkpoint to {@code path} (template with {@code {index}}). */
    public static Future<Void> publishCheckpoint(BoundedHttpCall call, String basePath, String template,
                                                 AuditCheckpoint checkpoint, Deadline deadline) {
        Buffer body;
        try {
            body = Buffer.buffer(RecordJson.mapper().writeValueAsBytes(checkpoint));
        } catch (JsonProcessingException e) {
            return Future.failedFuture(RegisterFailure.error("could not encode the checkpoint"));
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.PUT)
                .setURI(basePath + fill(template, Map.of("index", Long.toString(checkpoint.index()))));
        return call.exchange(options, body, deadline, "application/json").mapEmpty();
    }

    private static final ObjectReader TREE_READER = RecordJson.mapper().reader();

    /** Parses an untrusted body with the strict, bounded mapper; a {@link RegisterFailure} if it is not JSON. */
    public static JsonNode parse(Buffer body, String dialect) throws RegisterFailure {
        try {
            JsonNode node = AnswerBodies.readTree(TREE_READER, body);
            if (node == null || node.isMissingNode()) {
                throw RegisterFailure.error("answer is empty");
            }
            return node;
        } catch (java.io.IOException | RuntimeException e) {
            if (e instanceof RegisterFailure f) {
                throw f;
            }
            throw RegisterFailure.error("answer is not valid " + dialect + " JSON");
        }
    }
}
