package uk.wycps.connector.dialects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RecordIds;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.SearchRequest;
import uk.wycps.connector.statistics.RegisterStatistics;
import uk.wycps.record.CanonicalFields;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.FieldProjection;
import uk.wycps.record.Gender;
import uk.wycps.record.SearchCriteria;

/**
 * The contract every register dialect keeps, run against the dialect's connector and a register
 * of its own made in the test (WireMock for the HTTP dialects, H2 for SQL): the known child
 * becomes the canonical record (F3); the register is asked only for the allowed fields and
 * nothing else leaves the connector (A5, A6); no candidate is an empty answer, and every
 * malformed answer is an ERROR, never an empty match (F5); an enquiry is recorded in the
 * register's terms (M6, H3); an audit checkpoint is kept (H2); statistics are the register's
 * own (S1).
 *
 * <p>A dialect's test extends this and says only how its register holds the known child, what
 * its malformed answers are and how to see what the register was sent; its own behaviour (a
 * two-step search's concurrency, SQL's injection safety) stays in its own tests. A new dialect
 * gets the whole contract by extending it.
 */
public abstract class DialectContract {

    /** What every contract search asks for. */
    public static final SearchCriteria AISHA = new SearchCriteria("Aisha", "Khan", List.of("Noor"), null,
            LocalDate.of(2016, 3, 9), Gender.FEMALE, "BD7 1DP");
    /** The fields the "asked for" contract asks: plain, nested and a list with indicators. */
    protected static final Set<String> ASKED = Set.of("givenName", "address", "relationships");
    protected static final EnquiryHistoryEntry ENTRY = new EnquiryHistoryEntry("0b6f1c1e-2f65-3c1e-9d7b-2a3c4d5e6f70",
            "q-9", Instant.parse("2026-01-02T03:04:05Z"), "w-9", "child-worker", "police", "leeds", "s47-enquiry",
            "obtained");
    protected static final AuditCheckpoint CHECKPOINT = new AuditCheckpoint(7, "ab12", "2026-02-03T10:15:30Z", "k1", "sig");
    protected static final RegisterStatistics STATISTICS = new RegisterStatistics(LocalDate.of(2026, 1, 31),
            Map.of("registrations-by-category", Map.of("neglect", 12L, "physical-abuse", 3L)));

    /**
     * A bound, not a measurement: generous, so that a loaded build machine does not turn a cold
     * first exchange into a TIMEOUT. Dialect tests of the deadline itself set their own.
     */
    protected static final long DEADLINE_MS = 10_000;

    protected Vertx vertx;
    protected RegisterConnector connector;

    // ---- what a dialect says --------------------------------------------------------------------

    /** Starts the dialect's register, empty. */
    protected abstract void startRegister() throws Exception;

    protected abstract void stopRegister() throws Exception;

    /** The dialect's connector to the register, as configured for it. */
    protected abstract RegisterConnector connector() throws Exception;

    /** The register holds the known child (every field it keeps) as the search's only candidate. */
    protected abstract void registerHoldsTheKnownChild() throws Exception;

    /** The canonical record the known child must become, every field asked. */
    protected abstract ChildRecord knownChild();

    /** The register answers the search with no candidate. */
    protected abstract void registerHoldsNoCandidate() throws Exception;

    /** Checks that the register was asked for the register fields behind {@code fields} (plus the id) and no others. */
    protected abstract void verifyAskedOnlyFor(Set<String> fields) throws Exception;

    /** Each malformed answer by name: running it makes the register answer so. */
    protected abstract Map<String, Step> malformedAnswers();

    /** The register accepts enquiry-history entries and audit checkpoints. */
    protected abstract void registerKeepsHistory() throws Exception;

    /** Checks that the register holds {@code entry} for {@code recordId}, in its own terms. */
    protected abstract void verifyEnquiryRecorded(String recordId, EnquiryHistoryEntry entry) throws Exception;

    /** Checks that the register holds {@code checkpoint}. */
    protected abstract void verifyCheckpointKept(AuditCheckpoint checkpoint) throws Exception;

    /** The register computes {@code statistics} for their date. */
    protected abstract void registerComputes(RegisterStatistics statistics) throws Exception;

    /** One change to the register that a test makes. */
    @FunctionalInterface
    protected interface Step {
        void run() throws Exception;
    }

    // ---- the contract ---------------------------------------------------------------------------

    @BeforeEach
    final void startContract() throws Exception {
        vertx = Vertx.vertx();
        startRegister();
        connector = connector();
    }

    @AfterEach
    final void stopContract() throws Exception {
        await(connector.close());
        stopRegister();
        await(vertx.close());
    }

    /** Verifies that the register's own names, codes and dates become the canonical record (F3). */
    @Test
    void theKnownChildBecomesTheCanonicalRecord() throws Exception {
        registerHoldsTheKnownChild();
        assertEquals(List.of(knownChild()), await(connector.search(request(CanonicalFields.all(), DEADLINE_MS))));
    }

    /** Verifies that the register is asked only for what the allowed fields need, and only those come back (A5). */
    @Test
    void theRegisterIsAskedOnlyForTheAllowedFields() throws Exception {
        registerHoldsTheKnownChild();
        List<ChildRecord> found = await(connector.search(request(ASKED, DEADLINE_MS)));
        verifyAskedOnlyFor(ASKED);
        assertEquals(List.of(FieldProjection.project(knownChild(), RecordIds.withRecordId(ASKED))), found);
    }

    /** Verifies that fields a register sends without being asked never leave the connector (A5, A6). */
    @Test
    void fieldsNotAskedForNeverLeaveTheConnector() throws Exception {
        registerHoldsTheKnownChild();
        ChildRecord r = await(connector.search(request(Set.of("givenName"), DEADLINE_MS))).get(0);
        assertEquals(FieldProjection.project(knownChild(), Set.of("recordId", "givenName")), r);
        ChildRecord s = await(connector.search(request(Set.of("relationships"), DEADLINE_MS))).get(0);
        assertFalse(s.relationships().isEmpty(), "the known child has relationships");
        s.relationships().forEach(rel -> {
            assertNull(rel.scheduleOneIndicator(), "Schedule One only when asked (A6)");
            assertNull(rel.concernIndicator());
        });
    }

    /** Verifies that a register that searched and found no candidate is an empty answer, not a failure. */
    @Test
    void noCandidateIsAnEmptyAnswer() throws Exception {
        registerHoldsNoCandidate();
        assertEquals(List.of(), await(connector.search(request(CanonicalFields.all(), DEADLINE_MS))));
    }

    /** Verifies that every malformed answer is an ERROR, never an empty match (F5). */
    @Test
    void everyMalformedAnswerIsAnErrorNeverAnEmptyMatch() throws Exception {
        for (Map.Entry<String, Step> answer : malformedAnswers().entrySet()) {
            answer.getValue().run();
            assertEquals(RegisterFailure.Kind.ERROR, failure(connector.search(request(CanonicalFields.all(), DEADLINE_MS))).kind(),
                    answer.getKey());
        }
    }

    /** Verifies that an enquiry-history entry reaches the register in its own terms (M6, H3). */
    @Test
    void anEnquiryIsRecordedInTheRegistersTerms() throws Exception {
        registerKeepsHistory();
        await(connector.recordEnquiry(knownChild().recordId(), ENTRY, Deadline.afterMillis(DEADLINE_MS)));
        verifyEnquiryRecorded(knownChild().recordId(), ENTRY);
    }

    /** Verifies that the register keeps a signed head of the gateway's audit chain (H2). */
    @Test
    void anAuditCheckpointIsKept() throws Exception {
        registerKeepsHistory();
        await(connector.publishCheckpoint(CHECKPOINT, Deadline.afterMillis(DEADLINE_MS)));
        verifyCheckpointKept(CHECKPOINT);
    }

    /** Verifies that statistics are the register's own counts for the date asked (S1). */
    @Test
    void statisticsAreTheRegistersOwnForTheDateAsked() throws Exception {
        registerComputes(STATISTICS);
        assertEquals(STATISTICS, await(connector.statistics(STATISTICS.asOf(), Deadline.afterMillis(DEADLINE_MS))));
    }

    // ---- helpers --------------------------------------------------------------------------------

    protected static SearchRequest request(Set<String> fields, long deadlineMs) {
        return new SearchRequest(AISHA, fields, Deadline.afterMillis(deadlineMs), "enq-1");
    }

    protected static <T> T await(Future<T> f) throws Exception {
        return f.await(10, TimeUnit.SECONDS);
    }

    /** The failure a future ended with; an AssertionError if it succeeded. */
    protected static RegisterFailure failure(Future<?> f) throws Exception {
        Throwable t = f.transform(ar -> Future.succeededFuture(ar.failed() ? ar.cause() : null)).await(10, TimeUnit.SECONDS);
        if (t == null) {
            throw new AssertionError("expected a failure, got " + f.result());
        }
        if (!(t instanceof RegisterFailure rf)) {
            throw new AssertionError("expected a RegisterFailure, got " + t);
        }
        return rf;
    }
}
