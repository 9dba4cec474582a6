package uk.wycps.linkage;

import java.util.ArrayList;
import java.util.List;

/**
 * Two records compared: the level and weight reached on every field, the total weight, and the
 * band ({@code null} for a non-match). Names may have been compared through an alias or with
 * given and family name swapped; their levels then read {@code alias:...} or {@code swapped:...}.
 */
public final class PairComparison {

    private final int[] levels;
    private final double[] weights;
    private final boolean alias;
    private final boolean swapped;
    private final double total;
    private final MatchBand band;
    private final double score;

    PairComparison(int[] levels, double[] weights, boolean alias, boolean swapped, double total, MatchBand band, double score) {
        this.levels = levels;
        this.weights = weights;
        this.alias = alias;
        this.swapped = swapped;
        this.total = total;
        this.band = band;
        this.score = score;
    }

    /** The summed match weight (log2 of the likelihood ratio). */
    public double weight() {
        return total;
    }

    /** MATCH, POSSIBLE, or null for a non-match. */
    public MatchBand band() {
        return band;
    }

    /** The match probability in [0, 1] under the configured prior. */
    public double score() {
        return score;
    }

    public int level(Field f) {
        return levels[f.ordinal()];
    }

    public double weight(Field f) {
        return weights[f.ordinal()];
    }

    /**
     * Whether both records have a given name and they disagree (no exact, nickname, Jaro-Winkler,
     * phonetic or initial agreement): the twin and sibling pattern the linker's guard acts on.
     */
    public boolean givenNamesDisagree() {
        return levels[Field.GIVEN_NAME.ordinal()] == Field.GIVEN_NAME.disagree();
    }

    /**
     * What the linker's twin guard acts on: the given names disagree or are only loosely alike
     * ({@code jw-medium}: Holly and Molly), or both genders are known and differ. Twins and
     * siblings agree on family name, address and often date of birth.
     */
    public boolean identityConflict() {
        return givenNamesConflict() || levels[Field.GENDER.ordinal()] == Field.GENDER.disagree();
    }

    /**
     * Both given names present and they disagree or are only loosely alike ({@code jw-medium}:
     * Holly and Molly; names that only sound alike, Ava and Eva, are scored so too).
     */
    public boolean givenNamesConflict() {
        int g = levels[Field.GIVEN_NAME.ordinal()];
        return g == Field.G_DIS || g == Field.G_JW_MED;
    }

    public boolean viaAlias() {
        return alias;
    }

    public boolean swappedNames() {
        return swapped;
    }

    /** The per-field explanation (F4): each field's level and weight, weights rounded to 0.01. */
    public List<FieldComparison> explanation() {
        List<FieldComparison> out = new ArrayList<>(levels.length);
        for (Field f : Field.all()) {
            String level = f.levels().get(levels[f.ordinal()]);
            if ((f == Field.GIVEN_NAME || f == Field.FAMILY_NAME) && levels[f.ordinal()] != f.missing()) {
                level = (swapped ? "swapped:" : alias ? "alias:" : "") + level;
            }
            out.add(new FieldComparison(f.key(), level, Math.round(weights[f.ordinal()] * 100) / 100.0));
        }
        return out;
    }
}
