package uk.wycps.linkage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The shipped configuration loads, and a broken one fails naming the key. */
class LinkageConfigTest {

    @Test
    void shippedConfigurationLoads() {
        LinkageConfig c = LinkageConfig.defaults();
        assertEquals(18.0, c.matchThreshold());
        assertEquals(6.0, c.possibleThreshold());
        assertTrue(c.twinGuard());
        for (Field f : Field.values()) {
            assertEquals(0.0, c.weight(f, f.missing()));
            assertTrue(c.weight(f, 0) > 0, f.key());
            assertTrue(c.weight(f, f.disagree()) < 0, f.key());
        }
    }

    @Test
    void aMissingKeyIsNamed() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LinkageConfig.load(stream("threshold.match=10\n")));
        assertTrue(e.getMessage().startsWith("linkage configuration: missing "), e.getMessage());
    }

    @Test
    void aProbabilityOutOfRangeIsNamed() throws Exception {
        String text;
        try (InputStream in = LinkageConfig.class.getResourceAsStream(LinkageConfig.DEFAULT_RESOURCE)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String broken = text.replaceFirst("m\\.town\\.exact=[0-9.]+", "m.town.exact=1.5");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LinkageConfig.load(stream(broken)));
        assertTrue(e.getMessage().contains("m.town.exact"), e.getMessage());
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
