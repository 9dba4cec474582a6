package uk.wycps.linkage;

import java.util.List;

/**
 * The fields compared between two records and the comparison levels each can reach, best first;
 * the last level of every field is {@code missing} (one side has no value) and weighs nothing.
 * Level names are what {@link FieldComparison#level()} reports.
 */
public enum Field {
    GIVEN_NAME("givenName", "exact", "nickname", "jw-high", "phonetic", "jw-medium", "initial", "disagree", "missing"),
    FAMILY_NAME("familyName", "exact", "part-match", "jw-high", "phonetic", "jw-medium", "disagree", "missing"),
    DATE_OF_BIRTH("dateOfBirth", "exact", "day-month-swapped", "one-digit-off", "year-within-one", "disagree", "missing"),
    GENDER("gender", "exact", "disagree", "missing"),
    POSTCODE("postcode", "exact", "history-overlap", "one-char-off", "same-district", "disagree", "missing"),
    ADDRESS("address", "exact", "history-overlap", "jw-high", "token-overlap", "disagree", "missing"),
    TOWN("town", "exact", "jw-high", "disagree", "missing");

    private static final Field[] ALL = values();

    private final String key;
    private final List<String> levels;

    Field(String key, String... levels) {
        this.key = key;
        this.levels = List.of(levels);
    }

    static Field[] all() {
        return ALL;
    }

    /** The field's name in explanations and configuration keys (the canonical record's). */
    public String key() {
        return key;
    }

    /** The level names, best first, {@code missing} last. */
    public List<String> levels() {
        return levels;
    }

    public int missing() {
        return levels.size() - 1;
    }

    public int disagree() {
        return levels.size() - 2;
    }

    public int levelIndex(String level) {
        int i = levels.indexOf(level);
        if (i < 0) {
            throw new IllegalArgumentException("no level '" + level + "' for field " + key);
        }
        return i;
    }

    // Level indices used by the comparators.
    static final int G_EXACT = 0, G_NICK = 1, G_JW_HIGH = 2, G_PHON = 3, G_JW_MED = 4, G_INITIAL = 5, G_DIS = 6, G_MISS = 7;
    static final int F_EXACT = 0, F_PART = 1, F_JW_HIGH = 2, F_PHON = 3, F_JW_MED = 4, F_DIS = 5, F_MISS = 6;
    static final int D_EXACT = 0, D_SWAP = 1, D_DIGIT = 2, D_YEAR = 3, D_DIS = 4, D_MISS = 5;
    static final int S_EXACT = 0, S_DIS = 1, S_MISS = 2;
    static final int P_EXACT = 0, P_HIST = 1, P_CHAR = 2, P_DISTRICT = 3, P_DIS = 4, P_MISS = 5;
    static final int A_EXACT = 0, A_HIST = 1, A_JW_HIGH = 2, A_TOKENS = 3, A_DIS = 4, A_MISS = 5;
    static final int T_EXACT = 0, T_JW_HIGH = 1, T_DIS = 2, T_MISS = 3;
}
