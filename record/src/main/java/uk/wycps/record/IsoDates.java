package uk.wycps.record;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.LocalDateDeserializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.function.Function;

/**
 * Reads the two date forms registers send almost always, {@code 2026-11-24} and
 * {@code 2026-11-24T16:47:28.566Z}, without {@code DateTimeFormatter}: parsing through the
 * formatter cost a fifth of the gateway's CPU per enquiry once records carried enquiry history
 * (a dozen instants each). Any other text, or a value out of range, goes to Jackson's own
 * deserializer, so what is accepted and how a bad value fails are unchanged.
 */
final class IsoDates {

    private IsoDates() {
    }

    /** Registered after {@code JavaTimeModule}, so these take precedence over its deserializers. */
    static SimpleModule module() {
        return new SimpleModule("wycps-iso-dates")
                .addDeserializer(Instant.class, new FastFirst<>(Instant.class, IsoDates::parseInstant,
                        InstantDeserializer.INSTANT))
                .addDeserializer(LocalDate.class, new FastFirst<>(LocalDate.class, IsoDates::parseDate,
                        LocalDateDeserializer.INSTANCE));
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, or null when {@code s} is not exactly that form. */
    static Instant parseInstant(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(10) != 'T' || s.charAt(n - 1) != 'Z' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        LocalDate date = parseDate(s.substring(0, 10));
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if (date == null || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            // a fraction of one to nine digits after a dot
            if (s.charAt(19) != '.' || n == 21) {
                return null;
            }
            int fraction = digits(s, 20, n - 1);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = n - 1 - 20; i < 9; i++) {
                nanos *= 10;
            }
        } else if (s.charAt(19) != 'Z') {
            return null;
        }
        long seconds = date.toEpochDay() * 86_400L + hour * 3600L + minute * 60L + second;
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** {@code yyyy-MM-dd} with a four-digit year, or null when {@code s} is not a valid date of that form. */
    static LocalDate parseDate(String s) {
        if (s.length() != 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) {
            return null;
        }
        try {
            return LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            return null; // 31 April, 29 February of a common year: the formatter says why
        }
    }

    /** The decimal value of {@code s[from, to)}, or -1 if any of it is not an ASCII digit. */
    private static int digits(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The fast form first; anything else to {@code fallback}, Jackson's own deserializer. */
    private static final class FastFirst<T> extends StdScalarDeserializer<T> {
        private final Function<String, T> fast;
        private final JsonDeserializer<T> fallback;

        FastFirst(Class<T> type, Function<String, T> fast, JsonDeserializer<T> fallback) {
            super(type);
            this.fast = fast;
            this.fallback = fallback;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(JsonToken.VALUE_STRING)) {
                T value = fast.apply(p.getText());
                if (value != null) {
                    return value;
                }
            }
            return fallback.deserialize(p, ctxt);
        }
    }
}
