package uk.wycps.gateway.statistics;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import uk.wycps.gateway.admission.AdmissionControl;
import uk.wycps.gateway.admission.EventLoopLag;
import uk.wycps.gateway.api.ApiException;
import uk.wycps.gateway.api.CorrelationId;
import uk.wycps.gateway.api.ErrorResponses;
import uk.wycps.gateway.auth.TokenVerifier;
import uk.wycps.gateway.fanout.RegisterStatus;

/**
 * {@code GET /api/v1/statistics?purpose=planning[&asOf=yyyy-MM-dd]}: the suppressed tables as
 * JSON, or as CSV with {@code Accept: text/csv}. A suppressed count is shown as {@code "<5"}.
 * {@code asOf} is a published period end (a month end, the latest by default).
 */
public final class StatisticsRoutes {

    private final TokenVerifier tokens;
    private final StatisticsService service;
    private final AdmissionControl admission;
    private final EventLoopLag lag;

    /**
     * {@code admission}: statistics are admitted as enquiries are (T1: each caller is limited;
     * each request asks every register for a whole aggregation, so an unlimited planner could
     * load them all, or make answers partial on demand).
     */
    public StatisticsRoutes(TokenVerifier tokens, StatisticsService service, AdmissionControl admission,
            EventLoopLag lag) {
        this.tokens = tokens;
        this.service = service;
        this.admission = admission;
        this.lag = lag;
    }

    public void handle(RoutingContext ctx) {
        tokens.verify(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))
                .compose(caller -> {
                    String purpose = ctx.request().getParam("purpose");
                    if (purpose == null) {
                        throw ApiException.badRequest("missing-field", "State the purpose: purpose=planning.", "purpose");
                    }
                    LocalDate asOf = asOf(ctx.request().getParam("asOf"), LocalDate.now());
                    return admission.admitted(lag, caller, () -> service.answer(caller, purpose, asOf,
                            ctx.get(CorrelationId.KEY)));
                })
                .onSuccess(answer -> {
                    String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
                    boolean csv = accept != null && accept.toLowerCase(Locale.ROOT).contains("text/csv");
                    ctx.response()
                            .putHeader(HttpHeaders.CONTENT_TYPE, csv ? "text/csv; charset=utf-8" : "application/json")
                            .putHeader("Cache-Control", "no-store")
                            .end(csv ? csv(answer) : json(answer).toBuffer());
                })
                .onFailure(e -> {
                    if (e instanceof ApiException api) {
                        ErrorResponses.send(ctx, api);
                    } else {
                        ctx.fail(e);
                    }
                });
    }

    /** The period asked for by the request's {@code asOf} (the console's too), or the latest. */
    public static LocalDate asOf(RoutingContext ctx) {
        return asOf(ctx.request().getParam("asOf"), LocalDate.now());
    }

    /**
     * The period end asked for (S1): only the last day of a month that has ended. Any day would
     * let two adjacent days' tables be subtracted to find one child's registration; month ends
     * only, with every figure rounded ({@link SuppressedTable#rounded}), leave no pair of
     * allowed answers that differ by a count that would have been suppressed.
     */
    static LocalDate asOf(String v, LocalDate today) {
        LocalDate latest = latestPeriodEnd(today);
        if (v == null) {
            return latest;
        }
        LocalDate asOf;
        try {
            asOf = LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw notAPeriodEnd(latest);
        }
        if (!asOf.equals(YearMonth.from(asOf).atEndOfMonth()) || asOf.isAfter(latest) || asOf.isBefore(EARLIEST)) {
            throw notAPeriodEnd(latest);
        }
        return asOf;
    }

    /**
     * The earliest period asked for: the registers hold nothing older, and a year far from ours
     * (LocalDate reads -999999999) overflowed the tables' month arithmetic.
     */
    static final LocalDate EARLIEST = LocalDate.of(2000, 1, 31);

    /** The end of the last whole month before {@code today}: the latest published period. */
    static LocalDate latestPeriodEnd(LocalDate today) {
        return YearMonth.from(today).minusMonths(1).atEndOfMonth();
    }

    private static ApiException notAPeriodEnd(LocalDate latest) {
        return ApiException.badRequest("invalid-parameter", "asOf must be the last day of a month that has ended, "
                + "from " + EARLIEST + " (statistics are published for whole months only), e.g. " + latest + ".", "asOf");
    }

    private static Object shown(Long value, int threshold) {
        return value == null ? "<" + threshold : value;
    }

    /** The answer as the API's JSON (the console renders the same). */
    public static JsonObject json(StatisticsService.Answer answer) {
        JsonArray registers = new JsonArray();
        for (StatisticsService.RegisterPart p : answer.registers()) {
            JsonObject part = new JsonObject().put("authority", p.authority()).put("status", p.status().name());
            if (p.status() != RegisterStatus.OK) {
                part.put("notice", p.authority() + " register's figures are missing (" + p.reason()
                        + "): every total below counts only the registers that answered.");
            }
            registers.add(part);
        }
        JsonArray tables = new JsonArray();
        int t = answer.threshold();
        for (SuppressedTable table : answer.tables()) {
            JsonArray rows = new JsonArray();
            for (int i = 0; i < table.rows().size(); i++) {
                JsonObject counts = new JsonObject();
                for (int j = 0; j < table.columns().size(); j++) {
                    counts.put(table.columns().get(j), shown(table.cells()[i][j], t));
                }
                rows.add(new JsonObject().put("row", table.rows().get(i)).put("counts", counts)
                        .put("total", shown(table.rowTotals()[i], t)));
            }
            JsonObject totals = new JsonObject();
            for (int j = 0; j < table.columns().size(); j++) {
                totals.put(table.columns().get(j), shown(table.columnTotals()[j], t));
            }
            tables.add(new JsonObject().put("name", table.name()).put("columns", new JsonArray(table.columns()))
                    .put("rows", rows).put("totals", totals).put("total", shown(table.grandTotal(), t)));
        }
        return new JsonObject()
                .put("requestId", answer.requestId())
                .put("purpose", "planning")
                .put("asOf", answer.asOf().toString())
                .put("complete", answer.complete())
                .put("registers", registers)
                .put("suppression", new JsonObject().put("threshold", t).put("shownAs", "<" + t)
                        .put("secondary", true).put("roundedTo", t))
                .put("tables", tables);
    }

    /** The answer as the API's CSV (the console's download is the same). */
    public static Buffer csv(StatisticsService.Answer answer) {
        StringBuilder out = new StringBuilder();
        int t = answer.threshold();
        if (!answer.complete()) {
            out.append("# incomplete: not every register answered; totals count only those that did\n");
            // Which, and how (F5): a reader that skips comment lines still has the first line;
            // one that reads them learns which register's figures are missing, not zero.
            for (StatisticsService.RegisterPart part : answer.registers()) {
                if (part.status() != RegisterStatus.OK) {
                    out.append("# not counted: ").append(part.authority()).append(' ').append(part.status().name())
                            .append('\n');
                }
            }
        }
        for (SuppressedTable table : answer.tables()) {
            out.append("table,row");
            table.columns().forEach(c -> out.append(',').append(c));
            out.append(",total\n");
            for (int i = 0; i < table.rows().size(); i++) {
                out.append(table.name()).append(',').append(table.rows().get(i));
                for (int j = 0; j < table.columns().size(); j++) {
                    out.append(',').append(shown(table.cells()[i][j], t));
                }
                out.append(',').append(shown(table.rowTotals()[i], t)).append('\n');
            }
            out.append(table.name()).append(",all");
            for (int j = 0; j < table.columns().size(); j++) {
                out.append(',').append(shown(table.columnTotals()[j], t));
            }
            out.append(',').append(shown(table.grandTotal(), t)).append('\n');
        }
        return Buffer.buffer(out.toString());
    }
}
