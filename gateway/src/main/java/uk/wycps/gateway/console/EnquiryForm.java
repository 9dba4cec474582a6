package uk.wycps.gateway.console;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The enquiry form: what the practitioner typed (kept as typed, to show it again), the API's
 * JSON body made from it, and the API's errors placed on the form's fields. The console does
 * not validate the enquiry itself: the API's parser and policy do (one path for every
 * decision); only the three boxes of the GOV.UK date input are joined here.
 */
final class EnquiryForm {

    /** The form's fields, in page order; the first is where the error summary links for "$". */
    static final List<String> FIELDS = List.of("givenName", "familyName", "otherGivenNames", "dob-day", "dob-month",
            "dob-year", "gender", "postcode", "purpose", "justification", "consent", "formReference", "ground",
            "refusedBy");

    private final Map<String, String> values;

    private EnquiryForm(Map<String, String> values) {
        this.values = values;
    }

    static EnquiryForm empty() {
        return new EnquiryForm(new LinkedHashMap<>());
    }

    static EnquiryForm of(MultiMap posted) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String field : FIELDS) {
            String v = posted.get(field);
            if (v != null) {
                // The form's limit: a page of text at most per box (the API limits each field further).
                values.put(field, v.length() > 2000 ? v.substring(0, 2000) : v);
            }
        }
        return new EnquiryForm(values);
    }

    static EnquiryForm of(JsonObject kept) {
        Map<String, String> values = new LinkedHashMap<>();
        if (kept != null) {
            kept.forEach(e -> values.put(e.getKey(), String.valueOf(e.getValue())));
        }
        return new EnquiryForm(values);
    }

    JsonObject toJson() {
        JsonObject json = new JsonObject();
        values.forEach(json::put);
        return json;
    }

    /** The values for the template, by field name ("" for none). */
    Map<String, String> values() {
        Map<String, String> all = new LinkedHashMap<>();
        for (String f : FIELDS) {
            all.put(f, values.getOrDefault(f, ""));
        }
        return all;
    }

    private String value(String field) {
        String v = values.get(field);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /**
     * The API's body. A date of birth is given as yyyy-MM-dd when any of its boxes is filled, so
     * that the API judges it; a box that is not a number becomes an error on that box here.
     */
    JsonObject body(Map<String, String> dateErrors) {
        JsonObject subject = new JsonObject();
        putIf(subject, "givenName", value("givenName"));
        putIf(subject, "familyName", value("familyName"));
        String others = value("otherGivenNames");
        if (others != null) {
            JsonArray list = new JsonArray();
            for (String n : others.split("[,\\s]+")) {
                if (!n.isBlank()) {
                    list.add(n);
                }
            }
            subject.put("otherGivenNames", list);
        }
        String day = value("dob-day");
        String month = value("dob-month");
        String year = value("dob-year");
        if (day != null || month != null || year != null) {
            String date = date(day, month, year, dateErrors);
            if (date != null) {
                subject.put("dateOfBirth", date);
            }
        }
        putIf(subject, "gender", value("gender"));
        putIf(subject, "postcode", value("postcode"));
        JsonObject purpose = new JsonObject();
        putIf(purpose, "code", value("purpose"));
        putIf(purpose, "justification", value("justification"));
        JsonObject consent = new JsonObject();
        String status = value("consent");
        putIf(consent, "status", status);
        if ("obtained".equals(status)) {
            putIf(consent, "formReference", value("formReference"));
        } else {
            putIf(consent, "ground", value("ground"));
            if ("refused".equals(status)) {
                putIf(consent, "refusedBy", value("refusedBy"));
            }
        }
        return new JsonObject().put("subject", subject).put("purpose", purpose).put("consent", consent);
    }

    private static String date(String day, String month, String year, Map<String, String> errors) {
        if (day == null || month == null || year == null) {
            String missing = day == null ? "dob-day" : month == null ? "dob-month" : "dob-year";
            errors.put(missing, "Date of birth must include a " + missing.substring(4));
            return null;
        }
        if (!day.matches("\\d{1,2}") || !month.matches("\\d{1,2}") || !year.matches("\\d{4}")) {
            String wrong = !day.matches("\\d{1,2}") ? "dob-day" : !month.matches("\\d{1,2}") ? "dob-month" : "dob-year";
            errors.put(wrong, "Date of birth must be a real date, in numbers, like 27 3 2016");
            return null;
        }
        return "%s-%02d-%02d".formatted(year, Integer.parseInt(month), Integer.parseInt(day));
    }

    private static void putIf(JsonObject o, String key, String value) {
        if (value != null) {
            o.put(key, value);
        }
    }

    /** The form field an API error's JSON path belongs to. */
    static String fieldFor(String path) {
        if (path == null) {
            return "givenName";
        }
        if (path.startsWith("$.subject.otherGivenNames")) {
            return "otherGivenNames";
        }
        return switch (path) {
            case "$.subject.givenName" -> "givenName";
            case "$.subject.familyName" -> "familyName";
            case "$.subject.dateOfBirth" -> "dob-day";
            case "$.subject.gender" -> "gender";
            case "$.subject.postcode" -> "postcode";
            case "$.purpose.code", "$.purpose" -> "purpose";
            case "$.purpose.justification" -> "justification";
            case "$.consent.status", "$.consent" -> "consent";
            case "$.consent.formReference" -> "formReference";
            case "$.consent.ground" -> "ground";
            case "$.consent.refusedBy" -> "refusedBy";
            default -> path.startsWith("$.subject") ? "familyName" : "givenName";
        };
    }

    /** The GOV.UK wording for an API error on a field; the API's own message otherwise. */
    static String messageFor(String field, String code, String apiMessage) {
        boolean missing = "missing-field".equals(code);
        return switch (field) {
            case "familyName" -> missing ? "Enter the child's family name" : "Family name: " + apiMessage;
            case "givenName" -> missing ? "Enter the child's given name or date of birth" : "Given name: " + apiMessage;
            case "dob-day" -> "Date of birth must be a real date in the past: " + apiMessage;
            case "purpose" -> missing ? "Select the purpose of the enquiry" : apiMessage;
            case "justification" -> missing ? "Enter why you need to know (your justification)" : apiMessage;
            case "consent" -> missing ? "Select whether consent was obtained" : apiMessage;
            case "formReference" -> missing ? "Enter the consent form reference" : apiMessage;
            case "ground" -> missing ? "Select the ground for sharing without consent" : apiMessage;
            case "refusedBy" -> missing ? "Select who refused consent" : apiMessage;
            default -> apiMessage;
        };
    }

    /** Errors in page order, for the error summary. */
    static List<Map<String, String>> summary(Map<String, String> errors) {
        List<Map<String, String>> list = new ArrayList<>();
        for (String f : FIELDS) {
            if (errors.containsKey(f)) {
                list.add(Map.of("field", f, "message", errors.get(f)));
            }
        }
        return list;
    }
}
