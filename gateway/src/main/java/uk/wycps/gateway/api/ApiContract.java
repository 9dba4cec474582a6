package uk.wycps.gateway.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The gateway's OpenAPI 3.1 document ({@code openapi/openapi.json}, the contract of record):
 * read once at start-up and checked against the OpenAPI 3.1 schema (a document that is not
 * valid OpenAPI stops start-up), served at {@code GET /api/v1/openapi.json}, and the source of
 * the request-body schemas. The shape of a body (types, required and unknown fields,
 * enumerations, lengths) is checked here; {@code EnquiryParser} keeps the rules a schema cannot
 * state (normalised names, wildcards, which consent fields go together, configured registers).
 *
 * <p>vertx-json-schema (draft 2020-12, the dialect of OpenAPI 3.1) does the validation;
 * vertx-openapi's own contract model is not used because it refuses media types the API
 * serves ({@code text/csv}, {@code application/x-ndjson}, {@code text/html}).
 */
public final class ApiContract {

    /** Where the document lives on the class path. */
    public static final String RESOURCE = "openapi/openapi.json";
    /** The URI the document is known by inside the schema repository. */
    public static final String BASE_URI = "app:///openapi.json";

    private final JsonObject json;
    private final Buffer document;
    private final SchemaRepository repository;
    private final Validator enquiryBody;
    private final Validator explainBody;
    private final CompiledSchema enquiryFast;
    private final CompiledSchema explainFast;

    private ApiContract(JsonObject json, Buffer document, SchemaRepository repository) {
        this.json = json;
        this.document = document;
        this.repository = repository;
        this.enquiryBody = repository.validator(BASE_URI + "#/components/schemas/EnquiryRequest");
        this.explainBody = repository.validator(BASE_URI + "#/components/schemas/ExplainRequest");
        this.enquiryFast = compiled(json, "EnquiryRequest");
        this.explainFast = compiled(json, "ExplainRequest");
    }

    /** The named request schema compiled for the first look, or null if it uses what is not compiled. */
    private static CompiledSchema compiled(JsonObject document, String name) {
        return CompiledSchema.compile(document, document.getJsonObject("components").getJsonObject("schemas")
                .getJsonObject(name)).orElse(null);
    }

    /**
     * Reads the document from the class path (on a worker) and validates it against the
     * OpenAPI 3.1 schema; fails with {@link IllegalStateException} if it is not valid.
     */
    public static Future<ApiContract> load(Vertx vertx) {
        Objects.requireNonNull(vertx, "vertx");
        return vertx.executeBlocking(ApiContract::readDocument).compose(bytes -> {
            JsonObject json = bytes.toJsonObject();
            return OpenAPIVersion.V3_1.getRepository(vertx, "app:///").compose(repository ->
                    OpenAPIVersion.V3_1.validateContract(vertx, repository, json).map(result -> {
                        if (!Boolean.TRUE.equals(result.getValid())) {
                            throw new IllegalStateException("The OpenAPI document is not valid OpenAPI 3.1: "
                                    + result.toJson().encode());
                        }
                        // dereference annotates the objects it is given: give it its own copy
                        repository.dereference(BASE_URI, JsonSchema.of(json.copy()));
                        return new ApiContract(json, bytes, repository);
                    }));
        });
    }

    /** The document's bytes as kept in the repository. */
    public static Buffer readDocument() {
        try (InputStream in = ApiContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("OpenAPI document missing from the class path: " + RESOURCE);
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The parsed document (a copy). */
    public JsonObject json() {
        return json.copy();
    }

    /** The repository holding the document and the OpenAPI meta-schemas, to validate against its parts. */
    public SchemaRepository repository() {
        return repository;
    }

    /** A validator for a schema of the document: a {@code $ref} into it, or one written in place. */
    public Validator validator(JsonObject schema) {
        String ref = schema.getString("$ref");
        if (ref != null && ref.startsWith("#/")) {
            return repository.validator(BASE_URI + ref);
        }
        return repository.validator(JsonSchema.of(schema));
    }

    /** {@code GET /api/v1/openapi.json}: the document as kept in the repository. */
    public Buffer document() {
        return document.copy();
    }

    /** Checks an enquiry body against its schema; a breach is a 400 naming the JSON path. */
    public void checkEnquiry(JsonObject body) {
        check(enquiryFast, enquiryBody, body);
    }

    /** Checks a policy-explain body against its schema; a breach is a 400 naming the JSON path. */
    public void checkExplain(JsonObject body) {
        check(explainFast, explainBody, body);
    }

    /**
     * The compiled schema's first look passes a body the full validator would pass (it is never
     * looser: {@link CompiledSchema}); anything it doubts is validated in full, and a breach is
     * reported from the full validator's output, so callers see the same 400 either way.
     */
    private static void check(CompiledSchema fast, Validator validator, JsonObject body) {
        if (fast != null && fast.surelyPasses(body)) {
            return;
        }
        OutputUnit result = validator.validate(body);
        if (!Boolean.TRUE.equals(result.getValid())) {
            throw SchemaErrors.toApiException(result);
        }
    }
}
