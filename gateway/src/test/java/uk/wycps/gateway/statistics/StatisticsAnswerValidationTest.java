package uk.wycps.gateway.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import uk.wycps.connector.statistics.RegisterAggregator;
import uk.wycps.connector.statistics.RegisterStatistics;
import uk.wycps.connector.statistics.StatisticsTables;

/**
 * A register's statistics are untrusted input (S1, F5): the gateway takes an answer only when it
 * gives every table and every row of the period, each a plausible count. A row left out would be
 * read as zero (RegisterStatistics.count), a figure the register never gave shown as counted.
 */
class StatisticsAnswerValidationTest {

    private static final LocalDate AS_OF = LocalDate.of(2025, 12, 31);

    private static Map<String, Map<String, Long>> whole() {
        Map<String, Map<String, Long>> tables = new LinkedHashMap<>();
        RegisterAggregator.aggregate(List.of(), AS_OF, c -> false).tables()
                .forEach((table, rows) -> tables.put(table, new LinkedHashMap<>(rows)));
        return tables;
    }

    @Test
    void anAnswerGivingEveryRowOfEveryTableIsTaken() {
        assertNull(StatisticsService.validate(new RegisterStatistics(AS_OF, whole()), AS_OF));
    }

    @Test
    void anAnswerLackingARowIsAnErrorNeverAZero() {
        for (String table : StatisticsTables.tables()) {
            Map<String, Map<String, Long>> tables = whole();
            String row = StatisticsTables.rows(table, AS_OF).get(0);
            tables.get(table).remove(row);
            assertEquals("statistics answer lacks a row of " + table,
                    StatisticsService.validate(new RegisterStatistics(AS_OF, tables), AS_OF), table + "." + row);
        }
    }
}
