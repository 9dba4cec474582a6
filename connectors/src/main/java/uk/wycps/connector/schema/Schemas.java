package uk.wycps.connector.schema;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON Schemas of the documents an operator writes (the gateway's configuration, the policy
 * document, a register's mapping), kept in {@code connectors/src/main/resources/schemas/} where
 * editors find them too, and checked at load by Vert.x's JSON Schema validator. A problem names
 * the JSON path of the value at fault ({@code $.registers[0].deadlineMs}); the loaders then check
 * only what a schema cannot say (a file is readable, a dialect exists, a field is canonical).
 */
public final class Schemas {

    /** The gateway's configuration file. */
    public static final String GATEWAY_CONFIG = "gateway-config.schema.json";
    /** The policy document (YAML or JSON). */
    public static final String POLICY = "policy.schema.json";
    /** The options of a {@code mapped-json} or {@code legacy-two-step} register: its mapping. */
    public static final String MAPPING = "mapping.schema.json";

    private static final String BASE = "app:///schemas/";
    private static final List<String> ALL = List.of("common.schema.json", MAPPING, POLICY, GATEWAY_CONFIG);
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");
    private static final SchemaRepository REPOSITORY = repository();

    private final Validator validator;

    private Schemas(Validator validator) {
        this.validator = validator;
    }

    /** The schema named {@code name} (one of the constants above), ready to check documents. */
    public static Schemas of(String name) {
        return new Schemas(REPOSITORY.validator(BASE + name));
    }

    /**
     * The first problem of {@code document} (a {@link JsonObject} or a value of one) as
     * {@code "$.path: what"}, the deepest place first; empty when it fits the schema.
     */
    public Optional<String> problem(Object document) {
        OutputUnit result = validator.validate(document);
        if (Boolean.TRUE.equals(result.getValid())) {
            return Optional.empty();
        }
        List<OutputUnit> errors = result.getErrors() == null || result.getErrors().isEmpty() ? List.of(result)
                : result.getErrors();
        OutputUnit worst = errors.stream()
                .max(Comparator.comparingInt((OutputUnit u) -> depth(path(u))).thenComparing(u -> !isWrapper(u)))
                .orElse(result);
        return Optional.of(path(worst) + ": " + message(worst));
    }

    /** A missing required property is named at its own path, not at the object that lacks it. */
    private static String path(OutputUnit unit) {
        String path = jsonPath(unit.getInstanceLocation());
        if (unit.getKeywordLocation() != null && unit.getKeywordLocation().endsWith("/required")
                && unit.getError() != null) {
            Matcher m = QUOTED.matcher(unit.getError());
            if (m.find()) {
                path = path + "." + m.group(1);
            }
        }
        return path;
    }

    private static boolean isWrapper(OutputUnit unit) {
        String k = unit.getKeywordLocation() == null ? "" : unit.getKeywordLocation();
        return k.endsWith("/properties") || k.endsWith("/items") || k.endsWith("/$ref") || k.endsWith("/allOf")
                || k.endsWith("/then") || k.endsWith("/additionalProperties");
    }

    private static String message(OutputUnit unit) {
        return unit.getError() == null ? "does not fit the schema" : unit.getError();
    }

    /**
     * {@code /registers/0/baseUrl} (a JSON pointer, maybe after {@code #}) as
     * {@code $.registers[0].baseUrl}: how configuration problems and the API's 400s name a place.
     */
    public static String jsonPath(String pointer) {
        StringBuilder out = new StringBuilder("$");
        if (pointer == null) {
            return out.toString();
        }
        String p = pointer.startsWith("#") ? pointer.substring(1) : pointer;
        for (String token : p.split("/")) {
            if (token.isEmpty()) {
                continue;
            }
            String t = token.replace("~1", "/").replace("~0", "~");
            if (t.chars().allMatch(c -> c >= '0' && c <= '9')) {
                out.append('[').append(t).append(']');
            } else {
                out.append('.').append(t);
            }
        }
        return out.toString();
    }

    private static int depth(String path) {
        return (int) path.chars().filter(c -> c == '.' || c == '[').count();
    }

    private static SchemaRepository repository() {
        SchemaRepository repository = SchemaRepository.create(new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
                .setBaseUri(BASE).setOutputFormat(OutputFormat.Basic));
        for (String name : ALL) {
            repository.dereference(BASE + name, JsonSchema.of(read(name)));
        }
        return repository;
    }

    /** The schema document itself, e.g. for tests and tools. */
    public static JsonObject read(String name) {
        try (InputStream in = Schemas.class.getResourceAsStream("/schemas/" + name)) {
            if (in == null) {
                throw new IllegalStateException("schema " + name + " is not on the class path");
            }
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
