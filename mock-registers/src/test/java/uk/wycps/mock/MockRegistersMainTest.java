package uk.wycps.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import uk.wycps.record.RecordJson;

/** The jar's command line (O1). */
class MockRegistersMainTest {

    /** Verifies that ground-truth --out writes the persons of the population with the given seed and size. */
    @Test
    void groundTruthWritesTheFile(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("truth.json");
        int code = new CommandLine(new MockRegistersMain())
                .execute("ground-truth", "--out", out.toString(), "--children", "100", "--seed", "5");
        assertEquals(0, code);
        JsonNode json = RecordJson.mapper().readTree(Files.readAllBytes(out));
        assertEquals(5, json.get("seed").asLong());
        assertEquals(100, json.get("childrenPerRegister").asInt());
        assertEquals(SyntheticPopulation.generate(5, 100).groundTruth().persons().size(), json.get("persons").size());
    }

    /** Verifies that invalid flags stop start-up with a non-zero exit (O2), before anything listens. */
    @Test
    void invalidFlagsAreRefused() {
        assertEquals(2, new CommandLine(new MockRegistersMain()).execute("--mode", "explode"));
        assertEquals(2, new CommandLine(new MockRegistersMain()).execute("--authority", "york"));
        assertEquals(2, new CommandLine(new MockRegistersMain()).execute("--error-rate", "2"));
        assertEquals(2, new CommandLine(new MockRegistersMain()).execute("--port", "9200"));
        assertEquals(2, new CommandLine(new MockRegistersMain()).execute("--children", "3"));
        assertTrue(new CommandLine(new MockRegistersMain()).execute("--latency-ms", "soon") != 0);
    }
}
