package uk.wycps.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.gateway.support.ContractCheck;
import uk.wycps.gateway.support.GatewayHarness;

/**
 * The check of every answer against the OpenAPI document (O2), as installed on a test's web
 * client: it runs on every answer (counted), and it fails the request, and so the test, when an
 * answer breaks the document. Without this, a check that silently never ran would look the same
 * as a suite whose answers all conform.
 */
@ExtendWith(VertxExtension.class)
class ContractCheckTest {

    @Test
    void everyAnswerTheHarnessClientReceivesIsChecked(Vertx vertx) {
        GatewayHarness harness = GatewayHarness.start(vertx, List.of(RegisterSettings.of("leeds", "canonical-json",
                URI.create("http://127.0.0.1:1"))), new InMemoryAuditSink()).await();
        try {
            long before = ContractCheck.checked();
            // WHEN three answers come back: the document, liveness, and a refusal without a token
            assertEquals(200, harness.client.get("/api/v1/openapi.json").send().await().statusCode());
            assertEquals(200, harness.client.get("/health/live").send().await().statusCode());
            assertEquals(401, harness.enquire(null, GatewayHarness.enquiry("A", "B", "2015-01-01")).await().statusCode());
            // THEN each was checked
            assertEquals(before + 3, ContractCheck.checked());
        } finally {
            harness.close().await();
        }
    }

    @Test
    void anAnswerThatBreaksTheDocumentFailsTheRequest(Vertx vertx) {
        // GIVEN a server that answers an enquiry without `complete` and with a field the document lacks
        JsonObject bad = new JsonObject().put("enquiryId", "e1").put("outcome", "none-found")
                .put("registers", new JsonArray()).put("persons", new JsonArray()).put("secret", "x");
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.response()
                .putHeader("Content-Type", "application/json").end(bad.encode())).listen(0, "127.0.0.1").await();
        WebClient client = ContractCheck.install(WebClient.create(vertx, new WebClientOptions()
                .setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort())));
        try {
            long before = ContractCheck.checked();
            // WHEN the checked client receives it
            Future<HttpResponse<Buffer>> answer = client.post("/api/v1/enquiries").sendJsonObject(new JsonObject());
            Throwable failure = answer.transform(ar -> Future.succeededFuture(ar.cause())).await();
            // THEN the request fails with what is wrong, and the answer was counted as checked
            AssertionError error = assertInstanceOf(AssertionError.class, failure, String.valueOf(failure));
            assertTrue(error.getMessage().contains("answer breaks the OpenAPI document"), error.getMessage());
            assertTrue(error.getMessage().contains("complete"), error.getMessage());
            assertEquals(before + 1, ContractCheck.checked());
            // AND an answer on a path the document does not have fails too
            Throwable unknown = client.get("/api/v1/secret").send()
                    .transform(ar -> Future.succeededFuture(ar.cause())).await();
            assertInstanceOf(AssertionError.class, unknown, String.valueOf(unknown));
        } finally {
            client.close();
            server.close().await();
        }
    }
}
