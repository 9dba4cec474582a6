package uk.wycps.linkage;

import static uk.wycps.linkage.Field.*;

import uk.wycps.linkage.PreparedRecord.Line;
import uk.wycps.linkage.PreparedRecord.NameForm;
import uk.wycps.linkage.PreparedRecord.Token;

/**
 * The per-field comparison levels (indices into {@link Field#levels()}). Allocation-light: these
 * run for every scored pair.
 */
final class Comparisons {

    static final double JW_HIGH = 0.92;
    static final double JW_MEDIUM = 0.85;
    static final double JW_ADDRESS = 0.92;
    static final double JW_TOWN = 0.90;

    private Comparisons() {
    }

    // ---- names ----------------------------------------------------------------------------

    static int givenName(NameForm a, NameForm b) {
        if (a == null || b == null) {
            return G_MISS;
        }
        if (a.compact.equals(b.compact)) {
            return G_EXACT;
        }
        int best = givenToken(a.tokens[0], b.tokens[0]);
        if (best == G_EXACT && a.tokens.length > 1 && b.tokens.length > 1 && !restAgrees(a, b)) {
            // Lily-Mae and Lily-Rose, Anna Maria and Anna Sofia: the same first part, and both go
            // on to differ. Twins are named so; only loosely alike (F4: never one child of two).
            return G_JW_MED;
        }
        if (best > G_EXACT && (a.tokens.length > 1 || b.tokens.length > 1)) {
            if (best > G_JW_HIGH && JaroWinkler.similarity(a.compact, b.compact) >= JW_HIGH) {
                best = G_JW_HIGH;
            }
            // A match on a middle name is weaker evidence than on the first: at best jw-high.
            for (int i = 0; i < a.tokens.length && best > G_JW_HIGH; i++) {
                for (int j = 0; j < b.tokens.length && best > G_JW_HIGH; j++) {
                    if (i == 0 && j == 0) {
                        continue;
                    }
                    Token ta = a.tokens[i];
                    Token tb = b.tokens[j];
                    if (ta.s.length() < 2 || tb.s.length() < 2) {
                        continue;
                    }
                    best = Math.min(best, Math.max(G_JW_HIGH, givenToken(ta, tb)));
                }
            }
        }
        return best;
    }

    /**
     * Whether some later part of one name is compatible with some later part of the other: the
     * same, a nickname, close, alike in sound, or an initial (Lily-Mae and Lily-May, Lily M and
     * Lily Mae are one child); only a later part that disagrees or is loosely alike tells twins.
     */
    private static boolean restAgrees(NameForm a, NameForm b) {
        for (int i = 1; i < a.tokens.length; i++) {
            for (int j = 1; j < b.tokens.length; j++) {
                int level = givenToken(a.tokens[i], b.tokens[j]);
                if (level <= G_PHON || level == G_INITIAL) {
                    return true;
                }
            }
        }
        return false;
    }

    static int givenToken(Token a, Token b) {
        if (a.s.equals(b.s)) {
            return G_EXACT;
        }
        if (Nicknames.meet(a.canon, b.canon)) {
            return G_NICK;
        }
        if (a.s.length() == 1 || b.s.length() == 1) {
            return a.s.charAt(0) == b.s.charAt(0) ? G_INITIAL : G_DIS;
        }
        double jw = JaroWinkler.similarity(a.s, b.s);
        if (jw >= JW_HIGH) {
            return G_JW_HIGH;
        }
        if (phonetic(a.phonetic, b.phonetic)) {
            // One sound spelt two ways (Lacey and Lacie, Geoff and Jeff, Mohammed and Muhammad),
            // or two names that open on different vowels, as twins' names so often do (Ava and
            // Eva, Amy and Emma): Double Metaphone hears no difference in a first vowel. Those
            // are only loosely alike, which the twin guard never merges (F4).
            return differentFirstVowels(a.s, b.s) ? G_JW_MED : G_PHON;
        }
        return jw >= JW_MEDIUM ? G_JW_MED : G_DIS;
    }

    private static boolean differentFirstVowels(String a, String b) {
        char x = a.charAt(0);
        char y = b.charAt(0);
        return x != y && "aeiou".indexOf(x) >= 0 && "aeiou".indexOf(y) >= 0;
    }

    static int familyName(NameForm a, NameForm b) {
        if (a == null || b == null) {
            return F_MISS;
        }
        if (a.compact.equals(b.compact)) {
            return F_EXACT;
        }
        if (a.tokens.length > 1 || b.tokens.length > 1) {
            for (Token ta : a.tokens) {
                for (Token tb : b.tokens) {
                    if (ta.s.length() > 1 && ta.s.equals(tb.s)) {
                        return F_PART;
                    }
                }
            }
        }
        double jw = JaroWinkler.similarity(a.compact, b.compact);
        if (jw >= JW_HIGH) {
            return F_JW_HIGH;
        }
        if (phonetic(a.phonetic, b.phonetic)) {
            return F_PHON;
        }
        return jw >= JW_MEDIUM ? F_JW_MED : F_DIS;
    }

    static boolean phonetic(PreparedRecord.Phonetic a, PreparedRecord.Phonetic b) {
        String a1 = a.primary();
        String b1 = b.primary();
        if (a1 == null || b1 == null) {
            return false;
        }
        String a2 = a.alternate();
        String b2 = b.alternate();
        return a1.equals(b1) || a1.equals(b2) || (a2 != null && (a2.equals(b1) || a2.equals(b2)));
    }

    // ---- date of birth ----------------------------------------------------------------------

    static int dateOfBirth(int a, int b) {
        if (a < 0 || b < 0) {
            return D_MISS;
        }
        if (a == b) {
            return D_EXACT;
        }
        int ya = a / 10000, ma = a / 100 % 100, da = a % 100;
        int yb = b / 10000, mb = b / 100 % 100, db = b % 100;
        if (ya == yb && ma == db && da == mb) {
            return D_SWAP;
        }
        if (oneDigitOff(a, b)) {
            return D_DIGIT;
        }
        if (Math.abs(ya - yb) <= 1) {
            return D_YEAR;
        }
        return D_DIS;
    }

    /** Eight decimal digits differing in one place, or by one swap of adjacent digits. */
    static boolean oneDigitOff(int a, int b) {
        int diffs = 0;
        int first = -1;
        int x = a;
        int y = b;
        for (int i = 0; i < 8; i++, x /= 10, y /= 10) {
            if (x % 10 != y % 10) {
                if (diffs++ == 0) {
                    first = i;
                }
                if (diffs > 2) {
                    return false;
                }
            }
        }
        if (diffs == 1) {
            return true;
        }
        if (diffs != 2 || first > 6) {
            return false;
        }
        // Positions counted from the last digit: first and first + 1 must be swapped.
        int p = 1;
        for (int i = 0; i < first; i++) {
            p *= 10;
        }
        int a0 = a / p % 10, a1 = a / (p * 10) % 10;
        int b0 = b / p % 10, b1 = b / (p * 10) % 10;
        return a0 == b1 && a1 == b0;
    }

    // ---- gender ----------------------------------------------------------------------------

    static int gender(int a, int b) {
        if (a < 0 || b < 0) {
            return S_MISS;
        }
        return a == b ? S_EXACT : S_DIS;
    }

    // ---- postcode and address ------------------------------------------------------------------

    static int postcode(String a, String[] as, String b, String[] bs) {
        if (as.length == 0 || bs.length == 0) {
            return P_MISS;
        }
        if (a != null && a.equals(b)) {
            return P_EXACT;
        }
        if (as.length > 1 || bs.length > 1) {
            for (String x : as) {
                for (String y : bs) {
                    if (x.equals(y)) {
                        return P_HIST;
                    }
                }
            }
        }
        if (a == null || b == null) {
            return P_DIS;
        }
        if (oneCharOff(a, b)) {
            return P_CHAR;
        }
        String oa = outward(a);
        return oa != null && oa.equals(outward(b)) ? P_DISTRICT : P_DIS;
    }

    /** Same length, differing in one place or by one adjacent swap. */
    static boolean oneCharOff(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        int diffs = 0;
        int first = -1;
        for (int i = 0; i < a.length(); i++) {
            if (a.charAt(i) != b.charAt(i)) {
                if (diffs++ == 0) {
                    first = i;
                }
                if (diffs > 2) {
                    return false;
                }
            }
        }
        return diffs == 1 || (diffs == 2 && first + 1 < a.length() && a.charAt(first) == b.charAt(first + 1)
                && a.charAt(first + 1) == b.charAt(first));
    }

    /** The outward code of a UK postcode written without spaces (BD71DP gives BD7), or null if it is not one. */
    static String outward(String pc) {
        int n = pc.length();
        if (n < 5 || n > 7 || !Character.isLetter(pc.charAt(0))) {
            return null;
        }
        if (!Character.isDigit(pc.charAt(n - 3)) || !Character.isLetter(pc.charAt(n - 2)) || !Character.isLetter(pc.charAt(n - 1))) {
            return null;
        }
        return pc.substring(0, n - 3);
    }

    static int address(Line a, Line[] as, Line b, Line[] bs) {
        if (as.length == 0 || bs.length == 0) {
            return A_MISS;
        }
        if (a != null && b != null) {
            if (a.text.equals(b.text)) {
                return A_EXACT;
            }
            if (JaroWinkler.similarity(a.text, b.text) >= JW_ADDRESS) {
                return A_JW_HIGH;
            }
        }
        if (as.length > 1 || bs.length > 1) {
            for (Line x : as) {
                for (Line y : bs) {
                    if ((x != a || y != b) && (x.text.equals(y.text) || JaroWinkler.similarity(x.text, y.text) >= JW_ADDRESS)) {
                        return A_HIST;
                    }
                }
            }
        }
        if (a == null || b == null) {
            return A_DIS;
        }
        return tokenOverlap(a.tokens, b.tokens) >= 0.5 ? A_TOKENS : A_DIS;
    }

    /** Share of the longer line's tokens found (exactly, or closely for words of four letters or more) in the other. */
    static double tokenOverlap(String[] a, String[] b) {
        int found = 0;
        for (String x : a) {
            for (String y : b) {
                if (x.equals(y) || (x.length() >= 4 && y.length() >= 4 && JaroWinkler.similarity(x, y) >= JW_HIGH)) {
                    found++;
                    break;
                }
            }
        }
        return found / (double) Math.max(a.length, b.length);
    }

    static int town(String a, String b) {
        if (a == null || b == null) {
            return T_MISS;
        }
        if (a.equals(b)) {
            return T_EXACT;
        }
        return JaroWinkler.similarity(a, b) >= JW_TOWN ? T_JW_HIGH : T_DIS;
    }
}
