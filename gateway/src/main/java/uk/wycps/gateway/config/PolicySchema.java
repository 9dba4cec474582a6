package uk.wycps.gateway.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import uk.wycps.connector.schema.Schemas;
import uk.wycps.policy.PolicyException;

/**
 * Checks a policy document against {@code schemas/policy.schema.json} before the policy module
 * reads it, so that a misshapen document stops start-up with the JSON path of the value at fault.
 *
 * <p>Here and not in the policy module because that module stays pure Java without Vert.x (its
 * decisions are unit-tested and benchmarked alone), and one schema validator, Vert.x's, serves
 * every document the gateway reads. The policy module keeps the rules a schema cannot say. A
 * document that is not readable YAML is left to the policy module, whose message names the line.
 */
public final class PolicySchema {

    private static final Schemas SCHEMA = Schemas.of(Schemas.POLICY);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    private PolicySchema() {
    }

    /** Throws a {@link PolicyException} naming the JSON path when {@code file} does not fit the schema. */
    public static void check(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            return;
        }
        if (root == null || !root.isObject()) {
            return;
        }
        JsonObject document = new JsonObject(root.toString());
        SCHEMA.problem(document).ifPresent(problem -> {
            int colon = problem.indexOf(": ");
            throw new PolicyException(file.toString(), problem.substring(0, colon), problem.substring(colon + 2));
        });
    }
}
