package uk.wycps.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.ConnectorRegistry;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.record.SearchCriteria;
import uk.wycps.connector.SearchRequest;
import uk.wycps.record.CanonicalFields;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.FieldProjection;

/**
 * Each mock register in its own dialect, read through the gateway's connector for that dialect
 * (found by {@link ConnectorRegistry} from {@link MockRegister#connectorSettings()}): known
 * children come back as exactly the canonical records the register holds (ground truth), the
 * enquiry history and audit checkpoints reach it, and its faults show as failures, never as
 * "no record".
 */
@ExtendWith(VertxExtension.class)
class DialectRegistersTest {

    private static final ConnectorRegistry REGISTRY = ConnectorRegistry.load();
    private static MockFederation federation;

    @BeforeAll
    static void start(Vertx vertx, VertxTestContext ctx) {
        MockRegisters.start(vertx, MockOptions.defaults().withAuthorityDialects().withChildrenPerRegister(500).withEphemeralPorts())
                .onComplete(ctx.succeeding(f -> {
                    federation = f;
                    ctx.completeNow();
                }));
    }

    @AfterAll
    static void stop(VertxTestContext ctx) {
        federation.close().onComplete(ctx.succeedingThenComplete());
    }

    /** Verifies that 20 known children are found and mapped to the canonical records the register holds (F3). */
    @ParameterizedTest
    @ValueSource(strings = {"bradford", "calderdale", "kirklees", "leeds", "wakefield"})
    void twentyKnownChildrenMatchTheGroundTruth(String authority, Vertx vertx) throws Exception {
        MockRegister register = federation.register(authority);
        RegisterConnector connector = REGISTRY.create(vertx, register.connectorSettings());
        try {
            List<ChildRecord> records = register.records();
            int step = records.size() / 20;
            for (int i = 0; i < 20; i++) {
                ChildRecord truth = register.record(records.get(i * step).recordId()).orElseThrow();
                SearchCriteria criteria = new SearchCriteria(truth.givenName(), truth.familyName(), null, null,
                        truth.dateOfBirth(), null, null);
                List<ChildRecord> found = connector.search(new SearchRequest(criteria, CanonicalFields.all(),
                        Deadline.afterMillis(5000), "e-" + i)).await(10, TimeUnit.SECONDS);
                ChildRecord match = found.stream().filter(r -> r.recordId().equals(truth.recordId())).findFirst()
                        .orElseThrow(() -> new AssertionError(authority + ": " + truth.recordId() + " not found"));
                assertEquals(normalise(truth), normalise(match), authority + " " + truth.recordId());
                GroundTruth.Person person = federation.groundTruth().personOf(authority, match.recordId());
                assertTrue(person.records().contains(new GroundTruth.RecordRef(authority, match.recordId())));
            }
        } finally {
            connector.close();
        }
    }

    /** Verifies that a register sends only the asked fields, plus recordId (A5). */
    @ParameterizedTest
    @ValueSource(strings = {"bradford", "calderdale", "kirklees", "leeds", "wakefield"})
    void onlyTheRequestedFieldsComeBack(String authority, Vertx vertx) throws Exception {
        MockRegister register = federation.register(authority);
        RegisterConnector connector = REGISTRY.create(vertx, register.connectorSettings());
        try {
            ChildRecord truth = register.records().get(3);
            Set<String> asked = Set.of("givenName", "dateOfBirth", "relationships");
            List<ChildRecord> found = connector.search(new SearchRequest(criteria(truth), asked,
                    Deadline.afterMillis(5000), "e-a5")).await(10, TimeUnit.SECONDS);
            ChildRecord match = found.stream().filter(r -> r.recordId().equals(truth.recordId())).findFirst().orElseThrow();
            Set<String> keep = Set.of("recordId", "givenName", "dateOfBirth", "relationships");
            assertEquals(normalise(FieldProjection.project(truth, keep)), normalise(match));
            for (ChildRecord r : found) {
                assertEquals(r, FieldProjection.project(r, keep), "nothing beyond the asked fields");
                r.relationships().forEach(rel -> assertEquals(null, rel.scheduleOneIndicator()));
            }
        } finally {
            connector.close();
        }
    }

    /** Verifies that an enquiry-history entry is kept once however often it is sent, and served in the record (M6, H3). */
    @ParameterizedTest
    @ValueSource(strings = {"bradford", "calderdale", "kirklees", "leeds", "wakefield"})
    void enquiryHistoryIsIdempotentAndServedBack(String authority, Vertx vertx) throws Exception {
        MockRegister register = federation.register(authority);
        RegisterConnector connector = REGISTRY.create(vertx, register.connectorSettings());
        try {
            ChildRecord truth = register.records().get(5);
            EnquiryHistoryEntry entry = new EnquiryHistoryEntry("3f2c9a4e-1b7d-4c1e-9a0b-" + authority.hashCode() % 1000 + "00000000",
                    "enq-1", Instant.parse("2026-02-03T10:15:30Z"), "worker-7", "child-worker", "social-services",
                    "bradford", "register-check", "not-sought:authorised-register-check");
            connector.recordEnquiry(truth.recordId(), entry, Deadline.afterMillis(5000))
                    .compose(v -> connector.recordEnquiry(truth.recordId(), entry, Deadline.afterMillis(5000)))
                    .await(10, TimeUnit.SECONDS);
            assertEquals(List.of(entry), register.enquiryHistory(truth.recordId()));
            List<ChildRecord> found = connector.search(new SearchRequest(criteria(truth), Set.of("enquiryHistory"),
                    Deadline.afterMillis(5000), "e-h")).await(10, TimeUnit.SECONDS);
            ChildRecord match = found.stream().filter(r -> r.recordId().equals(truth.recordId())).findFirst().orElseThrow();
            assertEquals(List.of(entry), match.enquiryHistory());

            AuditCheckpoint checkpoint = new AuditCheckpoint(7, "ab12", "2026-02-03T10:15:30Z", "k1", "sig");
            connector.publishCheckpoint(checkpoint, Deadline.afterMillis(5000)).await(10, TimeUnit.SECONDS);
            assertTrue(register.auditCheckpoints().contains(checkpoint));
        } finally {
            connector.close();
        }
    }

    /** Verifies that every dialect's faults reach the connector as failures, never as an empty match (F5). */
    @ParameterizedTest
    @ValueSource(strings = {"bradford", "calderdale", "kirklees", "leeds", "wakefield"})
    void faultsAreFailuresNotEmptyMatches(String authority, Vertx vertx) throws Exception {
        MockRegister register = federation.register(authority);
        RegisterConnector connector = REGISTRY.create(vertx, register.connectorSettings());
        ChildRecord truth = register.records().get(1);
        try {
            List<Object[]> cases = new ArrayList<>();
            cases.add(new Object[] {FaultMode.ERROR, RegisterFailure.Kind.ERROR});
            cases.add(new Object[] {FaultMode.MALFORMED, RegisterFailure.Kind.ERROR});
            cases.add(new Object[] {FaultMode.WRONG_CONTENT_TYPE, RegisterFailure.Kind.ERROR});
            cases.add(new Object[] {FaultMode.HANG, RegisterFailure.Kind.TIMEOUT});
            for (Object[] c : cases) {
                register.setFaults(FaultSettings.mode((FaultMode) c[0]));
                Future<List<ChildRecord>> search = connector.search(new SearchRequest(criteria(truth), Set.of("givenName"),
                        Deadline.afterMillis(300), "e-f"));
                Throwable failure = search.transform(ar -> Future.succeededFuture(ar.cause())).await(5, TimeUnit.SECONDS);
                assertTrue(failure instanceof RegisterFailure, authority + " " + c[0] + " must fail");
                assertEquals(c[1], ((RegisterFailure) failure).kind(), authority + " " + c[0]);
            }
        } finally {
            register.clearFaults();
            connector.close();
        }
    }

    private static SearchCriteria criteria(ChildRecord r) {
        return new SearchCriteria(r.givenName(), r.familyName(), null, null, r.dateOfBirth(), null, null);
    }

    /** An empty list and an absent one state the same fact; dialects differ in which they send. */
    static ChildRecord normalise(ChildRecord r) {
        return new ChildRecord(r.recordId(), r.givenName(), r.familyName(), n(r.aliases()), r.dateOfBirth(), r.gender(),
                n(r.languages()), r.address(), n(r.addressHistory()), r.legalStatus(), n(r.concernCategories()),
                r.registration(), n(r.registrationHistory()), n(r.meetings()), n(r.enquiryHistory()), n(r.referrals()),
                n(r.relationships()), r.lookedAfterIndicator(), r.ethnicity(), r.healthNotes(), r.concernDetails(),
                r.shieldedByOwner() ? Boolean.TRUE : null);
    }

    private static <T> List<T> n(List<T> l) {
        return l == null || l.isEmpty() ? null : l;
    }
}
