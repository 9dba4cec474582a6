package uk.wycps.connector.statistics;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import uk.wycps.record.ConcernCategory;
import uk.wycps.record.Gender;

/**
 * The tables every register computes for planning (S1, P3), their rows, and what each counts.
 * The definitions are in {@code docs/statistics.md}; a register and the gateway must agree on
 * them, so they live here, beside the connector SPI.
 */
public final class StatisticsTables {

    /** Children with an active registration at the as-of date. Row: {@code total}. */
    public static final String ON_REGISTER = "onRegister";
    /** Registrations started in each of the 12 months before the as-of date. Rows: {@code yyyy-MM}. */
    public static final String NEW_REGISTRATIONS = "newRegistrationsByMonth";
    /** Registrations ended in each of the 12 months before the as-of date. Rows: {@code yyyy-MM}. */
    public static final String DE_REGISTRATIONS = "deRegistrationsByMonth";
    /** Active registrations by category of concern. Rows: category codes. */
    public static final String BY_CATEGORY = "byCategory";
    /** Children on the register by age band at the as-of date. */
    public static final String BY_AGE_BAND = "byAgeBand";
    /** Children on the register by gender. Rows: gender codes. */
    public static final String BY_GENDER = "byGender";
    /** Registrations ended in the last 12 months, by how long they lasted. */
    public static final String LENGTH_OF_REGISTRATION = "lengthOfRegistration";
    /** Registrations started in the last 12 months within two years of the end of a previous one. Row: {@code total}. */
    public static final String RE_REGISTRATIONS = "reRegistrationsWithinTwoYears";
    /** Children on the register who had a previous registration in another authority. Row: {@code total}. */
    public static final String CROSS_BOUNDARY = "crossBoundaryMoves";

    public static final String TOTAL = "total";
    public static final List<String> AGE_BANDS = List.of("0-4", "5-9", "10-15", "16-17");
    public static final List<String> LENGTH_BANDS = List.of("under-3-months", "3-6-months", "6-12-months",
            "12-24-months", "24-months-or-more");

    private StatisticsTables() {
    }

    /** Every table, in the order answers list them. */
    public static List<String> tables() {
        return List.of(ON_REGISTER, NEW_REGISTRATIONS, DE_REGISTRATIONS, BY_CATEGORY, BY_AGE_BAND, BY_GENDER,
                LENGTH_OF_REGISTRATION, RE_REGISTRATIONS, CROSS_BOUNDARY);
    }

    /** The rows of a table as of a date. */
    public static List<String> rows(String table, LocalDate asOf) {
        return switch (table) {
            case NEW_REGISTRATIONS, DE_REGISTRATIONS -> months(asOf);
            case BY_CATEGORY -> java.util.Arrays.stream(ConcernCategory.values()).map(ConcernCategory::code).toList();
            case BY_AGE_BAND -> AGE_BANDS;
            case BY_GENDER -> java.util.Arrays.stream(Gender.values()).map(Gender::code).toList();
            case LENGTH_OF_REGISTRATION -> LENGTH_BANDS;
            default -> List.of(TOTAL);
        };
    }

    /** The 12 whole months before the as-of date's month, oldest first. */
    public static List<String> months(LocalDate asOf) {
        List<String> months = new ArrayList<>(12);
        YearMonth current = YearMonth.from(asOf);
        for (int k = 12; k >= 1; k--) {
            months.add(current.minusMonths(k).toString());
        }
        return months;
    }
}
