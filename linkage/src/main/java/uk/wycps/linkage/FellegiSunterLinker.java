package uk.wycps.linkage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import uk.wycps.connector.SearchCriteria;

/**
 * The probabilistic linker (F4). For one enquiry:
 * <ol>
 *   <li>every candidate is prepared once and scored against the subject with
 *       {@link PairScorer}; non-matches are dropped;</li>
 *   <li>the remaining candidates are compared pairwise across registers, and merged into persons
 *       along MATCH edges only, strongest first, with complete linkage: two groups merge only if
 *       every pair across them is a MATCH and they share no register (authority). A POSSIBLE link
 *       never merges: both records stay separate persons;</li>
 *   <li>each person gets the band and score of its best record against the subject, and that
 *       record's per-field explanation;</li>
 *   <li>twin guard ({@link LinkageConfig#twinGuard()}): a candidate whose given name disagrees
 *       with the subject's, or whose known gender differs, is at most POSSIBLE, and two such
 *       records are never merged, since twins agree on everything else;</li>
 *   <li>if several persons share the best band and the subject lacks an attribute on which they
 *       differ, {@code moreDetail} names it ({@code givenName}, {@code dateOfBirth},
 *       {@code postcode}, {@code gender}).</li>
 * </ol>
 * Thread-safe, no I/O after construction, no logging.
 */
public final class FellegiSunterLinker implements RecordLinker {

    private final PairScorer scorer;

    public FellegiSunterLinker(PairScorer scorer) {
        this.scorer = Objects.requireNonNull(scorer, "scorer");
    }

    /**
     * The linker with the configuration shipped in this module: m/u probabilities and thresholds
     * ({@code linkage-defaults.properties}), nickname table and surname frequencies. Reads the
     * resources once; construct once at start-up and share.
     */
    public static FellegiSunterLinker withDefaults() {
        return new FellegiSunterLinker(PairScorer.withDefaults());
    }

    public PairScorer scorer() {
        return scorer;
    }

    private static final class Scored {
        final SourcedRecord source;
        final PreparedRecord prepared;
        final PairComparison vsSubject;
        final MatchBand band;
        int group;

        Scored(SourcedRecord source, PreparedRecord prepared, PairComparison vsSubject, MatchBand band) {
            this.source = source;
            this.prepared = prepared;
            this.vsSubject = vsSubject;
            this.band = band;
        }
    }

    @Override
    public LinkageResult link(SearchCriteria subject, List<SourcedRecord> candidates) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(candidates, "candidates");
        boolean guard = scorer.config().twinGuard();
        PreparedRecord s = scorer.prepare(subject);
        List<Scored> kept = new ArrayList<>();
        for (SourcedRecord c : candidates) {
            PreparedRecord p = scorer.prepare(c.record());
            PairComparison cmp = scorer.compare(s, p);
            if (cmp.band() != null) {
                boolean guarded = guard && cmp.identityConflict();
                kept.add(new Scored(c, p, cmp, guarded ? MatchBand.POSSIBLE : cmp.band()));
            }
        }
        kept.sort(Comparator.comparing((Scored x) -> x.band).thenComparingDouble(x -> -x.vsSubject.weight()));
        int n = kept.size();
        // Pairwise MATCH edges across registers.
        boolean[][] match = new boolean[n][n];
        List<double[]> edges = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            kept.get(i).group = i;
            for (int j = i + 1; j < n; j++) {
                if (kept.get(i).source.authority().equals(kept.get(j).source.authority())) {
                    continue;
                }
                PairComparison c = scorer.compare(kept.get(i).prepared, kept.get(j).prepared);
                if (c.band() == MatchBand.MATCH && !(guard && c.identityConflict())) {
                    match[i][j] = true;
                    match[j][i] = true;
                    edges.add(new double[] {c.weight(), i, j});
                }
            }
        }
        edges.sort(Comparator.comparingDouble((double[] e) -> -e[0]));
        for (double[] e : edges) {
            int gi = kept.get((int) e[1]).group;
            int gj = kept.get((int) e[2]).group;
            if (gi == gj || !mergeable(kept, match, gi, gj)) {
                continue;
            }
            for (Scored x : kept) {
                if (x.group == gj) {
                    x.group = gi;
                }
            }
        }
        // Persons in order of their best record (kept is sorted by weight against the subject).
        List<LinkedPerson> persons = new ArrayList<>();
        List<List<Scored>> members = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (Scored x : kept) {
            if (!seen.add(x.group)) {
                continue;
            }
            List<Scored> group = new ArrayList<>();
            for (Scored y : kept) {
                if (y.group == x.group) {
                    group.add(y);
                }
            }
            List<SourcedRecord> records = new ArrayList<>(group.size());
            group.forEach(g -> records.add(g.source));
            PairComparison best = x.vsSubject;
            persons.add(new LinkedPerson(x.band, Math.round(best.score() * 1000) / 1000.0, records, best.explanation()));
            members.add(group);
        }
        return new LinkageResult(persons, moreDetail(subject, s, persons, members));
    }

    private static boolean mergeable(List<Scored> kept, boolean[][] match, int gi, int gj) {
        for (int a = 0; a < kept.size(); a++) {
            if (kept.get(a).group != gi) {
                continue;
            }
            for (int b = 0; b < kept.size(); b++) {
                if (kept.get(b).group != gj) {
                    continue;
                }
                if (!match[a][b] || kept.get(a).source.authority().equals(kept.get(b).source.authority())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<String> moreDetail(SearchCriteria subject, PreparedRecord s, List<LinkedPerson> persons,
                                           List<List<Scored>> members) {
        if (persons.size() < 2) {
            return List.of();
        }
        MatchBand top = persons.get(0).band();
        List<List<Scored>> tied = new ArrayList<>();
        for (int i = 0; i < persons.size(); i++) {
            if (persons.get(i).band() == top) {
                tied.add(members.get(i));
            }
        }
        if (tied.size() < 2) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        if (subject.givenName() == null && differ(tied, r -> r.names[0].given == null ? null : r.names[0].given.compact)) {
            out.add("givenName");
        }
        if (subject.dateOfBirth() == null && differ(tied, r -> r.dob < 0 ? null : r.dob)) {
            out.add("dateOfBirth");
        }
        if (s.postcode == null && differ(tied, r -> r.postcode)) {
            out.add("postcode");
        }
        if (!s.hasGender() && differ(tied, r -> r.gender < 0 ? null : r.gender)) {
            out.add("gender");
        }
        return List.copyOf(out);
    }

    /**
     * Whether the attribute would tell the persons apart: some person has a value, and not all
     * persons hold the same values (a person may hold several, or none).
     */
    private static boolean differ(List<List<Scored>> persons, java.util.function.Function<PreparedRecord, Object> attribute) {
        Set<Object> first = null;
        boolean anyValue = false;
        boolean different = false;
        for (List<Scored> p : persons) {
            Set<Object> values = new HashSet<>();
            for (Scored x : p) {
                Object v = attribute.apply(x.prepared);
                if (v != null) {
                    values.add(v);
                }
            }
            anyValue |= !values.isEmpty();
            if (first == null) {
                first = values;
            } else if (!first.equals(values)) {
                different = true;
            }
        }
        return anyValue && different;
    }
}
