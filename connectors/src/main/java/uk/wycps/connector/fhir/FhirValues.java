package uk.wycps.connector.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;
import uk.wycps.connector.RegisterFailure;

/**
 * Reading R4 JSON values as the specification allows them, strictly: a value of the wrong JSON
 * type, or a date the canonical record cannot hold, is a {@link RegisterFailure} (ERROR) with a
 * reason that names the element, never its content.
 */
final class FhirValues {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** R4 dateTime: a date, optionally with a time and zone (a partial date is matched separately). */
    private static final Pattern FULL_DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}(T.*)?");
    private static final Pattern PARTIAL_DATE = Pattern.compile("[0-9]{4}(-[0-9]{2})?");

    private FhirValues() {
    }

    /** The list at {@code field}, empty when absent; a non-list is an error. */
    static JsonNode array(JsonNode node, String field) {
        JsonNode a = node.get(field);
        if (a == null || a.isNull()) {
            return NODES.arrayNode();
        }
        if (!a.isArray()) {
            throw RegisterFailure.error("'" + field + "' is not a list");
        }
        return a;
    }

    /** The extension of {@code url}, or an empty object (an extension the profile does not know is ignored). */
    static JsonNode extension(JsonNode resource, String url) {
        for (JsonNode e : array(resource, "extension")) {
            if (url.equals(e.path("url").asText())) {
                return e;
            }
        }
        return NODES.objectNode();
    }

    /** The code of the first coding of {@code system} in a CodeableConcept (or a Coding), or null. */
    static String code(JsonNode concept, String system) {
        if (system.equals(concept.path("system").asText(null))) {
            return text(concept.get("code"));
        }
        for (JsonNode c : array(concept, "coding")) {
            if (system.equals(c.path("system").asText())) {
                return text(c.get("code"));
            }
        }
        return null;
    }

    /** True when any of the concepts carries the code of the system. */
    static boolean hasCode(JsonNode concepts, String system, String code) {
        if (concepts.isArray()) {
            for (JsonNode c : concepts) {
                if (code.equals(code(c, system))) {
                    return true;
                }
            }
            return false;
        }
        return code.equals(code(concepts, system));
    }

    static String text(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (!n.isTextual()) {
            throw RegisterFailure.error("a text element is not text");
        }
        return n.asText();
    }

    static Boolean bool(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw RegisterFailure.error("an indicator is not a boolean");
        }
        return n.asBoolean();
    }

    /**
     * A {@code date} or {@code dateTime} as a calendar date: a dateTime's own date (the day it
     * names where it was recorded). A partial date (a year, or year and month) is valid FHIR but
     * cannot be a canonical date: refused, since guessing a day would be a silent wrong answer.
     */
    static LocalDate date(JsonNode n, String element) {
        String s = text(n);
        if (s == null) {
            return null;
        }
        if (FULL_DATE.matcher(s).matches()) {
            try {
                return LocalDate.parse(s.substring(0, 10));
            } catch (DateTimeParseException e) {
                throw RegisterFailure.error(element + " is not a valid date");
            }
        }
        if (PARTIAL_DATE.matcher(s).matches()) {
            throw RegisterFailure.error(element + " is a partial date, which the canonical record cannot hold");
        }
        throw RegisterFailure.error(element + " is not a valid date");
    }

    /** An {@code instant} (or a full dateTime with a zone). */
    static Instant instant(JsonNode n, String element) {
        String s = text(n);
        try {
            return s == null ? null : OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw RegisterFailure.error(element + " is not a valid instant");
        }
    }

    /**
     * FHIR's rule for modifier extensions: a reader that does not know one must not use the
     * resource as if it were not there (it may negate what the resource says). This profile
     * defines none, so any one, at any depth, refuses the answer.
     */
    static void refuseModifierExtensions(JsonNode resource) {
        if (resource.has("implicitRules")) {
            // Resource.implicitRules is a modifier too: rules this gateway cannot know it follows.
            throw RegisterFailure.error("a " + FhirSearchSet.safe(resource.path("resourceType").asText())
                    + " is written under implicit rules this gateway does not know");
        }
        if (hasModifierExtension(resource, 0)) {
            throw RegisterFailure.error("a " + FhirSearchSet.safe(resource.path("resourceType").asText())
                    + " carries a modifier extension this gateway does not know");
        }
    }

    private static boolean hasModifierExtension(JsonNode node, int depth) {
        if (depth > 32) {
            return false;
        }
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if ("modifierExtension".equals(f.getKey()) && f.getValue().size() > 0) {
                    return true;
                }
                if (f.getValue().isContainerNode() && hasModifierExtension(f.getValue(), depth + 1)) {
                    return true;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode e : node) {
                if (hasModifierExtension(e, depth + 1)) {
                    return true;
                }
            }
        }
        return false;
    }
}
