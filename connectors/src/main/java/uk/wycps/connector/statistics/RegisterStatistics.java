package uk.wycps.connector.statistics;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A register's own aggregate counts as of a date (S1): for each table of
 * {@link StatisticsTables}, a count per row. Only numbers cross the boundary: no record, no
 * identity, no record id. Small numbers are suppressed by the gateway after combining, since
 * suppression must see every register's counts and the totals.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegisterStatistics(LocalDate asOf, Map<String, Map<String, Long>> tables) {

    public RegisterStatistics {
        Map<String, Map<String, Long>> copy = new LinkedHashMap<>();
        tables.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
        tables = java.util.Collections.unmodifiableMap(copy);
    }

    /** The count of {@code row} in {@code table}, zero when absent. */
    public long count(String table, String row) {
        Map<String, Long> t = tables.get(table);
        return t == null ? 0 : t.getOrDefault(row, 0L);
    }
}
