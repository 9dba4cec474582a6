package uk.wycps.gateway.statistics;

import java.util.List;

/**
 * One table of counts with its margins, after small-number suppression (S1): rows (e.g. the
 * categories of concern) by columns (the authorities), each row's total over the authorities,
 * each column's total over the rows, and the grand total. A suppressed value is {@code null}.
 *
 * @param complete false when a register did not answer: its column is missing and every total
 *                 is of the registers that answered only
 */
public record SuppressedTable(
        String name,
        List<String> rows,
        List<String> columns,
        Long[][] cells,
        Long[] rowTotals,
        Long[] columnTotals,
        Long grandTotal) {

    public SuppressedTable {
        rows = List.copyOf(rows);
        columns = List.copyOf(columns);
    }

    /**
     * This table with every published figure rounded to the nearest multiple of {@code base}
     * (S1): two published figures, of one answer or of two, then never differ by less than
     * {@code base}, so subtracting one period's table from another's cannot give away a count
     * that suppression hides. Suppressed figures stay suppressed; each figure, totals included,
     * is rounded on its own, so a total may differ from the sum of its rounded members.
     */
    public SuppressedTable rounded(int base) {
        Long[][] c = new Long[cells.length][];
        for (int i = 0; i < cells.length; i++) {
            c[i] = round(cells[i], base);
        }
        return new SuppressedTable(name, rows, columns, c, round(rowTotals, base), round(columnTotals, base),
                round(grandTotal, base));
    }

    private static Long[] round(Long[] values, int base) {
        Long[] out = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = round(values[i], base);
        }
        return out;
    }

    /** The nearest multiple of {@code base} (a published figure is at least the threshold, so never 0). */
    static Long round(Long value, int base) {
        if (value == null) {
            return null;
        }
        return Math.max(base, Math.round((double) value / base) * base);
    }
}
