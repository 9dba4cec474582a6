package uk.wycps.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import org.junit.jupiter.api.Test;

/**
 * The limits of the one JSON reader for register answers and request bodies (issue 14 item 7):
 * nesting, string, number and key lengths, and a key repeated in one object, are refused.
 */
class RecordJsonLimitsTest {

    private static Object read(String json) throws Exception {
        return RecordJson.mapper().readValue(json, Object.class);
    }

    @Test
    void aKeyRepeatedInOneObjectIsRefused() {
        JsonParseException e = assertThrows(JsonParseException.class,
                () -> RecordJson.mapper().readValue("{\"recordId\": \"BD-1\", \"recordId\": \"BD-2\"}", ChildRecord.class));
        assertEquals(true, e.getMessage().startsWith("Duplicate field"), e.getMessage());
    }

    @Test
    void nestingPastTheLimitIsRefusedAndAtTheLimitIsRead() throws Exception {
        int n = RecordJson.MAX_NESTING_DEPTH;
        read("[".repeat(n) + "]".repeat(n));
        assertThrows(StreamConstraintsException.class, () -> read("[".repeat(n + 1) + "]".repeat(n + 1)));
    }

    @Test
    void overLongStringsNumbersAndKeysAreRefused() {
        assertThrows(StreamConstraintsException.class,
                () -> read("[\"" + "a".repeat(RecordJson.MAX_STRING_LENGTH + 1) + "\"]"));
        assertThrows(StreamConstraintsException.class, () -> read("[" + "1".repeat(RecordJson.MAX_NUMBER_LENGTH + 1) + "]"));
        assertThrows(StreamConstraintsException.class,
                () -> read("{\"" + "k".repeat(RecordJson.MAX_NAME_LENGTH + 1) + "\": 1}"));
    }
}
