package uk.wycps.connector.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The schemas accept the documents the project ships and name the JSON path of what they refuse (O2). */
class SchemasTest {

    private static JsonObject mapping(String name) throws IOException {
        try (InputStream in = SchemasTest.class.getResourceAsStream("/uk/wycps/connector/mappings/" + name)) {
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Verifies that the shipped mapping files fit the mapping schema. */
    @ParameterizedTest
    @ValueSource(strings = {"calderdale.json", "wakefield.json"})
    void theShippedMappingsFitTheirSchema(String file) throws Exception {
        assertEquals(Optional.empty(), Schemas.of(Schemas.MAPPING).problem(mapping(file)));
    }

    /** Verifies that a value of the wrong shape deep in a mapping is named by its JSON path. */
    @Test
    void aMisshapenMappingIsNamedByItsJsonPath() throws Exception {
        JsonObject bad = mapping("calderdale.json");
        bad.getJsonObject("record").getJsonObject("address").put("fields", "line_1");
        String problem = Schemas.of(Schemas.MAPPING).problem(bad).orElseThrow();
        assertTrue(problem.startsWith("$.record.address"), problem);
        JsonObject unknownKey = mapping("calderdale.json");
        unknownKey.getJsonObject("search").put("recordPath", "children");
        problem = Schemas.of(Schemas.MAPPING).problem(unknownKey).orElseThrow();
        assertTrue(problem.startsWith("$.search"), problem);
        assertTrue(problem.contains("recordPath"), problem);
        JsonObject missing = mapping("calderdale.json");
        missing.remove("criteria");
        problem = Schemas.of(Schemas.MAPPING).problem(missing).orElseThrow();
        assertTrue(problem.startsWith("$.criteria"), problem);
    }

    /** Verifies that a JSON pointer becomes the JSON path the messages use. */
    @Test
    void aJsonPointerBecomesAJsonPath() {
        assertEquals("$.registers[0].baseUrl", Schemas.jsonPath("/registers/0/baseUrl"));
        assertEquals("$.a/b", Schemas.jsonPath("#/a~1b"));
        assertEquals("$", Schemas.jsonPath(""));
    }
}
