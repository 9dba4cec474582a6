package uk.wycps.gateway.statistics;

import java.util.ArrayList;
import java.util.List;

/**
 * Small-number suppression with secondary suppression (S1, P3). Primary: every count below the
 * threshold (5 by default) is suppressed, zeros included. Secondary: a line (a row with its
 * total, or a column with its total) that would show its total and all but one of its cells
 * would give the missing cell away by subtraction, so another cell of that line is suppressed
 * too (the smallest published one; the total when there is none), until no line has exactly one
 * suppressed member. Margins are lines too: the row totals with the grand total, the column
 * totals with the grand total.
 */
public final class SmallNumberSuppression {

    public static final int DEFAULT_THRESHOLD = 5;

    private final int threshold;

    public SmallNumberSuppression(int threshold) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1");
        }
        this.threshold = threshold;
    }

    public int threshold() {
        return threshold;
    }

    /** Suppresses {@code counts[row][column]} with its margins. */
    public SuppressedTable apply(String name, List<String> rows, List<String> columns, long[][] counts) {
        int r = rows.size();
        int c = columns.size();
        // The full grid with margins: [r][c] is the grand total, [i][c] row totals, [r][j] column totals.
        long[][] v = new long[r + 1][c + 1];
        boolean[][] hidden = new boolean[r + 1][c + 1];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                v[i][j] = counts[i][j];
                v[i][c] += counts[i][j];
                v[r][j] += counts[i][j];
                v[r][c] += counts[i][j];
            }
        }
        for (int i = 0; i <= r; i++) {
            for (int j = 0; j <= c; j++) {
                hidden[i][j] = v[i][j] < threshold;
            }
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            // Each row with its total (i = r is the column totals with the grand total).
            for (int i = 0; i <= r; i++) {
                changed |= protect(v, hidden, lineOfRow(i, c));
            }
            // Each column with its total (j = c is the row totals with the grand total).
            for (int j = 0; j <= c; j++) {
                changed |= protect(v, hidden, lineOfColumn(j, r));
            }
        }
        Long[][] cells = new Long[r][c];
        Long[] rowTotals = new Long[r];
        Long[] columnTotals = new Long[c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                cells[i][j] = hidden[i][j] ? null : v[i][j];
            }
            rowTotals[i] = hidden[i][c] ? null : v[i][c];
        }
        for (int j = 0; j < c; j++) {
            columnTotals[j] = hidden[r][j] ? null : v[r][j];
        }
        return new SuppressedTable(name, rows, columns, cells, rowTotals, columnTotals, hidden[r][c] ? null : v[r][c]);
    }

    /** The members of row {@code i}: its cells, then its total last. */
    private static List<int[]> lineOfRow(int i, int c) {
        List<int[]> line = new ArrayList<>(c + 1);
        for (int j = 0; j <= c; j++) {
            line.add(new int[] {i, j});
        }
        return line;
    }

    private static List<int[]> lineOfColumn(int j, int r) {
        List<int[]> line = new ArrayList<>(r + 1);
        for (int i = 0; i <= r; i++) {
            line.add(new int[] {i, j});
        }
        return line;
    }

    /**
     * If exactly one member of the line (its cells, then its total) is hidden, hides the
     * smallest published cell as well, or the total when no cell is left to hide; returns
     * whether anything changed. A line whose one hidden member is its total, with no cell to
     * hide beside it (a table of no columns: no register answered), is left as it is: hiding the
     * total again changed nothing, and reporting a change looped for ever.
     */
    private static boolean protect(long[][] v, boolean[][] hidden, List<int[]> line) {
        int hiddenCount = 0;
        for (int[] p : line) {
            if (hidden[p[0]][p[1]]) {
                hiddenCount++;
            }
        }
        if (hiddenCount != 1) {
            return false;
        }
        int[] best = null;
        for (int k = 0; k < line.size() - 1; k++) {
            int[] p = line.get(k);
            if (!hidden[p[0]][p[1]] && (best == null || v[p[0]][p[1]] < v[best[0]][best[1]])) {
                best = p;
            }
        }
        if (best == null) {
            best = line.get(line.size() - 1);
        }
        if (hidden[best[0]][best[1]]) {
            return false;
        }
        hidden[best[0]][best[1]] = true;
        return true;
    }
}
