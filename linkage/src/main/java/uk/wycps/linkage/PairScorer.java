package uk.wycps.linkage;

import static uk.wycps.linkage.Field.*;

import java.util.Objects;
import uk.wycps.linkage.PreparedRecord.NameForm;
import uk.wycps.linkage.PreparedRecord.NameVariant;

/**
 * Fellegi-Sunter scoring of one pair of prepared records: every field's comparison level
 * ({@link Comparisons}), its weight {@code log2(m/u)} from {@link LinkageConfig}, the exact
 * family-name weight adjusted by the name's frequency, the sum, and the band. Names are compared
 * under every pairing of the two records' names and aliases, and with given and family name
 * swapped when they disagree, keeping the best (alias and swap cost a configured penalty).
 * Thread-safe; allocates only the result.
 */
public final class PairScorer {

    private static final double LOG2 = Math.log(2);

    private final LinkageConfig config;
    private final SurnameFrequencies frequencies;
    private final Nicknames nicknames;
    private final double[] wg;
    private final double[] wf;
    private final double[] wd;
    private final double[] ws;
    private final double[] wp;
    private final double[] wa;
    private final double[] wt;
    private final double uFamilyExact;

    public PairScorer(LinkageConfig config, SurnameFrequencies frequencies, Nicknames nicknames) {
        this.config = Objects.requireNonNull(config, "config");
        this.frequencies = Objects.requireNonNull(frequencies, "frequencies");
        this.nicknames = Objects.requireNonNull(nicknames, "nicknames");
        wg = config.weights(GIVEN_NAME);
        wf = config.weights(FAMILY_NAME);
        wd = config.weights(DATE_OF_BIRTH);
        ws = config.weights(GENDER);
        wp = config.weights(POSTCODE);
        wa = config.weights(ADDRESS);
        wt = config.weights(TOWN);
        uFamilyExact = config.u(FAMILY_NAME, F_EXACT);
    }

    /** The shipped configuration, surname frequencies and nickname table. */
    public static PairScorer withDefaults() {
        return new PairScorer(LinkageConfig.defaults(), SurnameFrequencies.defaults(), Nicknames.defaults());
    }

    public LinkageConfig config() {
        return config;
    }

    public Nicknames nicknames() {
        return nicknames;
    }

    public PreparedRecord prepare(uk.wycps.record.ChildRecord r) {
        return PreparedRecord.of(r, nicknames);
    }

    public PreparedRecord prepare(uk.wycps.record.SearchCriteria s) {
        return PreparedRecord.of(s, nicknames);
    }

    /** Compares two prepared records. */
    public PairComparison compare(PreparedRecord a, PreparedRecord b) {
        int[] levels = new int[7];
        double[] weights = new double[7];
        // Names: best pairing of names and aliases, straight or swapped.
        double bestNames = Double.NEGATIVE_INFINITY;
        int bestG = G_MISS;
        int bestF = F_MISS;
        double bestWg = 0;
        double bestWf = 0;
        boolean bestAlias = false;
        boolean bestSwapped = false;
        for (NameVariant va : a.names) {
            for (NameVariant vb : b.names) {
                boolean alias = va.alias || vb.alias;
                double penalty = alias ? config.aliasPenalty() : 0;
                int g = Comparisons.givenName(va.given, vb.given);
                int f = Comparisons.familyName(va.family, vb.family);
                double gw = wg[g] - (alias && g != G_MISS ? penalty : 0);
                double fw = familyWeight(f, va.family) - (alias && f != F_MISS ? penalty : 0);
                if (gw + fw > bestNames) {
                    bestNames = gw + fw;
                    bestG = g;
                    bestF = f;
                    bestWg = gw;
                    bestWf = fw;
                    bestAlias = alias;
                    bestSwapped = false;
                }
                if ((g == G_DIS || f == F_DIS) && va.given != null && va.family != null && vb.given != null && vb.family != null) {
                    int g2 = Comparisons.givenName(va.given, vb.family);
                    int f2 = Comparisons.familyName(va.family, vb.given);
                    double p2 = penalty + config.swappedPenalty();
                    double gw2 = wg[g2] - p2;
                    double fw2 = familyWeight(f2, va.family) - p2;
                    if (gw2 + fw2 > bestNames) {
                        bestNames = gw2 + fw2;
                        bestG = g2;
                        bestF = f2;
                        bestWg = gw2;
                        bestWf = fw2;
                        bestAlias = alias;
                        bestSwapped = true;
                    }
                }
            }
        }
        levels[0] = bestG;
        weights[0] = bestWg;
        levels[1] = bestF;
        weights[1] = bestWf;
        int d = Comparisons.dateOfBirth(a.dob, b.dob);
        levels[2] = d;
        weights[2] = wd[d];
        int s = Comparisons.gender(a.gender, b.gender);
        levels[3] = s;
        weights[3] = ws[s];
        int p = Comparisons.postcode(a.postcode, a.postcodes, b.postcode, b.postcodes);
        levels[4] = p;
        weights[4] = wp[p];
        int ad = Comparisons.address(a.line, a.lines, b.line, b.lines);
        levels[5] = ad;
        weights[5] = wa[ad];
        int t = Comparisons.town(a.town, b.town);
        levels[6] = t;
        weights[6] = wt[t];
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        MatchBand band;
        if (total >= config.matchThreshold()) {
            band = MatchBand.MATCH;
        } else if (total >= config.possibleThreshold()) {
            band = MatchBand.POSSIBLE;
        } else {
            band = null;
        }
        double score = 1.0 / (1.0 + Math.pow(2, -(total + config.priorLog2Odds())));
        return new PairComparison(levels, weights, bestAlias, bestSwapped, total, band, score);
    }

    private double familyWeight(int level, NameForm family) {
        double w = wf[level];
        if (level == F_EXACT && family != null) {
            double share = frequencies.share(family.compact);
            if (!Double.isNaN(share)) {
                double adj = Math.log(uFamilyExact / share) / LOG2;
                w += Math.max(-config.tfMaxDown(), Math.min(config.tfMaxUp(), adj));
            }
        }
        return w;
    }
}
