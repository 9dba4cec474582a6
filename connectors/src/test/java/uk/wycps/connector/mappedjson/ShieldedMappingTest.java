package uk.wycps.connector.mappedjson;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A mapping that maps a location field but not the shielded mark stops start-up (A10, O2): such a
 * register could hand the gateway a shielded child's address without the gateway knowing. The
 * shipped mappings map it.
 */
class ShieldedMappingTest {

    private static JsonObject shipped(String name) throws IOException {
        try (InputStream in = ShieldedMappingTest.class.getResourceAsStream("/uk/wycps/connector/mappings/" + name)) {
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"calderdale.json", "wakefield.json"})
    void theShippedMappingsMapTheMarkAndAreAccepted(String name) throws IOException {
        JsonObject options = shipped(name);
        assertTrue(options.getJsonObject("record").containsKey("shielded"), name);
        JsonMapping.fromOptions("test", options);
    }

    @ParameterizedTest
    @ValueSource(strings = {"calderdale.json", "wakefield.json"})
    void aMappingWithAnAddressButNoMarkIsRefused(String name) throws IOException {
        JsonObject options = shipped(name);
        options.getJsonObject("record").remove("shielded");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonMapping.fromOptions("test", options));
        assertTrue(e.getMessage().contains("maps a location field but not shielded"), e.getMessage());
    }

    /**
     * Verifies that a record whose mark is mapped through a value that is not an object (the
     * mapping says {@code flags.shielded}, the register sends {@code "flags": ["shielded"]}) is
     * refused, not read as unshielded with its address kept (A10); and that with {@code flags}
     * absent the record is read, unshielded, as the mapping allows.
     */
    @org.junit.jupiter.api.Test
    void aMarkMappedThroughAValueThatIsNotAnObjectIsRefusedNotReadAsUnshielded() throws Exception {
        JsonObject options = shipped("calderdale.json");
        options.getJsonObject("record").put("shielded", "flags.shielded");
        JsonMapping mapping = JsonMapping.fromOptions("test", options);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        String child = "{\"child_ref\": \"CA-1\", \"surname\": \"Khan\", \"current_address\": "
                + "{\"line_1\": \"1 Mill Lane\", \"town\": \"Halifax\", \"post_code\": \"HX1 1AA\"}";
        JsonMapping.MappingException refused = assertThrows(JsonMapping.MappingException.class,
                () -> mapping.toRecord(json.readTree(child + ", \"flags\": [\"shielded\"]}")));
        assertTrue(refused.getMessage().contains("shielded"), refused.getMessage());
        assertTrue(!mapping.toRecord(json.readTree(child + "}")).shieldedByOwner());
        assertTrue(mapping.toRecord(json.readTree(child + ", \"flags\": {\"shielded\": true}}")).shieldedByOwner());
    }

    @ParameterizedTest
    @ValueSource(strings = {"calderdale.json", "wakefield.json"})
    void aMappingWithNeitherAddressNorMarkIsAccepted(String name) throws IOException {
        JsonObject options = shipped(name);
        options.getJsonObject("record").remove("shielded");
        options.getJsonObject("record").remove("address");
        options.getJsonObject("record").remove("addressHistory");
        JsonMapping.fromOptions("test", options);
    }
}
