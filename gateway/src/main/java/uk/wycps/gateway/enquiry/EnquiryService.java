package uk.wycps.gateway.enquiry;

import io.vertx.core.Context;
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
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.wycps.gateway.logging.LogContext;
import uk.wycps.gateway.tracing.Telemetry;
import io.opentelemetry.api.trace.Span;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.SearchRequest;
import uk.wycps.gateway.api.ApiException;
import uk.wycps.gateway.audit.AuditEntry;
import uk.wycps.gateway.audit.AuditSink;
import uk.wycps.gateway.config.RegisterContact;
import uk.wycps.gateway.fanout.RegisterFanOut;
import uk.wycps.gateway.fanout.RegisterOutcome;
import uk.wycps.gateway.fanout.RegisterStatus;
import uk.wycps.gateway.metrics.GatewayMetrics;
import uk.wycps.gateway.outbox.OutboxMessage;
import uk.wycps.gateway.outbox.Outbox;
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
import uk.wycps.record.SearchCriteria;

/**
 * One enquiry from a verified caller to its answer: policy decision per register, fan-out,
 * linking, redaction, audit. The answer is released only after its audit entry is durable (H1).
 */
public final class EnquiryService {

    private static final Logger LOG = LoggerFactory.getLogger(EnquiryService.class);

    private final Vertx vertx;
    private final SharingPolicy policy;
    private final RegisterFanOut fanOut;
    private final RecordLinker linker;
    private final AuditSink audit;
    private final Outbox outbox;
    private final GatewayMetrics metrics;
    private final WithheldSearches withheldWork;
    private final Map<String, RegisterContact> contacts;

    /**
     * Decides with {@code policy}, searches through {@code fanOut} (its registers carry their
     * deadlines), links with {@code linker} and leaves its {@code trail}; each register's answer
     * names whom to call about it from {@code contacts} (F6).
     */
    public EnquiryService(Vertx vertx, SharingPolicy policy, RegisterFanOut fanOut, RecordLinker linker,
            EnquiryTrail trail, Map<String, RegisterContact> contacts) {
        this.vertx = vertx;
        this.policy = policy;
        this.fanOut = fanOut;
        this.linker = linker;
        this.audit = trail.audit();
        this.outbox = trail.outbox();
        this.metrics = trail.metrics();
        this.withheldWork = trail.withheld();
        this.contacts = Map.copyOf(contacts);
    }

    /**
     * Answers {@code enquiry}. Fails with an {@link ApiException}: 403 when the policy refuses
     * the enquiry (audited too), 503 when the audit cannot be written (nothing is returned).
     * {@code requestedDeadlineMs} (0 for none) may only shorten a register's deadline.
     *
     * <p>Registers whose records the caller may not see ({@code WITHHELD}) are searched only
     * after the answer has left (A9): the answer cannot then wait longer, or fail, because one of
     * them holds the child. Their outcome and the notifications of their matches are recorded in
     * a second audit entry ({@link #WITHHELD_SEARCHED}) once known.
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
        List<String> withheld = new ArrayList<>();
        // One moment for every register's deadline, so that those configured alike share one timer.
        long asked = System.nanoTime();
        for (String authority : enquiry.registers()) {
            AccessDecision decision = policy.decide(caller, enquiry.declaration(), authority);
            decisions.put(authority, decision);
            if (!decision.recordsVisible()) {
                withheld.add(authority);
                continue;
            }
            // A5: ask only for what the caller may receive; with the shielded mark whenever a
            // location field is asked (A10).
            long deadline = deadlineFor(authority, requestedDeadlineMs);
            queries.add(new RegisterFanOut.Query(authority,
                    new SearchRequest(enquiry.subject(), withMark(decision.allowedFields()), Deadline.afterMillis(asked, deadline),
                            enquiryId)));
        }
        Context context = vertx.getOrCreateContext();
        java.util.concurrent.atomic.AtomicReference<AuditEntry> answerEntry = new java.util.concurrent.atomic.AtomicReference<>();
        Future<EnquiryAnswer> answered = fanOut.search(queries).compose(outcomes -> {
            Gathered gathered = gather(enquiry, decisions, outcomes, requestedDeadlineMs);
            return link(enquiry, decisions, gathered.candidates)
                    .map(linkage -> assemble(enquiryId, caller, enquiry, at, decisions, gathered, linkage));
        }).compose(assembled -> {
            AuditEntry entry = entry(enquiryId, at, correlationId, caller, enquiry, AuditEntry.ANSWERED,
                    assembled.registerAudit, assembled.released, List.of());
            answerEntry.set(entry);
            // The answer leaves only once its audit entry and the notifications of the records it
            // releases are both durable (H1, H3), in one transaction where the store allows;
            // if either cannot be written, 503 and nothing.
            return audit.append(entry, assembled.notifications, outbox)
                    .transform(ar -> ar.succeeded() ? Future.succeededFuture(assembled.answer) : unavailable());
        });
        if (!withheld.isEmpty()) {
            // After the answer is written, and after a random delay: the work a match adds (an
            // outbox write, a notification) then neither coincides with the answer's delivery
            // nor follows it at a fixed interval that the caller's next request could probe.
            // The searches stay in the enquiry's trace (O3: an enquiry's log lines carry its trace
            // id): the request's tracing context has been let go once its answer was sent.
            io.opentelemetry.context.Context trace = io.opentelemetry.context.Context.current();
            answered.onSuccess(answer -> {
                // Promised from here: a node that stops waits for it (WithheldSearches); one that
                // is lost leaves it to be resumed from the answer's entry (resumeWithheldSearches).
                withheldWork.begin(enquiryId);
                context.runOnContext(v -> vertx.setTimer(1 + ThreadLocalRandom.current().nextLong(WITHHELD_DELAY_MS), id -> {
                    try (io.opentelemetry.context.Scope scope = trace.makeCurrent()) {
                        searchWithheld(answerEntry.get(), withheld).onComplete(done -> withheldWork.end(enquiryId));
                    } catch (RuntimeException e) {
                        withheldWork.end(enquiryId);
                        throw e;
                    }
                }));
            });
        }
        return answered;
    }

    /**
     * The fields a register is asked for under {@code decision}: what the caller may receive
     * (A5), with the shielded mark whenever a location field is asked (A10): the gateway must
     * know a shielded record before it can keep its location in. The policy classifies the mark
     * at the lowest tier, so this adds nothing in practice; it stays so that no change of policy
     * can ask for an address without the mark. Public for the load suite's raw fan-out proxy,
     * which must ask for exactly the same.
     */
    public static Set<String> fieldsAsked(AccessDecision decision) {
        return withMark(decision.allowedFields());
    }

    private static Set<String> withMark(Set<String> fields) {
        if (fields.contains(CanonicalFields.SHIELDED) || CanonicalFields.location().stream().noneMatch(fields::contains)) {
            return fields;
        }
        Set<String> with = new java.util.HashSet<>(fields);
        with.add(CanonicalFields.SHIELDED);
        return Set.copyOf(with);
    }

    /**
     * Searches the registers withheld from the caller for record ids only (A5), tells each that
     * holds a match (A9, H3), and records what they answered and who was told in the audit. Runs
     * after the answer has left; nothing here can reach the caller. Their latencies stay out of
     * the published figures, which a caller could otherwise compare (A9).
     */
    private Future<Void> searchWithheld(AuditEntry answered, List<String> withheld) {
        return searchWithheld(answered, withheld, true);
    }

    /**
     * As the search after an answer, but when the notifications cannot be queued no entry is
     * written, nor any line logged: the answer stays without its second entry and is resumed
     * again (a second {@code :notification-failed} entry for one enquiry would break the
     * PostgreSQL audit's unique (enquiry, result), failing a whole batch of other enquiries').
     */
    private Future<Void> resumedSearch(AuditEntry answered, List<String> withheld) {
        return searchWithheld(answered, withheld, false);
    }

    private Future<Void> searchWithheld(AuditEntry answered, List<String> withheld, boolean recordFailure) {
        String enquiryId = answered.enquiryId();
        List<RegisterFanOut.Query> queries = new ArrayList<>(withheld.size());
        long asked = System.nanoTime();
        for (String authority : withheld) {
            // The register's own deadline, not one the caller shortened: nobody waits on this
            // search, and a caller must not be able to time it out so that no register is told.
            queries.add(new RegisterFanOut.Query(authority, new SearchRequest(answered.criteria(),
                    Set.of(CanonicalFields.RECORD_ID), Deadline.afterMillis(asked, deadlineFor(authority, 0)), enquiryId),
                    false));
        }
        return fanOut.search(queries).compose(outcomes -> {
            List<AuditEntry.RegisterAnswer> registers = new ArrayList<>(outcomes.size());
            List<OutboxMessage> notifications = new ArrayList<>();
            List<AuditEntry.Released> notified = new ArrayList<>();
            for (RegisterOutcome outcome : outcomes) {
                metrics.withheldSearch(outcome.authority(), outcome.status().name());
                registers.add(new AuditEntry.RegisterAnswer(outcome.authority(),
                        RegisterStatus.WITHHELD.name() + "(" + outcome.status().name() + ")"));
                for (ChildRecord r : outcome.records()) {
                    // Ids only were asked for: whether a withheld match is shielded is its register's to know.
                    notifications.add(notification(enquiryId, answered.caller(), answered.purpose(), answered.consent(),
                            answered.at(), outcome.authority(), r.recordId(), false));
                    notified.add(new AuditEntry.Released(outcome.authority(), r.recordId(), "NOTIFIED"));
                }
            }
            AuditEntry searched = followUp(answered, WITHHELD_SEARCHED, registers, notified);
            if (notifications.isEmpty()) {
                return audit.append(searched);
            }
            // The notifications and the entry that records them together (one transaction where
            // the store allows). When they cannot be queued, the entry says so instead, with no log
            // line of its own: only a match is ever queued, so the line would say that a withheld
            // register held the child (A9); the entry's result says it to readers who may see
            // those registers (AuditView).
            Future<Void> written = audit.appendAfterQueuing(searched, notifications, outbox);
            // Resumed, nothing is written and nothing logged (a line only a match can cause would
            // say a withheld register held the child, A9): the answer, still without its entry,
            // is resumed again.
            return !recordFailure ? written.recover(e -> Future.succeededFuture()) : written.recover(e -> audit.append(
                    followUp(answered, WITHHELD_SEARCHED + ":notification-failed", registers, notified)));
        }).onFailure(e -> LOG.warn("withheld searches not audited: enquiryId={}, cause={}", enquiryId,
                e.getClass().getSimpleName()));
    }

    /** The answer's entry made the withheld searches' own: the same enquiry, its result and what they found. */
    private static AuditEntry followUp(AuditEntry answered, String result, List<AuditEntry.RegisterAnswer> registers,
            List<AuditEntry.Released> notified) {
        return new AuditEntry(answered.enquiryId(), answered.at(), answered.correlationId(), answered.caller(), result,
                answered.purpose(), answered.justification(), answered.consent(), answered.criteria(), registers,
                List.of(), notified, answered.policy());
    }

    /**
     * Runs again the withheld registers' searches of answers whose second entry is missing (A9,
     * H3): a node lost between an answer and them (killed, not stopped) left a register that may
     * hold the child untold. Those answered in the {@link #RESUME_HORIZON} before {@code before}
     * (which the caller sets past any search a live node may still be running: this node's start,
     * or {@link #RESUME_GRACE} ago where nodes share the audit), one at a time, each first claimed
     * from the audit where nodes share it; never one running on this node, and none once the node
     * is stopping. Returns how many were run.
     */
    public Future<Integer> resumeWithheldSearches(Instant before) {
        Set<String> known = Set.copyOf(fanOut.registers().authorities());
        return audit.withheldNotSearched(before.minus(RESUME_HORIZON), before).compose(lost -> {
            Future<Integer> run = Future.succeededFuture(0);
            for (AuditEntry answered : lost) {
                List<String> withheld = answered.withheldRegisters().stream().filter(known::contains).toList();
                if (withheld.isEmpty() || answered.criteria() == null || answered.caller() == null) {
                    continue;
                }
                run = run.compose(n -> withheldWork.stopping() || withheldWork.running(answered.enquiryId())
                        ? Future.succeededFuture(n)
                        : audit.claimWithheldSearch(answered.enquiryId()).compose(claimed -> {
                            if (!claimed) {
                                return Future.succeededFuture(n);
                            }
                            withheldWork.begin(answered.enquiryId());
                            return resumedSearch(answered, withheld)
                                    .onComplete(done -> withheldWork.end(answered.enquiryId()))
                                    .transform(done -> Future.succeededFuture(n + 1));
                        }));
            }
            return run;
        }).onSuccess(n -> {
            if (n > 0) {
                LOG.info("withheld searches resumed: count={}", n);
            }
        });
    }

    /** How far back answers are looked at for withheld searches never run. */
    public static final java.time.Duration RESUME_HORIZON = java.time.Duration.ofDays(7);

    /** How old an answer must be before its withheld searches count as lost: a live node's are done by then. */
    public static final java.time.Duration RESUME_GRACE = java.time.Duration.ofMinutes(2);

    /** {@link AuditEntry#WITHHELD_SEARCHED}. */
    public static final String WITHHELD_SEARCHED = AuditEntry.WITHHELD_SEARCHED;

    /** The withheld searches start at a random moment within this many milliseconds of the answer. */
    public static final long WITHHELD_DELAY_MS = 50;

    private long deadlineFor(String authority, long requestedMs) {
        return fanOut.registers().deadlineMs(authority, requestedMs);
    }

    private Future<Void> audited(AuditEntry entry) {
        return audit.append(entry).recover(e -> unavailable());
    }

    private static <T> Future<T> unavailable() {
        return Future.failedFuture(new ApiException(503, "audit-unavailable",
                "The enquiry could not be recorded, so no answer is given. Try again shortly.", null));
    }

    /**
     * Links on the event loop when the candidates are few (the usual case: microseconds), on a
     * worker when a loose search left many, since linking grows with the square of them.
     */
    private Future<LinkageResult> link(Enquiry enquiry, Map<String, AccessDecision> decisions,
            List<SourcedRecord> candidates) {
        // A10: whether the answer will hold a shielded record is known before linking, since each
        // candidate is kept or dropped on its own score against the subject, and a shielded
        // record's has no place in it (whatever postcode the caller typed).
        boolean shieldedShown = candidates.stream()
                .anyMatch(c -> c.record().shieldedByOwner() && linker.discloses(enquiry.subject(), c.record()));
        SearchCriteria subject = shieldedShown ? withoutPostcode(enquiry.subject()) : enquiry.subject();
        List<SourcedRecord> linked = shieldedShown ? releasedBeside(candidates, decisions) : candidates;
        if (linked.size() <= INLINE_LINKING_LIMIT) {
            return Future.succeededFuture(linker.link(subject, linked));
        }
        return vertx.executeBlocking(() -> linker.link(subject, linked), false);
    }

    /**
     * The subject without the caller's postcode, for an answer that will hold a shielded record:
     * a score, band or explanation that moved with the postcode typed would tell the caller
     * whether the shielded child (or a record linked with it) lives there (A10). Only then: a
     * shielded candidate that is not shown changes nothing in the answer (it did strip the
     * postcode, so that a near miss sharing a name moved the child's band and explanation).
     */
    private static SearchCriteria withoutPostcode(SearchCriteria subject) {
        return subject.postcode() == null ? subject : new SearchCriteria(subject.givenName(), subject.familyName(),
                subject.otherGivenNames(), subject.aliases(), subject.dateOfBirth(), subject.gender(), null);
    }

    /**
     * The candidates as the caller will receive them beside a shielded record: each cut to what
     * its register releases then ({@code LINKED_TO_SHIELDED}: no location outside the caller's
     * own authority), so that how they are grouped into persons, and which detail is asked for,
     * depends on no place the caller will not see (A10). The shielded records themselves are left
     * as they are: their place takes no part in linking.
     */
    private static List<SourcedRecord> releasedBeside(List<SourcedRecord> candidates,
            Map<String, AccessDecision> decisions) {
        List<SourcedRecord> released = new ArrayList<>(candidates.size());
        for (SourcedRecord c : candidates) {
            released.add(c.record().shieldedByOwner() ? c : new SourcedRecord(c.authority(), FieldProjection.project(
                    c.record(), decisions.get(c.authority()).allowedFields(AccessDecision.Shielding.LINKED_TO_SHIELDED))));
        }
        return released;
    }

    /** Candidates above this many are linked on a worker thread. */
    static final int INLINE_LINKING_LIMIT = 40;

    /** Each register's part of the answer and audit, and the candidates to link. */
    private record Gathered(List<EnquiryAnswer.RegisterView> views, List<AuditEntry.RegisterAnswer> registerAudit,
            List<SourcedRecord> candidates, boolean complete) {
    }

    /** What an enquiry's outcomes become: the answer, its audit and its notifications. */
    private record Assembled(EnquiryAnswer answer, List<AuditEntry.RegisterAnswer> registerAudit,
            List<AuditEntry.Released> released, List<OutboxMessage> notifications) {
    }

    private Gathered gather(Enquiry enquiry, Map<String, AccessDecision> decisions, List<RegisterOutcome> outcomes,
            long requestedDeadlineMs) {
        Map<String, RegisterOutcome> byAuthority = new LinkedHashMap<>();
        outcomes.forEach(o -> byAuthority.put(o.authority(), o));
        List<EnquiryAnswer.RegisterView> views = new ArrayList<>(decisions.size());
        List<AuditEntry.RegisterAnswer> registerAudit = new ArrayList<>(decisions.size());
        List<SourcedRecord> candidates = new ArrayList<>();
        boolean complete = true;
        for (Map.Entry<String, AccessDecision> e : decisions.entrySet()) {
            String authority = e.getKey();
            AccessDecision decision = e.getValue();
            RegisterOutcome outcome = byAuthority.get(authority);
            if (outcome == null) {
                // A9: the same entry whether or not the register holds the child; it is searched
                // after the answer. Never "no record" (F5): the answer is not complete.
                complete = false;
                // F6: whom to call, the same with or without a match.
                registerAudit.add(new AuditEntry.RegisterAnswer(authority, RegisterStatus.WITHHELD.name()));
                views.add(new EnquiryAnswer.RegisterView(authority, RegisterStatus.WITHHELD.name(), null,
                        Notices.withheld(authority), contacts.get(authority)));
                continue;
            }
            metrics.registerOutcome(outcome.authority(), outcome.status().name(), outcome.latencyMs());
            registerAudit.add(new AuditEntry.RegisterAnswer(authority, outcome.status().name(), outcome.proof()));
            if (!outcome.checked()) {
                complete = false;
            }
            views.add(new EnquiryAnswer.RegisterView(authority, outcome.status().name(), outcome.latencyMs(),
                    Notices.forOutcome(outcome, deadlineFor(authority, requestedDeadlineMs)), null));
            for (ChildRecord r : outcome.records()) {
                // The second line of A5: whatever the register sent, only allowed fields go on.
                // Location stays in for linking (and the mark with it); what a shielded record
                // releases is cut once the answer's records are known (assemble).
                candidates.add(new SourcedRecord(authority, FieldProjection.project(r, withMark(decision.allowedFields()))));
            }
        }
        return new Gathered(views, registerAudit, candidates, complete);
    }

    private Assembled assemble(String enquiryId, Caller caller, Enquiry enquiry, Instant at,
            Map<String, AccessDecision> decisions, Gathered gathered, LinkageResult linkage) {
        List<OutboxMessage> notifications = new ArrayList<>();
        boolean complete = gathered.complete;
        List<EnquiryAnswer.PersonView> persons = new ArrayList<>(linkage.persons().size());
        List<AuditEntry.Released> released = new ArrayList<>();
        Set<String> holding = new java.util.HashSet<>();
        // A10, the person-level rule, taken answer-wide: once the answer holds a shielded record,
        // no record in it releases a location outside its own authority. Every candidate may be
        // the child asked about; a record left unlinked (a typo, a changed name) would otherwise
        // give away where the shielded child lived.
        List<String> shieldedBy = linkage.persons().stream().flatMap(p -> p.records().stream())
                .filter(r -> r.record().shieldedByOwner()).map(SourcedRecord::authority).distinct().sorted().toList();
        for (LinkedPerson person : linkage.persons()) {
            List<EnquiryAnswer.RecordView> records = new ArrayList<>(person.records().size());
            for (SourcedRecord sourced : person.records()) {
                AccessDecision decision = decisions.get(sourced.authority());
                ChildRecord record = sourced.record();
                String recordId = record.recordId();
                boolean shielded = record.shieldedByOwner();
                AccessDecision.Shielding shielding = shielded ? AccessDecision.Shielding.SHIELDED
                        : shieldedBy.isEmpty() ? AccessDecision.Shielding.NONE : AccessDecision.Shielding.LINKED_TO_SHIELDED;
                Set<String> allowed = decision.allowedFields(shielding);
                ChildRecord data = FieldProjection.project(record, allowed).withShielded(shielded ? Boolean.TRUE : null);
                boolean locationWithheld = CanonicalFields.location().stream()
                        .anyMatch(f -> decision.allowedFields().contains(f) && !allowed.contains(f));
                records.add(new EnquiryAnswer.RecordView(sourced.authority(), recordId, decision.tier().name(), data,
                        decision.withheldFields(shielding).stream().sorted().toList(), shielded ? Boolean.TRUE : null,
                        Notices.shielding(sourced.authority(), shielded, locationWithheld, shieldedBy,
                                contacts.get(sourced.authority()))));
                released.add(new AuditEntry.Released(sourced.authority(), recordId, decision.tier().name(), shielded));
                notifications.add(notification(enquiryId, caller, enquiry, at, sourced.authority(), recordId, shielded));
                holding.add(sourced.authority());
            }
            List<EnquiryAnswer.ExplanationView> explanation = new ArrayList<>(person.explanation().size());
            for (FieldComparison c : person.explanation()) {
                // Where the answer holds a shielded record, no comparison of places is shown (A10).
                if (shieldedBy.isEmpty() || !LOCATION_COMPARISONS.contains(c.field())) {
                    explanation.add(new EnquiryAnswer.ExplanationView(c.field(), c.level(), c.weight()));
                }
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
        // F6: whom to call at each register holding a record in the answer (WITHHELD ones carry it already).
        List<EnquiryAnswer.RegisterView> views = new ArrayList<>(gathered.views.size());
        for (EnquiryAnswer.RegisterView v : gathered.views) {
            views.add(v.contact() == null && holding.contains(v.authority())
                    ? new EnquiryAnswer.RegisterView(v.authority(), v.status(), v.latencyMs(), v.notice(),
                            contacts.get(v.authority()))
                    : v);
        }
        EnquiryAnswer answer = new EnquiryAnswer(enquiryId, complete, outcome, moreDetail, views, persons);
        return new Assembled(answer, gathered.registerAudit, released, notifications);
    }

    private static double round(double score) {
        return Math.round(score * 1000.0) / 1000.0;
    }

    /** The linkage explanation's comparisons of places (linkage's Field keys). */
    private static final Set<String> LOCATION_COMPARISONS = Set.of("postcode", "address", "town");

    private OutboxMessage notification(String enquiryId, Caller caller, Enquiry enquiry,
            Instant at, String authority, String recordId, boolean shielded) {
        return notification(enquiryId, caller, enquiry.declaration().purpose().code(),
                enquiry.declaration().consent().summary(), at, authority, recordId, shielded);
    }

    private static OutboxMessage notification(String enquiryId, Caller caller, String purpose, String consent,
            Instant at, String authority, String recordId, boolean shielded) {
        EnquiryHistoryEntry entry = new EnquiryHistoryEntry(
                entryId(enquiryId, authority, recordId), enquiryId, at, caller.subject(),
                caller.role().code(), caller.agency().code(), caller.authority(), purpose, consent);
        // A10: the owner of a shielded record is told at once, not behind other history.
        return shielded ? OutboxMessage.urgentHistory(authority, recordId, entry)
                : OutboxMessage.history(authority, recordId, entry);
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
