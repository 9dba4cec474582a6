package uk.wycps.gateway.console;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An enquiry answer, exactly as the API returned it, turned into what the answer page shows.
 * Nothing is added: every field on the page is one of the answer's (F5, A5); a field the API did
 * not send is not shown, and a field the console does not know is shown under "Other".
 */
final class AnswerModel {

    /** The groups of a record's fields, in page order (the list). */
    static final Map<String, List<String>> GROUPS = groups();

    private AnswerModel() {
    }

    private static Map<String, List<String>> groups() {
        Map<String, List<String>> g = new LinkedHashMap<>();
        g.put("Identity", List.of("recordId", "givenName", "familyName", "aliases", "dateOfBirth", "gender", "languages",
                "ethnicity", "legalStatus", "address", "addressHistory"));
        g.put("Registration", List.of("registration", "registrationHistory"));
        g.put("Concerns", List.of("concernCategories", "concernDetails", "healthNotes"));
        g.put("Meetings", List.of("meetings"));
        g.put("Relationships", List.of("relationships"));
        g.put("Enquiry history", List.of("enquiryHistory"));
        g.put("Referrals", List.of("referrals"));
        g.put("Indicators", List.of("lookedAfterIndicator", "shielded"));
        return java.util.Collections.unmodifiableMap(g);
    }

    static Map<String, Object> of(JsonObject answer) {
        Map<String, Object> m = new LinkedHashMap<>();
        boolean complete = Boolean.TRUE.equals(answer.getBoolean("complete"));
        String outcome = answer.getString("outcome");
        List<Map<String, Object>> persons = persons(answer.getJsonArray("persons", new JsonArray()));
        m.put("enquiryId", answer.getString("enquiryId"));
        m.put("complete", complete);
        m.put("outcome", outcome);
        m.put("headline", headline(complete, outcome, persons.size()));
        m.put("persons", persons);
        List<Map<String, Object>> registers = new ArrayList<>();
        List<Map<String, Object>> unchecked = new ArrayList<>();
        for (Object o : answer.getJsonArray("registers", new JsonArray())) {
            JsonObject r = (JsonObject) o;
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("authority", r.getString("authority"));
            view.put("name", Labels.authority(r.getString("authority")));
            view.put("status", r.getString("status"));
            view.put("statusText", Labels.of(Labels.STATUSES, r.getString("status")));
            view.put("checked", "OK".equals(r.getString("status")));
            view.put("notice", r.getString("notice"));
            JsonObject contact = r.getJsonObject("contact");
            if (contact != null) {
                view.put("contact", contact.getMap());
            }
            registers.add(view);
            if (!"OK".equals(r.getString("status"))) {
                unchecked.add(view);
            }
        }
        m.put("registers", registers);
        m.put("unchecked", unchecked);
        List<String> moreDetail = new ArrayList<>();
        for (Object d : answer.getJsonArray("moreDetail", new JsonArray())) {
            moreDetail.add(Labels.field(String.valueOf(d)));
        }
        m.put("moreDetail", moreDetail);
        return m;
    }

    /**
     * The headline. It reads "no record" only when every register was checked ({@code complete})
     * and the API said so (F5); anything else without persons says what was not checked.
     */
    static String headline(boolean complete, String outcome, int persons) {
        if ("more-detail-needed".equals(outcome)) {
            return "More detail needed to tell the children apart";
        }
        if (persons > 0) {
            return persons == 1 ? "1 child found" : persons + " possible children found";
        }
        if (complete && "none-found".equals(outcome)) {
            return "No record found in any register";
        }
        return "Not every register was checked";
    }

    private static List<Map<String, Object>> persons(JsonArray persons) {
        List<Map<String, Object>> list = new ArrayList<>();
        int n = 0;
        for (Object o : persons) {
            JsonObject p = (JsonObject) o;
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("number", ++n);
            view.put("band", p.getString("band"));
            view.put("bandText", "MATCH".equals(p.getString("band")) ? "Match" : "Possible match");
            view.put("why", why(p.getJsonArray("explanation", new JsonArray())));
            List<Map<String, Object>> records = new ArrayList<>();
            for (Object r : p.getJsonArray("records", new JsonArray())) {
                records.add(record((JsonObject) r));
            }
            view.put("records", records);
            list.add(view);
        }
        return list;
    }

    /** "Why we think these records are the same child", from the linkage explanation. */
    static String why(JsonArray explanation) {
        List<String> agree = new ArrayList<>();
        List<String> differ = new ArrayList<>();
        for (Object o : explanation) {
            JsonObject e = (JsonObject) o;
            String field = Labels.field(e.getString("field")).toLowerCase(java.util.Locale.ROOT);
            double weight = e.getDouble("weight", 0.0);
            String level = e.getString("level", "");
            if (weight > 0) {
                agree.add(field + (level.isEmpty() || "exact".equals(level) ? "" : " (" + level + ")"));
            } else if (weight < 0) {
                differ.add(field);
            }
        }
        StringBuilder s = new StringBuilder();
        if (!agree.isEmpty()) {
            s.append("The records agree on ").append(String.join(", ", agree)).append('.');
        }
        if (!differ.isEmpty()) {
            s.append(s.length() > 0 ? " " : "").append("They differ on ").append(String.join(", ", differ)).append('.');
        }
        return s.length() == 0 ? "The registers' records were linked on the details given." : s.toString();
    }

    private static Map<String, Object> record(JsonObject r) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("authority", r.getString("authority"));
        view.put("name", Labels.authority(r.getString("authority")));
        view.put("recordId", r.getString("recordId"));
        view.put("tier", r.getString("tier"));
        view.put("shielded", Boolean.TRUE.equals(r.getValue("shielded")));
        view.put("notice", r.getString("notice"));
        List<String> withheld = new ArrayList<>();
        r.getJsonArray("withheld", new JsonArray()).forEach(w -> withheld.add(Labels.field(String.valueOf(w))));
        view.put("withheld", withheld);
        JsonObject data = r.getJsonObject("data", new JsonObject());
        List<Map<String, Object>> groups = new ArrayList<>();
        Set<String> shown = new java.util.HashSet<>();
        GROUPS.forEach((title, fields) -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (String f : fields) {
                if (data.containsKey(f)) {
                    rows.add(row(f, data.getValue(f)));
                    shown.add(f);
                }
            }
            if (!rows.isEmpty()) {
                groups.add(Map.of("title", title, "rows", rows));
            }
        });
        List<Map<String, Object>> other = new ArrayList<>();
        for (String f : data.fieldNames()) {
            if (!shown.contains(f)) {
                other.add(row(f, data.getValue(f)));
            }
        }
        if (!other.isEmpty()) {
            groups.add(Map.of("title", "Other", "rows", other));
        }
        view.put("groups", groups);
        return view;
    }

    /** One field: a label, and its value as text, or as a list of items for a list or object. */
    private static Map<String, Object> row(String field, Object value) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("field", field);
        row.put("label", Labels.field(field));
        List<String> items = new ArrayList<>();
        if (value instanceof JsonArray array) {
            array.forEach(v -> items.add(text(v)));
            if (items.isEmpty()) {
                row.put("text", "None");
            }
        } else if (value instanceof JsonObject object) {
            object.forEach(e -> items.add(Labels.field(e.getKey()) + ": " + text(e.getValue())));
        } else {
            row.put("text", text(value));
        }
        row.put("items", items);
        return row;
    }

    static String text(Object value) {
        if (value == null) {
            return "Not recorded";
        }
        if (value instanceof Boolean b) {
            return b ? "Yes" : "No";
        }
        if (value instanceof JsonObject o) {
            List<String> parts = new ArrayList<>();
            o.forEach(e -> parts.add(Labels.field(e.getKey()) + ": " + text(e.getValue())));
            return String.join("; ", parts);
        }
        if (value instanceof JsonArray a) {
            List<String> parts = new ArrayList<>();
            a.forEach(v -> parts.add(text(v)));
            return String.join(", ", parts);
        }
        return String.valueOf(value);
    }
}
