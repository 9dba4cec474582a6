package uk.wycps.gateway.statistics;

import io.vertx.core.Future;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.statistics.RegisterStatistics;
import uk.wycps.connector.statistics.StatisticsTables;
import uk.wycps.gateway.api.ApiException;
import uk.wycps.gateway.audit.AuditEntry;
import uk.wycps.gateway.audit.AuditSink;
import uk.wycps.gateway.fanout.RegisterFanOut;
import uk.wycps.gateway.fanout.RegisterStatus;
import uk.wycps.gateway.fanout.Registers;
import uk.wycps.policy.Caller;
import uk.wycps.policy.Role;
import uk.wycps.policy.SharingPolicy;

/**
 * Anonymised statistics for planning (S1, P3): each register computes its own counts, the
 * gateway combines them into tables by authority, suppresses small numbers, audits the request
 * and answers. No record, identity or record id is asked for or passed on. A register that did
 * not answer is reported as for an enquiry (F5), and every total is then of the registers that
 * answered only.
 */
public final class StatisticsService {

    /** The roles that plan services (API.md). */
    static final java.util.Set<Role> ROLES = java.util.Set.of(Role.PERFORMANCE_QUALITY, Role.SENIOR_MANAGER,
            Role.CP_COORDINATOR);
    /** No register has more children than this: a larger count is a broken answer. */
    static final long MAX_COUNT = 10_000_000L;

    private final Registers registers;
    private final SmallNumberSuppression suppression;
    private final AuditSink audit;
    private final SharingPolicy policy;

    public StatisticsService(Registers registers, SmallNumberSuppression suppression, AuditSink audit,
            SharingPolicy policy) {
        this.registers = registers;
        this.suppression = suppression;
        this.audit = audit;
        this.policy = policy;
    }

    /** One register's part: its statistics, or why it has none. */
    public record RegisterPart(String authority, RegisterStatus status, String reason, RegisterStatistics statistics) {
    }

    /** The combined answer before rendering. */
    public record Answer(String requestId, LocalDate asOf, boolean complete, List<RegisterPart> registers,
            List<SuppressedTable> tables, int threshold) {
    }

    /**
     * Answers for {@code caller}; fails with an {@link ApiException} (403 for a role or purpose
     * that may not have statistics, 503 when the request cannot be audited).
     */
    public Future<Answer> answer(Caller caller, String purpose, LocalDate asOf, String correlationId) {
        String requestId = UUID.randomUUID().toString();
        if (!ROLES.contains(caller.role())) {
            return refuse(caller, requestId, correlationId, purpose, ApiException.forbidden("role-not-permitted",
                    "Statistics are for performance and quality staff, senior managers and co-ordinators."));
        }
        if (!"planning".equals(purpose)) {
            return refuse(caller, requestId, correlationId, purpose, ApiException.forbidden("purpose-not-permitted",
                    "Statistics are given for planning, policy and resource management only (purpose=planning)."));
        }
        List<Future<RegisterPart>> parts = new ArrayList<>();
        registers.authorities().forEach(authority -> parts.add(ask(authority, registers.connector(authority), asOf)));
        return Future.join(parts).compose(done -> {
            List<RegisterPart> registers = parts.stream().map(Future::result).toList();
            Answer answer = combine(requestId, asOf, registers);
            // The period asked for in the entry's justification (the caller gives none): a sweep
            // over many periods, or a pair to difference, shows in the audit as such (S1).
            AuditEntry entry = new AuditEntry(requestId, Instant.now(), correlationId, caller, "statistics", purpose,
                    "statistics for the period ending " + asOf, null, null,
                    registers.stream().map(p -> new AuditEntry.RegisterAnswer(p.authority(), p.status().name())).toList(),
                    List.of(), List.of(), policy.id() + "@" + policy.version());
            return audit.append(entry).transform(ar -> ar.succeeded() ? Future.succeededFuture(answer)
                    : Future.failedFuture(new ApiException(503, "audit-unavailable",
                            "The request could not be recorded, so no answer is given. Try again shortly.", null)));
        });
    }

    private Future<Answer> refuse(Caller caller, String requestId, String correlationId, String purpose,
            ApiException refusal) {
        AuditEntry entry = new AuditEntry(requestId, Instant.now(), correlationId, caller,
                "refused:" + refusal.code(), purpose, null, null, null, List.of(), List.of(), List.of(),
                policy.id() + "@" + policy.version());
        return audit.append(entry).transform(ar -> Future.failedFuture(ar.succeeded() ? refusal
                : new ApiException(503, "audit-unavailable", "The request could not be recorded.", null)));
    }

    private Future<RegisterPart> ask(String authority, RegisterConnector connector, LocalDate asOf) {
        Deadline deadline = Deadline.afterMillis(registers.deadlineMs(authority, 0));
        return connector.statistics(asOf, deadline)
                .map(stats -> {
                    String problem = validate(stats, asOf);
                    return problem == null ? new RegisterPart(authority, RegisterStatus.OK, null, stats)
                            : new RegisterPart(authority, RegisterStatus.ERROR, problem, null);
                })
                .recover(e -> Future.succeededFuture(e instanceof RegisterFailure f
                        ? new RegisterPart(authority, RegisterFanOut.status(f.kind()), f.getMessage(), null)
                        : new RegisterPart(authority, RegisterStatus.ERROR, "connector failed", null)));
    }

    /** Register answers are untrusted: every table and row known, every count plausible. */
    static String validate(RegisterStatistics stats, LocalDate asOf) {
        for (String table : StatisticsTables.tables()) {
            Map<String, Long> rows = stats.tables().get(table);
            if (rows == null) {
                return "statistics answer lacks table " + table;
            }
            List<String> expected = StatisticsTables.rows(table, asOf);
            if (!rows.keySet().containsAll(expected)) {
                // A row left out is a figure not given, never a zero (F5).
                return "statistics answer lacks a row of " + table;
            }
            for (Map.Entry<String, Long> row : rows.entrySet()) {
                if (!expected.contains(row.getKey())) {
                    return "statistics answer has an unknown row in " + table;
                }
                if (row.getValue() == null || row.getValue() < 0 || row.getValue() > MAX_COUNT) {
                    return "statistics answer has an impossible count in " + table;
                }
            }
        }
        if (stats.tables().size() != StatisticsTables.tables().size()) {
            return "statistics answer has unknown tables";
        }
        return null;
    }

    private Answer combine(String requestId, LocalDate asOf, List<RegisterPart> registers) {
        List<RegisterPart> answered = registers.stream().filter(p -> p.status() == RegisterStatus.OK).toList();
        List<String> columns = answered.stream().map(RegisterPart::authority).toList();
        List<SuppressedTable> tables = new ArrayList<>();
        // No register read, no figures (F5): a table of totals alone would say "<5" of West
        // Yorkshire's children when nothing was counted.
        for (String table : answered.isEmpty() ? List.<String>of() : StatisticsTables.tables()) {
            List<String> rows = StatisticsTables.rows(table, asOf);
            long[][] counts = new long[rows.size()][columns.size()];
            for (int i = 0; i < rows.size(); i++) {
                for (int j = 0; j < columns.size(); j++) {
                    counts[i][j] = answered.get(j).statistics().count(table, rows.get(i));
                }
            }
            tables.add(suppression.apply(table, rows, columns, counts).rounded(suppression.threshold()));
        }
        return new Answer(requestId, asOf, answered.size() == registers.size(), registers, tables,
                suppression.threshold());
    }
}
