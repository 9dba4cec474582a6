package uk.wycps.mock;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dialect each mock authority speaks (issue 4), and the connector options a gateway needs
 * for it. The options of the configurable dialects are the mapping files shipped with the
 * connectors, {@code /uk/wycps/connector/mappings/*.json}: exactly what an operator puts in the
 * gateway's configuration for such a register.
 */
public final class MockDialects {

    public static final String CANONICAL_JSON = "canonical-json";
    public static final String MAPPED_JSON = "mapped-json";
    public static final String FHIR = "fhir-r4";
    public static final String SQL = "sql-jdbc";
    public static final String LEGACY = "legacy-two-step";

    /** The dialects a mock register can speak. */
    public static final java.util.List<String> SUPPORTED = java.util.List.of(CANONICAL_JSON, MAPPED_JSON, FHIR, SQL, LEGACY);

    /** Each authority's own dialect: bradford canonical-json, calderdale mapped-json, kirklees FHIR R4, leeds SQL, wakefield legacy. */
    public static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("bradford", CANONICAL_JSON);
        d.put("calderdale", MAPPED_JSON);
        d.put("kirklees", FHIR);
        d.put("leeds", SQL);
        d.put("wakefield", LEGACY);
        DEFAULTS = Collections.unmodifiableMap(d);
    }

    private MockDialects() {
    }

    /** Every authority on {@code canonical-json}: the walking skeleton's registers. */
    public static Map<String, String> allCanonical() {
        Map<String, String> d = new LinkedHashMap<>();
        DEFAULTS.keySet().forEach(a -> d.put(a, CANONICAL_JSON));
        return Collections.unmodifiableMap(d);
    }

    /** The connector options for a dialect's mock register (empty for canonical-json). */
    public static JsonObject connectorOptions(String dialect) {
        return switch (dialect) {
            case MAPPED_JSON -> resource("calderdale.json");
            case LEGACY -> resource("wakefield.json");
            case SQL -> resource("leeds-sql.json");
            default -> new JsonObject();
        };
    }

    /** A mapping file shipped with the mocks, e.g. {@code calderdale.json}. */
    public static JsonObject resource(String name) {
        try (InputStream in = MockDialects.class.getResourceAsStream("/uk/wycps/connector/mappings/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no mapping file " + name);
            }
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
