package uk.wycps.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Holds {@link CompiledSchema}'s promise against the full validator (vertx-json-schema), the
 * independent oracle: over thousands of generated bodies, valid and broken in every way the
 * request schemas can be broken (missing and unknown keys, wrong types and nulls, enumerations,
 * lengths at and past their bounds, in astral characters too (one code point, two UTF-16
 * units), item counts, dates), no body the compiled schema passes is one the full validator refuses; and every valid
 * body is passed by the compiled schema, so the first look is the one that answers them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompiledSchemaTest {

    private static final int BODIES = 6_000;
    private static final String[] NAMES = {"Khan", "O'Neill", "Smith-Jones", "Łukasz", "Zoë", "Nguyễn", "Ἀλέξανδρος",
        "李", "\uD835\uDD04bc", "e\u0301", "Ann Marie"};

    private Vertx vertx;
    private JsonObject document;
    private ApiContract contract;

    @BeforeAll
    void load() throws Exception {
        vertx = Vertx.vertx();
        contract = ApiContract.load(vertx).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        document = contract.json();
    }

    @AfterAll
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private CompiledSchema compiled(String name) {
        return CompiledSchema.compile(document, document.getJsonObject("components").getJsonObject("schemas")
                .getJsonObject(name)).orElseThrow(() -> new AssertionError(name + " did not compile"));
    }

    private Validator full(String name) {
        return contract.validator(new JsonObject().put("$ref", "#/components/schemas/" + name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"EnquiryRequest", "ExplainRequest"})
    void noBodyTheCompiledSchemaPassesIsRefusedByTheFullValidatorAndEveryValidBodyIsPassed(String schema) {
        CompiledSchema fast = compiled(schema);
        Validator full = full(schema);
        Random random = new Random(20261201L + schema.hashCode());
        int valid = 0;
        int fastPassed = 0;
        int refused = 0;
        for (int i = 0; i < BODIES; i++) {
            JsonObject body = validBody(random, schema.equals("EnquiryRequest"));
            int mutations = i % 4 == 0 ? 0 : 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                mutate(random, body);
            }
            boolean fullPasses = Boolean.TRUE.equals(full.validate(body).getValid());
            boolean fastPasses = fast.surelyPasses(new JsonObject(body.encode()));
            // THEN never looser than the full validator
            assertFalse(fastPasses && !fullPasses, () -> "passed by the compiled schema, refused in full: " + body.encode());
            if (fullPasses) {
                valid++;
                // AND every body the full validator passes is passed at the first look too, so the
                // first look is what answers valid bodies
                assertTrue(fastPasses, () -> "valid, but the compiled schema doubted it: " + body.encode());
            } else {
                refused++;
            }
            if (fastPasses) {
                fastPassed++;
            }
        }
        // the generator covers both sides well
        assertTrue(valid > BODIES / 5 && refused > BODIES / 5, "valid " + valid + ", refused " + refused);
        assertEquals(valid, fastPassed);
    }

    @Test
    void aDateThatIsNotADayIsDoubtedAndRefusedInFull() {
        CompiledSchema fast = compiled("EnquiryRequest");
        JsonObject base = validBody(new Random(1), true);
        // a date that matches the pattern but is not a day
        JsonObject notADay = base.copy();
        notADay.getJsonObject("subject").put("dateOfBirth", "2020-02-30");
        assertFalse(fast.surelyPasses(notADay));
        // (which the full validator refuses too: it asserts format date)
        assertFalse(Boolean.TRUE.equals(full("EnquiryRequest").validate(notADay).getValid()));
        // the control: the base body passes
        assertTrue(fast.surelyPasses(base));
    }

    @Test
    void aSchemaWithAKeywordThatIsNotCompiledDoesNotCompile() {
        JsonObject schema = new JsonObject().put("type", "string").put("pattern", "^[a-z]+$");
        assertTrue(CompiledSchema.compile(document, schema).isEmpty());
        JsonObject oneOf = new JsonObject().put("oneOf", new JsonArray().add(new JsonObject().put("type", "string")));
        assertTrue(CompiledSchema.compile(document, oneOf).isEmpty());
    }

    // ---- the generator -------------------------------------------------------------------------

    private static JsonObject validBody(Random r, boolean withSubject) {
        JsonObject body = new JsonObject();
        if (withSubject) {
            JsonObject subject = new JsonObject().put("familyName", name(r));
            if (r.nextBoolean()) {
                subject.put("givenName", name(r));
            }
            if (r.nextBoolean() || !subject.containsKey("givenName")) {
                subject.put("dateOfBirth", String.format("%04d-%02d-%02d", 1990 + r.nextInt(35), 1 + r.nextInt(12),
                        1 + r.nextInt(28)));
            }
            if (r.nextInt(3) == 0) {
                subject.put("gender", List.of("female", "male", "unknown").get(r.nextInt(3)));
            }
            if (r.nextInt(3) == 0) {
                subject.put("postcode", "LS1 4AP");
            }
            if (r.nextInt(3) == 0) {
                JsonArray others = new JsonArray();
                for (int i = r.nextInt(11); i > 0; i--) {
                    others.add(name(r));
                }
                subject.put("otherGivenNames", others);
            }
            if (r.nextInt(3) == 0) {
                JsonArray aliases = new JsonArray();
                for (int i = r.nextInt(4); i > 0; i--) {
                    JsonObject alias = new JsonObject();
                    if (r.nextBoolean()) {
                        alias.put("givenName", name(r));
                    }
                    if (r.nextBoolean()) {
                        alias.put("familyName", name(r));
                    }
                    aliases.add(alias);
                }
                subject.put("aliases", aliases);
            }
            body.put("subject", subject);
        }
        body.put("purpose", new JsonObject().put("code", List.of("s47-enquiry", "register-check", "cp-conference",
                "crime-prevention-detection", "planning").get(r.nextInt(5)))
                .put("justification", "x".repeat(1 + r.nextInt(r.nextBoolean() ? 20 : 1000))));
        JsonObject consent = new JsonObject().put("status", List.of("obtained", "not-sought", "refused").get(r.nextInt(3)));
        if (r.nextBoolean()) {
            consent.put("ground", "authorised-register-check");
        }
        if (r.nextBoolean()) {
            consent.put("formReference", "F/" + r.nextInt(1000));
        }
        if (r.nextBoolean()) {
            consent.put("refusedBy", r.nextBoolean() ? "child" : "parent");
        }
        body.put("consent", consent);
        if (r.nextInt(3) == 0) {
            JsonArray registers = new JsonArray();
            for (int i = 1 + r.nextInt(5); i > 0; i--) {
                registers.add(List.of("leeds", "bradford", "kirklees", "x".repeat(64)).get(r.nextInt(4)));
            }
            body.put("registers", registers);
        }
        return body;
    }

    /** A name of up to 100 code points and 100 UTF-16 units. */
    private static String name(Random r) {
        String n = NAMES[r.nextInt(NAMES.length)];
        if (r.nextInt(8) == 0) {
            // at the bound
            return "a".repeat(100);
        }
        return n;
    }

    /** Breaks (or may happen to keep) one thing somewhere in the body. */
    private static void mutate(Random r, JsonObject body) {
        List<JsonObject> objects = new ArrayList<>();
        collect(body, objects);
        JsonObject target = objects.get(r.nextInt(objects.size()));
        List<String> keys = new ArrayList<>(target.fieldNames());
        String key = keys.isEmpty() ? "familyName" : keys.get(r.nextInt(keys.size()));
        switch (r.nextInt(14)) {
            case 0 -> target.remove(key);
            case 1 -> target.put("unexpected" + r.nextInt(3), "value");
            case 2 -> target.put(key, r.nextInt(100));
            case 3 -> target.putNull(key);
            case 4 -> target.put(key, r.nextBoolean());
            case 5 -> target.put(key, new JsonArray().add("a"));
            case 6 -> target.put(key, new JsonObject().put("a", 1));
            case 7 -> target.put(key, "a".repeat(99 + r.nextInt(3)));
            case 8 -> target.put(key, "\uD835\uDD04".repeat(49 + r.nextInt(4)));
            case 9 -> target.put(key, List.of("other", "maybe", "", "REGISTER-CHECK").get(r.nextInt(4)));
            case 10 -> target.put(key, List.of("2020-02-30", "2020-2-3", "not a date", "2020-01-01T00:00",
                    "2019-12-31", "0000-01-01", "2020-00-10", "2020-13-01", "2024-02-29", "2023-02-29", "+020-01-01",
                    "２０２０-01-01").get(r.nextInt(12)));
            case 11 -> {
                JsonArray many = new JsonArray();
                for (int i = 9 + r.nextInt(3); i > 0; i--) {
                    many.add(r.nextBoolean() ? "Ann" : new JsonObject().put("givenName", "Ann"));
                }
                target.put(key, many);
            }
            case 12 -> target.put(key, new JsonArray());
            default -> target.put(key, 1.5);
        }
    }

    private static void collect(JsonObject o, List<JsonObject> into) {
        into.add(o);
        for (String k : o.fieldNames()) {
            Object v = o.getValue(k);
            if (v instanceof JsonObject child) {
                collect(child, into);
            } else if (v instanceof JsonArray array) {
                for (Object item : array) {
                    if (item instanceof JsonObject child) {
                        collect(child, into);
                    }
                }
            }
        }
    }
}
