package uk.wycps.gateway.api;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.wycps.gateway.admission.AdmissionControl;
import uk.wycps.gateway.admission.EventLoopLag;
import uk.wycps.gateway.auth.TokenVerifier;
import uk.wycps.gateway.enquiry.EnquiryAnswer;
import uk.wycps.gateway.enquiry.EnquiryParser;
import uk.wycps.gateway.enquiry.EnquiryService;
import uk.wycps.gateway.metrics.GatewayMetrics;
import uk.wycps.gateway.tracing.Telemetry;
import uk.wycps.policy.Caller;
import uk.wycps.record.RecordJson;

/** {@code POST /api/v1/enquiries}: authenticate, validate, answer (API.md). */
public final class EnquiryRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(EnquiryRoutes.class);
    static final String DEADLINE_HEADER = "X-Deadline-Ms";
    private static final ObjectWriter ANSWER_WRITER = RecordJson.mapper().writerFor(EnquiryAnswer.class);

    private final TokenVerifier tokens;
    private final EnquiryParser parser;
    private final EnquiryService service;
    private final GatewayMetrics metrics;
    private final AdmissionControl admission;

    private final Telemetry telemetry;
    private final EventLoopLag lag;

    private static final String STARTED = "wycps.enquiry.started";
    private static final String SPAN = "wycps.enquiry.span";
    private static final String ADMITTED = "wycps.enquiry.admitted";

    /** {@code lag}: how far behind the event loop serving these routes is. */
    public EnquiryRoutes(TokenVerifier tokens, EnquiryParser parser, EnquiryService service, GatewayMetrics metrics,
            AdmissionControl admission, EventLoopLag lag, Telemetry telemetry) {
        this.telemetry = telemetry;
        this.lag = lag;
        this.metrics = metrics;
        this.admission = admission;
        this.tokens = tokens;
        this.parser = parser;
        this.service = service;
    }

    /**
     * Before the body is read: refused at once, with nothing read past the headers and no
     * register asked, when this event loop is too far behind, when the token is not valid, or
     * when the caller, their agency or this node is over its limit. Admitted, the caller and the
     * permit go on with the request to {@link #handle} once the body is in.
     */
    public void admit(RoutingContext ctx) {
        String correlationId = ctx.get(CorrelationId.KEY);
        ctx.put(STARTED, System.nanoTime());
        Span span = telemetry.startEnquiry(correlationId);
        ctx.put(SPAN, span);
        RateLimitedException overloaded = admission.overloaded(lag);
        if (overloaded != null) {
            refuse(ctx, span, correlationId, overloaded);
            return;
        }
        // Paused while the token is checked (a key fetch may be asynchronous): the BodyHandler
        // after this reads the body and must find none of it gone.
        ctx.request().pause();
        tokens.verify(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))
                .compose(caller -> admission.admit(caller).map(permit -> new Admitted(caller, permit)))
                .onSuccess(admitted -> {
                    if (ctx.response().closed() || ctx.response().ended()) {
                        // The caller went while the token was checked (a key fetch, a shared rate
                        // limiter): no end is left to come, so the permit goes back now.
                        admitted.permit().release();
                        return;
                    }
                    // For the ends that never reach handle (a 413 from the BodyHandler, the caller
                    // gone); handle releases it as soon as the answer is known. Releasing is idempotent.
                    ctx.addEndHandler(v -> admitted.permit().release());
                    ctx.put(ADMITTED, admitted);
                    ctx.next();
                })
                .onFailure(e -> refuse(ctx, span, correlationId, e));
    }

    /** The body is in and the enquiry admitted ({@link #admit}): parse it and answer. */
    public void handle(RoutingContext ctx) {
        String correlationId = ctx.get(CorrelationId.KEY);
        long started = ctx.get(STARTED);
        Span span = ctx.get(SPAN);
        Admitted admitted = ctx.get(ADMITTED);
        Future<EnquiryAnswer> answer;
        try {
            answer = service.handle(admitted.caller(), parser.parse(JsonBodies.require(ctx)), correlationId,
                    requestedDeadline(ctx));
        } catch (RuntimeException e) {
            answer = Future.failedFuture(e);
        }
        answer.onComplete(done -> admitted.permit().release())
                .onSuccess(a -> {
                    Buffer json;
                    try {
                        json = JsonBodies.encode(ANSWER_WRITER, a);
                    } catch (IOException e) {
                        ctx.fail(e);
                        return;
                    }
                    metrics.enquiryAnswered(a.outcome(), a.complete(), System.nanoTime() - started);
                    span.setAttribute(Telemetry.OUTCOME, a.outcome()).setAttribute(Telemetry.COMPLETE, a.complete())
                            .setAttribute(Telemetry.HTTP_STATUS, 200L).end();
                    // DEBUG: the audit log already holds every enquiry with its correlation id, and a
                    // line per enquiry written synchronously by the event loop cost 9 % of its CPU
                    LOG.debug("enquiry answered: enquiryId={}, correlationId={}, outcome={}, complete={}, persons={}",
                            a.enquiryId(), correlationId, a.outcome(), a.complete(), a.persons().size());
                    JsonBodies.send(ctx, json);
                })
                .onFailure(e -> refuse(ctx, span, correlationId, e));
    }

    /** A caller whose enquiry may go on, and the in-flight permit it holds until answered. */
    private record Admitted(Caller caller, AdmissionControl.Permit permit) {
    }

    private void refuse(RoutingContext ctx, Span span, String correlationId, Throwable e) {
        // Whatever of the body has come is read and dropped, so the connection can serve the next request.
        ctx.request().resume();
        if (e instanceof ApiException api) {
            if (api.status() == 429) {
                // A flood is counted in wycps_refusals_total; a line for each would be the flood's echo.
                LOG.debug("enquiry refused: correlationId={}, status={}, code={}", correlationId, api.status(),
                        api.code());
            } else {
                LOG.info("enquiry refused: correlationId={}, status={}, code={}", correlationId, api.status(),
                        api.code());
            }
            metrics.refused(api.status(), api.code());
            span.setAttribute(Telemetry.HTTP_STATUS, (long) api.status()).setAttribute(Telemetry.ERROR_CODE, api.code())
                    .end();
            ErrorResponses.send(ctx, api);
        } else {
            span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, e.getClass().getSimpleName()).end();
            ctx.fail(e);
        }
    }

    /** An answer as the API sends it (the console renders exactly this). */
    public static Buffer encode(EnquiryAnswer answer) throws IOException {
        return JsonBodies.encode(ANSWER_WRITER, answer);
    }

    private static long requestedDeadline(RoutingContext ctx) {
        String value = ctx.request().getHeader(DEADLINE_HEADER);
        if (value == null) {
            return 0;
        }
        try {
            long ms = Long.parseLong(value.trim());
            if (ms >= 1 && ms <= 60_000) {
                return ms;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw ApiException.badRequest("invalid-header", DEADLINE_HEADER + " must be a whole number of milliseconds "
                + "from 1 to 60000.", DEADLINE_HEADER);
    }
}
