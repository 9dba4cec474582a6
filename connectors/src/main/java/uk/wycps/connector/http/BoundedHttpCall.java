package uk.wycps.connector.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterFailure;

/**
 * One HTTP exchange with a register, bounded in time and size: the whole exchange (waiting
 * for a pooled connection, connecting, sending, the full body) must finish by the deadline, or
 * the request is reset so its connection is not left busy; the body is read in chunks and the
 * request reset as soon as it passes the size limit; redirects are never followed.
 *
 * <p>Core {@code HttpClient} rather than the web client, because both a reset on deadline and
 * a streaming size cap need the request and response objects themselves.
 */
public final class BoundedHttpCall {

    private final Vertx vertx;
    private final io.vertx.core.http.HttpClient client;
    private final int maxBytes;

    public BoundedHttpCall(Vertx vertx, io.vertx.core.http.HttpClient client, int maxBytes) {
        this.vertx = vertx;
        this.client = client;
        this.maxBytes = maxBytes;
    }

    /**
     * Sends the request and completes with the body of a 2xx answer whose content type starts
     * with {@code contentType}; fails with a {@link RegisterFailure} otherwise.
     */
    public Future<Buffer> exchange(RequestOptions options, Buffer body, Deadline deadline, String contentType) {
        long budget = deadline.remainingMillis();
        if (budget <= 0) {
            return Future.failedFuture(RegisterFailure.timeout(0));
        }
        Exchange exchange = new Exchange(budget, contentType);
        exchange.timer = vertx.setTimer(budget, id -> exchange.fail(RegisterFailure.timeout(budget)));
        options.setFollowRedirects(false);
        if (options.getConnectTimeout() <= 0 || options.getConnectTimeout() > budget) {
            options.setConnectTimeout(budget);
        }
        client.request(options).onComplete(ar -> {
            if (ar.failed()) {
                exchange.fail(RegisterFailure.connection("could not connect: " + shortReason(ar.cause())));
                return;
            }
            HttpClientRequest request = ar.result();
            exchange.request = request;
            if (exchange.promise.future().isComplete()) {
                request.reset();
                return;
            }
            request.exceptionHandler(err -> exchange.fail(
                    RegisterFailure.connection("connection failed before the answer: " + shortReason(err))));
            request.response().onComplete(resp -> {
                if (resp.failed()) {
                    exchange.fail(RegisterFailure.connection("no answer: " + shortReason(resp.cause())));
                } else {
                    exchange.onResponse(resp.result());
                }
            });
            if (body == null) {
                request.end();
            } else {
                request.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
                request.end(body);
            }
        });
        return exchange.promise.future();
    }

    private static String shortReason(Throwable t) {
        String name = t.getClass().getSimpleName();
        return name.isEmpty() ? "connection error" : name;
    }

    /** The state of one exchange; touched only on the client's event loop. */
    private final class Exchange {
        final Promise<Buffer> promise = Promise.promise();
        final long budget;
        final String contentType;
        HttpClientRequest request;
        long timer;
        Buffer received;

        Exchange(long budget, String contentType) {
            this.budget = budget;
            this.contentType = contentType;
        }

        void fail(RegisterFailure failure) {
            if (promise.tryFail(failure)) {
                vertx.cancelTimer(timer);
                if (request != null) {
                    request.reset();
                }
            }
        }

        void onResponse(HttpClientResponse response) {
            int status = response.statusCode();
            if (status < 200 || status > 299) {
                fail(failureFor(status));
                return;
            }
            String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
            if (type == null || !type.regionMatches(true, 0, contentType, 0, contentType.length())) {
                fail(RegisterFailure.error("wrong content type"));
                return;
            }
            String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && tooLong(length)) {
                fail(RegisterFailure.error("answer larger than " + maxBytes + " bytes"));
                return;
            }
            received = Buffer.buffer(length != null ? Math.max(0, Integer.parseInt(length)) : 1024);
            response.exceptionHandler(err -> fail(RegisterFailure.error("answer cut off: " + shortReason(err))));
            response.handler(chunk -> {
                if (received.length() + chunk.length() > maxBytes) {
                    fail(RegisterFailure.error("answer larger than " + maxBytes + " bytes"));
                } else {
                    received.appendBuffer(chunk);
                }
            });
            response.endHandler(v -> {
                if (promise.tryComplete(received)) {
                    vertx.cancelTimer(timer);
                }
            });
        }

        private boolean tooLong(String length) {
            try {
                long n = Long.parseLong(length.trim());
                return n < 0 || n > maxBytes;
            } catch (NumberFormatException e) {
                return true;
            }
        }

        private RegisterFailure failureFor(int status) {
            if (status == 429) {
                return new RegisterFailure(RegisterFailure.Kind.REJECTED, "register refused the request (429)");
            }
            if (status == 503) {
                return new RegisterFailure(RegisterFailure.Kind.UNAVAILABLE, "register unavailable (503)");
            }
            if (status >= 300 && status < 400) {
                return RegisterFailure.error("redirect not followed (" + status + ")");
            }
            return RegisterFailure.error("register answered HTTP " + status);
        }
    }
}
