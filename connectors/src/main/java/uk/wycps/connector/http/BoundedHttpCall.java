package uk.wycps.connector.http;

import uk.wycps.connector.proof.AnswerSignature;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
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
        return start(options, body, "application/json", deadline, contentType, false).promise.future();
    }

    /**
     * Reads the register's answer (a search, a record, its capabilities, its statistics): as
     * {@link #exchange}, asked with {@code Cache-Control: no-cache} (never an answer a cache
     * between kept from before the child was registered) and taken only with status 200 (a 202
     * "accepted, not yet done", a 203 from something between, a 206 part of it are not the
     * register's answer: F5).
     */
    public Future<Buffer> read(RequestOptions options, Buffer body, Deadline deadline, String contentType) {
        return start(options, body, "application/json", deadline, contentType, true).promise.future();
    }

    /**
     * Sends a write whose body is of {@code bodyType} and completes when the register answers
     * 2xx, with or without a body, whatever the answer's content type (nothing in it is read:
     * FHIR servers answer a write with the resource, an OperationOutcome or nothing).
     */
    public Future<Void> write(RequestOptions options, Buffer body, String bodyType, Deadline deadline) {
        return start(options, body, bodyType, deadline, null, false).promise.future().mapEmpty();
    }

    /** An answer's body with the register's signature header, when it sent one. */
    public record Signed(Buffer body, String signature) {
    }

    /**
     * As {@link #exchange}, keeping the answer's {@link AnswerSignature#HEADER} (null when
     * absent) for the caller to check against the body and what it sent, {@code options}' new
     * {@link AnswerSignature#NONCE_HEADER} included.
     */
    public Future<Signed> signedExchange(RequestOptions options, Buffer body, Deadline deadline, String contentType) {
        return signed(options, body, deadline, contentType, false);
    }

    /** As {@link #read}, keeping the answer's signature as {@link #signedExchange} does. */
    public Future<Signed> signedRead(RequestOptions options, Buffer body, Deadline deadline, String contentType) {
        return signed(options, body, deadline, contentType, true);
    }

    private Future<Signed> signed(RequestOptions options, Buffer body, Deadline deadline, String contentType,
            boolean read) {
        // A fresh nonce for each signed exchange, which the answer's signature must cover: a
        // saved answer does not verify as the answer to a later, identical request.
        options.putHeader(AnswerSignature.NONCE_HEADER, AnswerSignature.newNonce());
        Exchange exchange = start(options, body, "application/json", deadline, contentType, read);
        return exchange.promise.future().map(b -> new Signed(b, exchange.signature));
    }

    private Exchange start(RequestOptions options, Buffer body, String bodyType, Deadline deadline, String contentType,
            boolean read) {
        long budget = deadline.remainingMillis();
        Exchange exchange = new Exchange(budget, contentType, read);
        if (budget <= 0) {
            exchange.promise.fail(RegisterFailure.timeout(0));
            return exchange;
        }
        if (deadline.watch() != null) {
            // Someone already holds a timer for this deadline (the register guard): one timer an exchange, not two.
            deadline.watch().onExpiry(() -> exchange.fail(RegisterFailure.timeout(budget)));
        } else {
            exchange.timer = vertx.setTimer(budget, id -> exchange.fail(RegisterFailure.timeout(budget)));
        }
        options.setFollowRedirects(false);
        if (read) {
            options.putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        }
        if (options.getConnectTimeout() <= 0 || options.getConnectTimeout() > budget) {
            options.setConnectTimeout(budget);
        }
        client.request(options).onComplete(ar -> {
            if (ar.failed()) {
                if (ar.cause() instanceof ConnectionPoolTooBusyException) {
                    // The pool's bounded wait queue is full: refuse now rather than queue (no retry).
                    exchange.fail(new RegisterFailure(RegisterFailure.Kind.REJECTED, "connection pool full"));
                } else {
                    exchange.fail(RegisterFailure.connection("could not connect: " + shortReason(ar.cause())));
                }
                return;
            }
            HttpClientRequest request = ar.result();
            exchange.request = request;
            if (exchange.promise.future().isComplete()) {
                request.reset();
                return;
            }
            request.exceptionHandler(err -> exchange.fail(exchange.responded
                    // Once an answer has started, losing the connection leaves it cut off.
                    ? RegisterFailure.error("answer cut off: " + shortReason(err))
                    : RegisterFailure.connection("connection failed before the answer: " + shortReason(err))));
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
                request.putHeader(HttpHeaders.CONTENT_TYPE, bodyType);
                request.end(body);
            }
        });
        return exchange;
    }

    /** Plain words for a low-level failure: never a class name, message or stack trace. */
    static String shortReason(Throwable t) {
        if (t instanceof io.vertx.core.http.HttpClosedException) {
            return "connection closed";
        }
        if (t instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (t instanceof io.netty.channel.ConnectTimeoutException || t instanceof java.util.concurrent.TimeoutException
                || t instanceof io.vertx.core.http.StreamResetException) {
            return t instanceof io.vertx.core.http.StreamResetException ? "stream reset" : "connect timed out";
        }
        if (t instanceof java.net.UnknownHostException) {
            return "unknown host";
        }
        if (t instanceof io.netty.handler.codec.DecoderException || t instanceof IllegalArgumentException
                || t instanceof io.netty.handler.codec.TooLongFrameException) {
            return "not a valid HTTP answer";
        }
        if (t instanceof java.io.IOException) {
            return "connection error";
        }
        return "connection error";
    }

    /** The state of one exchange; touched only on the client's event loop. */
    private final class Exchange {
        final Promise<Buffer> promise = Promise.promise();
        final long budget;
        final String contentType;
        /** A read ({@link #read}): taken only with status 200. */
        final boolean read;
        HttpClientRequest request;
        /** This exchange's own deadline timer, or -1 when the deadline is watched by someone else's. */
        long timer = -1;
        Buffer received;
        /** Whether {@link #received} is our own buffer gathering several chunks, not the first chunk itself. */
        boolean gathering;
        boolean responded;
        String signature;

        Exchange(long budget, String contentType, boolean read) {
            this.budget = budget;
            this.contentType = contentType;
            this.read = read;
        }

        void fail(RegisterFailure failure) {
            if (promise.tryFail(failure)) {
                cancelTimer();
                if (request != null) {
                    request.reset();
                }
            }
        }

        void cancelTimer() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }

        void onResponse(HttpClientResponse response) {
            responded = true;
            if (promise.future().isComplete()) {
                return;
            }
            int status = response.statusCode();
            if (status < 200 || status > 299) {
                fail(failureFor(status, response.getHeader(HttpHeaders.RETRY_AFTER)));
                return;
            }
            if (read && status != 200) {
                fail(RegisterFailure.error("answer status " + status + ", not 200"));
                return;
            }
            String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
            // exact case first: what registers send, and cheaper than the case-blind comparison
            if (contentType != null && (type == null || !(type.startsWith(contentType)
                    || type.regionMatches(true, 0, contentType, 0, contentType.length())))) {
                fail(RegisterFailure.error("wrong content type"));
                return;
            }
            String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
            long declared = length == null ? -1 : declaredLength(length);
            if (length != null && declared < 0) {
                fail(RegisterFailure.error("answer with an invalid length"));
                return;
            }
            if (declared > maxBytes) {
                fail(RegisterFailure.error("answer larger than " + maxBytes + " bytes"));
                return;
            }
            signature = response.getHeader(AnswerSignature.HEADER);
            response.exceptionHandler(err -> fail(RegisterFailure.error("answer cut off: " + shortReason(err))));
            response.handler(chunk -> {
                if (promise.future().isComplete()) {
                    return;
                }
                int have = received == null ? 0 : received.length();
                if (have + chunk.length() > maxBytes) {
                    fail(RegisterFailure.error("answer larger than " + maxBytes + " bytes"));
                } else if (received == null) {
                    // most answers arrive in one chunk, which the client already copied for us: keep it
                    received = chunk;
                } else {
                    if (!gathering) {
                        received = Buffer.buffer((int) Math.max(declared, 2L * have)).appendBuffer(received);
                        gathering = true;
                    }
                    received.appendBuffer(chunk);
                }
            });
            response.endHandler(v -> {
                if (received == null) {
                    received = Buffer.buffer(0);
                }
                if (declared > 0 && received.length() != declared) {
                    fail(RegisterFailure.error("answer cut off"));
                } else if (promise.tryComplete(received)) {
                    cancelTimer();
                }
            });
        }

        /** The declared length, or -1 when it is not a plain non-negative number. */
        private static long declaredLength(String length) {
            try {
                long n = Long.parseLong(length.trim());
                return n < 0 ? -1 : n;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        private RegisterFailure failureFor(int status, String retryAfter) {
            if (status == 429) {
                return new RegisterFailure(RegisterFailure.Kind.REJECTED, "register refused the request: too many requests");
            }
            if (status == 503) {
                String after = retryAfter == null ? "" : ", it asks to retry after " + retryAfterText(retryAfter);
                return new RegisterFailure(RegisterFailure.Kind.UNAVAILABLE, "register unavailable: HTTP 503" + after);
            }
            if (status == 504) {
                // A gateway in front of the register (a register adapter) whose register did not answer in time.
                return new RegisterFailure(RegisterFailure.Kind.TIMEOUT, "register answered HTTP 504: no answer in time behind it");
            }
            if (status >= 300 && status < 400) {
                return RegisterFailure.httpStatus(status, "redirect not followed: HTTP " + status);
            }
            return RegisterFailure.httpStatus(status, "register answered HTTP " + status);
        }

        /** Retry-After as seconds, or "a date" for the HTTP-date form; never the raw header. */
        private static String retryAfterText(String value) {
            String v = value.trim();
            return v.matches("[0-9]{1,6}") ? v + " s" : "a given time";
        }
    }
}
