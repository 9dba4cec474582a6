package uk.wycps.linkage.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import uk.wycps.record.Address;
import uk.wycps.record.ChildRecord;

/**
 * Reads a FEBRL CSV file (header line, separator ", ", no quoting) into canonical records.
 * Mapping: given_name, surname; street_number + address_1 + address_2 as the address line;
 * suburb as town; postcode; date_of_birth (YYYYMMDD; an invalid date becomes missing). The record
 * id is a running number: {@code rec_id} is kept apart as the truth and {@code soc_sec_id} and
 * {@code state} are not read.
 */
public final class FebrlReader {

    /** One FEBRL row: the truth (entity key from rec_id) kept apart from the record. */
    public record Row(int entity, ChildRecord record) {
    }

    private FebrlReader() {
    }

    public static List<Row> read(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null) {
                return rows;
            }
            String[] cols = split(header);
            int recId = index(cols, "rec_id");
            int given = index(cols, "given_name");
            int surname = index(cols, "surname");
            int number = index(cols, "street_number");
            int addr1 = index(cols, "address_1");
            int addr2 = index(cols, "address_2");
            int suburb = index(cols, "suburb");
            int postcode = index(cols, "postcode");
            int dob = index(cols, "date_of_birth");
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = split(line);
                if (f.length < cols.length) {
                    f = java.util.Arrays.copyOf(f, cols.length);
                }
                int entity = entity(f[recId]);
                String street = join(join(f[number], f[addr1]), f[addr2]);
                Address address = new Address(street, blank(f[suburb]), blank(f[postcode]), null);
                ChildRecord rec = new ChildRecord("R" + (n++), blank(f[given]), blank(f[surname]), null,
                        date(f[dob]), null, null, address, null, null, null, null, null, null, null, null, null,
                        null, null, null, null, null);
                rows.add(new Row(entity, rec));
            }
        }
        return rows;
    }

    private static String[] split(String line) {
        String[] parts = line.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].strip();
        }
        return parts;
    }

    private static int index(String[] cols, String name) {
        for (int i = 0; i < cols.length; i++) {
            if (cols[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("FEBRL file has no column " + name);
    }

    static int entity(String recId) {
        // rec-<N>-org or rec-<N>-dup-<k>
        if (recId == null || !recId.startsWith("rec-")) {
            throw new IllegalArgumentException("unexpected rec_id format");
        }
        int end = recId.indexOf('-', 4);
        return Integer.parseInt(recId.substring(4, end < 0 ? recId.length() : end));
    }

    private static String blank(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String join(String a, String b) {
        if (a == null || a.isEmpty()) {
            return blank(b);
        }
        if (b == null || b.isEmpty()) {
            return a;
        }
        return a + " " + b;
    }

    /** YYYYMMDD to a date; null when missing or not a calendar date. */
    static LocalDate date(String s) {
        if (s == null || s.length() != 8) {
            return null;
        }
        for (int i = 0; i < 8; i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return null;
            }
        }
        try {
            return LocalDate.of(Integer.parseInt(s.substring(0, 4)), Integer.parseInt(s.substring(4, 6)),
                    Integer.parseInt(s.substring(6, 8)));
        } catch (DateTimeException e) {
            return null;
        }
    }
}
