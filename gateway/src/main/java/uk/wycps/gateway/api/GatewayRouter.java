package uk.wycps.gateway.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import uk.wycps.gateway.admission.AdmissionControl;
import uk.wycps.gateway.health.HealthRoutes;
import uk.wycps.gateway.metrics.GatewayMetrics;

/** The gateway's routes. Every failure, whatever raised it, ends in the error body of API.md. */
public final class GatewayRouter {

    private GatewayRouter() {
    }

    /** The routes for operators, served on the management listener: metrics and readiness (O3). */
    public static Router management(Vertx vertx, HealthRoutes health, GatewayMetrics metrics) {
        Router router = Router.router(vertx);
        router.get("/health/live").handler(health::live);
        router.get("/health/ready").handler(health::ready);
        router.get("/metrics").handler(metrics::scrape);
        router.route().last().handler(ctx -> ctx.fail(404));
        router.route().failureHandler(ErrorResponses::handleFailure);
        return router;
    }

    public static Router create(Vertx vertx, int maxBodyBytes, EnquiryRoutes enquiries, PolicyExplainRoutes explain,
            AuditRoutes audit, uk.wycps.gateway.statistics.StatisticsRoutes statistics,
            HealthRoutes health, GatewayMetrics metrics, AdmissionControl admission, ApiContract contract) {
        Router router = Router.router(vertx);
        router.route().handler(CorrelationId::handle);
        router.get("/health/live").handler(health::live);
        // The contract of record, public like the API's documentation (O2).
        router.get("/api/v1/openapi.json").handler(ctx -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(contract.document()));
        // Before any token is verified: an address that keeps sending bad tokens is refused
        // without a signature check; each 401 it gets takes from its allowance.
        router.route("/api/*").handler(ctx -> {
            String address = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().host();
            RateLimitedException limited = admission.checkAddress(address);
            if (limited != null) {
                metrics.refused(limited.status(), limited.code());
                ErrorResponses.send(ctx, limited);
                return;
            }
            ctx.addHeadersEndHandler(v -> {
                if (ctx.response().getStatusCode() == 401) {
                    admission.failedAuthentication(address);
                }
            });
            ctx.next();
        });
        // Admitted or refused (429, 401) before the body is read: a refusal costs no more than
        // the headers, which is what keeps an overloaded node answering. A route of its own,
        // because vertx-web puts a route's BodyHandler before its other handlers.
        router.post("/api/v1/enquiries").handler(enquiries::admit);
        router.post("/api/v1/enquiries")
                // An explicit, small limit: the default is 10 MB (see PITFALLS); over it is 413.
                .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
                .handler(enquiries::handle);
        router.route("/api/v1/enquiries").handler(ctx -> ctx.fail(405));
        router.get("/api/v1/audit").handler(audit::handle);
        router.route("/api/v1/audit").handler(ctx -> ctx.fail(405));
        router.get("/api/v1/statistics").handler(statistics::handle);
        router.route("/api/v1/statistics").handler(ctx -> ctx.fail(405));
        router.post("/api/v1/policy/explain")
                .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
                .handler(explain::handle);
        router.route("/api/v1/policy/explain").handler(ctx -> ctx.fail(405));
        router.route().last().handler(ctx -> ctx.fail(404));
        router.route().failureHandler(ErrorResponses::handleFailure);
        router.errorHandler(500, ErrorResponses::handleFailure);
        return router;
    }

}
