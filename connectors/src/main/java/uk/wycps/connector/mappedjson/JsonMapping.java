package uk.wycps.connector.mappedjson;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import uk.wycps.record.SearchCriteria;
import uk.wycps.record.CanonicalFields;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.ConcernCategory;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.Gender;
import uk.wycps.record.RecordJson;
import uk.wycps.connector.schema.Schemas;

/**
 * A register's JSON, mapped to and from the canonical model by configuration alone (F3): which
 * register path holds each canonical field, which code list translates a coded value, and the
 * date format. Used by the {@code mapped-json} and {@code legacy-two-step} dialects.
 *
 * <p>A <em>spec</em> mirrors the canonical shape. For each canonical field it gives either
 * <ul>
 *   <li>a string: the dotted path of the value in the register's JSON (a list of plain values
 *       is a JSON array at that path), or</li>
 *   <li>an object with {@code path} (optional: absent means "this same object", for fields a
 *       register keeps flat) and one of {@code fields} (a nested object's spec), {@code item}
 *       (a list of objects: each element's spec) or {@code codes} (the code list of a plain
 *       value).</li>
 * </ul>
 * Coded values use a code list by their canonical type unless the spec names one:
 * {@code gender} for gender, {@code concernCategory} for concern categories, and, when
 * configured, {@code registrationStatus} for a registration's status and {@code indicator}
 * for yes/no indicators. Dates ({@code LocalDate}) use {@code dateFormat}. A value outside its
 * code list, or a date that does not parse, makes the whole answer unreadable
 * ({@link MappingException}): an unknown code is never guessed.
 */
public final class JsonMapping {

    /** Why an answer could not be mapped; the message names the place, never the value. */
    public static final class MappingException extends Exception {
        private static final long serialVersionUID = 1L;

        public MappingException(String message) {
            super(message, null, false, false);
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Schemas SCHEMA = Schemas.of(Schemas.MAPPING);

    private final ObjectNode recordSpec;
    private final ObjectNode criteriaSpec;
    private final ObjectNode entrySpec;
    private final Map<String, Map<String, JsonNode>> codes;
    private final Map<String, Map<String, JsonNode>> reverseCodes;
    private final DateTimeFormatter dateFormat;

    private JsonMapping(ObjectNode recordSpec, ObjectNode criteriaSpec, ObjectNode entrySpec,
                        Map<String, Map<String, JsonNode>> codes, DateTimeFormatter dateFormat) {
        this.recordSpec = recordSpec;
        this.criteriaSpec = criteriaSpec;
        this.entrySpec = entrySpec;
        this.codes = codes;
        this.dateFormat = dateFormat;
        Map<String, Map<String, JsonNode>> reverse = new HashMap<>();
        codes.forEach((list, map) -> {
            Map<String, JsonNode> r = new LinkedHashMap<>();
            map.forEach((code, value) -> r.putIfAbsent(value.asText(), NODES.textNode(code)));
            reverse.put(list, r);
        });
        this.reverseCodes = reverse;
    }

    /**
     * Reads and checks a mapping from a register's options: first against the mapping schema
     * ({@code schemas/mapping.schema.json}: {@code record} and {@code criteria} required,
     * {@code enquiry.body} optional, {@code codes}, {@code dateFormat} (default
     * {@code yyyy-MM-dd})), then what a schema cannot say: every key is a canonical field, nested
     * records and lists are given {@code fields} or {@code item}, code lists map to canonical
     * codes. Throws {@link IllegalArgumentException} naming the problem and its JSON path, so a
     * wrong mapping stops start-up (O2).
     */
    public static JsonMapping fromOptions(String authority, JsonObject options) {
        String where = "register '" + authority + "': ";
        SCHEMA.problem(options).ifPresent(p -> {
            throw new IllegalArgumentException(where + "options at " + p);
        });
        ObjectNode record = tree(options.getJsonObject("record"));
        ObjectNode criteria = tree(options.getJsonObject("criteria"));
        JsonObject enquiry = options.getJsonObject("enquiry");
        ObjectNode entry = enquiry == null || enquiry.getJsonObject("body") == null ? null : tree(enquiry.getJsonObject("body"));
        check(record, ChildRecord.class, where + "options.record");
        check(criteria, SearchCriteria.class, where + "options.criteria");
        if (entry != null) {
            check(entry, EnquiryHistoryEntry.class, where + "options.enquiry.body");
        }
        if (!record.has("recordId")) {
            throw new IllegalArgumentException(where + "options.record must map recordId");
        }
        if (!criteria.has("familyName")) {
            throw new IllegalArgumentException(where + "options.criteria must map familyName");
        }
        if (!record.has(CanonicalFields.SHIELDED) && CanonicalFields.location().stream().anyMatch(record::has)) {
            throw new IllegalArgumentException(where + "options.record maps a location field but not shielded:"
                    + " the gateway could not tell a shielded child's record, whose location must never leave"
                    + " its authority (A10)");
        }
        Map<String, Map<String, JsonNode>> codes = new HashMap<>();
        JsonObject lists = options.getJsonObject("codes", new JsonObject());
        for (String list : lists.fieldNames()) {
            Map<String, JsonNode> m = new LinkedHashMap<>();
            lists.getJsonObject(list).forEach(e -> m.put(e.getKey(), e.getValue() instanceof Boolean b
                    ? NODES.booleanNode(b) : NODES.textNode((String) e.getValue())));
            codes.put(list, m);
        }
        checkCodes(codes.get("gender"), where, "gender", v -> Gender.fromCode(v));
        checkCodes(codes.get("concernCategory"), where, "concernCategory", v -> ConcernCategory.fromCode(v));
        String pattern = options.getString("dateFormat", "yyyy-MM-dd");
        DateTimeFormatter format;
        try {
            format = DateTimeFormatter.ofPattern(pattern.replace("yyyy", "uuuu")).withResolverStyle(ResolverStyle.STRICT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "options.dateFormat is not a date pattern");
        }
        return new JsonMapping(record, criteria, entry, codes, format);
    }

    private static void checkCodes(Map<String, JsonNode> list, String where, String name,
                                   java.util.function.Consumer<String> check) {
        if (list == null) {
            return;
        }
        for (JsonNode v : list.values()) {
            try {
                check.accept(v.asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "code list " + name + " maps to a value that is not canonical");
            }
        }
    }

    private static ObjectNode tree(JsonObject json) {
        try {
            return (ObjectNode) RecordJson.mapper().readTree(json.encode());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JsonObject that does not encode", e);
        }
    }

    /** Start-up check: every key names a component of {@code type}, every spec is well formed. */
    private static void check(ObjectNode spec, Class<?> type, String where) {
        Map<String, RecordComponent> components = CanonicalFields.components(type);
        spec.fields().forEachRemaining(e -> {
            RecordComponent c = components.get(e.getKey());
            if (c == null) {
                throw new IllegalArgumentException(where + "." + e.getKey() + " is not a canonical field");
            }
            checkSpec(e.getValue(), c.getGenericType(), where + "." + e.getKey());
        });
    }

    /** What the schema cannot see: whether the canonical field at this place is a record or a list of them. */
    private static void checkSpec(JsonNode spec, Type type, String where) {
        Class<?> raw = raw(type);
        Class<?> element = raw == List.class ? raw(((ParameterizedType) type).getActualTypeArguments()[0]) : null;
        if (spec.isTextual()) {
            if (raw.isRecord() || (element != null && element.isRecord())) {
                throw new IllegalArgumentException(where + " is an object: give {\"path\", \"fields\"} or {\"path\", \"item\"}");
            }
            return;
        }
        if (raw.isRecord()) {
            if (!spec.has("fields")) {
                throw new IllegalArgumentException(where + " needs \"fields\"");
            }
            check((ObjectNode) spec.get("fields"), raw, where + ".fields");
        } else if (element != null && element.isRecord()) {
            if (!spec.has("path") || !spec.has("item")) {
                throw new IllegalArgumentException(where + " needs \"path\" and \"item\"");
            }
            check((ObjectNode) spec.get("item"), element, where + ".item");
        } else if (!spec.has("path")) {
            throw new IllegalArgumentException(where + " needs \"path\"");
        }
    }

    // ---- register -> canonical ----------------------------------------------------------------

    /** The canonical record for one record of the register's JSON. */
    public ChildRecord toRecord(JsonNode source) throws MappingException {
        if (source == null || !source.isObject()) {
            throw new MappingException("a record is not an object");
        }
        ObjectNode canonical = toCanonical(source, recordSpec, ChildRecord.class);
        try {
            return RecordJson.mapper().treeToValue(canonical, ChildRecord.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new MappingException("a record does not fit the canonical model");
        }
    }

    private ObjectNode toCanonical(JsonNode source, ObjectNode spec, Class<?> type) throws MappingException {
        Map<String, RecordComponent> components = CanonicalFields.components(type);
        ObjectNode out = NODES.objectNode();
        var it = spec.fields();
        while (it.hasNext()) {
            var e = it.next();
            JsonNode value = value(source, e.getValue(), components.get(e.getKey()).getGenericType(), e.getKey());
            if (value != null) {
                out.set(e.getKey(), value);
            }
        }
        return out;
    }

    private JsonNode value(JsonNode source, JsonNode spec, Type type, String name) throws MappingException {
        String path = spec.isTextual() ? spec.asText() : spec.path("path").asText(null);
        JsonNode node = path == null ? source : step(source, path, name);
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        Class<?> raw = raw(type);
        String explicitCodes = spec.isObject() && spec.has("codes") ? spec.get("codes").asText() : null;
        if (raw == List.class) {
            if (!node.isArray()) {
                throw new MappingException("'" + name + "' is not a list");
            }
            Class<?> element = raw(((ParameterizedType) type).getActualTypeArguments()[0]);
            ArrayNode list = NODES.arrayNode();
            for (JsonNode item : node) {
                if (element.isRecord()) {
                    if (!item.isObject()) {
                        throw new MappingException("an item of '" + name + "' is not an object");
                    }
                    list.add(toCanonical(item, (ObjectNode) spec.get("item"), element));
                } else {
                    list.add(scalar(item, element, explicitCodes, name));
                }
            }
            return list;
        }
        if (raw.isRecord()) {
            if (!node.isObject()) {
                throw new MappingException("'" + name + "' is not an object");
            }
            return toCanonical(node, (ObjectNode) spec.get("fields"), raw);
        }
        return scalar(node, raw, explicitCodes, name);
    }

    /**
     * The node at the dotted {@code path} in {@code source}: null when a step is absent or null
     * (the field is not there). A step that is there but not an object is a record that does not
     * fit the mapping, refused: read as absent, {@code flags.shielded} against
     * {@code "flags": ["shielded"]} would have dropped the shielded mark (A10).
     */
    private static JsonNode step(JsonNode source, String path, String name) throws MappingException {
        JsonNode n = source;
        for (String part : path.split("\\.")) {
            if (n == null || n.isNull() || n.isMissingNode()) {
                return null;
            }
            if (!n.isObject()) {
                throw new MappingException("'" + name + "' is mapped through a value that is not an object");
            }
            n = n.get(part);
        }
        return n;
    }

    private JsonNode scalar(JsonNode node, Class<?> type, String explicitCodes, String name) throws MappingException {
        if (!node.isValueNode()) {
            throw new MappingException("'" + name + "' is not a plain value");
        }
        String list = explicitCodes != null ? explicitCodes : codeList(type, name);
        if (list != null && codes.containsKey(list)) {
            JsonNode mapped = codes.get(list).get(node.asText());
            if (mapped == null) {
                throw new MappingException("'" + name + "' has a code outside code list " + list);
            }
            return mapped;
        }
        if (list != null && explicitCodes != null) {
            throw new MappingException("code list " + list + " is not configured");
        }
        if (type == LocalDate.class) {
            if (!node.isTextual()) {
                throw new MappingException("'" + name + "' is not a date");
            }
            try {
                return NODES.textNode(LocalDate.parse(node.asText(), dateFormat).toString());
            } catch (DateTimeParseException e) {
                throw new MappingException("'" + name + "' is not a date in the register's format");
            }
        }
        return node;
    }

    /** The code list a canonical type uses by default. */
    private static String codeList(Class<?> type, String name) {
        if (type == Gender.class) {
            return "gender";
        }
        if (type == ConcernCategory.class) {
            return "concernCategory";
        }
        if (type == Boolean.class) {
            return "indicator";
        }
        if ("status".equals(name)) {
            return "registrationStatus";
        }
        return null;
    }

    // ---- canonical -> register ----------------------------------------------------------------

    /** The criteria in the register's terms. */
    public ObjectNode fromCriteria(SearchCriteria criteria) {
        return fromCanonical(RecordJson.mapper().valueToTree(criteria), criteriaSpec, SearchCriteria.class, NODES.objectNode());
    }

    /** The enquiry-history entry in the register's terms, or null when no body is configured. */
    public ObjectNode fromEntry(EnquiryHistoryEntry entry) {
        return entrySpec == null ? null
                : fromCanonical(RecordJson.mapper().valueToTree(entry), entrySpec, EnquiryHistoryEntry.class, NODES.objectNode());
    }

    private ObjectNode fromCanonical(JsonNode canonical, ObjectNode spec, Class<?> type, ObjectNode out) {
        Map<String, RecordComponent> components = CanonicalFields.components(type);
        spec.fields().forEachRemaining(e -> {
            JsonNode value = canonical.get(e.getKey());
            if (value == null || value.isNull() || (value.isArray() && value.isEmpty())) {
                return;
            }
            Type t = components.get(e.getKey()).getGenericType();
            JsonNode s = e.getValue();
            String path = s.isTextual() ? s.asText() : s.path("path").asText(null);
            String explicitCodes = s.isObject() && s.has("codes") ? s.get("codes").asText() : null;
            Class<?> raw = raw(t);
            JsonNode mapped;
            if (raw == List.class) {
                Class<?> element = raw(((ParameterizedType) t).getActualTypeArguments()[0]);
                ArrayNode list = NODES.arrayNode();
                for (JsonNode item : value) {
                    JsonNode m = element.isRecord()
                            ? fromCanonical(item, (ObjectNode) s.get("item"), element, NODES.objectNode())
                            : fromScalar(item, element, explicitCodes, e.getKey());
                    if (m != null) {
                        list.add(m);
                    }
                }
                mapped = list;
            } else if (raw.isRecord()) {
                if (path == null) {
                    fromCanonical(value, (ObjectNode) s.get("fields"), raw, out);
                    return;
                }
                mapped = fromCanonical(value, (ObjectNode) s.get("fields"), raw, NODES.objectNode());
            } else {
                mapped = fromScalar(value, raw, explicitCodes, e.getKey());
            }
            if (mapped != null && path != null) {
                put(out, path, mapped);
            }
        });
        return out;
    }

    private JsonNode fromScalar(JsonNode value, Class<?> type, String explicitCodes, String name) {
        String list = explicitCodes != null ? explicitCodes : codeList(type, name);
        if (list != null && reverseCodes.containsKey(list)) {
            // A value the register has no code for is not sent: the register cannot search on it.
            return reverseCodes.get(list).get(value.asText());
        }
        if (type == LocalDate.class) {
            return NODES.textNode(LocalDate.parse(value.asText()).format(dateFormat));
        }
        return value;
    }

    /**
     * The register's names of the top-level fields that hold the given canonical fields: what a
     * connector asks the register for (A5). {@code recordId} is always included.
     */
    public List<String> sourceFields(Set<String> canonicalFields) {
        Set<String> wanted = new LinkedHashSet<>();
        for (String field : canonicalFields) {
            wanted.add(field.contains("[]") ? field.substring(0, field.indexOf("[]")) : field);
        }
        wanted.add("recordId");
        Set<String> out = new LinkedHashSet<>();
        for (String top : uk.wycps.record.CanonicalFields.topLevel()) {
            JsonNode spec = recordSpec.get(top);
            if (spec != null && wanted.contains(top)) {
                collectRoots(spec, out);
            }
        }
        return new ArrayList<>(out);
    }

    private static void collectRoots(JsonNode spec, Set<String> out) {
        if (spec.isTextual()) {
            out.add(root(spec.asText()));
        } else if (spec.has("path")) {
            out.add(root(spec.get("path").asText()));
        } else if (spec.has("fields")) {
            spec.get("fields").forEach(s -> collectRoots(s, out));
        }
    }

    private static String root(String path) {
        int dot = path.indexOf('.');
        return dot < 0 ? path : path.substring(0, dot);
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static void put(ObjectNode out, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        ObjectNode n = out;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = n.get(parts[i]);
            if (!(next instanceof ObjectNode)) {
                next = n.putObject(parts[i]);
            }
            n = (ObjectNode) next;
        }
        n.set(parts[parts.length - 1], value);
    }


    private static Class<?> raw(Type type) {
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }
}
