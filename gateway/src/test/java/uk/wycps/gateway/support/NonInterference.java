package uk.wycps.gateway.support;

import static uk.wycps.gateway.support.Answers.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import uk.wycps.gateway.audit.InMemoryAuditSink;
import uk.wycps.mock.GroundTruth;
import uk.wycps.record.ChildRecord;

/**
 * The non-interference check of A9 through every route a caller can observe: run the same
 * enquiry, as the same caller, once for a child that a register withheld from this caller holds
 * and once for a child that nobody holds, and compare everything the caller can see afterwards:
 * the whole answer, the audit view (read with the caller's own token, and with the token of a
 * co-ordinator of the caller's authority who may not see the withheld register either),
 * statistics, the policy's explanation, the change in {@code /metrics}, {@code /health/ready}
 * and the gateway's log lines. Ids, instants and measured times are masked, and so is the
 * subject itself (the caller typed it: its echo in the audit is not a leak); anything else that
 * differs is a leak.
 *
 * <p>Each observation waits until the gateway is quiet (every answer's withheld searches
 * audited, no register search in flight, the outbox drained, the audit log no longer growing),
 * so that work done after the answer left (searches of withheld registers, notifications) is
 * observed too.
 */
public final class NonInterference {

    /** Everything one caller can observe after one enquiry, masked. */
    public record Observation(Map<String, String> routes) {
    }

    /** Who observes: the caller, and a co-ordinator of the caller's authority (may be the same token). */
    public record Observer(String callerToken, String coordinatorToken) {
    }

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z");
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    /** Measured times (and the instants of events) in JSON bodies: masked wherever they appear. */
    private static final Set<String> TIMED_KEYS = Set.of("enquiryId", "requestId", "at", "correlationId",
            // an entry's place in the log: every enquiry of every authority moves it, a match or not
            "seq",
            "latencyMs", "p50Ms", "p99Ms", "lastSuccess", "lastFailure",
            // health's counts over its sliding window grow with every call, whatever the answer
            "callsInWindow", "samples", "failureRatePercent", "slowCallRatePercent");

    private final FederationHarness federation;
    private final InMemoryAuditSink audit;
    private final LogCapture logs;

    public NonInterference(FederationHarness federation, InMemoryAuditSink audit, LogCapture logs) {
        this.federation = federation;
        this.audit = audit;
        this.logs = logs;
    }

    /**
     * Runs {@code enquiry} as the observer's caller and returns what it can observe; the
     * subject's own given name, family name and date of birth are masked everywhere.
     */
    public Observation observe(Observer observer, JsonObject enquiry) throws Exception {
        quiet();
        JsonObject subject = enquiry.getJsonObject("subject");
        List<String> typed = new ArrayList<>();
        for (String key : new String[] {"givenName", "familyName", "dateOfBirth"}) {
            if (subject.getString(key) != null) {
                typed.add(subject.getString(key));
            }
        }
        Map<String, Double> metricsBefore = metrics();
        int mark = logs.mark();
        Instant from = Instant.now().minusMillis(1);
        GatewayHarness gateway = federation.gateway;
        Map<String, String> routes = new LinkedHashMap<>();

        routes.put("answer", response(await(gateway.enquire(observer.callerToken(), enquiry)), typed));
        quiet();
        String window = "/api/v1/audit?limit=1000&from=" + from;
        routes.put("audit (caller)", response(await(gateway.client.get(window)
                .bearerTokenAuthentication(observer.callerToken()).send()), typed));
        routes.put("audit (co-ordinator)", response(await(gateway.client.get(window)
                .bearerTokenAuthentication(observer.coordinatorToken()).send()), typed));
        // and its next page, which goes by the entries' places in the log (after=<seq>): the page
        // after the enquiry's first entry holds the same whether a withheld register matched
        HttpResponse<Buffer> first = await(gateway.client.get("/api/v1/audit?limit=1&from=" + from)
                .bearerTokenAuthentication(observer.coordinatorToken()).send());
        // (a reader refused the audit pages nothing: its next page is asked from the start, refused alike)
        JsonArray firstEntries = first.statusCode() == 200 ? first.bodyAsJsonObject().getJsonArray("entries") : null;
        String after = firstEntries == null || firstEntries.isEmpty() ? "0"
                : String.valueOf(firstEntries.getJsonObject(0).getLong("seq"));
        routes.put("audit (co-ordinator, next page)", response(await(gateway.client.get(window + "&after=" + after)
                .bearerTokenAuthentication(observer.coordinatorToken()).send()), typed));
        routes.put("statistics", response(await(gateway.client.get("/api/v1/statistics?purpose=planning&asOf=2025-12-31")
                .bearerTokenAuthentication(observer.callerToken()).send()), typed));
        JsonObject declaration = enquiry.copy();
        declaration.remove("subject");
        routes.put("explain", response(await(gateway.client.post("/api/v1/policy/explain")
                .bearerTokenAuthentication(observer.callerToken()).sendJsonObject(declaration)), typed));
        routes.put("health", response(await(gateway.management.get("/health/ready").send()), typed));
        routes.put("metrics", metricsChange(metricsBefore, metrics()));
        List<String> lines = new ArrayList<>();
        for (String line : logs.since(mark)) {
            if (line.contains("uk.wycps.gateway")) {
                lines.add(maskText(line, typed));
            }
        }
        routes.put("logs", String.join("\n", lines));
        return new Observation(routes);
    }

    /**
     * A child only {@code register} holds, found there by name and date of birth, and not in Leeds
     * (searching Leeds for it finds nobody).
     */
    public static ChildRecord childHeldOnlyBy(FederationHarness federation, String register) throws Exception {
        String owner = federation.gateway.issuer.token("child-worker", "social-services", register);
        String leeds = federation.gateway.issuer.token("child-worker", "social-services", "leeds");
        int tried = 0;
        for (GroundTruth.Person p : federation.mocks.groundTruth().persons()) {
            if (p.records().size() != 1 || !p.records().get(0).authority().equals(register) || tried++ > 20) {
                continue;
            }
            ChildRecord record = federation.mocks.register(register).record(p.records().get(0).recordId()).orElseThrow();
            if (record.givenName() == null || record.dateOfBirth() == null) {
                continue;
            }
            JsonObject enquiry = GatewayHarness.enquiry(record.givenName(), record.familyName(),
                    record.dateOfBirth().toString());
            JsonObject byOwner = await(federation.gateway.enquire(owner, enquiry)).bodyAsJsonObject();
            JsonObject byLeeds = await(federation.gateway.enquire(leeds, enquiry)).bodyAsJsonObject();
            boolean foundByOwner = byOwner.getJsonArray("persons").stream().anyMatch(x -> ((JsonObject) x)
                    .getJsonArray("records").stream().anyMatch(r -> record.recordId()
                            .equals(((JsonObject) r).getString("recordId"))));
            if (foundByOwner && byLeeds.getJsonArray("persons").isEmpty()) {
                return record;
            }
        }
        throw new AssertionError("the synthetic data holds no child of " + register + " alone");
    }

    /** The routes whose observations differ, each with both versions, or an empty map. */
    public static Map<String, String> differences(Observation held, Observation nobody) {
        Map<String, String> out = new LinkedHashMap<>();
        held.routes().forEach((route, seen) -> {
            String other = nobody.routes().get(route);
            if (!seen.equals(other)) {
                out.put(route, "\n  child held:   " + seen + "\n  child nobody: " + other);
            }
        });
        return out;
    }

    /**
     * Waits until no register search is in flight, the outbox holds nothing pending and the
     * audit log has stopped growing for a few polls: work left after an answer is then done.
     */
    public void quiet() throws Exception {
        int stable = 0;
        int lastSize = -1;
        for (int i = 0; i < 200 && stable < 4; i++) {
            Thread.sleep(50);
            int size = audit.entries().size();
            boolean idle = size == lastSize && everyWithheldSearchAudited() && outboxEmpty() && noSearchInFlight();
            stable = idle ? stable + 1 : 0;
            lastSize = size;
        }
        if (stable < 4) {
            throw new AssertionError("the gateway did not become quiet");
        }
    }

    /** True when every answer that withheld a register has its second audit entry (A9: searched after the answer). */
    private boolean everyWithheldSearchAudited() {
        java.util.Set<String> waiting = new java.util.HashSet<>();
        for (uk.wycps.gateway.audit.AuditEntry e : audit.entries()) {
            if (uk.wycps.gateway.audit.AuditEntry.ANSWERED.equals(e.result())
                    && e.registers().stream().anyMatch(r -> r.status().equals("WITHHELD"))) {
                waiting.add(e.enquiryId());
            } else if (e.result().startsWith(uk.wycps.gateway.enquiry.EnquiryService.WITHHELD_SEARCHED)) {
                waiting.remove(e.enquiryId());
            }
        }
        return waiting.isEmpty();
    }

    private boolean outboxEmpty() throws Exception {
        Map<String, Integer> pending = await(federation.gateway.gateway.outbox().pendingCounts());
        return pending.values().stream().allMatch(n -> n == 0);
    }

    private boolean noSearchInFlight() throws Exception {
        JsonObject health = await(federation.gateway.management.get("/health/ready").send()).bodyAsJsonObject();
        for (Object o : health.getJsonArray("registers")) {
            Integer inFlight = ((JsonObject) o).getInteger("inFlight");
            if (inFlight != null && inFlight != 0) {
                return false;
            }
        }
        return true;
    }

    private Map<String, Double> metrics() throws Exception {
        String text = await(federation.gateway.management.get("/metrics").send()).bodyAsString();
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            // The gateway's own series; times (sums, maxima, histogram buckets) are masked: the
            // timing channel is measured by a benchmark, not asserted here. So is the event loops'
            // lag altogether: its count is the number of 10 ms samples taken, the time that passed.
            if (!line.startsWith("wycps_") || line.contains("_sum") || line.contains("_max")
                    || line.contains("_bucket") || line.startsWith("wycps_event_loop_lag")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return out;
    }

    private static String metricsChange(Map<String, Double> before, Map<String, Double> after) {
        List<String> changed = new ArrayList<>();
        after.forEach((series, value) -> {
            double delta = value - before.getOrDefault(series, 0.0);
            if (delta != 0) {
                changed.add(series + " +" + delta);
            }
        });
        return String.join("\n", changed);
    }

    private static String response(HttpResponse<Buffer> r, List<String> typed) {
        String body = r.bodyAsString();
        Object masked;
        if (body == null || body.isEmpty()) {
            masked = "";
        } else if (body.startsWith("{")) {
            masked = mask(new JsonObject(body), typed);
        } else {
            masked = maskText(body, typed);
        }
        return r.statusCode() + " " + masked;
    }

    private static Object mask(Object value, List<String> typed) {
        if (value instanceof JsonObject o) {
            JsonObject out = new JsonObject();
            o.forEach(e -> out.put(e.getKey(), TIMED_KEYS.contains(e.getKey()) ? "<masked>" : mask(e.getValue(), typed)));
            return out;
        }
        if (value instanceof JsonArray a) {
            JsonArray out = new JsonArray();
            a.forEach(v -> out.add(mask(v, typed)));
            return out;
        }
        if (value instanceof String s) {
            return maskText(s, typed);
        }
        return value;
    }

    private static String maskText(String text, List<String> typed) {
        String out = text;
        for (String t : typed) {
            out = out.replace(t, "<typed>");
        }
        out = UUID.matcher(out).replaceAll("<uuid>");
        out = INSTANT.matcher(out).replaceAll("<instant>");
        return NUMBER.matcher(out).replaceAll("<n>");
    }

}
