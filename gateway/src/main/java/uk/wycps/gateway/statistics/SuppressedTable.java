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
}
