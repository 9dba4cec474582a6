package uk.wycps.benchmarks;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import uk.wycps.record.SearchCriteria;
import uk.wycps.linkage.FellegiSunterLinker;
import uk.wycps.linkage.LinkageResult;
import uk.wycps.linkage.PairComparison;
import uk.wycps.linkage.PairScorer;
import uk.wycps.linkage.PreparedRecord;
import uk.wycps.linkage.SourcedRecord;
import uk.wycps.record.Address;
import uk.wycps.record.AddressPeriod;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.Gender;
import uk.wycps.record.PersonName;

/**
 * Scoring one pair of prepared records with the shipped Fellegi-Sunter configuration (issue 6:
 * at least 200,000 pairs a second on one thread), over a fixed mix of pairs: a third the same
 * child with a typo, nickname or swapped date, the rest different children sharing a family name
 * or a date of birth. Also one whole {@code link()} of 20 candidates, preparation included.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@Threads(1)
@State(Scope.Thread)
public class PairScoringBenchmark {

    private static final String[] GIVEN = {"Aisha", "Ayesha", "Mohammed", "Muhammad", "William", "Bill", "Katarzyna",
        "Kasia", "Oliver", "Amelia", "Harpreet", "Jack", "Olivia", "Zainab", "Jakub", "Kuba", "Isla", "Noah", "Leah", "Reece"};
    private static final String[] FAMILY = {"Khan", "Hussain", "Smith", "Kowalska", "Nowak", "Walker", "Khan-Patel",
        "Begum", "O'Brien", "Wiśniewski", "Thompson", "Ali", "Wood", "Singh", "Horváth", "Patel"};
    private static final String[] POSTCODE = {"BD7 1DP", "BD8 9QX", "LS6 2AB", "HX1 5JN", "HD1 3LT", "WF1 2AA", "LS11 8PE"};
    private static final String[] STREET = {"12 Oak Road", "4 Mill Lane", "77 Manningham Lane", "3 Church Street",
        "19 Westgate", "8 Victoria Road"};

    private PairScorer scorer;
    private PreparedRecord[] left;
    private PreparedRecord[] right;
    private int i;

    private FellegiSunterLinker linker;
    private SearchCriteria subject;
    private List<SourcedRecord> candidates;

    @Setup(Level.Trial)
    public void setUp() {
        scorer = PairScorer.withDefaults();
        linker = new FellegiSunterLinker(scorer);
        Random rnd = new Random(6);
        int n = 4096;
        left = new PreparedRecord[n];
        right = new PreparedRecord[n];
        for (int k = 0; k < n; k++) {
            ChildRecord a = random(rnd, "A" + k);
            ChildRecord b;
            switch (k % 3) {
                case 0 -> b = variant(rnd, a);
                case 1 -> b = sameFamily(rnd, a);
                default -> b = random(rnd, "B" + k);
            }
            left[k] = scorer.prepare(a);
            right[k] = scorer.prepare(b);
        }
        ChildRecord child = random(rnd, "C");
        subject = new SearchCriteria(child.givenName(), child.familyName(), null, null, child.dateOfBirth(), null, null);
        candidates = new ArrayList<>();
        String[] authorities = {"bradford", "calderdale", "kirklees", "leeds", "wakefield"};
        for (int k = 0; k < 20; k++) {
            ChildRecord c = k < 3 ? variant(rnd, child) : sameFamily(rnd, child);
            candidates.add(new SourcedRecord(authorities[k % 5], c));
        }
    }

    private static ChildRecord random(Random rnd, String id) {
        LocalDate dob = LocalDate.of(2008 + rnd.nextInt(18), 1 + rnd.nextInt(12), 1 + rnd.nextInt(28));
        Address address = new Address(STREET[rnd.nextInt(STREET.length)], "Bradford", POSTCODE[rnd.nextInt(POSTCODE.length)], "bradford");
        List<AddressPeriod> history = rnd.nextBoolean() ? List.of(new AddressPeriod(
                new Address(STREET[rnd.nextInt(STREET.length)], "Leeds", POSTCODE[rnd.nextInt(POSTCODE.length)], "leeds"),
                dob, dob.plusYears(3))) : null;
        List<PersonName> aliases = rnd.nextInt(4) == 0 ? List.of(new PersonName(GIVEN[rnd.nextInt(GIVEN.length)],
                FAMILY[rnd.nextInt(FAMILY.length)])) : null;
        return record(id, GIVEN[rnd.nextInt(GIVEN.length)], FAMILY[rnd.nextInt(FAMILY.length)], aliases, dob,
                rnd.nextBoolean() ? Gender.FEMALE : Gender.MALE, address, history);
    }

    private static ChildRecord variant(Random rnd, ChildRecord a) {
        String given = a.givenName();
        String family = a.familyName();
        LocalDate dob = a.dateOfBirth();
        switch (rnd.nextInt(4)) {
            case 0 -> given = given.substring(0, given.length() - 1) + "e";
            case 1 -> family = family.toUpperCase();
            case 2 -> dob = dob.getDayOfMonth() <= 12 ? LocalDate.of(dob.getYear(), dob.getDayOfMonth(), dob.getMonthValue()) : dob;
            default -> given = GIVEN[rnd.nextInt(GIVEN.length)];
        }
        return record(a.recordId() + "v", given, family, a.aliases(), dob, a.gender(), a.address(), a.addressHistory());
    }

    private static ChildRecord sameFamily(Random rnd, ChildRecord a) {
        ChildRecord r = random(rnd, a.recordId() + "s");
        return record(r.recordId(), r.givenName(), a.familyName(), r.aliases(), r.dateOfBirth(), r.gender(), a.address(), null);
    }

    private static ChildRecord record(String id, String given, String family, List<PersonName> aliases, LocalDate dob,
                                      Gender gender, Address address, List<AddressPeriod> history) {
        return new ChildRecord(id, given, family, aliases, dob, gender, null, address, history, null, null, null, null,
                null, null, null, null, null, null, null, null, null);
    }

    /** One pair scored (prepared records): the figure the 200,000 pairs/s target is about. */
    @Benchmark
    public PairComparison scorePair() {
        int k = i++ & (left.length - 1);
        return scorer.compare(left[k], right[k]);
    }

    /** One enquiry's linking of 20 candidates from five registers, preparation included. */
    @Benchmark
    public LinkageResult linkTwentyCandidates() {
        return linker.link(subject, candidates);
    }
}
