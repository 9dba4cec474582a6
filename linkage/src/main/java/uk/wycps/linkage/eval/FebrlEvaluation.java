package uk.wycps.linkage.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import uk.wycps.linkage.Field;
import uk.wycps.linkage.LinkageConfig;
import uk.wycps.linkage.MatchBand;
import uk.wycps.linkage.Nicknames;
import uk.wycps.linkage.PairComparison;
import uk.wycps.linkage.PairScorer;
import uk.wycps.linkage.PreparedRecord;
import uk.wycps.linkage.SurnameFrequencies;

/**
 * Measures the linkage on a FEBRL file (F4): reads it ({@link FebrlReader}), blocks (union of
 * passes on the Double Metaphone of either name, postcode, date of birth, and town with birth
 * year), scores every blocked pair with the shipped configuration, and prints record and pair
 * counts, true pairs lost by blocking, precision, recall and F1 of MATCH and of MATCH+POSSIBLE
 * over record pairs, and false merges (groups of records joined along MATCH edges that mix
 * entities). Term frequencies of family names are counted on the file itself.
 *
 * <p>Usage: {@code FebrlEvaluation FILE [--sweep] [--em]}. {@code --sweep} prints precision and
 * recall over a range of thresholds; {@code --em} estimates m probabilities by EM on the blocked
 * pairs (u from random pairs) and prints them as configuration lines.
 */
public final class FebrlEvaluation {

    /** Precision, recall and F1 over record pairs. */
    public record Metrics(long truePositives, long falsePositives, long falseNegatives) {
        public double precision() {
            return truePositives + falsePositives == 0 ? 1.0 : truePositives / (double) (truePositives + falsePositives);
        }

        public double recall() {
            return truePositives + falseNegatives == 0 ? 1.0 : truePositives / (double) (truePositives + falseNegatives);
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }

    /** What one evaluation found. */
    public record Result(int records, long truePairs, long pairsCompared, long truePairsLostByBlocking,
                         Metrics match, Metrics matchOrPossible, int falseMergeGroups, double seconds) {

        public double blockingLoss() {
            return truePairs == 0 ? 0 : truePairsLostByBlocking / (double) truePairs;
        }
    }

    private FebrlEvaluation() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: FebrlEvaluation FILE [--sweep] [--em]");
            System.exit(2);
        }
        List<String> opts = Arrays.asList(args).subList(1, args.length);
        Path file = Path.of(args[0]);
        PrintStream out = System.out;
        if (opts.contains("--em")) {
            out.print(estimate(file, LinkageConfig.defaults()).toProperties());
            return;
        }
        Scored scored = score(file, LinkageConfig.defaults());
        Result r = scored.result(LinkageConfig.defaults());
        print(out, file, r);
        Result g = scored.result(LinkageConfig.defaults(), true);
        out.printf(Locale.ROOT, "with the linker's twin guard (given names disagree or only jw-medium alike => never MATCH): MATCH precision %.4f  recall %.4f  F1 %.4f; M+P recall %.4f%n",
                g.match().precision(), g.match().recall(), g.match().f1(), g.matchOrPossible().recall());
        if (opts.contains("--sweep")) {
            for (double t = 4; t <= 24; t += 1) {
                Result s = scored.result(LinkageConfig.defaults().withThresholds(t, Math.min(t, LinkageConfig.defaults().possibleThreshold())));
                out.printf(Locale.ROOT, "threshold %5.1f  MATCH P=%.4f R=%.4f  M+P R=%.4f (possible>=%.1f)  falseMergeGroups=%d%n",
                        t, s.match().precision(), s.match().recall(), s.matchOrPossible().recall(),
                        Math.min(t, LinkageConfig.defaults().possibleThreshold()), s.falseMergeGroups());
            }
        }
    }

    static void print(PrintStream out, Path file, Result r) {
        out.printf(Locale.ROOT, "file: %s%n", file.getFileName());
        out.printf(Locale.ROOT, "records: %d%n", r.records());
        out.printf(Locale.ROOT, "true pairs: %d%n", r.truePairs());
        out.printf(Locale.ROOT, "pairs compared (after blocking): %d%n", r.pairsCompared());
        out.printf(Locale.ROOT, "true pairs lost by blocking: %d (%.2f%%)%n", r.truePairsLostByBlocking(), 100 * r.blockingLoss());
        out.printf(Locale.ROOT, "MATCH:          precision %.4f  recall %.4f  F1 %.4f  (TP %d, FP %d, FN %d)%n",
                r.match().precision(), r.match().recall(), r.match().f1(),
                r.match().truePositives(), r.match().falsePositives(), r.match().falseNegatives());
        out.printf(Locale.ROOT, "MATCH+POSSIBLE: precision %.4f  recall %.4f  F1 %.4f  (TP %d, FP %d, FN %d)%n",
                r.matchOrPossible().precision(), r.matchOrPossible().recall(), r.matchOrPossible().f1(),
                r.matchOrPossible().truePositives(), r.matchOrPossible().falsePositives(), r.matchOrPossible().falseNegatives());
        out.printf(Locale.ROOT, "false merges (MATCH false-positive pairs): %d; groups mixing entities along MATCH edges: %d%n",
                r.match().falsePositives(), r.falseMergeGroups());
        out.printf(Locale.ROOT, "time: %.2f s%n", r.seconds());
    }

    /** Runs the evaluation with the shipped configuration. */
    public static Result evaluate(Path file) throws IOException {
        LinkageConfig config = LinkageConfig.defaults();
        return score(file, config).result(config);
    }

    /** The scored blocked pairs of a file, for evaluating thresholds without rescoring. */
    static final class Scored {
        final int records;
        final long truePairs;
        final int[] entity;
        final int[] left;
        final int[] right;
        final double[] weight;
        final boolean[] givenDisagrees;
        final byte[][] levels;
        final double seconds;

        Scored(int records, long truePairs, int[] entity, int[] left, int[] right, double[] weight,
               boolean[] givenDisagrees, byte[][] levels, double seconds) {
            this.records = records;
            this.truePairs = truePairs;
            this.entity = entity;
            this.left = left;
            this.right = right;
            this.weight = weight;
            this.givenDisagrees = givenDisagrees;
            this.levels = levels;
            this.seconds = seconds;
        }

        Result result(LinkageConfig config) {
            return result(config, false);
        }

        /** With {@code guard}, a pair whose given names disagree is never MATCH (the linker's twin guard). */
        Result result(LinkageConfig config, boolean guard) {
            long tpM = 0, fpM = 0, tpP = 0, fpP = 0, blockedTrue = 0;
            int[] parent = new int[records];
            for (int i = 0; i < records; i++) {
                parent[i] = i;
            }
            for (int k = 0; k < left.length; k++) {
                boolean truth = entity[left[k]] == entity[right[k]];
                if (truth) {
                    blockedTrue++;
                }
                boolean match = weight[k] >= config.matchThreshold()
                        && !(givenDisagrees[k] && guard);
                boolean possible = weight[k] >= config.possibleThreshold();
                if (match) {
                    if (truth) {
                        tpM++;
                    } else {
                        fpM++;
                    }
                    union(parent, left[k], right[k]);
                }
                if (match || possible) {
                    if (truth) {
                        tpP++;
                    } else {
                        fpP++;
                    }
                }
            }
            Map<Integer, Integer> groupEntity = new HashMap<>();
            Map<Integer, Boolean> mixed = new HashMap<>();
            for (int i = 0; i < records; i++) {
                int root = find(parent, i);
                Integer e = groupEntity.putIfAbsent(root, entity[i]);
                if (e != null && e != entity[i]) {
                    mixed.put(root, true);
                }
            }
            return new Result(records, truePairs, left.length, truePairs - blockedTrue,
                    new Metrics(tpM, fpM, truePairs - tpM), new Metrics(tpP, fpP, truePairs - tpP),
                    mixed.size(), seconds);
        }
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        parent[find(parent, a)] = find(parent, b);
    }

    static PairScorer scorerFor(List<FebrlReader.Row> rows, LinkageConfig config) {
        Map<String, Integer> counts = new HashMap<>();
        Nicknames nicknames = Nicknames.defaults();
        int n = 0;
        for (FebrlReader.Row row : rows) {
            String key = PreparedRecord.of(row.record(), nicknames).familyKey();
            if (key != null) {
                counts.merge(key, 1, Integer::sum);
                n++;
            }
        }
        return new PairScorer(config, SurnameFrequencies.fromCounts(counts, Math.max(n, 1)), nicknames);
    }

    static Scored score(Path file, LinkageConfig config) throws IOException {
        long start = System.nanoTime();
        List<FebrlReader.Row> rows = FebrlReader.read(file);
        PairScorer scorer = scorerFor(rows, config);
        int n = rows.size();
        int[] entity = new int[n];
        PreparedRecord[] prepared = new PreparedRecord[n];
        Map<Integer, Integer> entitySizes = new HashMap<>();
        for (int i = 0; i < n; i++) {
            entity[i] = rows.get(i).entity();
            prepared[i] = scorer.prepare(rows.get(i).record());
            entitySizes.merge(entity[i], 1, Integer::sum);
        }
        long truePairs = 0;
        for (int k : entitySizes.values()) {
            truePairs += (long) k * (k - 1) / 2;
        }
        long[] pairs = Blocking.candidatePairs(prepared);
        int m = pairs.length;
        int[] left = new int[m];
        int[] right = new int[m];
        double[] weight = new double[m];
        boolean[] givenDisagrees = new boolean[m];
        byte[][] levels = new byte[m][];
        for (int k = 0; k < m; k++) {
            int i = (int) (pairs[k] >>> 32);
            int j = (int) pairs[k];
            left[k] = i;
            right[k] = j;
            PairComparison c = scorer.compare(prepared[i], prepared[j]);
            weight[k] = c.weight();
            givenDisagrees[k] = c.identityConflict();
            byte[] lv = new byte[Field.values().length];
            for (Field f : Field.values()) {
                lv[f.ordinal()] = (byte) c.level(f);
            }
            levels[k] = lv;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Scored(n, truePairs, entity, left, right, weight, givenDisagrees, levels, seconds);
    }

    /**
     * EM estimate of the m probabilities on the blocked pairs of a file, with u counted on random
     * pairs (nearly all non-matches). Unsupervised: the truth is not read. Fields never observed
     * (gender) keep their configured values.
     */
    static LinkageConfig estimate(Path file, LinkageConfig config) throws IOException {
        Scored s = score(file, config);
        List<FebrlReader.Row> rows = FebrlReader.read(file);
        PairScorer scorer = scorerFor(rows, config);
        PreparedRecord[] prepared = rows.stream().map(r -> scorer.prepare(r.record())).toArray(PreparedRecord[]::new);
        Field[] fields = Field.values();
        // u from random pairs.
        double[][] u = new double[fields.length][];
        long[][] uCount = new long[fields.length][];
        for (Field f : fields) {
            uCount[f.ordinal()] = new long[f.levels().size()];
        }
        java.util.Random random = new java.util.Random(42);
        for (int k = 0; k < 200_000; k++) {
            int i = random.nextInt(prepared.length);
            int j = random.nextInt(prepared.length);
            if (i == j) {
                continue;
            }
            PairComparison c = scorer.compare(prepared[i], prepared[j]);
            for (Field f : fields) {
                uCount[f.ordinal()][c.level(f)]++;
            }
        }
        for (Field f : fields) {
            u[f.ordinal()] = smooth(uCount[f.ordinal()], f, config);
        }
        // EM for m (and the match proportion) with u fixed.
        double[][] m = new double[fields.length][];
        for (Field f : fields) {
            m[f.ordinal()] = new double[f.missing()];
            for (int l = 0; l < f.missing(); l++) {
                m[f.ordinal()][l] = config.m(f, l);
            }
        }
        // Full EM (m, u and the match proportion) on the blocked pairs, started from u counted
        // on random pairs and the configured m; levels never observed keep a small floor.
        double[][] ub = new double[fields.length][];
        for (Field f : fields) {
            ub[f.ordinal()] = u[f.ordinal()].clone();
        }
        double lambda = 0.01;
        for (int iter = 0; iter < 50; iter++) {
            double[][] accM = new double[fields.length][];
            double[][] accU = new double[fields.length][];
            for (Field f : fields) {
                accM[f.ordinal()] = new double[f.levels().size()];
                accU[f.ordinal()] = new double[f.levels().size()];
            }
            double sumG = 0;
            for (byte[] lv : s.levels) {
                double lm = Math.log(lambda);
                double lu = Math.log(1 - lambda);
                for (Field f : fields) {
                    int l = lv[f.ordinal()];
                    if (l != f.missing()) {
                        lm += Math.log(m[f.ordinal()][l]);
                        lu += Math.log(ub[f.ordinal()][l]);
                    }
                }
                double g = 1 / (1 + Math.exp(lu - lm));
                sumG += g;
                for (Field f : fields) {
                    accM[f.ordinal()][lv[f.ordinal()]] += g;
                    accU[f.ordinal()][lv[f.ordinal()]] += 1 - g;
                }
            }
            lambda = sumG / s.levels.length;
            for (Field f : fields) {
                update(m[f.ordinal()], accM[f.ordinal()], f);
                update(ub[f.ordinal()], accU[f.ordinal()], f);
            }
        }
        System.err.printf(Locale.ROOT, "# EM: match proportion among blocked pairs %.4f%n", lambda);
        return config.withM(m).withU(u);
    }

    private static void update(double[] p, double[] acc, Field f) {
        double total = 0;
        for (int l = 0; l < f.missing(); l++) {
            total += acc[l];
        }
        if (total < 1) {
            return;
        }
        for (int l = 0; l < f.missing(); l++) {
            p[l] = Math.max(acc[l] / total, 1e-4);
        }
        normalise(p);
    }

    private static double[] smooth(long[] counts, Field f, LinkageConfig config) {
        double[] p = new double[f.missing()];
        long total = 0;
        for (int l = 0; l < f.missing(); l++) {
            total += counts[l];
        }
        if (total == 0) {
            for (int l = 0; l < f.missing(); l++) {
                p[l] = config.u(f, l);
            }
            return p;
        }
        for (int l = 0; l < f.missing(); l++) {
            p[l] = (counts[l] + 0.5) / (total + 0.5 * f.missing());
        }
        return p;
    }

    private static void normalise(double[] p) {
        double s = 0;
        for (double x : p) {
            s += x;
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= s;
        }
    }
}
