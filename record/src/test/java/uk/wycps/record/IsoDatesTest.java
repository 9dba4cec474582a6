package uk.wycps.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonMappingException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast date readers agree with {@code java.time} and leave everything else to Jackson. */
class IsoDatesTest {

    @Test
    void readsEveryInstantAsJavaTimeDoesAtEveryPrecision() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-60_000_000_000L, 250_000_000_000L), random.nextInt(1_000_000_000));
            int digits = random.nextInt(10);
            String text = DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                    .replace("Z", "");
            if (digits > 0) {
                text += "." + String.format("%09d", t.getNano()).substring(0, digits);
            }
            text += "Z";
            if (text.length() > 30 || text.startsWith("+") || text.startsWith("-")) {
                continue; // years beyond four digits: the formatter's business
            }
            assertEquals(Instant.parse(text), IsoDates.parseInstant(text), text);
        }
    }

    @Test
    void readsEveryDateOfFourHundredYearsAsJavaTimeDoes() {
        for (LocalDate d = LocalDate.of(1800, 1, 1); d.isBefore(LocalDate.of(2200, 1, 1)); d = d.plusDays(1)) {
            assertEquals(d, IsoDates.parseDate(d.toString()));
        }
    }

    @Test
    void leavesOtherFormsAndImpossibleDatesToJackson() {
        for (String s : new String[] {"2026-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-1-01", "２０２６-01-01",
                "2026-01-01T00:00:00", "2026-01-01T24:00:00Z", "2026-01-01T23:59:60Z", "2026-01-01T23:59:59.Z",
                "2026-01-01T23:59:59+01:00", "2026-01-01t23:59:59z", "2026-01-01T23:59:59.1234567890Z"}) {
            assertNull(s.length() == 10 ? IsoDates.parseDate(s) : IsoDates.parseInstant(s), s);
        }
    }

    @Test
    void aBadDateInARecordStillFailsTheRead() throws Exception {
        assertThrows(JsonMappingException.class, () -> RecordJson.mapper().readValue("\"2026-02-30\"", LocalDate.class));
        assertThrows(JsonMappingException.class, () -> RecordJson.mapper().readValue("\"yesterday\"", Instant.class));
        assertEquals(LocalDate.of(2024, 2, 29), RecordJson.mapper().readValue("\"2024-02-29\"", LocalDate.class));
        assertEquals(Instant.parse("2026-11-24T16:47:28.5Z"),
                RecordJson.mapper().readValue("\"2026-11-24T16:47:28.5Z\"", Instant.class));
    }
}
