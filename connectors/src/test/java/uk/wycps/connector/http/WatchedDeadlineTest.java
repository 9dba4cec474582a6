package uk.wycps.connector.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterFailure;

/**
 * An exchange whose deadline is watched by someone else's timer (the register guard's, issue 21)
 * arms none of its own: it outlives its deadline until the watch expires, then fails TIMEOUT at
 * once and resets its request, so the register's connection is not left busy. Without a watch it
 * times itself out as before.
 */
class WatchedDeadlineTest {

    private Vertx vertx;
    private HttpServer hung;
    private final CompletableFuture<Void> connectionClosed = new CompletableFuture<>();

    @BeforeEach
    void aRegisterThatNeverAnswers() throws Exception {
        vertx = Vertx.vertx();
        hung = await(vertx.createHttpServer().connectionHandler(c -> c.closeHandler(v -> connectionClosed.complete(null)))
                .requestHandler(req -> { }).listen(0, "127.0.0.1"));
    }

    @AfterEach
    void close() throws Exception {
        // the hung register's request never ends: no graceful wait for it
        await(hung.shutdown(0, TimeUnit.SECONDS));
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private Future<Buffer> exchange(Deadline deadline) {
        HttpClientAgent client = vertx.createHttpClient();
        BoundedHttpCall call = new BoundedHttpCall(vertx, client, 1024 * 1024);
        return call.exchange(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(hung.actualPort())
                .setURI("/search"), Buffer.buffer("{}"), deadline, "application/json");
    }

    @Test
    void aWatchedExchangeWaitsForTheWatchThenFailsTimeoutAndResetsItsRequest() throws Exception {
        Deadline.Watch watch = new Deadline.Watch();
        Future<Buffer> answer = exchange(Deadline.afterMillis(100).watchedBy(watch));
        // well past its 100 ms, the exchange is still open: it armed no timer of its own
        Thread.sleep(600);
        assertFalse(answer.isComplete());
        assertFalse(connectionClosed.isDone());

        vertx.runOnContext(v -> watch.expire());
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> await(answer));
        assertTrue(failed.getCause() instanceof RegisterFailure, String.valueOf(failed.getCause()));
        assertEquals(RegisterFailure.Kind.TIMEOUT, ((RegisterFailure) failed.getCause()).kind());
        connectionClosed.get(10, TimeUnit.SECONDS);
    }

    @Test
    void anUnwatchedExchangeTimesItselfOut() throws Exception {
        Future<Buffer> answer = exchange(Deadline.afterMillis(200));
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> await(answer));
        assertEquals(RegisterFailure.Kind.TIMEOUT, ((RegisterFailure) failed.getCause()).kind());
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
