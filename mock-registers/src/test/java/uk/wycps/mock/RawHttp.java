package uk.wycps.mock;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.record.SearchCriteria;
import uk.wycps.connector.SearchRequest;
import uk.wycps.connector.canonicaljson.CanonicalJsonConnector;
import uk.wycps.connector.canonicaljson.CanonicalJsonConnectorFactory;

/** Plain HTTP to a mock register, to see status codes, headers and chunks the connector hides. */
final class RawHttp {

    /** An answer: status, content type, the body and the sizes of the chunks it came in. */
    record Answer(int status, String contentType, Buffer body, List<Integer> chunks) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    private final HttpClient client;

    RawHttp(Vertx vertx) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    }

    Future<Answer> send(MockRegister register, HttpMethod method, String uri, String body) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost(register.baseUrl().getHost())
                .setPort(register.port()).setURI(uri).setTimeout(10_000);
        return client.request(options).compose(req -> {
            if (body != null) {
                req.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
            }
            return (body == null ? req.send() : req.send(body)).compose(resp -> {
                List<Integer> chunks = new ArrayList<>();
                Buffer all = Buffer.buffer();
                io.vertx.core.Promise<Answer> done = io.vertx.core.Promise.promise();
                resp.handler(chunk -> {
                    chunks.add(chunk.length());
                    all.appendBuffer(chunk);
                });
                resp.exceptionHandler(done::tryFail);
                resp.endHandler(v -> done.tryComplete(new Answer(resp.statusCode(),
                        resp.getHeader(HttpHeaders.CONTENT_TYPE), all, chunks)));
                return done.future();
            });
        });
    }

    Future<Void> close() {
        return client.close();
    }

    /** The real client of the gateway for this register. */
    static CanonicalJsonConnector connector(Vertx vertx, MockRegister register) {
        return new CanonicalJsonConnector(vertx,
                RegisterSettings.of(register.authority(), CanonicalJsonConnectorFactory.DIALECT, register.baseUrl()));
    }

    static SearchRequest request(SearchCriteria criteria, java.util.Set<String> fields, long deadlineMs) {
        return new SearchRequest(criteria, fields, Deadline.afterMillis(deadlineMs), "enquiry-test");
    }
}
