package uk.wycps.linkage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * How common each family name is (share of the population), for the term-frequency adjustment
 * of an exact family-name agreement: agreeing on {@code smith} says less than agreeing on a rare
 * name. Names not known give {@link Double#NaN} and no adjustment.
 */
public final class SurnameFrequencies {

    public static final String DEFAULT_RESOURCE = "/uk/wycps/linkage/surname-frequencies.txt";

    private final Map<String, Double> shares;

    private SurnameFrequencies(Map<String, Double> shares) {
        this.shares = Map.copyOf(shares);
    }

    public static SurnameFrequencies none() {
        return new SurnameFrequencies(Map.of());
    }

    public static SurnameFrequencies defaults() {
        try (InputStream in = SurnameFrequencies.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("surname frequency table not found: " + DEFAULT_RESOURCE);
            }
            Map<String, Double> m = new HashMap<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                int sp = t.lastIndexOf(' ');
                double share;
                try {
                    share = sp > 0 ? Double.parseDouble(t.substring(sp + 1)) : -1;
                } catch (NumberFormatException e) {
                    share = -1;
                }
                if (!(share > 0 && share < 1)) {
                    throw new IllegalStateException("surname frequency table line " + n + ": expected 'surname share' with 0 < share < 1");
                }
                m.put(NameNormaliser.compact(t.substring(0, sp)), share);
            }
            return new SurnameFrequencies(m);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read surname frequency table", e);
        }
    }

    /** Frequencies counted on a population of records: {@code counts} by compact name, out of {@code total}. */
    public static SurnameFrequencies fromCounts(Map<String, Integer> counts, int total) {
        Map<String, Double> m = new HashMap<>();
        counts.forEach((k, v) -> m.put(k, v / (double) total));
        return new SurnameFrequencies(m);
    }

    /** The share of the population with this compact, normalised family name, or NaN if unknown. */
    public double share(String compactFamilyName) {
        Double d = shares.get(compactFamilyName);
        return d == null ? Double.NaN : d;
    }
}
