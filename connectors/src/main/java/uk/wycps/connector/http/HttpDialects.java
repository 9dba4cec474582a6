package uk.wycps.connector.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.record.RecordJson;

/**
 * What the HTTP dialects share besides the connection (which {@link HttpDialectConnector}
 * holds): path templates checked at start-up and filled with URL-encoded values, reading an
 * untrusted JSON body, and walking a dotted path in it.
 */
public final class HttpDialects {

    private static final Set<String> WRITE_METHODS = Set.of("PUT", "POST");
    private static final ObjectReader TREE_READER = RecordJson.mapper().reader();

    private HttpDialects() {
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

    /** {@code s} encoded as one path segment. */
    public static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code s} encoded as a query-string name or value. */
    public static String query(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Parses an untrusted body with the strict, bounded mapper; a {@link RegisterFailure} if it is not JSON. */
    public static JsonNode parse(Buffer body, String dialect) {
        JsonNode node;
        try {
            node = AnswerBodies.readTree(TREE_READER, body);
        } catch (IOException | RuntimeException e) {
            throw RegisterFailure.error("answer is not valid " + dialect + " JSON");
        }
        if (node == null || node.isMissingNode()) {
            throw RegisterFailure.error("answer is empty");
        }
        return node;
    }

    /**
     * The node at a dotted path ({@code data.items}) below {@code node}, or null when a step is
     * missing or not an object.
     */
    public static JsonNode at(JsonNode node, String dottedPath) {
        JsonNode n = node;
        for (String part : dottedPath.split("\\.")) {
            if (n == null || !n.isObject()) {
                return null;
            }
            n = n.get(part);
        }
        return n;
    }
}
