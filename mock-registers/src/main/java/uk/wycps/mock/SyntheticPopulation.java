package uk.wycps.mock;

import java.math.BigInteger;
import java.time.LocalDate;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import uk.wycps.record.SearchCriteria;
import uk.wycps.mock.GroundTruth.Person;
import uk.wycps.mock.GroundTruth.RecordRef;
import uk.wycps.mock.data.Community;
import uk.wycps.mock.data.NameVariants;
import uk.wycps.mock.data.Places;
import uk.wycps.mock.data.Places.Area;
import uk.wycps.record.Address;
import uk.wycps.record.AddressPeriod;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.ConcernCategory;
import uk.wycps.record.Gender;
import uk.wycps.record.Meeting;
import uk.wycps.record.PersonName;
import uk.wycps.record.Referral;
import uk.wycps.record.Registration;
import uk.wycps.record.Relationship;

/**
 * Synthetic children of the five West Yorkshire registers, deterministic from a seed.
 *
 * <p>Every record is a pure function of (seed, authority, slot), so nothing needs to be held:
 * a register of a million children regenerates a record when asked for it, and the population
 * itself is a few numbers. Small registers are materialised once and kept.
 *
 * <p>Layout, per register of {@code n} slots: slots {@code [0, s)} hold the second record of a
 * child who moved in from the previous authority (in {@link #AUTHORITIES} order, circular);
 * slots {@code [s, s + t)} hold the third record of a child who moved twice; the rest are the
 * register's own children, of whom the last {@code s} are those who later moved on. With
 * {@code s = n/10} and {@code t = 3n/100}, about 11% of children are held by two or three
 * registers. Record numbers are a permutation of the slots, so they reveal nothing of this.
 *
 * <p>The other native children come in sibling groups (about 40% of them, some twins): one
 * family name, parents, home and conference, each naming the others among its relationships,
 * and each a different person in the ground truth: the hard negatives of record linkage.
 */
public final class SyntheticPopulation {

    public static final List<String> AUTHORITIES = List.of("bradford", "calderdale", "kirklees", "leeds", "wakefield");
    /** The fixed "today" of the data, so that the same seed gives the same records on any day. */
    public static final LocalDate REFERENCE_DATE = LocalDate.of(2026, 1, 1);
    public static final int MIN_CHILDREN = 20;
    public static final int MAX_CHILDREN = 5_000_000;
    /** Registers up to this size are materialised; larger ones are regenerated on demand. */
    public static final int MATERIALISE_LIMIT = 50_000;

    private static final LocalDate FIRST_BIRTH = LocalDate.of(2008, 1, 1);
    private static final LocalDate LAST_BIRTH = LocalDate.of(2025, 12, 31);
    private static final long[] ID_MULTIPLIERS = {7919, 104_729, 1_299_709, 15_485_863};

    private final long seed;
    private final int n;
    private final int second;
    private final int third;
    private final long idMultiplier;
    private final long idInverse;
    private final long idOffset;
    private final GroundTruth groundTruth = new GroundTruth(this);
    private final Map<String, List<ChildRecord>> materialised = new ConcurrentHashMap<>();

    private SyntheticPopulation(long seed, int n) {
        this.seed = seed;
        this.n = n;
        this.second = Math.max(2, n / 10);
        this.third = Math.max(1, n * 3 / 100);
        long m = 0;
        for (long candidate : ID_MULTIPLIERS) {
            if (n % candidate != 0) {
                m = candidate % n == 0 ? 1 : candidate;
                break;
            }
        }
        this.idMultiplier = m == 0 ? 1 : m;
        this.idInverse = BigInteger.valueOf(idMultiplier).modInverse(BigInteger.valueOf(n)).longValue();
        this.idOffset = Math.floorMod(mix(seed, 99, 99, 99), (long) n);
    }

    /**
     * The population of the five registers, {@code childrenPerRegister} records each. Cheap:
     * records are generated when first asked for.
     */
    public static SyntheticPopulation generate(long seed, int childrenPerRegister) {
        if (childrenPerRegister < MIN_CHILDREN || childrenPerRegister > MAX_CHILDREN) {
            throw new IllegalArgumentException("childrenPerRegister must be between " + MIN_CHILDREN
                    + " and " + MAX_CHILDREN);
        }
        return new SyntheticPopulation(seed, childrenPerRegister);
    }

    public long seed() {
        return seed;
    }

    public int childrenPerRegister() {
        return n;
    }

    public List<String> authorities() {
        return AUTHORITIES;
    }

    /** Which records are the same child. Never served by a register. */
    public GroundTruth groundTruth() {
        return groundTruth;
    }

    /** The register's records in slot order: materialised when small, a regenerating view when large. */
    public List<ChildRecord> records(String authority) {
        int r = authorityIndex(authority);
        if (n > MATERIALISE_LIMIT) {
            return new AbstractList<>() {
                @Override
                public ChildRecord get(int slot) {
                    Objects.checkIndex(slot, n);
                    return generateRecord(r, slot);
                }

                @Override
                public int size() {
                    return n;
                }
            };
        }
        return materialised.computeIfAbsent(authority, a -> {
            List<ChildRecord> all = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                all.add(generateRecord(r, k));
            }
            return List.copyOf(all);
        });
    }

    /** The record in a slot of a register. */
    public ChildRecord record(String authority, int slot) {
        Objects.checkIndex(slot, n);
        return records(authority).get(slot);
    }

    /**
     * Whether the record in a slot is shielded by its register (A10), without generating it.
     *
     * <p>About 1 child in {@value #SHIELDED_ONE_IN} is a child whose location must stay hidden,
     * with its brothers and sisters (a household is shielded together: they share a home); the
     * register of the authority where the child lives now shields its record, and the
     * registers it lived under before do not know (their records are not shielded: the gateway's
     * person-level rule keeps their addresses in too). Besides that share, the first twice-moved
     * child of Leeds is always shielded (at Bradford, where it lives now, with unshielded records
     * at Leeds and Wakefield), so that every population has a shielded child held by three
     * registers to test with.
     */
    public boolean shielded(String authority, int slot) {
        Objects.checkIndex(slot, n);
        int[] o = origin(authorityIndex(authority), slot);
        return shielded(o[0], o[1], o[2]);
    }

    private boolean shielded(int a, int kk, int hop) {
        int j = n - 1 - kk;
        int lastHop = j < third ? 2 : j < second ? 1 : 0;
        if (hop != lastHop) {
            return false;
        }
        boolean fixed = a == AUTHORITIES.indexOf("leeds") && j == 0;
        // Brothers and sisters share a home: a household is shielded together, or its address
        // would come out through an unshielded sibling's record.
        int head = siblingGroup(a, kk)[0];
        return fixed || Math.floorMod(mix(seed, a, head, SALT_SHIELD), (long) SHIELDED_ONE_IN) == 0;
    }

    /** The name, birth date and gender of a slot, without generating the rest of the record. */
    public Identity identity(String authority, int slot) {
        Objects.checkIndex(slot, n);
        return identity(authorityIndex(authority), slot);
    }

    /** The record id of a slot, such as {@code BD-000123}. */
    public String recordId(String authority, int slot) {
        return recordId(authorityIndex(authority), slot);
    }

    /** The slot of a record id, or -1 when the register holds no such record. */
    public int slotOf(String authority, String recordId) {
        Area area = Places.area(authority);
        if (recordId == null || recordId.length() < 4 || recordId.length() > 12
                || !recordId.startsWith(area.idPrefix() + "-")) {
            return -1;
        }
        String digits = recordId.substring(3);
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        long number = Long.parseLong(digits);
        if (number >= n || !recordId.equals(String.format("%s-%06d", area.idPrefix(), number))) {
            return -1;
        }
        return (int) Math.floorMod(Math.multiplyExact(Math.floorMod(number - idOffset, (long) n), idInverse), (long) n);
    }

    /**
     * A child held by exactly two registers under the very same given name, family name, date
     * of birth and gender (only the address differs): bradford's and calderdale's record of the
     * first child who moved once. The demo's example enquiry.
     */
    public CrossBoundaryExample crossBoundaryExample() {
        int origin = 0;
        int j = third;
        int originSlot = n - 1 - j;
        Identity id = identity(origin, originSlot);
        return new CrossBoundaryExample(id.givenName(), id.familyName(), id.dateOfBirth(), id.gender(),
                List.of(new RecordRef(AUTHORITIES.get(origin), recordId(origin, originSlot)),
                        new RecordRef(AUTHORITIES.get(origin + 1), recordId(origin + 1, j))));
    }

    /** The example child of {@link #crossBoundaryExample()}. */
    public record CrossBoundaryExample(String givenName, String familyName, LocalDate dateOfBirth, Gender gender,
                                       List<RecordRef> records) {

        /** Criteria that find the child: given name, family name and date of birth. */
        public SearchCriteria criteria() {
            return new SearchCriteria(givenName, familyName, null, null, dateOfBirth, null, null);
        }
    }

    /** What a register holds to identify a child: all a search looks at. */
    public record Identity(String givenName, String familyName, List<PersonName> aliases, LocalDate dateOfBirth,
                           Gender gender) {
    }

    // ---- ground truth -------------------------------------------------------------------------

    void forEachPerson(Consumer<Person> visitor) {
        int personNo = 0;
        for (int a = 0; a < AUTHORITIES.size(); a++) {
            for (int k = second + third; k < n; k++) {
                visitor.accept(person(a, k, ++personNo));
            }
        }
    }

    Person personOf(String authority, String recordId) {
        int r = authorityIndex(authority);
        int k = slotOf(authority, recordId);
        if (k < 0) {
            throw new IllegalArgumentException("unknown record");
        }
        int[] origin = origin(r, k);
        int a = origin[0];
        int kk = origin[1];
        int personNo = a * (n - second - third) + (kk - second - third) + 1;
        return person(a, kk, personNo);
    }

    private Person person(int a, int k, int personNo) {
        List<RecordRef> refs = new ArrayList<>(3);
        refs.add(new RecordRef(AUTHORITIES.get(a), recordId(a, k)));
        int j = n - 1 - k;
        if (j < second) {
            int b = (a + 1) % 5;
            refs.add(new RecordRef(AUTHORITIES.get(b), recordId(b, j)));
        }
        if (j < third) {
            int c = (a + 2) % 5;
            refs.add(new RecordRef(AUTHORITIES.get(c), recordId(c, second + j)));
        }
        return new Person(String.format("P-%07d", personNo), refs);
    }

    /** {origin authority, origin slot, hop}: where the child of slot k of register r comes from. */
    private int[] origin(int r, int k) {
        if (k < second) {
            return new int[] {(r + 4) % 5, n - 1 - k, 1};
        }
        if (k < second + third) {
            return new int[] {(r + 3) % 5, n - 1 - (k - second), 2};
        }
        return new int[] {r, k, 0};
    }

    // ---- generation ---------------------------------------------------------------------------

    private static final int SALT_CORE = 1;
    private static final int SALT_VARIANT = 2;
    private static final int SALT_RECORD = 3;
    private static final int SALT_MOVE = 4;
    private static final int SALT_FAMILY = 5;
    private static final int SALT_CHILD = 6;
    private static final int SALT_OWN = 7;
    private static final int SALT_SHIELD = 8;
    /** About 1 in this many children is shielded (A10). */
    static final int SHIELDED_ONE_IN = 200;

    private enum Variant { IDENTICAL, OTHER_SPELLING, NICKNAME, HYPHEN_DROPPED, TYPO, DOB_SWAP, ALIAS_SURNAME }

    /** The child as it really is, independent of any register. */
    private record Core(int head, LocalDate youngestInGroup, Community community, Gender gender, String givenName, String familyName,
                        List<PersonName> aliases, LocalDate dateOfBirth, List<String> languages, String ethnicity,
                        List<Relationship> relationships, String legalStatus, boolean lookedAfter) {
    }

    private String recordId(int r, int slot) {
        long number = Math.floorMod(Math.multiplyExact((long) slot, idMultiplier) + idOffset, (long) n);
        return String.format("%s-%06d", Places.AREAS.get(r).idPrefix(), number);
    }

    private static int authorityIndex(String authority) {
        int i = AUTHORITIES.indexOf(authority);
        if (i < 0) {
            throw new IllegalArgumentException("unknown authority");
        }
        return i;
    }

    private Random random(int a, int k, int salt) {
        return new Random(mix(seed, a, k, salt));
    }

    private static long mix(long seed, int a, int k, int salt) {
        long z = seed * 0x9E3779B97F4A7C15L + ((long) a << 40) + ((long) salt << 56) + k;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Sibling groups within a block of four native slots: sizes, and the weight of each pattern. */
    private static final int[][] SIBLING_PATTERNS = {{1, 1, 1, 1}, {2, 1, 1}, {2, 2}, {3, 1}, {1, 1, 2}, {4}};
    private static final int[] SIBLING_WEIGHTS = {40, 22, 14, 10, 9, 5};

    /**
     * {first slot, size, index in group} of the sibling group of a slot. Brothers and sisters are
     * neighbouring native slots of one register; children who move are not in groups.
     */
    private int[] siblingGroup(int a, int k) {
        int start = second + third;
        int end = n - second;
        if (k < start || k >= end) {
            return new int[] {k, 1, 0};
        }
        int blockStart = start + (k - start) / 4 * 4;
        int blockEnd = Math.min(blockStart + 4, end);
        int roll = random(a, blockStart, SALT_FAMILY).nextInt(100);
        int pattern = 0;
        while (roll >= SIBLING_WEIGHTS[pattern]) {
            roll -= SIBLING_WEIGHTS[pattern];
            pattern++;
        }
        int head = blockStart;
        for (int size : SIBLING_PATTERNS[pattern]) {
            int groupEnd = Math.min(head + size, blockEnd);
            if (k < groupEnd) {
                return new int[] {head, groupEnd - head, k - head};
            }
            head = groupEnd;
        }
        return new int[] {k, 1, 0};
    }

    private Core core(int a, int k) {
        int[] group = siblingGroup(a, k);
        int head = group[0];
        int size = group[1];
        int member = group[2];
        // What the brothers and sisters share comes from the family's generator, what is the
        // child's own from the child's.
        Random rnd = random(a, head, SALT_CORE);
        Random own = random(a, k, SALT_CHILD);
        Area area = Places.AREAS.get(a);
        Community community = Places.community(rnd, area);
        String family = Places.pick(rnd, community.surnames());
        String otherFamily = Places.pick(rnd, rnd.nextInt(3) == 0 ? Community.WHITE_BRITISH.surnames() : community.surnames());
        boolean hyphenated = !otherFamily.equals(family) && switch (community) {
            case WHITE_BRITISH, MIXED, CARIBBEAN, IRISH -> rnd.nextInt(100) < 9;
            case PAKISTANI, INDIAN -> rnd.nextInt(100) < 3;
            default -> false;
        };
        if (hyphenated) {
            family = family + "-" + otherFamily;
        }

        // The children of the group, oldest first; the first two are sometimes twins.
        Gender[] genders = new Gender[size];
        boolean[] girls = new boolean[size];
        String[] givens = new String[size];
        LocalDate[] births = new LocalDate[size];
        LocalDate lastOldest = LAST_BIRTH.minusYears(2L * (size - 1));
        LocalDate born = FIRST_BIRTH.plusDays(rnd.nextInt((int) (lastOldest.toEpochDay() - FIRST_BIRTH.toEpochDay() + 1)));
        boolean twins = size >= 2 && rnd.nextInt(100) < 12;
        for (int i = 0; i < size; i++) {
            int g = rnd.nextInt(100);
            genders[i] = g < 49 ? Gender.FEMALE : g < 98 ? Gender.MALE : Gender.UNKNOWN;
            girls[i] = genders[i] == Gender.FEMALE || (genders[i] == Gender.UNKNOWN && rnd.nextBoolean());
            String given = Places.pick(rnd, girls[i] ? community.girls() : community.boys());
            for (int tries = 0; tries < 5 && java.util.Arrays.asList(givens).subList(0, i).contains(given); tries++) {
                given = Places.pick(rnd, girls[i] ? community.girls() : community.boys());
            }
            givens[i] = given;
            if (i > 0 && !(twins && i == 1)) {
                born = min(born.plusDays(300 + rnd.nextInt(1100)), LAST_BIRTH);
            }
            births[i] = born;
        }
        Gender gender = genders[member];
        boolean female = girls[member];
        String given = givens[member];
        String childFamily = female ? feminine(community, family) : family;

        List<PersonName> aliases = new ArrayList<>(2);
        String nick = NameVariants.nickname(own, given);
        if (nick != null && own.nextInt(100) < 40) {
            aliases.add(new PersonName(nick, childFamily));
        }
        if (hyphenated && own.nextInt(100) < 50) {
            aliases.add(new PersonName(given, childFamily.substring(0, childFamily.indexOf('-'))));
        } else if (!hyphenated && own.nextInt(100) < 10) {
            aliases.add(new PersonName(given, otherFamily));
        }

        List<String> languages = new ArrayList<>(2);
        List<String> spoken = community.languages();
        if (spoken.size() > 1 && rnd.nextInt(100) < 75) {
            String home = spoken.get(1 + rnd.nextInt(spoken.size() - 1));
            if (rnd.nextBoolean()) {
                languages.add(home);
                languages.add("English");
            } else {
                languages.add("English");
                languages.add(home);
            }
        } else {
            languages.add("English");
        }
        String ethnicity = rnd.nextInt(100) < 3 ? "Not stated" : community.ethnicity();

        List<Relationship> rel = new ArrayList<>(6);
        String surnameOfFather = hyphenated ? family.substring(family.indexOf('-') + 1) : family;
        String mothersSurname = rnd.nextInt(100) < 65 ? (hyphenated ? family.substring(0, family.indexOf('-')) : family) : otherFamily;
        rel.add(adult(rnd, Places.pick(rnd, community.adultNames(true)) + " " + feminine(community, mothersSurname),
                "mother", 18, 2));
        if (rnd.nextInt(100) < 62) {
            rel.add(adult(rnd, Places.pick(rnd, community.adultNames(false)) + " " + surnameOfFather, "father", 30, 20));
        }
        int p = rnd.nextInt(100);
        if (p < 14) {
            rel.add(adult(rnd, Places.pick(rnd, Community.WHITE_BRITISH.boys()) + " "
                    + Places.pick(rnd, Community.WHITE_BRITISH.surnames()), "step-father", 40, 25));
        } else if (p < 26) {
            Community partnerCommunity = rnd.nextBoolean() ? community : Community.WHITE_BRITISH;
            rel.add(adult(rnd, Places.pick(rnd, partnerCommunity.boys()) + " "
                    + Places.pick(rnd, partnerCommunity.surnames()), "mother's partner", 45, 25));
        }
        for (int i = 0; i < size; i++) {
            if (i != member) {
                String kin = girls[i] ? "sister" : "brother";
                rel.add(new Relationship(givens[i] + " " + (girls[i] ? feminine(community, family) : family),
                        births[i].equals(births[member]) ? "twin " + kin : kin, false, false));
            }
        }
        int siblings = rnd.nextInt(100) < (size == 1 ? 70 : 30) ? 1 + rnd.nextInt(rnd.nextInt(100) < 30 ? 4 : 2) : 0;
        for (int s = 0; s < siblings; s++) {
            boolean sister = rnd.nextBoolean();
            boolean half = rnd.nextInt(100) < 35;
            String surname = half ? otherFamily : family;
            String name = Places.pick(rnd, sister ? community.girls() : community.boys()) + " "
                    + (sister ? feminine(community, surname) : surname);
            rel.add(new Relationship(name, half ? (sister ? "half-sister" : "half-brother") : (sister ? "sister" : "brother"),
                    rnd.nextInt(100) < 4, false));
        }
        if (rnd.nextInt(100) < 30) {
            boolean grandmother = rnd.nextInt(100) < 75;
            rel.add(adult(rnd, Places.pick(rnd, community.adultNames(grandmother)) + " "
                            + (grandmother ? feminine(community, mothersSurname) : mothersSurname),
                    rnd.nextBoolean() ? (grandmother ? "maternal grandmother" : "maternal grandfather")
                            : (grandmother ? "paternal grandmother" : "paternal grandfather"), 6, grandmother ? 1 : 10));
        }
        if (rnd.nextInt(100) < 10) {
            rel.add(adult(rnd, Places.pick(rnd, community.adultNames(false)) + " " + surnameOfFather, "uncle", 25, 25));
        }

        int legal = rnd.nextInt(100);
        String legalStatus;
        boolean lookedAfter;
        if (legal < 74) {
            legalStatus = "Child Protection Plan";
            lookedAfter = rnd.nextInt(100) < 6;
        } else if (legal < 82) {
            legalStatus = "Accommodated (s20)";
            lookedAfter = true;
        } else if (legal < 89) {
            legalStatus = "Interim Care Order (s38)";
            lookedAfter = true;
        } else if (legal < 93) {
            legalStatus = "Care Order (s31)";
            lookedAfter = true;
        } else if (legal < 96) {
            legalStatus = "Supervision Order";
            lookedAfter = false;
        } else {
            legalStatus = "Special Guardianship Order";
            lookedAfter = true;
        }
        return new Core(head, births[size - 1], community, gender, given, childFamily, aliases, births[member],
                languages, ethnicity, rel, legalStatus, lookedAfter);
    }

    /** Polish family names take the feminine form for girls and women: Kowalski, Kowalska. */
    private static String feminine(Community community, String surname) {
        if (community == Community.POLISH && (surname.endsWith("ski") || surname.endsWith("cki"))) {
            return surname.substring(0, surname.length() - 1) + "a";
        }
        return surname;
    }

    /** An adult relative; {@code concernPct} have a concern, {@code scheduleOnePct} of those a Schedule One indicator. */
    private static Relationship adult(Random rnd, String name, String relationship, int concernPct, int scheduleOnePct) {
        boolean concern = rnd.nextInt(100) < concernPct;
        boolean scheduleOne = concern && rnd.nextInt(100) < scheduleOnePct;
        return new Relationship(name, relationship, concern, scheduleOne);
    }

    private Identity identity(int r, int k) {
        int[] o = origin(r, k);
        return identity(core(o[0], o[1]), o[0], o[1], o[2]);
    }

    private Identity identity(Core c, int a, int kk, int hop) {
        if (hop == 0) {
            return new Identity(c.givenName(), c.familyName(), c.aliases(), c.dateOfBirth(), c.gender());
        }
        Random rnd = random(a, kk, SALT_VARIANT + 16 * hop);
        Variant variant = variant(rnd, n - 1 - kk);
        String given = c.givenName();
        String family = c.familyName();
        LocalDate dob = c.dateOfBirth();
        List<PersonName> aliases = new ArrayList<>(c.aliases());
        switch (variant) {
            case OTHER_SPELLING -> {
                String g = NameVariants.otherSpelling(rnd, given);
                String f = NameVariants.otherSpelling(rnd, family);
                if (g != null && (f == null || rnd.nextBoolean())) {
                    given = g;
                } else if (f != null) {
                    family = f;
                }
            }
            case NICKNAME -> {
                String nick = NameVariants.nickname(rnd, given);
                if (nick != null) {
                    aliases.removeIf(p -> p.givenName().equals(nick));
                    if (rnd.nextBoolean()) {
                        aliases.add(new PersonName(given, family));
                    }
                    given = nick;
                }
            }
            case HYPHEN_DROPPED -> {
                int dash = family.indexOf('-');
                if (dash > 0) {
                    family = rnd.nextInt(3) == 0 ? family.substring(dash + 1) : family.substring(0, dash);
                }
            }
            case TYPO -> {
                if (rnd.nextBoolean()) {
                    given = NameVariants.typo(rnd, given);
                } else {
                    family = NameVariants.typo(rnd, family);
                }
            }
            case DOB_SWAP -> {
                if (dob.getDayOfMonth() <= 12 && dob.getDayOfMonth() != dob.getMonthValue()) {
                    dob = LocalDate.of(dob.getYear(), dob.getDayOfMonth(), dob.getMonthValue());
                }
            }
            case ALIAS_SURNAME -> {
                for (PersonName alias : c.aliases()) {
                    if (alias.givenName().equals(given) && !alias.familyName().equals(family)) {
                        aliases.remove(alias);
                        aliases.add(new PersonName(given, family));
                        family = alias.familyName();
                        break;
                    }
                }
            }
            case IDENTICAL -> {
            }
        }
        final String finalGiven = given;
        final String finalFamily = family;
        aliases.removeIf(p -> p.givenName().equals(finalGiven) && p.familyName().equals(finalFamily));
        return new Identity(given, family, aliases, dob, c.gender());
    }

    /** How a later register's record differs; the first once-moved child of each register is always identical. */
    private Variant variant(Random rnd, int j) {
        if (j == third) {
            return Variant.IDENTICAL;
        }
        int roll = rnd.nextInt(100);
        if (roll < 45) {
            return Variant.IDENTICAL;
        } else if (roll < 57) {
            return Variant.OTHER_SPELLING;
        } else if (roll < 67) {
            return Variant.NICKNAME;
        } else if (roll < 75) {
            return Variant.HYPHEN_DROPPED;
        } else if (roll < 85) {
            return Variant.TYPO;
        } else if (roll < 95) {
            return Variant.DOB_SWAP;
        }
        return Variant.ALIAS_SURNAME;
    }

    private ChildRecord generateRecord(int r, int k) {
        int[] o = origin(r, k);
        int a = o[0];
        int kk = o[1];
        int hop = o[2];
        Core c = core(a, kk);
        Identity id = identity(c, a, kk, hop);
        // Brothers and sisters share a home and a protection history (registered at one conference).
        Random rnd = random(r, hop == 0 ? c.head() : k, SALT_RECORD);
        Random own = random(r, k, SALT_OWN);

        // Where the child lived: one address per authority it passed through, dated by its moves.
        Random moves = random(a, c.head(), SALT_MOVE);
        boolean mover = n - 1 - kk < second;
        int stages = !mover ? 1 : n - 1 - kk < third ? 3 : 2;
        LocalDate[] from = new LocalDate[stages + 1];
        from[0] = c.dateOfBirth();
        for (int s = 1; s < stages; s++) {
            from[s] = between(moves, from[s - 1], REFERENCE_DATE);
        }
        List<AddressPeriod> history = new ArrayList<>(4);
        Address current = null;
        for (int s = 0; s <= hop; s++) {
            Address address = address(moves, Places.AREAS.get((a + s) % 5));
            LocalDate to = s < hop ? from[s + 1] : null;
            history.add(new AddressPeriod(address, from[s], to));
            current = address;
        }
        if (hop == 0 && moves.nextInt(100) < 30) {
            // An earlier address in the same authority.
            LocalDate moved = between(moves, c.youngestInGroup(), from.length > 1 && from[1] != null ? from[1] : REFERENCE_DATE);
            Address earlier = address(moves, Places.AREAS.get(r));
            history.set(0, new AddressPeriod(history.get(0).address(), moved, null));
            history.add(0, new AddressPeriod(earlier, c.dateOfBirth(), moved));
        }
        LocalDate arrived = history.get(history.size() - 1).from();
        if (arrived.isBefore(c.youngestInGroup())) {
            arrived = c.youngestInGroup();
        }

        // What this register knows of the child's protection history, from its arrival on.
        List<LocalDate> referralDates = new ArrayList<>(3);
        LocalDate cursor = arrived;
        int referralCount = 1 + rnd.nextInt(3);
        List<Referral> referrals = new ArrayList<>(referralCount);
        for (int i = 0; i < referralCount; i++) {
            cursor = between(rnd, cursor, REFERENCE_DATE);
            referralDates.add(cursor);
            referrals.add(new Referral(cursor, Places.pick(rnd, REFERRAL_SOURCES), Places.pick(rnd, REFERRAL_REASONS)));
        }
        List<Registration> previous = new ArrayList<>(2);
        List<Meeting> meetings = new ArrayList<>(8);
        if (referralCount > 1 && rnd.nextInt(100) < 35) {
            LocalDate start = referralDates.get(0).plusDays(10 + rnd.nextInt(30));
            LocalDate end = start.plusDays(90 + rnd.nextInt(400));
            if (end.isBefore(referralDates.get(referralCount - 1))) {
                ConcernCategory cat = category(rnd);
                previous.add(new Registration(Registration.ENDED, cat, start, end));
                meetings.add(new Meeting(start, hop > 0 && rnd.nextBoolean() ? "transfer-in conference"
                        : "initial child protection conference", "registered - " + cat.code()));
                meetings.add(new Meeting(end, "review child protection conference", "de-registered"));
            }
        }
        ConcernCategory category = category(rnd);
        LocalDate start = min(referralDates.get(referralCount - 1).plusDays(10 + rnd.nextInt(30)), REFERENCE_DATE);
        meetings.add(new Meeting(start, hop > 0 && previous.isEmpty() && rnd.nextInt(100) < 60
                ? "transfer-in conference" : "initial child protection conference", "registered - " + category.code()));
        boolean active = rnd.nextInt(100) < 58;
        LocalDate review = start.plusDays(90);
        LocalDate end = null;
        while (review.isBefore(REFERENCE_DATE)) {
            boolean ends = !active && rnd.nextInt(100) < 45;
            meetings.add(new Meeting(review, "review child protection conference", ends ? "de-registered" : "remain registered"));
            if (ends) {
                end = review;
                break;
            }
            review = review.plusDays(180);
        }
        Registration registration = end == null
                ? new Registration(Registration.ACTIVE, category, start, null)
                : new Registration(Registration.ENDED, category, start, end);
        List<ConcernCategory> categories = new ArrayList<>(2);
        categories.add(category);
        if (rnd.nextInt(100) < 22) {
            ConcernCategory more = category(rnd);
            if (more != category) {
                categories.add(more);
            }
        }
        List<Relationship> relationships = new ArrayList<>(c.relationships());
        if (hop > 0 && relationships.size() > 2 && rnd.nextInt(100) < 30) {
            relationships.remove(relationships.size() - 1);
        }
        String legalStatus = registration.end() != null && rnd.nextBoolean() ? "Child in Need" : c.legalStatus();
        String health = own.nextInt(100) < 45 ? Places.pick(own, HEALTH_NOTES) : null;
        StringBuilder details = new StringBuilder(Places.pick(rnd, CONCERN_DETAILS.get(category)));
        if (relationships.stream().anyMatch(x -> Boolean.TRUE.equals(x.scheduleOneIndicator()))) {
            details.append(" Contact with a household member who is a Schedule One offender.");
        }
        return new ChildRecord(
                recordId(r, k), id.givenName(), id.familyName(), id.aliases(), id.dateOfBirth(), id.gender(),
                c.languages(), current, history, legalStatus, categories, registration, previous, meetings,
                null, referrals, relationships, c.lookedAfter(), c.ethnicity(), health, details.toString(),
                shielded(a, kk, hop) ? Boolean.TRUE : null);
    }

    private static Address address(Random rnd, Area area) {
        int districts = area.towns().stream().mapToInt(t -> t.districts().size()).sum();
        int d = rnd.nextInt(districts);
        Places.Town town = area.towns().get(0);
        for (Places.Town t : area.towns()) {
            town = t;
            if (d < t.districts().size()) {
                break;
            }
            d -= t.districts().size();
        }
        return new Address(Places.streetLine(rnd), town.name(), Places.postcode(rnd, town.districts().get(d)),
                area.authority());
    }

    private static ConcernCategory category(Random rnd) {
        int roll = rnd.nextInt(100);
        // Roughly the national mix of child protection plans by initial category.
        return roll < 50 ? ConcernCategory.NEGLECT : roll < 86 ? ConcernCategory.EMOTIONAL_ABUSE
                : roll < 95 ? ConcernCategory.PHYSICAL_ABUSE : ConcernCategory.SEXUAL_ABUSE;
    }

    /** A date in {@code [from, to]}, leaning towards {@code from}. */
    private static LocalDate between(Random rnd, LocalDate from, LocalDate to) {
        long days = to.toEpochDay() - from.toEpochDay();
        if (days <= 0) {
            return from;
        }
        long step = (long) (days * Math.pow(rnd.nextDouble(), 1.6));
        return from.plusDays(step);
    }

    private static LocalDate min(LocalDate x, LocalDate y) {
        return x.isBefore(y) ? x : y;
    }

    private static final List<String> REFERRAL_SOURCES = List.of(
            "police", "school", "health visitor", "GP", "midwife", "A&E", "nursery", "neighbour", "anonymous",
            "family member", "housing", "probation", "school nurse", "another local authority");
    private static final List<String> REFERRAL_REASONS = List.of(
            "domestic abuse incident notification", "concerns about home conditions", "unexplained injury",
            "disclosure at school", "missed health appointments", "parental substance misuse",
            "parental mental health", "child missing from home", "child left unsupervised",
            "concerns about an adult in the household", "poor school attendance", "failure to thrive");
    private static final List<String> HEALTH_NOTES = List.of(
            "Asthma; inhaler kept at school.", "Immunisations not up to date.",
            "Speech and language delay; referred to SALT.", "Eczema.", "ADHD assessment pending.",
            "Type 1 diabetes.", "Dental decay; treatment outstanding.", "Low birth weight; growth monitored.",
            "Autism spectrum diagnosis.", "Missed hearing test follow-up.", "Epilepsy; on medication.");
    private static final Map<ConcernCategory, List<String>> CONCERN_DETAILS = Map.of(
            ConcernCategory.NEGLECT, List.of(
                    "Home conditions poor; repeated missed health appointments.",
                    "Child frequently hungry at school; inadequate clothing for the weather.",
                    "Lack of supervision; found alone at home on two occasions."),
            ConcernCategory.EMOTIONAL_ABUSE, List.of(
                    "Exposure to domestic abuse between mother and partner.",
                    "Persistent belittling by a carer reported by school.",
                    "Parental conflict and substance misuse affecting the child's emotional wellbeing."),
            ConcernCategory.PHYSICAL_ABUSE, List.of(
                    "Unexplained bruising to upper arm noted by school.",
                    "Injury inconsistent with the explanation given by carers.",
                    "Physical chastisement disclosed by the child."),
            ConcernCategory.SEXUAL_ABUSE, List.of(
                    "Disclosure to a teacher; police investigation ongoing.",
                    "Concerns about contact with an adult known to pose a risk to children.",
                    "Sexualised behaviour reported by nursery; assessment under way."));
}
