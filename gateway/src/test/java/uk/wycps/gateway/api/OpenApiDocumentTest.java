package uk.wycps.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.json.schema.OutputUnit;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.OpenAPIVersion;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.gateway.fanout.RegisterGuards;
import uk.wycps.gateway.admission.AdmissionControl;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.gateway.health.HealthRoutes;
import uk.wycps.gateway.metrics.GatewayMetrics;
import uk.wycps.gateway.statistics.StatisticsRoutes;
import uk.wycps.gateway.support.ContractCheck;
import uk.wycps.gateway.support.GatewayHarness;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.connector.RegisterSettings;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;

/**
 * The OpenAPI document (O2) is valid OpenAPI 3.1 by the specification's own schema, describes
 * every route the gateway's router serves, and its schemas are what the gateway enforces.
 */
@ExtendWith(VertxExtension.class)
class OpenApiDocumentTest {

    @Test
    void theDocumentIsValidOpenApi31ByTheSpecificationsSchema(Vertx vertx) {
        JsonObject doc = ApiContract.readDocument().toJsonObject();
        assertEquals("3.1.0", doc.getString("openapi"));
        OutputUnit result = OpenAPIVersion.V3_1.validateContract(vertx,
                OpenAPIVersion.V3_1.getRepository(vertx, "app:///").await(), doc).await();
        assertTrue(result.getValid(), () -> result.toJson().encodePrettily());
    }

    @Test
    void aDocumentThatBreaksTheSpecificationIsRefusedByTheSameCheck(Vertx vertx) {
        // GIVEN the document with an operation whose responses are not an object
        JsonObject doc = ApiContract.readDocument().toJsonObject();
        doc.getJsonObject("paths").getJsonObject("/health/live").getJsonObject("get").put("responses", "none");
        // THEN the check that passes the real document fails this one
        OutputUnit result = OpenAPIVersion.V3_1.validateContract(vertx,
                OpenAPIVersion.V3_1.getRepository(vertx, "app:///").await(), doc).await();
        assertFalse(result.getValid());
    }

    @Test
    void everyRouteOfTheRouterIsInTheDocumentAndEveryOperationIsRouted(Vertx vertx) {
        ApiContract contract = ContractCheck.contract();
        HealthRoutes health = new HealthRoutes(List.of(), RegisterGuards.shared(vertx, "openapi-test", List.of()));
        GatewayMetrics metrics = new GatewayMetrics();
        Router api = GatewayRouter.create(vertx, 1024, new EnquiryRoutes(null, null, null, null, null, null, null),
                new PolicyExplainRoutes(null, null, null), new AuditRoutes(null, null, null), new StatisticsRoutes(null, null, null, null),
                health, metrics, AdmissionControl.local(GatewayConfig.Limits.OFF), contract);
        // Readiness and metrics are served on the management listener, documented with the rest.
        Router management = GatewayRouter.management(vertx, health, metrics);
        Set<String> routed = new TreeSet<>();
        List<Route> routes = new java.util.ArrayList<>(api.getRoutes());
        routes.addAll(management.getRoutes());
        for (Route route : routes) {
            if (route.getPath() == null || route.methods() == null || route.methods().isEmpty()) {
                continue; // handlers for every path (correlation id, 404, 405, failures)
            }
            for (HttpMethod method : route.methods()) {
                routed.add(method.name().toLowerCase(Locale.ROOT) + " " + route.getPath());
            }
        }
        Set<String> documented = new TreeSet<>();
        JsonObject paths = contract.json().getJsonObject("paths");
        for (String path : paths.fieldNames()) {
            for (String method : paths.getJsonObject(path).fieldNames()) {
                documented.add(method + " " + path);
            }
        }
        Set<String> undocumented = new TreeSet<>(routed);
        undocumented.removeAll(documented);
        assertTrue(undocumented.isEmpty(), "routes missing from the OpenAPI document: " + undocumented);
        Set<String> unrouted = new TreeSet<>(documented);
        unrouted.removeAll(routed);
        // The console's pages (Wave 2) are described before they are served here.
        unrouted.remove("get /");
        assertTrue(unrouted.isEmpty(), "operations in the document that no route serves: " + unrouted);
    }

    @Test
    void theGatewayServesTheDocumentAtApiV1OpenapiJson(Vertx vertx) {
        GatewayHarness harness = GatewayHarness.start(vertx, List.of(RegisterSettings.of("leeds", "canonical-json",
                URI.create("http://127.0.0.1:1"))), new InMemoryAuditSink()).await();
        try {
            HttpResponse<Buffer> r = harness.client.get("/api/v1/openapi.json").send().await();
            assertEquals(200, r.statusCode());
            assertEquals("application/json", r.getHeader("Content-Type"));
            assertEquals(ApiContract.readDocument().toJsonObject(), r.bodyAsJsonObject());
        } finally {
            harness.close().await();
        }
    }

    @Test
    void theResponseCheckRefusesAnAnswerThatBreaksTheDocument() {
        // GIVEN an enquiry answer without `complete` (F5 hangs on it) and with a field not in the contract
        io.vertx.core.buffer.Buffer bad = new JsonObject().put("enquiryId", "e1").put("outcome", "none-found")
                .put("registers", new io.vertx.core.json.JsonArray()).put("persons", new io.vertx.core.json.JsonArray())
                .put("secret", "x").toBuffer();
        List<String> problems = ContractCheck.problems(ContractCheck.contract(), HttpMethod.POST, "/api/v1/enquiries",
                200, "application/json", bad);
        assertFalse(problems.isEmpty());
        assertTrue(problems.toString().contains("complete"), problems::toString);
        // AND an answer on a path the document does not know
        assertFalse(ContractCheck.problems(ContractCheck.contract(), HttpMethod.GET, "/api/v1/secret", 200,
                "application/json", new JsonObject().toBuffer()).isEmpty());
    }
}
