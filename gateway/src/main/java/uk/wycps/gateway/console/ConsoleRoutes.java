package uk.wycps.gateway.console;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.common.template.TemplateEngine;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CSPHandler;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.sstore.LocalSessionStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.wycps.gateway.admission.AdmissionControl;
import uk.wycps.gateway.admission.EventLoopLag;
import uk.wycps.gateway.api.ApiException;
import uk.wycps.gateway.api.AuditRoutes;
import uk.wycps.gateway.api.CorrelationId;
import uk.wycps.gateway.api.EnquiryRoutes;
import uk.wycps.gateway.api.RateLimitedException;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.gateway.enquiry.EnquiryParser;
import uk.wycps.gateway.enquiry.EnquiryService;
import uk.wycps.gateway.statistics.StatisticsRoutes;
import uk.wycps.gateway.statistics.StatisticsService;
import uk.wycps.policy.Caller;
import uk.wycps.policy.Role;

/**
 * The practitioner console (issue 16) at {@code /}: server-rendered GOV.UK Design System pages
 * over the same enquiry, audit and statistics code as the API, so that every decision (policy,
 * tier, redaction, audit) is made in one place. The console never makes one of its own: it
 * turns a form into the API's body, hands it to {@link EnquiryParser} and {@link EnquiryService},
 * and renders the answer exactly as the API serialises it.
 *
 * <p>Safety (issue 16, H5): enquiries by POST only, so no personal data in a URL; a session
 * token on every form (CSRF); a Content-Security-Policy without {@code unsafe-inline} on every
 * response; {@code Cache-Control: no-store} on every page; nothing about a child in the logs.
 */
public final class ConsoleRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleRoutes.class);
    static final String SESSION_COOKIE = "wycps-session";
    static final String LOGIN_COOKIE = "wycps-sign-in";
    private static final String TEMPLATES = "console/templates/";
    private static final String GOVUK = "META-INF/resources/webjars/govuk-frontend/" + GovukFrontend.VERSION + "/dist/govuk";
    private static final DateTimeFormatter PRINTED = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm", Locale.UK)
            .withZone(ZoneId.of("Europe/London"));
    private static final Set<Role> PLANNING = Set.of(Role.PERFORMANCE_QUALITY, Role.SENIOR_MANAGER, Role.CP_COORDINATOR);

    private final Vertx vertx;
    private final GatewayConfig.Console settings;
    private final TemplateEngine templates;
    private final EnquiryParser parser;
    private final EnquiryService enquiries;
    private final AuditRoutes audit;
    /** How long a sign-in lasts, however busy the session: as long as an API token may live. */
    private final Duration signInLifetime;
    private final StatisticsService statistics;
    private final List<String> authorities;
    private final OidcSignIn oidc;

    private final AdmissionControl admission;
    private final EventLoopLag lag;

    /** {@code admission} and {@code lag}: the API's, so an enquiry from the console counts as one from the API. */
    public ConsoleRoutes(Vertx vertx, GatewayConfig config, TemplateEngine templates, EnquiryParser parser,
            EnquiryService enquiries, AuditRoutes audit, StatisticsService statistics, List<String> authorities,
            AdmissionControl admission, EventLoopLag lag) {
        this.vertx = vertx;
        this.admission = admission;
        this.lag = lag;
        this.settings = config.console();
        this.signInLifetime = Duration.ofSeconds(config.auth().maxTokenLifetimeSeconds());
        this.templates = templates;
        this.parser = parser;
        this.enquiries = enquiries;
        this.audit = audit;
        this.statistics = statistics;
        this.authorities = List.copyOf(authorities);
        this.oidc = settings.mode() == GatewayConfig.Console.Mode.OIDC
                ? new OidcSignIn(vertx, config.auth().issuer(), settings, Set.copyOf(authorities),
                        config.auth().leewaySeconds()) : null;
    }

    /** Headers for every response of the gateway, page or not: CSP first of all. */
    public static void securityHeaders(Router router) {
        router.route().order(-1).handler(CSPHandler.create()
                .addDirective("default-src", "'self'")
                .addDirective("script-src", "'self'")
                .addDirective("style-src", "'self'")
                .addDirective("img-src", "'self'")
                .addDirective("font-src", "'self'")
                .addDirective("connect-src", "'self'")
                .addDirective("form-action", "'self'")
                .addDirective("frame-ancestors", "'none'")
                .addDirective("base-uri", "'none'")
                .addDirective("object-src", "'none'"));
        router.route().order(-1).handler(ctx -> {
            ctx.response().putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Referrer-Policy", "no-referrer")
                    .putHeader("X-Frame-Options", "DENY");
            ctx.next();
        });
    }

    public void mount(Router router, int maxBodyBytes) {
        // GOV.UK Frontend's built CSS, JavaScript and images from the webjar. Not its fonts: the
        // GDS Transport typeface is licensed for GOV.UK services only, so the browser falls
        // back to the stylesheet's next choice (Arial).
        router.get("/govuk/*").handler(StaticHandler.create(GOVUK).setIncludeHidden(false).setDirectoryListing(false));
        router.get("/assets/images/*").handler(StaticHandler.create(GOVUK + "/assets/images"));
        router.get("/console/static/*").handler(StaticHandler.create("console/static"));

        SessionHandler sessions = SessionHandler.create(LocalSessionStore.create(vertx, "wycps.console.sessions"))
                .setSessionCookieName(SESSION_COOKIE)
                .setCookieHttpOnlyFlag(true)
                .setCookieSecureFlag(settings.secureCookie())
                .setCookieSameSite(CookieSameSite.STRICT)
                .setSessionTimeout(settings.idleTimeout().toMillis())
                .setMinLength(32)
                // Its warning for a request that is not https logs the whole URL at DEBUG, query
                // string and all (a deep link's criteria, a sign-in code: H5); behind a
                // TLS-terminating proxy every request would be one.
                .setNagHttps(false);
        BodyHandler forms = BodyHandler.create(false).setBodyLimit(maxBodyBytes);

        page(router.get("/"), sessions).handler(this::home);
        page(router.post("/sign-in/demo"), sessions).handler(forms).handler(this::demoSignIn);
        page(router.get("/sign-in"), sessions).handler(this::oidcStart);
        page(router.get("/sign-in/callback"), sessions).handler(this::oidcCallback);
        page(router.post("/sign-out"), sessions).handler(forms).handler(this::signOut);
        page(router.get("/enquiry"), sessions).handler(this::enquiryForm);
        page(router.post("/enquiry"), sessions).handler(forms).handler(this::enquire);
        page(router.get("/answers/:enquiryId/print"), sessions).handler(this::print);
        page(router.get("/audit"), sessions).handler(this::auditView);
        page(router.get("/statistics"), sessions).handler(this::statisticsView);
        page(router.get("/statistics.csv"), sessions).handler(this::statisticsCsv);
    }

    private static Route page(Route route, SessionHandler sessions) {
        return route.handler(sessions);
    }

    // ---- sign-in and out -------------------------------------------------------------------

    private void home(RoutingContext ctx) {
        Caller caller = caller(ctx);
        if (caller == null) {
            signInPage(ctx, 200, null);
            return;
        }
        Map<String, Object> m = model(ctx, caller, "Home");
        m.put("mayEnquire", caller.role() != Role.PERFORMANCE_QUALITY);
        m.put("mayAudit", audit.mayRead(caller));
        m.put("mayPlan", PLANNING.contains(caller.role()));
        render(ctx, 200, "home", m);
    }

    private void signInPage(RoutingContext ctx, int status, String problem) {
        Map<String, Object> m = model(ctx, null, "Sign in");
        m.put("problem", problem);
        m.put("personas", Personas.ALL.stream().map(Personas.Persona::view).toList());
        m.put("roles", Labels.ROLES);
        m.put("agencies", Labels.AGENCIES);
        List<Map<String, String>> authorityOptions = new ArrayList<>();
        authorities.forEach(a -> authorityOptions.add(Map.of("code", a, "name", Labels.authority(a))));
        m.put("authorities", authorityOptions);
        List<String> grants = new ArrayList<>();
        grants.add(Caller.CROSS_AUTHORITY_ALL);
        authorities.forEach(a -> grants.add(Caller.CROSS_AUTHORITY_PREFIX + a));
        grants.add(Caller.SCHEDULE_ONE);
        m.put("grants", grants);
        render(ctx, status, "sign-in", m);
    }

    private void demoSignIn(RoutingContext ctx) {
        if (settings.mode() != GatewayConfig.Console.Mode.DEMO) {
            ctx.fail(404);
            return;
        }
        if (!ConsoleSession.csrfValid(ctx)) {
            refuseForm(ctx);
            return;
        }
        MultiMap form = ctx.request().formAttributes();
        String chosen = form.get("persona");
        String role;
        String agency;
        String authority;
        List<String> grants;
        String name;
        Personas.Persona persona = Personas.find(chosen);
        if (persona != null) {
            role = persona.role();
            agency = persona.agency();
            authority = persona.authority();
            grants = persona.grants();
            name = persona.title() + " (demo persona)";
        } else if ("custom".equals(chosen)) {
            role = form.get("role");
            agency = form.get("agency");
            authority = form.get("authority") == null || form.get("authority").isBlank() ? null : form.get("authority");
            grants = form.getAll("grants");
            name = "Demo persona: " + Labels.of(Labels.ROLES, role);
        } else {
            signInPage(ctx, 400, "Select a persona to sign in as");
            return;
        }
        // The same mapping as a token's claims: unknown roles, agencies, authorities are refused.
        JsonObject claims = new JsonObject().put("role", role).put("agency", agency).put("authority", authority)
                .put("authorisations", new io.vertx.core.json.JsonArray(grants));
        uk.wycps.gateway.auth.CallerClaims.caller("demo:" + (persona != null ? persona.id() : role), claims,
                        Set.copyOf(authorities))
                .onSuccess(caller -> {
                    ConsoleSession.signIn(ctx, caller, name);
                    redirect(ctx, "/");
                })
                .onFailure(e -> signInPage(ctx, 400, "Choose a role, agency and authority the protocol knows"));
    }

    private void oidcStart(RoutingContext ctx) {
        if (oidc == null) {
            ctx.fail(404);
            return;
        }
        oidc.start().onSuccess(started -> {
            // The state also goes in a short-lived cookie, so that the callback is accepted only
            // in the browser that started the sign-in. Lax: the identity provider's redirect is a
            // cross-site navigation, on which the Strict session cookie is not sent.
            ctx.response().addCookie(Cookie.cookie(LOGIN_COOKIE, started.state()).setPath("/sign-in/callback")
                    .setHttpOnly(true).setSecure(settings.secureCookie()).setSameSite(CookieSameSite.LAX)
                    .setMaxAge(OidcSignIn.PENDING_MS / 1000));
            redirect(ctx, started.authorizeUrl());
        }).onFailure(e -> {
            LOG.warn("console sign-in could not start: {}", e.getClass().getSimpleName());
            signInPage(ctx, 503, "Sign-in is not available at the moment. Try again shortly.");
        });
    }

    private void oidcCallback(RoutingContext ctx) {
        if (oidc == null) {
            ctx.fail(404);
            return;
        }
        Cookie cookie = ctx.request().getCookie(LOGIN_COOKIE);
        ctx.response().addCookie(Cookie.cookie(LOGIN_COOKIE, "").setPath("/sign-in/callback").setMaxAge(0)
                .setHttpOnly(true).setSecure(settings.secureCookie()).setSameSite(CookieSameSite.LAX));
        oidc.finish(ctx.request().getParam("code"), ctx.request().getParam("state"),
                        cookie == null ? null : cookie.getValue())
                .onSuccess(signedIn -> {
                    ConsoleSession.signIn(ctx, signedIn.caller(), signedIn.name());
                    // A page, not a redirect: the navigation from here to "/" starts on this
                    // site, so the browser sends the Strict session cookie with it.
                    Map<String, Object> m = model(ctx, signedIn.caller(), "Signed in");
                    render(ctx, 200, "signed-in", m);
                })
                .onFailure(e -> {
                    LOG.info("console sign-in refused: {}", e instanceof ApiException api ? api.code()
                            : e.getClass().getSimpleName());
                    signInPage(ctx, 401, "You could not be signed in: " + e.getMessage());
                });
    }

    private void signOut(RoutingContext ctx) {
        if (caller(ctx) != null && !ConsoleSession.csrfValid(ctx)) {
            refuseForm(ctx);
            return;
        }
        ConsoleSession.signOut(ctx);
        redirect(ctx, "/");
    }

    // ---- the enquiry -----------------------------------------------------------------------

    private void enquiryForm(RoutingContext ctx) {
        Caller caller = requireCaller(ctx);
        if (caller == null) {
            return;
        }
        formPage(ctx, caller, 200, EnquiryForm.empty(), Map.of(), null);
    }

    private void formPage(RoutingContext ctx, Caller caller, int status, EnquiryForm form, Map<String, String> errors,
            Map<String, Object> moreDetail) {
        Map<String, Object> m = model(ctx, caller, errors.isEmpty() ? "Start an enquiry" : "Error: Start an enquiry");
        m.put("form", form.values());
        m.put("errors", errors);
        m.put("errorSummary", EnquiryForm.summary(errors));
        m.put("purposes", Labels.PURPOSES);
        m.put("grounds", Labels.GROUNDS);
        m.put("consents", Labels.CONSENT);
        m.put("refusedBy", Labels.REFUSED_BY);
        m.put("genders", Labels.GENDERS);
        m.put("moreDetail", moreDetail);
        render(ctx, status, "enquiry", m);
    }

    private void enquire(RoutingContext ctx) {
        Caller caller = requireCaller(ctx);
        if (caller == null) {
            return;
        }
        if (!ConsoleSession.csrfValid(ctx)) {
            refuseForm(ctx);
            return;
        }
        EnquiryForm form = EnquiryForm.of(ctx.request().formAttributes());
        Map<String, String> errors = new LinkedHashMap<>();
        JsonObject body = form.body(errors);
        if (!errors.isEmpty()) {
            formPage(ctx, caller, 400, form, errors, null);
            return;
        }
        String correlationId = ctx.get(CorrelationId.KEY);
        Long askedUnder = ConsoleSession.signedInAt(ctx);
        // The API's admission, parser and service: the same limits, validation, policy, fan-out, audit.
        admission.admitted(lag, caller, () -> enquiries.handle(caller, parser.parse(body.toBuffer()), correlationId, 0))
                .compose(answer -> {
                    try {
                        return Future.succeededFuture(new JsonObject(EnquiryRoutes.encode(answer)));
                    } catch (IOException e) {
                        return Future.failedFuture(e);
                    }
                })
                .onSuccess(answer -> {
                    // Ids only in the log (H5), as the API logs.
                    LOG.debug("console enquiry answered: enquiryId={}, correlationId={}, outcome={}",
                            answer.getString("enquiryId"), correlationId, answer.getString("outcome"));
                    if (askedUnder == null || !askedUnder.equals(ConsoleSession.signedInAt(ctx)) || caller(ctx) == null) {
                        // Signed out, or signed in again (perhaps as someone else), while it ran:
                        // the answer was for the sign-in that asked, at its tier, and is neither
                        // kept in nor shown to the session as it is now (A4).
                        signInPage(ctx, 401, "Your sign-in changed while the enquiry ran, so its answer is not shown. "
                                + "Sign in and ask again.");
                        return;
                    }
                    String at = Instant.now().toString();
                    ConsoleSession.keep(ctx, answer, form.toJson(), at);
                    answerPage(ctx, caller, answer, form, at, false);
                })
                .onFailure(e -> {
                    if (e instanceof ApiException api && api.status() == 400) {
                        String field = EnquiryForm.fieldFor(api.field());
                        formPage(ctx, caller, 400, form,
                                Map.of(field, EnquiryForm.messageFor(field, api.code(), api.getMessage())), null);
                    } else if (e instanceof RateLimitedException limited) {
                        LOG.debug("console enquiry refused: correlationId={}, status={}, code={}", correlationId,
                                limited.status(), limited.code());
                        ctx.response().putHeader("Retry-After", Long.toString(limited.retryAfterSeconds()));
                        problemPage(ctx, caller, 429, "Too many enquiries just now",
                                limited.getMessage() + " Wait " + limited.retryAfterSeconds()
                                        + (limited.retryAfterSeconds() == 1 ? " second" : " seconds")
                                        + " before sending the form again.");
                    } else if (e instanceof ApiException api) {
                        LOG.info("console enquiry refused: correlationId={}, status={}, code={}", correlationId,
                                api.status(), api.code());
                        problemPage(ctx, caller, api.status(), api.status() == 403 ? "You cannot make this enquiry"
                                : "The enquiry could not be made", api.getMessage());
                    } else {
                        ctx.fail(e);
                    }
                });
    }

    private void answerPage(RoutingContext ctx, Caller caller, JsonObject answer, EnquiryForm form, String at,
            boolean print) {
        Map<String, Object> a = AnswerModel.of(answer);
        Map<String, Object> m = model(ctx, caller, print ? "Print: enquiry " + a.get("enquiryId")
                : String.valueOf(a.get("headline")));
        m.put("answer", a);
        m.put("print", print);
        m.put("printedAt", PRINTED.format(Instant.now()));
        m.put("askedAt", PRINTED.format(Instant.parse(at)));
        if ("more-detail-needed".equals(a.get("outcome"))) {
            m.put("form", form.values());
            m.put("errors", Map.of());
            m.put("errorSummary", List.of());
            m.put("purposes", Labels.PURPOSES);
            m.put("grounds", Labels.GROUNDS);
            m.put("consents", Labels.CONSENT);
            m.put("refusedBy", Labels.REFUSED_BY);
            m.put("genders", Labels.GENDERS);
        }
        render(ctx, 200, print ? "print" : "answer", m);
    }

    private void print(RoutingContext ctx) {
        Caller caller = requireCaller(ctx);
        if (caller == null) {
            return;
        }
        JsonObject kept = ConsoleSession.kept(ctx, ctx.pathParam("enquiryId"));
        if (kept == null) {
            problemPage(ctx, caller, 404, "Answer not available",
                    "Only your last " + ConsoleSession.KEPT_ANSWERS + " answers in this session can be printed.");
            return;
        }
        answerPage(ctx, caller, kept.getJsonObject("answer"), EnquiryForm.of(kept.getJsonObject("form")),
                kept.getString("at"), true);
    }

    // ---- audit and statistics -------------------------------------------------------------

    private void auditView(RoutingContext ctx) {
        Caller caller = requireCaller(ctx);
        if (caller == null) {
            return;
        }
        audit.entries(caller, ctx).onSuccess(entries -> {
            Map<String, Object> m = model(ctx, caller, "Who enquired about " + Labels.authority(caller.authority())
                    + "'s children");
            List<Map<String, Object>> rows = new ArrayList<>();
            for (JsonObject e : entries) {
                List<Map<String, Object>> fields = new ArrayList<>();
                e.forEach(f -> {
                    if (!"at".equals(f.getKey())) {
                        fields.add(Map.of("key", f.getKey(), "label", Labels.field(f.getKey()),
                                "text", AnswerModel.text(f.getValue())));
                    }
                });
                rows.add(Map.of("at", e.getValue("at") == null ? "" : String.valueOf(e.getValue("at")), "fields", fields));
            }
            m.put("entries", rows);
            String limit = ctx.request().getParam("limit");
            Long lastSeq = entries.isEmpty() ? null : entries.get(entries.size() - 1).getLong("seq");
            if (lastSeq != null && entries.size() == (limit == null ? AuditRoutes.DEFAULT_LIMIT : Integer.parseInt(limit))) {
                // The list is cut short: say so, and offer the entries written after the last one
                // shown, by the log's order (an entry written later may carry an earlier time: a
                // withheld register's, which is what its co-ordinator most needs to see).
                io.netty.handler.codec.http.QueryStringEncoder link = new io.netty.handler.codec.http.QueryStringEncoder("/audit");
                ctx.request().params().forEach((name, value) -> {
                    if (!"after".equals(name)) {
                        link.addParam(name, value);
                    }
                });
                link.addParam("after", String.valueOf(lastSeq));
                m.put("later", link.toString());
            }
            render(ctx, 200, "audit", m);
        }).onFailure(e -> failed(ctx, caller, e));
    }

    private void statisticsView(RoutingContext ctx) {
        Caller caller = requireCaller(ctx);
        if (caller == null) {
            return;
        }
        statisticsAnswer(ctx, caller).onSuccess(answer -> {
            Map<String, Object> m = model(ctx, caller, "Statistics for planning");
            m.put("stats", StatisticsModel.of(StatisticsRoutes.json(answer)));
            render(ctx, 200, "statistics", m);
        }).onFailure(e -> failed(ctx, caller, e));
    }

    private void statisticsCsv(RoutingContext ctx) {
        Caller caller = requireCaller(ctx);
        if (caller == null) {
            return;
        }
        statisticsAnswer(ctx, caller).onSuccess(answer -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/csv; charset=utf-8")
                .putHeader("Content-Disposition", "attachment; filename=\"wycps-statistics-" + answer.asOf() + ".csv\"")
                .putHeader("Cache-Control", "no-store")
                .end(StatisticsRoutes.csv(answer)))
                .onFailure(e -> failed(ctx, caller, e));
    }

    private Future<StatisticsService.Answer> statisticsAnswer(RoutingContext ctx, Caller caller) {
        try {
            java.time.LocalDate asOf = StatisticsRoutes.asOf(ctx);
            // Admitted as the API's statistics are: the same limits for the same caller.
            return admission.admitted(lag, caller,
                    () -> statistics.answer(caller, "planning", asOf, ctx.get(CorrelationId.KEY)));
        } catch (ApiException e) {
            return Future.failedFuture(e);
        }
    }

    private void failed(RoutingContext ctx, Caller caller, Throwable e) {
        if (e instanceof RateLimitedException limited) {
            ctx.response().putHeader("Retry-After", Long.toString(limited.retryAfterSeconds()));
        }
        if (e instanceof ApiException api) {
            problemPage(ctx, caller, api.status(), api.status() == 403 ? "You cannot see this page"
                    : "There is a problem", api.getMessage());
        } else {
            ctx.fail(e);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    private Caller caller(RoutingContext ctx) {
        return ConsoleSession.caller(ctx, settings.idleTimeout(), signInLifetime);
    }

    /** The caller, or null having answered with the sign-in page (and no data). */
    private Caller requireCaller(RoutingContext ctx) {
        Caller caller = caller(ctx);
        if (caller == null) {
            signInPage(ctx, 401, "Sign in to continue. If you were signed in, your session has ended.");
        }
        return caller;
    }

    private void refuseForm(RoutingContext ctx) {
        Caller caller = caller(ctx);
        problemPage(ctx, caller, 403, "This form has expired",
                "The form was not sent from this session. Go back, reload the page and try again.");
    }

    private void problemPage(RoutingContext ctx, Caller caller, int status, String heading, String message) {
        Map<String, Object> m = model(ctx, caller, heading);
        m.put("heading", heading);
        m.put("message", message);
        render(ctx, status, "problem", m);
    }

    private Map<String, Object> model(RoutingContext ctx, Caller caller, String title) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", title);
        m.put("csrf", ctx.session() == null ? "" : ConsoleSession.csrf(ctx));
        m.put("mode", settings.mode().name());
        m.put("govuk", "/govuk");
        m.put("print", false);
        if (caller != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", ConsoleSession.displayName(ctx));
            c.put("role", Labels.of(Labels.ROLES, caller.role().code()));
            c.put("agency", Labels.of(Labels.AGENCIES, caller.agency().code()));
            c.put("authority", caller.authority() == null ? null : Labels.authority(caller.authority()));
            c.put("grants", String.join(", ", caller.authorisations().stream().sorted().toList()));
            c.put("mayAudit", audit.mayRead(caller));
            c.put("mayPlan", PLANNING.contains(caller.role()));
            m.put("caller", c);
        }
        return m;
    }

    private void render(RoutingContext ctx, int status, String template, Map<String, Object> model) {
        templates.render(model, TEMPLATES + template + ".peb").onComplete(ar -> {
            if (ctx.response().ended()) {
                return;
            }
            if (ar.failed()) {
                LOG.error("console template {} failed: {}", template, ar.cause().getClass().getSimpleName());
                ctx.fail(500);
                return;
            }
            ctx.response().setStatusCode(status)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                    // Every console page may show a child or a caller: never stored by a browser or proxy.
                    .putHeader("Cache-Control", "no-store")
                    .putHeader("Pragma", "no-cache")
                    .end(ar.result());
        });
    }

    private static void redirect(RoutingContext ctx, String location) {
        ctx.response().setStatusCode(303).putHeader(HttpHeaders.LOCATION, location)
                .putHeader("Cache-Control", "no-store").end();
    }
}
