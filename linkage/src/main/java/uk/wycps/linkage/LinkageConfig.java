package uk.wycps.linkage;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The Fellegi-Sunter parameters: for every field and level (but {@code missing}) the
 * probability {@code m} of that level among true matches and {@code u} among non-matches, the
 * weight being {@code log2(m/u)}; the MATCH and POSSIBLE thresholds on the summed weight; and
 * the adjustments (term frequency of family names, alias and swapped-name penalties). Read from
 * {@link #DEFAULT_RESOURCE}, validated once; immutable.
 */
public final class LinkageConfig {

    public static final String DEFAULT_RESOURCE = "/uk/wycps/linkage/linkage-defaults.properties";

    private final double[][] m;
    private final double[][] u;
    private final double[][] weights;
    private final double matchThreshold;
    private final double possibleThreshold;
    private final double aliasPenalty;
    private final double swappedPenalty;
    private final double tfMaxDown;
    private final double tfMaxUp;
    private final double priorLog2Odds;
    private final boolean twinGuard;
    private final double disclosureThreshold;

    private LinkageConfig(double[][] m, double[][] u, double matchThreshold, double possibleThreshold,
                          double aliasPenalty, double swappedPenalty, double tfMaxDown, double tfMaxUp,
                          double priorLog2Odds, boolean twinGuard, double disclosureThreshold) {
        if (!(possibleThreshold <= matchThreshold)) {
            throw new IllegalArgumentException("threshold.possible must not exceed threshold.match");
        }
        this.m = m;
        this.u = u;
        this.weights = new double[m.length][];
        for (Field f : Field.all()) {
            int o = f.ordinal();
            weights[o] = new double[f.levels().size()];
            for (int l = 0; l < f.missing(); l++) {
                weights[o][l] = Math.log(m[o][l] / u[o][l]) / Math.log(2);
            }
        }
        this.matchThreshold = matchThreshold;
        this.possibleThreshold = possibleThreshold;
        this.aliasPenalty = aliasPenalty;
        this.swappedPenalty = swappedPenalty;
        this.tfMaxDown = tfMaxDown;
        this.tfMaxUp = tfMaxUp;
        this.priorLog2Odds = priorLog2Odds;
        this.twinGuard = twinGuard;
        this.disclosureThreshold = disclosureThreshold;
    }

    /** The configuration shipped in this module's resources. */
    public static LinkageConfig defaults() {
        try (InputStream in = LinkageConfig.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("linkage configuration not found: " + DEFAULT_RESOURCE);
            }
            return load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read linkage configuration", e);
        }
    }

    /** Reads and validates a configuration; {@link IllegalStateException} naming the bad key. */
    public static LinkageConfig load(InputStream in) throws IOException {
        Properties p = new Properties();
        p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        Field[] fields = Field.all();
        double[][] m = new double[fields.length][];
        double[][] u = new double[fields.length][];
        for (Field f : fields) {
            m[f.ordinal()] = new double[f.missing()];
            u[f.ordinal()] = new double[f.missing()];
            for (int l = 0; l < f.missing(); l++) {
                String level = f.levels().get(l);
                m[f.ordinal()][l] = probability(p, "m." + f.key() + "." + level);
                u[f.ordinal()][l] = probability(p, "u." + f.key() + "." + level);
            }
        }
        return new LinkageConfig(m, u,
                number(p, "threshold.match"), number(p, "threshold.possible"),
                number(p, "penalty.alias"), number(p, "penalty.swapped"),
                number(p, "tf.maxDown"), number(p, "tf.maxUp"),
                number(p, "score.priorLog2Odds"),
                Boolean.parseBoolean(required(p, "guard.givenNameDisagreement")),
                number(p, "threshold.disclosePossible"));
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("linkage configuration: missing " + key);
        }
        return v.strip();
    }

    private static double number(Properties p, String key) {
        try {
            double d = Double.parseDouble(required(p, key));
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalStateException("linkage configuration: " + key + " is not a finite number");
        }
    }

    private static double probability(Properties p, String key) {
        double d = number(p, key);
        if (!(d > 0 && d <= 1)) {
            throw new IllegalStateException("linkage configuration: " + key + " must be in (0, 1]");
        }
        return d;
    }

    /** A copy with other thresholds (for threshold sweeps). */
    public LinkageConfig withThresholds(double match, double possible) {
        return new LinkageConfig(m, u, match, possible, aliasPenalty, swappedPenalty, tfMaxDown, tfMaxUp,
                priorLog2Odds, twinGuard, disclosureThreshold);
    }

    /** A copy with other m probabilities ({@code m[field][level]}, missing level excluded). */
    public LinkageConfig withM(double[][] newM) {
        return new LinkageConfig(copy(newM), u, matchThreshold, possibleThreshold, aliasPenalty, swappedPenalty,
                tfMaxDown, tfMaxUp, priorLog2Odds, twinGuard, disclosureThreshold);
    }

    /** A copy with other u probabilities. */
    public LinkageConfig withU(double[][] newU) {
        return new LinkageConfig(m, copy(newU), matchThreshold, possibleThreshold, aliasPenalty, swappedPenalty,
                tfMaxDown, tfMaxUp, priorLog2Odds, twinGuard, disclosureThreshold);
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    public double weight(Field f, int level) {
        return weights[f.ordinal()][level];
    }

    double[] weights(Field f) {
        return weights[f.ordinal()];
    }

    public double m(Field f, int level) {
        return m[f.ordinal()][level];
    }

    public double u(Field f, int level) {
        return u[f.ordinal()][level];
    }

    public double matchThreshold() {
        return matchThreshold;
    }

    public double possibleThreshold() {
        return possibleThreshold;
    }

    public double aliasPenalty() {
        return aliasPenalty;
    }

    public double swappedPenalty() {
        return swappedPenalty;
    }

    public double tfMaxDown() {
        return tfMaxDown;
    }

    public double tfMaxUp() {
        return tfMaxUp;
    }

    public double priorLog2Odds() {
        return priorLog2Odds;
    }

    /**
     * The linker's twin guard: a candidate whose given name disagrees with the subject's (or whose
     * known gender differs) is at most POSSIBLE, and two such records are never merged, whatever
     * their weight (twins share family name, date of birth and address).
     */
    /**
     * The weight a POSSIBLE candidate needs against an enquiry's subject to be shown to the
     * caller at all: above the linking threshold, so that a sibling who merely shares a surname
     * and a near birth date is not disclosed as a "possible match" (A8: no more than the caller
     * needs).
     */
    public double disclosureThreshold() {
        return disclosureThreshold;
    }

    public boolean twinGuard() {
        return twinGuard;
    }

    /** The configuration as properties text (for printing EM estimates). */
    public String toProperties() {
        StringBuilder b = new StringBuilder();
        for (Field f : Field.all()) {
            for (int l = 0; l < f.missing(); l++) {
                String level = f.levels().get(l);
                b.append(String.format(java.util.Locale.ROOT, "m.%s.%s=%.6f%n", f.key(), level, m(f, l)));
                b.append(String.format(java.util.Locale.ROOT, "u.%s.%s=%.6f%n", f.key(), level, u(f, l)));
            }
        }
        return b.toString();
    }
}
