package uk.wycps.gateway.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A request body's JSON Schema, from the OpenAPI document, compiled once into plain checks: the
 * gateway's first look at every body (issue 21). The full validator (vertx-json-schema) walks
 * its output units for every request and was the largest single frame of the gateway's
 * profile; this does the same walk with no allocation beyond the body.
 *
 * <p>It may only ever be <em>stricter</em> than the full validator, never looser: a body it
 * passes is one the full validator passes too, and a body it doubts goes to the full validator,
 * whose verdict and error paths are the ones the caller gets ({@link ApiContract}). So where the
 * two could read a keyword differently, this takes the narrower reading: an integer must be an
 * integral type, a {@code format: date} must be a real {@code yyyy-MM-dd} date. Lengths are in
 * code points, as JSON Schema says and the full validator counts. A schema using any keyword not
 * listed in {@link #KNOWN} does not compile ({@link #compile} is empty) and every body then goes
 * to the full validator. {@code CompiledSchemaTest} holds the promise against the full
 * validator over generated bodies, valid and broken.
 */
final class CompiledSchema {

    /** The keywords compiled; {@code description}, {@code title} and {@code example(s)} say nothing to check. */
    static final Set<String> KNOWN = Set.of("type", "properties", "required", "additionalProperties", "enum",
            "minLength", "maxLength", "minItems", "maxItems", "items", "$ref", "format", "description", "title",
            "example", "examples");

    /** One compiled schema: whether a value (as Jackson or Vert.x hold it) surely passes. */
    @FunctionalInterface
    private interface Check {
        boolean passes(Object value);
    }

    private final Check root;

    private CompiledSchema(Check root) {
        this.root = root;
    }

    /**
     * {@code schema} compiled, its {@code $ref}s ({@code #/components/schemas/...}) taken from
     * {@code document}; empty when it uses anything this does not check.
     */
    static Optional<CompiledSchema> compile(JsonObject document, JsonObject schema) {
        try {
            return Optional.of(new CompiledSchema(new Compiler(document).compile(schema)));
        } catch (Unsupported | ClassCastException e) {
            // a keyword not checked here, or one in a form not read here (a boolean schema, say)
            return Optional.empty();
        }
    }

    /** True only when the full validator would pass {@code body} too; false says "ask it". */
    boolean surelyPasses(JsonObject body) {
        return root.passes(body);
    }

    private static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsupported(String what) {
            super(what, null, false, false);
        }
    }

    private static final class Compiler {
        private final JsonObject document;
        /** Each referenced schema compiled once; a reference to one being compiled (a cycle) refers back to it. */
        private final Map<String, Check[]> refs = new HashMap<>();

        Compiler(JsonObject document) {
            this.document = document;
        }

        Check compile(JsonObject schema) {
            for (String key : schema.fieldNames()) {
                if (!KNOWN.contains(key)) {
                    throw new Unsupported(key);
                }
            }
            if (schema.containsKey("$ref")) {
                if (schema.size() > (schema.containsKey("description") ? 2 : 1)) {
                    throw new Unsupported("$ref beside other keywords");
                }
                return ref(schema.getString("$ref"));
            }
            List<Check> checks = new ArrayList<>();
            Object type = schema.getValue("type");
            if (type != null) {
                if (!(type instanceof String t)) {
                    throw new Unsupported("type list");
                }
                checks.add(type(t));
            }
            if (schema.containsKey("enum")) {
                Set<Object> allowed = new HashSet<>();
                for (Object v : schema.getJsonArray("enum")) {
                    if (!(v instanceof String)) {
                        throw new Unsupported("enum of other than strings");
                    }
                    allowed.add(v);
                }
                checks.add(allowed::contains);
            }
            Integer minLength = schema.getInteger("minLength");
            Integer maxLength = schema.getInteger("maxLength");
            if (minLength != null || maxLength != null) {
                int min = minLength == null ? 0 : minLength;
                int max = maxLength == null ? Integer.MAX_VALUE : maxLength;
                // in code points, as JSON Schema counts and the full validator does (CompiledSchemaTest
                // has bodies at the bound in astral characters, two UTF-16 units each)
                checks.add(v -> {
                    if (!(v instanceof String s)) {
                        return true;
                    }
                    int length = s.length() <= max && s.length() >= min ? -1 : s.codePointCount(0, s.length());
                    return length < 0 || length >= min && length <= max;
                });
            }
            if (schema.containsKey("format")) {
                if (!"date".equals(schema.getString("format"))) {
                    throw new Unsupported("format " + schema.getString("format"));
                }
                checks.add(v -> !(v instanceof String s) || isDate(s));
            }
            if (schema.containsKey("properties") || schema.containsKey("required")
                    || schema.containsKey("additionalProperties")) {
                checks.add(object(schema));
            }
            if (schema.containsKey("items") || schema.containsKey("minItems") || schema.containsKey("maxItems")) {
                checks.add(array(schema));
            }
            Check[] all = checks.toArray(Check[]::new);
            return v -> {
                for (Check c : all) {
                    if (!c.passes(v)) {
                        return false;
                    }
                }
                return true;
            };
        }

        private Check ref(String ref) {
            String prefix = "#/components/schemas/";
            if (ref == null || !ref.startsWith(prefix)) {
                throw new Unsupported("$ref " + ref);
            }
            Check[] holder = refs.get(ref);
            if (holder == null) {
                holder = new Check[1];
                refs.put(ref, holder);
                JsonObject target = document.getJsonObject("components").getJsonObject("schemas")
                        .getJsonObject(ref.substring(prefix.length()));
                if (target == null) {
                    throw new Unsupported("$ref " + ref);
                }
                holder[0] = compile(target);
            }
            Check[] resolved = holder;
            return v -> resolved[0].passes(v);
        }

        private static Check type(String type) {
            return switch (type) {
                case "object" -> v -> v instanceof Map || v instanceof JsonObject;
                case "array" -> v -> v instanceof List || v instanceof JsonArray;
                case "string" -> v -> v instanceof String;
                case "boolean" -> v -> v instanceof Boolean;
                case "integer" -> v -> v instanceof Integer || v instanceof Long || v instanceof BigInteger
                        || v instanceof Short || v instanceof Byte;
                case "number" -> v -> v instanceof Number;
                default -> throw new Unsupported("type " + type);
            };
        }

        private Check object(JsonObject schema) {
            JsonObject props = schema.getJsonObject("properties", new JsonObject());
            Map<String, Check> properties = new HashMap<>();
            for (String name : props.fieldNames()) {
                properties.put(name, compile(props.getJsonObject(name)));
            }
            Object additional = schema.getValue("additionalProperties");
            if (additional != null && !(additional instanceof Boolean)) {
                throw new Unsupported("additionalProperties as a schema");
            }
            boolean closed = Boolean.FALSE.equals(additional);
            String[] required = schema.getJsonArray("required", new JsonArray()).stream().map(String.class::cast)
                    .toArray(String[]::new);
            return v -> {
                Map<String, Object> map = asMap(v);
                if (map == null) {
                    return true; // not an object: the type keyword, if any, has said so
                }
                for (String name : required) {
                    if (!map.containsKey(name)) {
                        return false;
                    }
                }
                for (Map.Entry<String, Object> e : map.entrySet()) {
                    Check check = properties.get(e.getKey());
                    if (check == null ? closed : !check.passes(e.getValue())) {
                        return false;
                    }
                }
                return true;
            };
        }

        private Check array(JsonObject schema) {
            Check items = schema.containsKey("items") ? compile(schema.getJsonObject("items")) : v -> true;
            int min = schema.getInteger("minItems", 0);
            int max = schema.getInteger("maxItems", Integer.MAX_VALUE);
            return v -> {
                List<?> list = asList(v);
                if (list == null) {
                    return true;
                }
                if (list.size() < min || list.size() > max) {
                    return false;
                }
                for (Object item : list) {
                    if (!items.passes(item)) {
                        return false;
                    }
                }
                return true;
            };
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object v) {
        if (v instanceof JsonObject o) {
            return o.getMap();
        }
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    private static List<?> asList(Object v) {
        if (v instanceof JsonArray a) {
            return a.getList();
        }
        return v instanceof List<?> l ? l : null;
    }

    /**
     * {@code yyyy-MM-dd} naming a real day. Checked by hand: it runs for a date in every body, and
     * a pattern match followed by {@code LocalDate.parse} cost two parses and a formatter's
     * allocations for what ten character tests and one {@code LocalDate.of} decide.
     */
    private static boolean isDate(String s) {
        if (s.length() != 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (i != 4 && i != 7 && (s.charAt(i) < '0' || s.charAt(i) > '9')) {
                return false;
            }
        }
        try {
            LocalDate.of(digits(s, 0, 4), digits(s, 5, 7), digits(s, 8, 10));
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    private static int digits(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n = n * 10 + (s.charAt(i) - '0');
        }
        return n;
    }
}
