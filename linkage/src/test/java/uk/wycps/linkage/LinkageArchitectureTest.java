package uk.wycps.linkage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The linker stays pure computation (H5, F1): no Vert.x, no logging, no console output and no
 * file access in the code the gateway runs (the FEBRL evaluation tool in {@code eval} may print
 * aggregate figures and read its file).
 */
class LinkageArchitectureTest {

    private static final List<String> FORBIDDEN = List.of("io.vertx", "org.slf4j", "java.util.logging",
            "System.out", "System.err", "printStackTrace", "java.nio.file", "java.io.File");

    @Test
    void linkerCodeHasNoLoggingIoOrVertx() throws IOException {
        Path root = Path.of("src/main/java/uk/wycps/linkage");
        assertTrue(Files.isDirectory(root), "run from the module directory");
        List<String> offences = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && !p.toString().contains("/eval/")).toList()) {
                String text = Files.readString(f);
                for (String word : FORBIDDEN) {
                    if (text.contains(word)) {
                        offences.add(f.getFileName() + ": " + word);
                    }
                }
            }
        }
        assertEquals(List.of(), offences);
    }
}
