package uk.wycps.connector.dialects;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.record.SearchCriteria;
import uk.wycps.connector.SearchRequest;
import uk.wycps.record.Gender;

/** WireMock and settings for the dialects' contract tests. */
final class ContractSupport {

    static final SearchCriteria AISHA = new SearchCriteria("Aisha", "Khan", List.of("Noor"), null,
            java.time.LocalDate.of(2016, 3, 9), Gender.FEMALE, "BD7 1DP");

    private ContractSupport() {
    }

    static WireMockServer wiremock() {
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
                .asynchronousResponseEnabled(true).asynchronousResponseThreads(8));
        server.start();
        return server;
    }

    static RegisterSettings settings(String authority, String dialect, WireMockServer server, JsonObject options) {
        return new RegisterSettings(authority, dialect, URI.create("http://127.0.0.1:" + server.port()),
                Duration.ofMillis(2000), 16, 64, 1024 * 1024, options);
    }

    static JsonObject mapping(String name) {
        try (InputStream in = ContractSupport.class.getResourceAsStream("/uk/wycps/connector/mappings/" + name)) {
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static SearchRequest request(Set<String> fields, long deadlineMs) {
        return new SearchRequest(AISHA, fields, Deadline.afterMillis(deadlineMs), "enq-1");
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.await(10, TimeUnit.SECONDS);
    }

    /** The failure a future ended with; an AssertionError if it succeeded. */
    static RegisterFailure failure(Future<?> f) throws Exception {
        Throwable t = f.transform(ar -> Future.succeededFuture(ar.failed() ? ar.cause() : null)).await(10, TimeUnit.SECONDS);
        if (t == null) {
            throw new AssertionError("expected a failure, got " + f.result());
        }
        if (!(t instanceof RegisterFailure rf)) {
            throw new AssertionError("expected a RegisterFailure, got " + t);
        }
        return rf;
    }
}
