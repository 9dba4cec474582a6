package uk.wycps.gateway.enquiry;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import uk.wycps.gateway.logging.LogContext;
import uk.wycps.gateway.tracing.Telemetry;
import io.opentelemetry.api.trace.Span;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.SearchRequest;
import uk.wycps.gateway.api.ApiException;
import uk.wycps.gateway.audit.AuditEntry;
import uk.wycps.gateway.audit.AuditSink;
import uk.wycps.gateway.fanout.RegisterFanOut;
import uk.wycps.gateway.fanout.RegisterOutcome;
import uk.wycps.gateway.fanout.RegisterStatus;
import uk.wycps.gateway.metrics.GatewayMetrics;
import uk.wycps.gateway.outbox.OutboxMessage;
import uk.wycps.gateway.outbox.RegisterOutbox;
import uk.wycps.linkage.FieldComparison;
import uk.wycps.linkage.LinkageResult;
import uk.wycps.linkage.LinkedPerson;
import uk.wycps.linkage.RecordLinker;
import uk.wycps.linkage.SourcedRecord;
import uk.wycps.policy.AccessDecision;
import uk.wycps.policy.Caller;
import uk.wycps.policy.EnquiryPermission;
import uk.wycps.policy.SharingPolicy;
import uk.wycps.record.CanonicalFields;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.FieldProjection;

/**
 * One enquiry from a verified caller to its answer: policy decision per register, fan-out,
 * linking, redaction, audit. The answer is released only after its audit entry is durable (H1).
 */
public final class EnquiryService {

    private final Vertx vertx;
    private final GatewayMetrics metrics;
    private final SharingPolicy policy;
    private final RegisterFanOut fanOut;
    private final Map<String, Long> deadlinesMs;
    private final RecordLinker linker;
    private final AuditSink audit;
    private final RegisterOutbox outbox;

    public EnquiryService(Vertx vertx, GatewayMetrics metrics, SharingPolicy policy, RegisterFanOut fanOut, Map<String, Long> deadlinesMs,
            RecordLinker linker, AuditSink audit, RegisterOutbox outbox) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.policy = policy;
        this.fanOut = fanOut;
        this.deadlinesMs = Map.copyOf(deadlinesMs);
        this.linker = linker;
        this.audit = audit;
        this.outbox = outbox;
    }

    /**
     * Answers {@code enquiry}. Fails with an {@link ApiException}: 403 when the policy refuses
     * the enquiry (audited too), 503 when the audit cannot be written (nothing is returned).
     * {@code requestedDeadlineMs} (0 for none) may only shorten a register's deadline.
     */
    public Future<EnquiryAnswer> handle(Caller caller, Enquiry enquiry, String correlationId, long requestedDeadlineMs) {
        String enquiryId = UUID.randomUUID().toString();
        LogContext.enquiryId(enquiryId);
        Span.current().setAttribute(Telemetry.ENQUIRY_ID, enquiryId);
        Instant at = Instant.now();
        EnquiryPermission permission = policy.permitEnquiry(caller, enquiry.declaration());
        if (!permission.permitted()) {
            AuditEntry refused = entry(enquiryId, at, correlationId, caller, enquiry, "refused:" + permission.code(),
                    List.of(), List.of(), List.of());
            return audited(refused).compose(v -> Future.failedFuture(
                    ApiException.forbidden(permission.code(), permission.message())));
        }
        Map<String, AccessDecision> decisions = new LinkedHashMap<>();
        List<RegisterFanOut.Query> queries = new ArrayList<>(enquiry.registers().size());
        for (String authority : enquiry.registers()) {
            AccessDecision decision = policy.decide(caller, enquiry.declaration(), authority);
            decisions.put(authority, decision);
            // A5: ask only for what the caller may receive. Where nothing may be received, ask
            // for record ids alone, so that a matching register can be told (A9).
            Set<String> fields = decision.recordsVisible() ? decision.allowedFields() : Set.of(CanonicalFields.RECORD_ID);
            long deadline = deadlineFor(authority, requestedDeadlineMs);
            queries.add(new RegisterFanOut.Query(authority,
                    new SearchRequest(enquiry.subject(), fields, Deadline.afterMillis(deadline), enquiryId)));
        }
        return fanOut.search(queries).compose(outcomes -> {
            Gathered gathered = gather(enquiryId, caller, enquiry, at, decisions, outcomes, requestedDeadlineMs);
            return link(enquiry, gathered.candidates)
                    .map(linkage -> assemble(enquiryId, caller, enquiry, at, decisions, gathered, linkage));
        }).compose(assembled -> {
            AuditEntry entry = entry(enquiryId, at, correlationId, caller, enquiry, AuditEntry.ANSWERED,
                    assembled.registerAudit, assembled.released, assembled.notified);
            // The answer leaves only once its audit entry and the registers' notifications are
            // both durable (H1, H3); if either cannot be written, 503 and nothing.
            return Future.all(audit.append(entry), outbox.enqueue(assembled.notifications))
                    .transform(ar -> ar.succeeded() ? Future.succeededFuture(assembled.answer) : unavailable());
        });
    }

    private long deadlineFor(String authority, long requestedMs) {
        long configured = deadlinesMs.getOrDefault(authority, 2000L);
        return requestedMs > 0 ? Math.min(configured, requestedMs) : configured;
    }

    private Future<Void> audited(AuditEntry entry) {
        return audit.append(entry).recover(e -> unavailable());
    }

    private static <T> Future<T> unavailable() {
        return Future.failedFuture(new ApiException(503, "audit-unavailable",
                "The enquiry could not be recorded, so no answer is given. Try again shortly.", null));
    }

    /** What an enquiry's outcomes become: the answer, its audit and its notifications. */
    /**
     * Links on the event loop when the candidates are few (the usual case: microseconds), on a
     * worker when a loose search left many, since linking grows with the square of them.
     */
    private Future<LinkageResult> link(Enquiry enquiry, List<SourcedRecord> candidates) {
        if (candidates.size() <= INLINE_LINKING_LIMIT) {
            return Future.succeededFuture(linker.link(enquiry.subject(), candidates));
        }
        return vertx.executeBlocking(() -> linker.link(enquiry.subject(), candidates), false);
    }

    /** Candidates above this many are linked on a worker thread. */
    static final int INLINE_LINKING_LIMIT = 40;

    /** Each register's part of the answer and audit, and the candidates to link. */
    private record Gathered(List<EnquiryAnswer.RegisterView> views, List<AuditEntry.RegisterAnswer> registerAudit,
            List<SourcedRecord> candidates, List<OutboxMessage> notifications, List<AuditEntry.Released> notified,
            boolean complete) {
    }

    /** What an enquiry's outcomes become: the answer, its audit and its notifications. */
    private record Assembled(EnquiryAnswer answer, List<AuditEntry.RegisterAnswer> registerAudit,
            List<AuditEntry.Released> released, List<AuditEntry.Released> notified, List<OutboxMessage> notifications) {
    }

    private Gathered gather(String enquiryId, Caller caller, Enquiry enquiry, Instant at,
            Map<String, AccessDecision> decisions, List<RegisterOutcome> outcomes, long requestedDeadlineMs) {
        List<EnquiryAnswer.RegisterView> views = new ArrayList<>(outcomes.size());
        List<AuditEntry.RegisterAnswer> registerAudit = new ArrayList<>(outcomes.size());
        List<SourcedRecord> candidates = new ArrayList<>();
        List<OutboxMessage> notifications = new ArrayList<>();
        List<AuditEntry.Released> notified = new ArrayList<>();
        boolean complete = true;
        for (RegisterOutcome outcome : outcomes) {
            metrics.registerOutcome(outcome.authority(), outcome.status().name(), outcome.latencyMs());
            AccessDecision decision = decisions.get(outcome.authority());
            registerAudit.add(new AuditEntry.RegisterAnswer(outcome.authority(),
                    decision.recordsVisible() ? outcome.status().name() : "WITHHELD(" + outcome.status().name() + ")"));
            if (!decision.recordsVisible()) {
                // A9: the same entry whether or not the register holds the child, or answered at all.
                complete = false;
                views.add(new EnquiryAnswer.RegisterView(outcome.authority(), RegisterStatus.WITHHELD.name(), null,
                        Notices.withheld(outcome.authority())));
                for (ChildRecord r : outcome.records()) {
                    notifications.add(notification(enquiryId, caller, enquiry, at, outcome.authority(), r.recordId()));
                    notified.add(new AuditEntry.Released(outcome.authority(), r.recordId(), "NOTIFIED"));
                }
                continue;
            }
            if (!outcome.checked()) {
                complete = false;
            }
            views.add(new EnquiryAnswer.RegisterView(outcome.authority(), outcome.status().name(), outcome.latencyMs(),
                    Notices.forOutcome(outcome, deadlineFor(outcome.authority(), requestedDeadlineMs))));
            for (ChildRecord r : outcome.records()) {
                // The second line of A5: whatever the register sent, only allowed fields go on.
                candidates.add(new SourcedRecord(outcome.authority(), FieldProjection.project(r, decision.allowedFields())));
            }
        }
        return new Gathered(views, registerAudit, candidates, notifications, notified, complete);
    }

    private Assembled assemble(String enquiryId, Caller caller, Enquiry enquiry, Instant at,
            Map<String, AccessDecision> decisions, Gathered gathered, LinkageResult linkage) {
        List<OutboxMessage> notifications = new ArrayList<>(gathered.notifications);
        boolean complete = gathered.complete;
        List<EnquiryAnswer.PersonView> persons = new ArrayList<>(linkage.persons().size());
        List<AuditEntry.Released> released = new ArrayList<>();
        for (LinkedPerson person : linkage.persons()) {
            List<EnquiryAnswer.RecordView> records = new ArrayList<>(person.records().size());
            for (SourcedRecord sourced : person.records()) {
                AccessDecision decision = decisions.get(sourced.authority());
                String recordId = sourced.record().recordId();
                records.add(new EnquiryAnswer.RecordView(sourced.authority(), recordId, decision.tier().name(),
                        sourced.record(), decision.withheldFields().stream().sorted().toList()));
                released.add(new AuditEntry.Released(sourced.authority(), recordId, decision.tier().name()));
                notifications.add(notification(enquiryId, caller, enquiry, at, sourced.authority(), recordId));
            }
            List<EnquiryAnswer.ExplanationView> explanation = new ArrayList<>(person.explanation().size());
            for (FieldComparison c : person.explanation()) {
                explanation.add(new EnquiryAnswer.ExplanationView(c.field(), c.level(), c.weight()));
            }
            persons.add(new EnquiryAnswer.PersonView(person.band().name(), round(person.score()), records, explanation));
        }
        persons.sort(Comparator.comparingDouble(EnquiryAnswer.PersonView::score).reversed());
        String outcome;
        List<String> moreDetail = null;
        if (!persons.isEmpty()) {
            if (linkage.ambiguous()) {
                outcome = EnquiryAnswer.MORE_DETAIL_NEEDED;
                moreDetail = linkage.moreDetail();
            } else {
                outcome = EnquiryAnswer.FOUND;
            }
        } else {
            outcome = complete ? EnquiryAnswer.NONE_FOUND : EnquiryAnswer.NOT_ALL_CHECKED;
        }
        EnquiryAnswer answer = new EnquiryAnswer(enquiryId, complete, outcome, moreDetail, gathered.views, persons);
        return new Assembled(answer, gathered.registerAudit, released, gathered.notified, notifications);
    }

    private static double round(double score) {
        return Math.round(score * 1000.0) / 1000.0;
    }

    private OutboxMessage notification(String enquiryId, Caller caller, Enquiry enquiry,
            Instant at, String authority, String recordId) {
        EnquiryHistoryEntry entry = new EnquiryHistoryEntry(
                entryId(enquiryId, authority, recordId), enquiryId, at, caller.subject(),
                caller.role().code(), caller.agency().code(), caller.authority(),
                enquiry.declaration().purpose().code(), enquiry.declaration().consent().summary());
        return OutboxMessage.history(authority, recordId, entry);
    }

    /** The same entry id for the same record of the same enquiry, so a resend is recorded once. */
    static String entryId(String enquiryId, String authority, String recordId) {
        return UUID.nameUUIDFromBytes((enquiryId + '|' + authority + '|' + recordId)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    private AuditEntry entry(String enquiryId, Instant at, String correlationId, Caller caller, Enquiry enquiry,
            String result, List<AuditEntry.RegisterAnswer> registers, List<AuditEntry.Released> released,
            List<AuditEntry.Released> notified) {
        return new AuditEntry(enquiryId, at, correlationId, caller, result, enquiry.declaration().purpose().code(),
                enquiry.declaration().justification(), enquiry.declaration().consent().summary(), enquiry.subject(),
                registers, released, notified, policy.id() + "@" + policy.version());
    }
}
