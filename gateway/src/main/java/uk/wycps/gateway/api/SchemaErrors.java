package uk.wycps.gateway.api;

import io.vertx.json.schema.OutputUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import uk.wycps.connector.schema.Schemas;

/**
 * Turns a JSON Schema validation failure into the contract's 400: the error code the gateway
 * has always used for that kind of breach and the JSON path of the field at fault
 * ({@code $.subject.aliases[0].givenName}).
 */
final class SchemaErrors {

    private static final Pattern REQUIRED = Pattern.compile("required property \"([^\"]+)\"");

    private SchemaErrors() {
    }

    static ApiException toApiException(OutputUnit result) {
        List<OutputUnit> errors = result.getErrors() == null ? List.of() : result.getErrors();
        // The validator reports every failing level (a property, its $ref, the keyword); the
        // keyword's own error is the one to name. additionalProperties also flags properties
        // whose own schema failed, so an unknown field is named only when nothing else failed.
        OutputUnit unknown = null;
        for (OutputUnit e : errors) {
            String keyword = keyword(e);
            switch (keyword) {
                case "properties", "$ref", "items", "prefixItems" -> {
                    // a level above the real breach
                }
                case "additionalProperties", "unevaluatedProperties" -> {
                    if (unknown == null) {
                        unknown = e;
                    }
                }
                case "required" -> {
                    Matcher m = REQUIRED.matcher(e.getError() == null ? "" : e.getError());
                    String property = m.find() ? m.group(1) : null;
                    String path = path(e.getInstanceLocation());
                    return ApiException.badRequest("missing-field",
                            (property == null ? "A field" : property) + " is required.",
                            property == null ? path : path + "." + property);
                }
                default -> {
                    return ApiException.badRequest("invalid-field", message(keyword), path(e.getInstanceLocation()));
                }
            }
        }
        if (unknown != null) {
            return ApiException.badRequest("unknown-field", "Unknown field.", path(unknown.getInstanceLocation()));
        }
        return ApiException.badRequest("invalid-field", "The body does not match the API's schema.", "$");
    }

    private static String keyword(OutputUnit e) {
        String location = e.getKeywordLocation() == null ? "" : e.getKeywordLocation();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static String message(String keyword) {
        return switch (keyword) {
            case "type" -> "This field has the wrong type.";
            case "enum", "const" -> "This value is not one the API accepts.";
            case "maxLength" -> "This value is too long.";
            case "minLength" -> "This value is empty.";
            case "maxItems" -> "This list has too many entries.";
            case "minItems" -> "This list, when given, needs at least one entry.";
            case "pattern", "format" -> "This value is not in the expected form.";
            default -> "This value does not match the API's schema.";
        };
    }

    /** {@code #/subject/aliases/0/givenName} as {@code $.subject.aliases[0].givenName}. */
    static String path(String instanceLocation) {
        return Schemas.jsonPath(instanceLocation);
    }
}
