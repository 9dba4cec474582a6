package uk.wycps.linkage;

/**
 * Jaro-Winkler similarity (prefix scale 0.1, prefix up to 4, boost above Jaro 0.7), equal to
 * commons-text's {@code JaroWinklerSimilarity} but without boxing or per-call collections, since
 * it runs several times per scored pair.
 */
final class JaroWinkler {

    private JaroWinkler() {
    }

    static double similarity(String s1, String s2) {
        int l1 = s1.length();
        int l2 = s2.length();
        if (l1 == 0 || l2 == 0) {
            return l1 == l2 ? 1.0 : 0.0;
        }
        if (s1.equals(s2)) {
            return 1.0;
        }
        String shorter = l1 <= l2 ? s1 : s2;
        String longer = l1 <= l2 ? s2 : s1;
        int ls = shorter.length();
        int ll = longer.length();
        int range = Math.max(ll / 2 - 1, 0);
        long matchedLong0 = 0;
        boolean[] matchedLong = ll > 64 ? new boolean[ll] : null;
        char[] sMatches = new char[ls];
        int matches = 0;
        long matchedShort = 0;
        boolean[] matchedShortArr = ls > 64 ? new boolean[ls] : null;
        for (int i = 0; i < ls; i++) {
            char c = shorter.charAt(i);
            int lo = Math.max(0, i - range);
            int hi = Math.min(i + range + 1, ll);
            for (int j = lo; j < hi; j++) {
                boolean used = matchedLong == null ? (matchedLong0 & (1L << j)) != 0 : matchedLong[j];
                if (!used && c == longer.charAt(j)) {
                    if (matchedLong == null) {
                        matchedLong0 |= 1L << j;
                    } else {
                        matchedLong[j] = true;
                    }
                    if (matchedShortArr == null) {
                        matchedShort |= 1L << i;
                    } else {
                        matchedShortArr[i] = true;
                    }
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0) {
            return 0.0;
        }
        int k = 0;
        for (int i = 0; i < ls; i++) {
            boolean m = matchedShortArr == null ? (matchedShort & (1L << i)) != 0 : matchedShortArr[i];
            if (m) {
                sMatches[k++] = shorter.charAt(i);
            }
        }
        int transpositions = 0;
        k = 0;
        for (int j = 0; j < ll; j++) {
            boolean m = matchedLong == null ? (matchedLong0 & (1L << j)) != 0 : matchedLong[j];
            if (m) {
                if (longer.charAt(j) != sMatches[k]) {
                    transpositions++;
                }
                k++;
            }
        }
        double mm = matches;
        double jaro = (mm / l1 + mm / l2 + (mm - transpositions / 2.0) / mm) / 3.0;
        if (jaro < 0.7) {
            return jaro;
        }
        int prefix = 0;
        int max = Math.min(4, Math.min(l1, l2));
        while (prefix < max && s1.charAt(prefix) == s2.charAt(prefix)) {
            prefix++;
        }
        return jaro + prefix * 0.1 * (1.0 - jaro);
    }
}
