package uk.wycps.connector.statistics;

import java.time.LocalDate;
import java.time.Period;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.Registration;

/**
 * Computes {@link RegisterStatistics} from a register's own records, inside the authority's
 * side of the boundary: a register (or a connector deployed at the authority for a dialect that
 * cannot aggregate) runs this; the gateway never sees the records.
 */
public final class RegisterAggregator {

    private RegisterAggregator() {
    }

    /**
     * The statistics of {@code records} as of {@code asOf}. {@code previousElsewhere} says
     * whether a child was registered in another authority before (the register's own transfer-in
     * knowledge).
     */
    public static RegisterStatistics aggregate(Iterable<ChildRecord> records, LocalDate asOf,
            Predicate<ChildRecord> previousElsewhere) {
        Map<String, Map<String, Long>> tables = new LinkedHashMap<>();
        for (String table : StatisticsTables.tables()) {
            Map<String, Long> rows = new LinkedHashMap<>();
            StatisticsTables.rows(table, asOf).forEach(r -> rows.put(r, 0L));
            tables.put(table, rows);
        }
        YearMonth first = YearMonth.from(asOf).minusMonths(12);
        YearMonth last = YearMonth.from(asOf).minusMonths(1);
        LocalDate yearAgo = asOf.minusMonths(12);
        for (ChildRecord child : records) {
            List<Registration> all = registrations(child, asOf);
            Registration active = null;
            for (Registration reg : all) {
                if (isActive(reg, asOf)) {
                    active = reg;
                }
                if (reg.start() != null && inMonths(reg.start(), first, last)) {
                    add(tables, StatisticsTables.NEW_REGISTRATIONS, YearMonth.from(reg.start()).toString());
                    if (reRegistration(reg, all)) {
                        add(tables, StatisticsTables.RE_REGISTRATIONS, StatisticsTables.TOTAL);
                    }
                }
                if (reg.end() != null && !reg.end().isAfter(asOf) && inMonths(reg.end(), first, last)) {
                    add(tables, StatisticsTables.DE_REGISTRATIONS, YearMonth.from(reg.end()).toString());
                }
                if (reg.end() != null && reg.start() != null && !reg.end().isBefore(yearAgo) && reg.end().isBefore(asOf)) {
                    add(tables, StatisticsTables.LENGTH_OF_REGISTRATION, lengthBand(reg));
                }
            }
            if (active != null) {
                add(tables, StatisticsTables.ON_REGISTER, StatisticsTables.TOTAL);
                if (active.category() != null) {
                    add(tables, StatisticsTables.BY_CATEGORY, active.category().code());
                }
                String band = ageBand(child, asOf);
                if (band != null) {
                    add(tables, StatisticsTables.BY_AGE_BAND, band);
                }
                if (child.gender() != null) {
                    add(tables, StatisticsTables.BY_GENDER, child.gender().code());
                }
                if (previousElsewhere.test(child)) {
                    add(tables, StatisticsTables.CROSS_BOUNDARY, StatisticsTables.TOTAL);
                }
            }
        }
        return new RegisterStatistics(asOf, tables);
    }

    /** The child's registrations that had started by the as-of date, current one included once. */
    static List<Registration> registrations(ChildRecord child, LocalDate asOf) {
        List<Registration> all = new ArrayList<>();
        if (child.registrationHistory() != null) {
            all.addAll(child.registrationHistory());
        }
        if (child.registration() != null && !all.contains(child.registration())) {
            all.add(child.registration());
        }
        all.removeIf(r -> r.start() == null || r.start().isAfter(asOf));
        return all;
    }

    static boolean isActive(Registration reg, LocalDate asOf) {
        return reg.start() != null && !reg.start().isAfter(asOf) && (reg.end() == null || reg.end().isAfter(asOf));
    }

    private static boolean inMonths(LocalDate date, YearMonth first, YearMonth last) {
        YearMonth m = YearMonth.from(date);
        return !m.isBefore(first) && !m.isAfter(last);
    }

    private static boolean reRegistration(Registration reg, List<Registration> all) {
        for (Registration earlier : all) {
            if (earlier != reg && earlier.end() != null && !earlier.end().isAfter(reg.start())
                    && !earlier.end().isBefore(reg.start().minusYears(2))) {
                return true;
            }
        }
        return false;
    }

    static String lengthBand(Registration reg) {
        long months = ChronoUnit.MONTHS.between(reg.start(), reg.end());
        if (months < 3) {
            return StatisticsTables.LENGTH_BANDS.get(0);
        }
        if (months < 6) {
            return StatisticsTables.LENGTH_BANDS.get(1);
        }
        if (months < 12) {
            return StatisticsTables.LENGTH_BANDS.get(2);
        }
        if (months < 24) {
            return StatisticsTables.LENGTH_BANDS.get(3);
        }
        return StatisticsTables.LENGTH_BANDS.get(4);
    }

    static String ageBand(ChildRecord child, LocalDate asOf) {
        if (child.dateOfBirth() == null || child.dateOfBirth().isAfter(asOf)) {
            return null;
        }
        int age = Period.between(child.dateOfBirth(), asOf).getYears();
        if (age < 5) {
            return "0-4";
        }
        if (age < 10) {
            return "5-9";
        }
        if (age < 16) {
            return "10-15";
        }
        return age < 18 ? "16-17" : null;
    }

    private static void add(Map<String, Map<String, Long>> tables, String table, String row) {
        tables.get(table).merge(row, 1L, Long::sum);
    }

}
