package uk.wycps.mock;

import java.text.Normalizer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.codec.language.DoubleMetaphone;
import uk.wycps.record.SearchCriteria;
import uk.wycps.mock.SyntheticPopulation.Identity;
import uk.wycps.record.PersonName;

/**
 * A register's loose pre-filter: phonetic keys (Double Metaphone, primary and alternate) of
 * family names, aliases' family names and given names, plus each child's date of birth. It only
 * keeps a search from returning the whole register; the gateway does the real matching.
 *
 * <p>A candidate shares a family-name key with the criteria (its own or an alias's, against the
 * criteria's family name or aliases), or the criteria's given and family names swapped match
 * its family and given names, or (a changed family name) it shares a given-name key and has the
 * very date of birth or the date with day and month swapped. When the criteria carry a date of birth, the candidate's is in
 * the same year give or take one, or the same date with day and month swapped. At most
 * {@link #MAX_CANDIDATES}, the closest first. Immutable once built; lookups only.
 */
final class CandidateIndex {

    /**
     * The closest 50 at most: enough for the gateway's own matching, and at 1,000,000 children
     * four times cheaper to answer than the connector's limit of 200 (docs/performance.md).
     */
    static final int MAX_CANDIDATES = 50;

    private static final DoubleMetaphone METAPHONE = new DoubleMetaphone();

    private final Map<String, int[]> byFamilyKey;
    private final Map<String, int[]> byGivenKey;
    private final Map<Integer, int[]> byBirthYear;
    private final int[] birthDay;
    private final int[] givenHash;
    private final String[] familyNorm;

    private CandidateIndex(Map<String, int[]> byFamilyKey, Map<String, int[]> byGivenKey,
                           Map<Integer, int[]> byBirthYear, int[] birthDay, int[] givenHash, String[] familyNorm) {
        this.byFamilyKey = byFamilyKey;
        this.byGivenKey = byGivenKey;
        this.byBirthYear = byBirthYear;
        this.birthDay = birthDay;
        this.givenHash = givenHash;
        this.familyNorm = familyNorm;
    }

    /** Indexes every slot of the register (generates identities only, not whole records). */
    static CandidateIndex build(SyntheticPopulation population, String authority) {
        int n = population.childrenPerRegister();
        Map<String, IntList> family = new HashMap<>();
        Map<String, IntList> given = new HashMap<>();
        Map<Integer, IntList> years = new HashMap<>();
        int[] birthDay = new int[n];
        int[] givenHash = new int[n];
        String[] familyNorm = new String[n];
        for (int slot = 0; slot < n; slot++) {
            Identity id = population.identity(authority, slot);
            Set<String> fk = new LinkedHashSet<>();
            Set<String> gk = new LinkedHashSet<>();
            addFamilyKeys(fk, id.familyName());
            addKeys(gk, id.givenName());
            for (PersonName alias : id.aliases()) {
                addFamilyKeys(fk, alias.familyName());
                addKeys(gk, alias.givenName());
            }
            for (String k : fk) {
                family.computeIfAbsent(k, x -> new IntList()).add(slot);
            }
            for (String k : gk) {
                given.computeIfAbsent(k, x -> new IntList()).add(slot);
            }
            birthDay[slot] = id.dateOfBirth() == null ? Integer.MIN_VALUE : (int) id.dateOfBirth().toEpochDay();
            if (id.dateOfBirth() != null) {
                years.computeIfAbsent(id.dateOfBirth().getYear(), x -> new IntList()).add(slot);
            }
            givenHash[slot] = normalise(id.givenName()).hashCode();
            familyNorm[slot] = normalise(id.familyName()).intern();
        }
        Map<Integer, int[]> byYear = new HashMap<>();
        years.forEach((y, v) -> byYear.put(y, v.toArray()));
        return new CandidateIndex(freeze(family), freeze(given), byYear, birthDay, givenHash, familyNorm);
    }

    /** The slots of the candidates for the criteria, closest first, at most {@link #MAX_CANDIDATES}. */
    int[] candidates(SearchCriteria criteria) {
        Set<String> familyKeys = new LinkedHashSet<>();
        addFamilyKeys(familyKeys, criteria.familyName());
        for (PersonName alias : criteria.aliases()) {
            if (alias != null) {
                addFamilyKeys(familyKeys, alias.familyName());
            }
        }
        IntSet found = new IntSet();
        for (String k : familyKeys) {
            found.addAll(byFamilyKey.get(k));
        }
        if (criteria.givenName() != null) {
            // Given and family names swapped: the record's family name sounds like the criteria's
            // given name and its given name like the criteria's family name.
            Set<String> swappedFamily = new LinkedHashSet<>();
            addFamilyKeys(swappedFamily, criteria.givenName());
            Set<String> swappedGiven = new LinkedHashSet<>();
            addKeys(swappedGiven, criteria.familyName());
            IntSet givenSide = new IntSet();
            for (String k : swappedGiven) {
                givenSide.addAll(byGivenKey.get(k));
            }
            for (String k : swappedFamily) {
                int[] slots = byFamilyKey.get(k);
                if (slots != null) {
                    for (int s : slots) {
                        if (givenSide.contains(s)) {
                            found.add(s);
                        }
                    }
                }
            }
        }
        LocalDate dob = criteria.dateOfBirth();
        if (criteria.givenName() != null && dob != null) {
            // A changed family name (a step-parent's, say): the given name sounds the same and the
            // date of birth is the very one, or has day and month swapped.
            Set<String> givenKeys = new LinkedHashSet<>();
            addKeys(givenKeys, criteria.givenName());
            IntSet givenSide = new IntSet();
            for (String k : givenKeys) {
                givenSide.addAll(byGivenKey.get(k));
            }
            int exact = (int) dob.toEpochDay();
            int swapped = dob.getDayOfMonth() <= 12
                    ? (int) LocalDate.of(dob.getYear(), dob.getDayOfMonth(), dob.getMonthValue()).toEpochDay() : exact;
            int[] sameYear = byBirthYear.get(dob.getYear());
            if (sameYear != null) {
                for (int s : sameYear) {
                    if ((birthDay[s] == exact || birthDay[s] == swapped) && givenSide.contains(s)) {
                        found.add(s);
                    }
                }
            }
        }
        int wantedGiven = criteria.givenName() == null ? 0 : normalise(criteria.givenName()).hashCode();
        String wantedFamily = normalise(criteria.familyName());
        int[] slots = found.toArray();
        long[] ranked = new long[slots.length];
        int kept = 0;
        for (int s : slots) {
            int score = 0;
            if (dob != null) {
                int closeness = dateCloseness(dob, birthDay[s]);
                if (closeness < 0) {
                    continue;
                }
                score += closeness;
            }
            if (criteria.givenName() != null && givenHash[s] == wantedGiven) {
                score += 4;
            }
            if (familyNorm[s].equals(wantedFamily)) {
                score += 2;
            }
            // Highest score first, then slot order, in one sortable long.
            ranked[kept++] = ((long) (100 - score) << 32) | s;
        }
        Arrays.sort(ranked, 0, kept);
        int[] result = new int[Math.min(kept, MAX_CANDIDATES)];
        for (int i = 0; i < result.length; i++) {
            result[i] = (int) ranked[i];
        }
        return result;
    }

    /** -1 when the birth date rules the slot out; otherwise higher for closer. */
    private static int dateCloseness(LocalDate wanted, int epochDay) {
        if (epochDay == Integer.MIN_VALUE) {
            return 0;
        }
        if (Math.abs((long) epochDay - wanted.toEpochDay()) > 731) {
            // More than two years apart: ruled out without building a date (most slots of a large register).
            return -1;
        }
        LocalDate have = LocalDate.ofEpochDay(epochDay);
        if (have.equals(wanted)) {
            return 8;
        }
        if (have.getYear() == wanted.getYear() && have.getMonthValue() == wanted.getDayOfMonth()
                && have.getDayOfMonth() == wanted.getMonthValue()) {
            return 6;
        }
        int years = Math.abs(have.getYear() - wanted.getYear());
        if (years > 1) {
            return -1;
        }
        return years == 0 ? 2 : 1;
    }

    /** Keys of a family name, of each part of a hyphenated or spaced one, and of the parts run together. */
    private static void addFamilyKeys(Set<String> keys, String name) {
        if (name == null) {
            return;
        }
        addKeys(keys, name);
        String[] parts = name.split("[-\\s]+");
        if (parts.length > 1) {
            for (String p : parts) {
                addKeys(keys, p);
            }
        }
    }

    private static void addKeys(Set<String> keys, String name) {
        if (name == null) {
            return;
        }
        String plain = normalise(name);
        if (plain.isEmpty()) {
            return;
        }
        String primary = METAPHONE.doubleMetaphone(plain, false);
        String alternate = METAPHONE.doubleMetaphone(plain, true);
        if (primary != null && !primary.isEmpty()) {
            keys.add(primary);
        }
        if (alternate != null && !alternate.isEmpty()) {
            keys.add(alternate);
        }
    }

    /** Lower case ASCII letters only: accents and marks dropped, {@code ł} as {@code l}. */
    static String normalise(String name) {
        if (name == null) {
            return "";
        }
        String decomposed = Normalizer.normalize(name.replace('ł', 'l').replace('Ł', 'L')
                .replace('ø', 'o').replace('Ø', 'O').replace('ß', 's'), Normalizer.Form.NFD);
        StringBuilder sb = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    private static Map<String, int[]> freeze(Map<String, IntList> lists) {
        Map<String, int[]> frozen = new HashMap<>(lists.size() * 2);
        lists.forEach((k, v) -> frozen.put(k, v.toArray()));
        return frozen;
    }

    /** A growable int array: a million boxed Integers would cost far more. */
    private static final class IntList {
        private int[] values = new int[4];
        private int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    /** A small open set of ints, for the union of a few posting lists. */
    private static final class IntSet {
        private final List<int[]> parts = new ArrayList<>();
        private java.util.BitSet bits;
        private int[] cache;

        void addAll(int[] slots) {
            if (slots != null) {
                parts.add(slots);
                bits = null;
                cache = null;
            }
        }

        void add(int slot) {
            addAll(new int[] {slot});
        }

        boolean contains(int slot) {
            return bitSet().get(slot);
        }

        int[] toArray() {
            if (cache == null) {
                cache = bitSet().stream().toArray();
            }
            return cache;
        }

        private java.util.BitSet bitSet() {
            if (bits == null) {
                bits = new java.util.BitSet();
                for (int[] p : parts) {
                    for (int s : p) {
                        bits.set(s);
                    }
                }
            }
            return bits;
        }
    }
}
