package uk.wycps.gateway.console;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The statistics page from the API's own JSON: each table as rows and cells (suppressed cells
 * marked), and a bar chart of each table's row totals drawn as SVG on the server (no script).
 */
final class StatisticsModel {

    static final int BAR_WIDTH = 360;

    private StatisticsModel() {
    }

    static Map<String, Object> of(JsonObject json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("asOf", json.getString("asOf"));
        m.put("complete", json.getBoolean("complete", false));
        JsonObject suppression = json.getJsonObject("suppression", new JsonObject());
        m.put("shownAs", suppression.getString("shownAs", ""));
        m.put("threshold", suppression.getValue("threshold"));
        List<Map<String, Object>> missing = new ArrayList<>();
        for (Object o : json.getJsonArray("registers", new JsonArray())) {
            JsonObject r = (JsonObject) o;
            if (!"OK".equals(r.getString("status"))) {
                missing.add(Map.of("name", Labels.authority(r.getString("authority")), "notice",
                        String.valueOf(r.getString("notice"))));
            }
        }
        m.put("missing", missing);
        List<Map<String, Object>> tables = new ArrayList<>();
        int t = 0;
        for (Object o : json.getJsonArray("tables", new JsonArray())) {
            tables.add(table((JsonObject) o, ++t));
        }
        m.put("tables", tables);
        return m;
    }

    private static Map<String, Object> table(JsonObject table, int number) {
        List<String> columns = new ArrayList<>();
        table.getJsonArray("columns", new JsonArray()).forEach(c -> columns.add(String.valueOf(c)));
        List<Map<String, Object>> rows = new ArrayList<>();
        long max = 1;
        for (Object o : table.getJsonArray("rows", new JsonArray())) {
            JsonObject row = (JsonObject) o;
            JsonObject counts = row.getJsonObject("counts", new JsonObject());
            List<Map<String, Object>> cells = new ArrayList<>();
            for (String c : columns) {
                cells.add(cell(counts.getValue(c)));
            }
            Map<String, Object> total = cell(row.getValue("total"));
            if (total.get("value") instanceof Long v) {
                max = Math.max(max, v);
            }
            rows.add(Map.of("label", Labels.field(row.getString("row")), "cells", cells, "total", total));
        }
        List<Map<String, Object>> bars = new ArrayList<>();
        int y = 0;
        for (Map<String, Object> row : rows) {
            @SuppressWarnings("unchecked")
            Map<String, Object> total = (Map<String, Object>) row.get("total");
            Object v = total.get("value");
            int width = v instanceof Long n ? (int) Math.max(1, Math.round(BAR_WIDTH * (double) n / max)) : 0;
            bars.add(Map.of("label", row.get("label"), "y", y, "textY", y + 17, "width", width,
                    "valueX", 190 + width + 6, "text", total.get("text"), "suppressed", total.get("suppressed")));
            y += 28;
        }
        JsonObject totals = table.getJsonObject("totals", new JsonObject());
        List<Map<String, Object>> totalCells = new ArrayList<>();
        for (String c : columns) {
            totalCells.add(cell(totals.getValue(c)));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", "table-" + number);
        m.put("name", Labels.field(table.getString("name")));
        m.put("columns", columns.stream().map(Labels::authority).toList());
        m.put("rows", rows);
        m.put("totals", totalCells);
        m.put("total", cell(table.getValue("total")));
        m.put("bars", bars);
        m.put("chartHeight", Math.max(28, y));
        return m;
    }

    private static Map<String, Object> cell(Object value) {
        if (value instanceof Number n) {
            return Map.of("text", String.valueOf(n.longValue()), "value", n.longValue(), "suppressed", false);
        }
        return Map.of("text", value == null ? "" : String.valueOf(value), "suppressed", true);
    }
}
