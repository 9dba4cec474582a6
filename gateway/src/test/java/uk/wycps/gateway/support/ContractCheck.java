package uk.wycps.gateway.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.HttpContext;
import io.vertx.ext.web.client.impl.WebClientInternal;
import io.vertx.json.schema.OutputUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import uk.wycps.gateway.api.ApiContract;

/**
 * Checks every answer the test suite receives from the gateway against the OpenAPI document's
 * response schemas (O2): installed on the harness's web client, it fails the request (and so
 * the test) when an answer's status, content type or body is not what the document says, or
 * when the path is not in the document at all.
 */
public final class ContractCheck {

    private static volatile ApiContract contract;
    private static final AtomicLong CHECKED = new AtomicLong();

    private ContractCheck() {
    }

    /** The document, loaded and validated once per test JVM. */
    public static ApiContract contract() {
        ApiContract c = contract;
        if (c == null) {
            synchronized (ContractCheck.class) {
                if (contract == null) {
                    // Off any event loop (a harness is built on one, where await is refused).
                    contract = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        Vertx vertx = Vertx.vertx();
                        try {
                            return ApiContract.load(vertx).await();
                        } finally {
                            vertx.close();
                        }
                    }).join();
                }
                c = contract;
            }
        }
        return c;
    }

    /** How many answers have been checked in this JVM (so a test can see the check ran). */
    public static long checked() {
        return CHECKED.get();
    }

    /** Installs the check on a web client; returns the client. */
    public static WebClient install(WebClient client) {
        ApiContract c = contract();
        ((WebClientInternal) client).addInterceptor(ctx -> intercept(c, ctx));
        return client;
    }

    private static void intercept(ApiContract c, HttpContext<?> ctx) {
        if (ctx.phase() == ClientPhase.DISPATCH_RESPONSE) {
            HttpResponse<?> response = ctx.response();
            Object body = response.body();
            Buffer bytes = body instanceof Buffer b ? b : body == null ? null : Buffer.buffer(String.valueOf(body));
            List<String> problems = problems(c, ctx.request().method(), ctx.request().uri(), response.statusCode(),
                    response.getHeader("Content-Type"), bytes);
            CHECKED.incrementAndGet();
            if (!problems.isEmpty()) {
                ctx.fail(new AssertionError("answer breaks the OpenAPI document: " + ctx.request().method() + " "
                        + ctx.request().uri() + " -> " + response.statusCode() + ": " + problems));
                return;
            }
        }
        ctx.next();
    }

    /** What is wrong with an answer, by the document; empty when it conforms. */
    public static List<String> problems(ApiContract c, HttpMethod method, String uri, int status, String contentType,
            Buffer body) {
        List<String> problems = new ArrayList<>();
        JsonObject doc = c.json();
        String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
        JsonObject item = doc.getJsonObject("paths").getJsonObject(path);
        JsonObject operation = item == null ? null : item.getJsonObject(method.name().toLowerCase(Locale.ROOT));
        JsonObject response;
        if (operation == null) {
            if (status != 404 && status != 405) {
                problems.add("no operation " + method + " " + path + " in the document");
                return problems;
            }
            response = doc.getJsonObject("components").getJsonObject("responses").getJsonObject("Error");
        } else {
            JsonObject responses = operation.getJsonObject("responses");
            response = responses.getJsonObject(Integer.toString(status), responses.getJsonObject("default"));
            if (response == null) {
                problems.add("status " + status + " not documented");
                return problems;
            }
        }
        response = resolve(doc, response);
        JsonObject content = response.getJsonObject("content");
        if (content == null) {
            return problems;
        }
        String type = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        JsonObject media = content.getJsonObject(type);
        if (media == null) {
            problems.add("content type '" + contentType + "' not documented (" + content.fieldNames() + ")");
            return problems;
        }
        if (!type.equals("application/json")) {
            return problems;
        }
        Object json;
        try {
            json = body == null ? null : Json.decodeValue(body);
        } catch (DecodeException e) {
            problems.add("body is not JSON");
            return problems;
        }
        OutputUnit result = c.validator(media.getJsonObject("schema")).validate(json);
        if (!Boolean.TRUE.equals(result.getValid())) {
            result.getErrors().forEach(e -> problems.add(e.getInstanceLocation() + ": " + e.getError()));
        }
        return problems;
    }

    private static JsonObject resolve(JsonObject doc, JsonObject response) {
        String ref = response.getString("$ref");
        if (ref == null) {
            return response;
        }
        JsonObject at = doc;
        for (String token : ref.substring(2).split("/")) {
            at = at.getJsonObject(token.replace("~1", "/").replace("~0", "~"));
        }
        return at;
    }
}
