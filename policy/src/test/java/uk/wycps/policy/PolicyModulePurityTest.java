package uk.wycps.policy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Verifies that the policy stays a pure library (STYLE.md): no Vert.x, no connectors, no network,
 * no clock and no environment in its main code; file reading only in {@link PolicyLoader}.
 */
class PolicyModulePurityTest {

    private static final List<String> FORBIDDEN = List.of("io.vertx", "uk.wycps.record", "uk.wycps.connector",
            "java.net", "java.net.http", "System.getenv", "System.currentTimeMillis", "Instant.now", "LocalDate.now",
            "Clock.system");

    @Test
    void mainSourcesUseNeitherVertxNorNetworkNorClock() throws IOException {
        List<String> offences = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(f);
                for (String bad : FORBIDDEN) {
                    if (text.contains(bad)) {
                        offences.add(f + " uses " + bad);
                    }
                }
                if (!f.endsWith("PolicyLoader.java") && (text.contains("java.nio.file") || text.contains("java.io."))) {
                    offences.add(f + " does I/O outside PolicyLoader");
                }
            }
        }
        assertTrue(offences.isEmpty(), String.join("\n", offences));
    }
}
