package uk.wycps.linkage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import uk.wycps.record.SearchCriteria;

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
 *       with the subject's (or is only loosely alike), or whose known gender differs, is at most
 *       POSSIBLE; two records in that relation are never merged, since twins agree on everything
 *       else, unless a third record of the person strongly agrees with both given names (a
 *       nickname on one side, a typo on the other);</li>
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

    @Override
    public boolean discloses(SearchCriteria subject, uk.wycps.record.ChildRecord candidate) {
        return disclosed(scorer.compare(scorer.prepare(subject), scorer.prepare(candidate)));
    }

    private boolean disclosed(PairComparison cmp) {
        return cmp.band() == MatchBand.MATCH
                || (cmp.band() == MatchBand.POSSIBLE && cmp.weight() >= scorer.config().disclosureThreshold());
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
            if (disclosed(cmp)) {
                boolean guarded = guard && cmp.identityConflict();
                kept.add(new Scored(c, p, cmp, guarded ? MatchBand.POSSIBLE : cmp.band()));
            }
        }
        kept.sort(Comparator.comparing((Scored x) -> x.band).thenComparingDouble(x -> -x.vsSubject.weight()));
        int n = kept.size();
        // Pairwise comparisons across registers: MATCH by weight, guard conflicts, and strong
        // given-name agreement (exact, nickname, jw-high), which may bridge a conflict.
        byte[][] rel = new byte[n][n];
        List<double[]> edges = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            kept.get(i).group = i;
            for (int j = i + 1; j < n; j++) {
                if (kept.get(i).source.authority().equals(kept.get(j).source.authority())) {
                    continue;
                }
                PairComparison c = scorer.compare(kept.get(i).prepared, kept.get(j).prepared);
                byte r = 0;
                if (c.band() == MatchBand.MATCH) {
                    r |= MATCH_WEIGHT;
                }
                if (guard && c.givenNamesConflict()) {
                    r |= NAME_CONFLICT;
                }
                if (guard && c.level(Field.GENDER) == Field.S_DIS) {
                    r |= GENDER_CONFLICT;
                }
                if (c.level(Field.GIVEN_NAME) <= Field.G_JW_HIGH) {
                    r |= STRONG_GIVEN;
                }
                rel[i][j] = r;
                rel[j][i] = r;
                if ((r & (MATCH_WEIGHT | NAME_CONFLICT | GENDER_CONFLICT)) == MATCH_WEIGHT) {
                    edges.add(new double[] {c.weight(), i, j});
                }
            }
        }
        edges.sort(Comparator.comparingDouble((double[] e) -> -e[0]));
        // Groups hold at most one record per register, so each merge check is small.
        List<List<Integer>> groups = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<Integer> g = new ArrayList<>(2);
            g.add(i);
            groups.add(g);
        }
        for (double[] e : edges) {
            int gi = kept.get((int) e[1]).group;
            int gj = kept.get((int) e[2]).group;
            if (gi == gj || !mergeable(rel, groups.get(gi), groups.get(gj))) {
                continue;
            }
            for (int x : groups.get(gj)) {
                kept.get(x).group = gi;
            }
            groups.get(gi).addAll(groups.get(gj));
            groups.get(gj).clear();
        }
        // Persons in order of their best record (kept is sorted by band, then weight).
        List<LinkedPerson> persons = new ArrayList<>();
        List<List<Scored>> members = new ArrayList<>();
        boolean[] seen = new boolean[n];
        for (Scored x : kept) {
            if (seen[x.group]) {
                continue;
            }
            seen[x.group] = true;
            List<Scored> group = new ArrayList<>();
            List<SourcedRecord> records = new ArrayList<>();
            for (int y : groups.get(x.group)) {
                group.add(kept.get(y));
            }
            group.sort(Comparator.comparing((Scored y) -> y.band).thenComparingDouble(y -> -y.vsSubject.weight()));
            group.forEach(g -> records.add(g.source));
            PairComparison best = x.vsSubject;
            persons.add(new LinkedPerson(x.band, Math.round(best.score() * 1000) / 1000.0, records, best.explanation()));
            members.add(group);
        }
        return new LinkageResult(persons, moreDetail(subject, s, persons, members));
    }

    private static final byte MATCH_WEIGHT = 1;
    private static final byte NAME_CONFLICT = 2;
    private static final byte GENDER_CONFLICT = 4;
    private static final byte STRONG_GIVEN = 8;

    /**
     * Complete linkage under the twin guard: every pair across the two groups weighs a MATCH, is
     * from different registers (same-register pairs were never compared, so weigh nothing), has
     * no gender conflict, and has either no given-name conflict or a bridge: a third record of
     * the merged group whose given name strongly agrees with both (Niamh between Neve and Naimh;
     * an initial or a phonetic likeness is no bridge, so twins stay apart).
     */
    private static boolean mergeable(byte[][] rel, List<Integer> a, List<Integer> b) {
        for (int x : a) {
            for (int y : b) {
                byte r = rel[x][y];
                if ((r & MATCH_WEIGHT) == 0 || (r & GENDER_CONFLICT) != 0) {
                    return false;
                }
                if ((r & NAME_CONFLICT) != 0 && !bridged(rel, x, y, a) && !bridged(rel, x, y, b)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean bridged(byte[][] rel, int x, int y, List<Integer> via) {
        for (int z : via) {
            if (z != x && z != y && (rel[x][z] & STRONG_GIVEN) != 0 && (rel[z][y] & STRONG_GIVEN) != 0) {
                return true;
            }
        }
        return false;
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
