package uk.wycps.linkage.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import uk.wycps.linkage.PreparedRecord;

/**
 * Blocking for whole-file evaluation: a pair is compared when the two records share at least
 * one key of several passes (union): the Double Metaphone of either name (in one namespace, so
 * swapped given and family names still meet), the postcode, the date of birth, and town with
 * birth year.
 */
final class Blocking {

    private Blocking() {
    }

    static List<String> keys(PreparedRecord r) {
        List<String> keys = new ArrayList<>(6);
        String[] ph = r.phoneticKeys();
        for (String p : ph) {
            if (p != null) {
                keys.add("n:" + p);
            }
        }
        if (r.postcodeKey() != null) {
            keys.add("p:" + r.postcodeKey());
        }
        if (r.dobKey() >= 0) {
            keys.add("d:" + r.dobKey());
        }
        if (r.townKey() != null && r.dobKey() >= 0) {
            keys.add("ty:" + r.townKey() + "|" + r.dobKey() / 10000);
        }
        return keys;
    }

    /** Distinct pairs (i &lt; j), each packed as {@code (long) i << 32 | j}, sorted. */
    static long[] candidatePairs(PreparedRecord[] records) {
        Map<String, List<Integer>> blocks = new HashMap<>();
        for (int i = 0; i < records.length; i++) {
            for (String k : keys(records[i])) {
                blocks.computeIfAbsent(k, x -> new ArrayList<>()).add(i);
            }
        }
        long[] pairs = new long[1024];
        int n = 0;
        for (List<Integer> block : blocks.values()) {
            for (int a = 0; a < block.size(); a++) {
                for (int b = a + 1; b < block.size(); b++) {
                    int i = block.get(a);
                    int j = block.get(b);
                    if (i == j) {
                        continue;
                    }
                    if (n == pairs.length) {
                        pairs = Arrays.copyOf(pairs, n * 2);
                    }
                    pairs[n++] = i < j ? ((long) i << 32) | j : ((long) j << 32) | i;
                }
            }
        }
        long[] sorted = Arrays.copyOf(pairs, n);
        Arrays.sort(sorted);
        int u = 0;
        for (int k = 0; k < sorted.length; k++) {
            if (k == 0 || sorted[k] != sorted[k - 1]) {
                sorted[u++] = sorted[k];
            }
        }
        return Arrays.copyOf(sorted, u);
    }
}
