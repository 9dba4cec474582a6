package uk.wycps.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Holds {@link RecordDeserializer} to Jackson's own strict binding ({@link RecordJson#mapper()},
 * the independent oracle) over generated register answers: records with every component filled
 * at random, written out with breakages (a key repeated in a record or a nested record, an
 * unknown key, a value of the wrong kind, a null, a record where a list belongs, an empty
 * object), read by both readers. Either both refuse, or both read the same records.
 */
class RecordDeserializerTest {

    /** A register answer, as the canonical dialect's is. */
    record Answer(List<ChildRecord> records) {
    }

    private static final int ANSWERS = 4_000;
    private static final String[] STRINGS = {"Khan", "O'Neill", "Zoë", "Nguyễn", "李", "\uD835\uDD04bc", "LS1 4AP",
        "child-protection-plan", "2021-04-01", "", "mother", "neglect", "true"};

    private final ObjectReader strict = RecordJson.mapper().readerFor(Answer.class);
    private final ObjectReader fast = RecordJson.recordReader(Answer.class);

    @Test
    void theRecordReaderReadsWhatJacksonsStrictBindingReadsAndRefusesWhatItRefuses() throws Exception {
        Random random = new Random(20261201L);
        int read = 0;
        int refused = 0;
        int repeated = 0;
        for (int i = 0; i < ANSWERS; i++) {
            Answer answer = new Answer(records(random));
            JsonNode tree = RecordJson.mapper().valueToTree(answer);
            StringBuilder json = new StringBuilder();
            boolean[] repeatedKey = {false};
            write(tree, json, random, i % 3 == 0 ? 0 : 0.04, repeatedKey);
            byte[] bytes = json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            Object expected = outcome(strict, bytes);
            Object actual = outcome(fast, bytes);
            if (expected instanceof Exception) {
                assertTrue(actual instanceof Exception, () -> "Jackson refused (" + expected + "), the record reader read: "
                        + json);
                refused++;
                if (repeatedKey[0]) {
                    repeated++;
                }
            } else {
                assertEquals(expected, actual, () -> "read differently: " + json);
                read++;
            }
        }
        // the generator covers both sides, and repeated keys among the refusals
        assertTrue(read > ANSWERS / 4 && refused > ANSWERS / 4 && repeated > 100,
                "read " + read + ", refused " + refused + ", with a repeated key " + repeated);
    }

    @Test
    void aKeyRepeatedInANestedRecordIsRefusedAsTheParserRefusesIt() {
        String json = "{\"records\":[{\"recordId\":\"LE-1\",\"address\":{\"postcode\":\"LS1 4AP\",\"postcode\":\"BD1 1AA\"}}]}";
        Exception fastError = assertThrows(Exception.class, () -> fast.readValue(json));
        assertTrue(fastError.getMessage().startsWith("Duplicate field 'postcode'"), fastError.getMessage());
        Exception strictError = assertThrows(Exception.class, () -> strict.readValue(json));
        assertTrue(strictError.getMessage().startsWith("Duplicate field 'postcode'"), strictError.getMessage());
    }

    @Test
    void theParsersLimitsStillApply() {
        String tooLong = "{\"records\":[{\"recordId\":\"" + "a".repeat(RecordJson.MAX_STRING_LENGTH + 1) + "\"}]}";
        Throwable refused = assertThrows(Exception.class, () -> fast.readValue(tooLong));
        while (refused != null && !(refused instanceof StreamConstraintsException)) {
            refused = refused.getCause();
        }
        assertTrue(refused instanceof StreamConstraintsException, "refused by the parser's string limit");
        assertEquals(RecordJson.MAX_NESTING_DEPTH, fast.getFactory().streamReadConstraints().getMaxNestingDepth());
        assertEquals(RecordJson.MAX_STRING_LENGTH, fast.getFactory().streamReadConstraints().getMaxStringLength());
    }

    record WithAMap(Map<String, String> anything) {
    }

    @Test
    void aTypeReachingAnObjectThatIsNotARecordIsNotReadThisWay() {
        // such an object would have no duplicate check at all with the parser's turned off
        assertThrows(IllegalArgumentException.class, () -> RecordJson.recordReader(WithAMap.class));
    }

    private static Object outcome(ObjectReader reader, byte[] bytes) {
        try {
            return reader.readValue(bytes);
        } catch (Exception e) {
            return e;
        }
    }

    // ---- records filled at random --------------------------------------------------------------

    private static List<ChildRecord> records(Random r) {
        List<ChildRecord> records = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            Object record = value(ChildRecord.class, r, 0);
            if (record != null) {
                records.add((ChildRecord) record);
            }
        }
        return records;
    }

    private static Object value(Type type, Random r, int depth) {
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            if (r.nextInt(4) == 0 || depth > 3) {
                return null;
            }
            List<Object> list = new ArrayList<>();
            for (int i = r.nextInt(3); i > 0; i--) {
                Object item = value(p.getActualTypeArguments()[0], r, depth + 1);
                if (item != null) {
                    list.add(item);
                }
            }
            return list;
        }
        Class<?> c = (Class<?>) type;
        if (r.nextInt(5) == 0 && depth > 0) {
            return null;
        }
        if (c == String.class) {
            return STRINGS[r.nextInt(STRINGS.length)];
        }
        if (c == Boolean.class) {
            return r.nextBoolean();
        }
        if (c == Integer.class) {
            return r.nextInt(100);
        }
        if (c == Long.class) {
            return (long) r.nextInt(100);
        }
        if (c == LocalDate.class) {
            return LocalDate.of(1990 + r.nextInt(35), 1 + r.nextInt(12), 1 + r.nextInt(28));
        }
        if (c == java.time.Instant.class) {
            return java.time.Instant.ofEpochSecond(1_600_000_000L + r.nextInt(100_000_000));
        }
        if (c.isEnum()) {
            Object[] constants = c.getEnumConstants();
            return constants[r.nextInt(constants.length)];
        }
        RecordComponent[] components = c.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] raw = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            raw[i] = components[i].getType();
            args[i] = value(components[i].getGenericType(), r, depth + 1);
        }
        try {
            return c.getDeclaredConstructor(raw).newInstance(args);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // values the record's own checks refuse: not a record to write
        }
    }

    // ---- written out, with breakages -----------------------------------------------------------

    private static void write(JsonNode node, StringBuilder out, Random r, double breakage, boolean[] repeated) {
        if (node.isObject()) {
            out.append('{');
            boolean first = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                first = member(out, first, field.getKey());
                if (r.nextDouble() < breakage) {
                    out.append(wrongValue(r));
                } else {
                    write(field.getValue(), out, r, breakage, repeated);
                }
                if (r.nextDouble() < breakage) {
                    // the same key again, with the same or another value
                    first = member(out, first, field.getKey());
                    repeated[0] = true;
                    if (r.nextBoolean()) {
                        write(field.getValue(), out, r, 0, repeated);
                    } else {
                        out.append(wrongValue(r));
                    }
                }
            }
            if (r.nextDouble() < breakage) {
                first = member(out, first, "unexpected");
                out.append("\"x\"");
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(node.get(i), out, r, breakage, repeated);
            }
            out.append(']');
        } else {
            out.append(node.toString());
        }
    }

    private static boolean member(StringBuilder out, boolean first, String key) {
        if (!first) {
            out.append(',');
        }
        out.append('"').append(key).append("\":");
        return false;
    }

    private static String wrongValue(Random r) {
        return List.of("1", "true", "null", "[]", "{}", "\"text\"", "[{}]", "{\"recordId\":\"X\"}", "1.5", "\"2020-02-30\"")
                .get(r.nextInt(10));
    }
}
