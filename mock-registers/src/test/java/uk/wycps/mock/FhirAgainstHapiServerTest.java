package uk.wycps.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.connector.ConnectorRegistry;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.connector.SearchRequest;
import uk.wycps.connector.fhir.Fhir;
import uk.wycps.connector.fhir.FhirResources;
import uk.wycps.record.CanonicalFields;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.SearchCriteria;

/**
 * The {@code fhir-r4} connector against HAPI FHIR 8.4.0's own REST server ({@link HapiFhirServer})
 * holding the Kirklees mock register's synthetic children, paging five to a page (F3, F5, H2,
 * H3): the same candidates as the mock on the same data, every page read or the register marked
 * not checked, writes accepted by HAPI's validating server and read back.
 */
class FhirAgainstHapiServerTest {

    private static final ConnectorRegistry REGISTRY = ConnectorRegistry.load();
    private static final int PAGE = 5;
    /** Cross-register children compared: enough to show a difference, few enough to keep the test quick. */
    private static final int RECALL_SAMPLE = 60;

    private static Vertx vertx;
    private static MockFederation federation;
    private static MockRegister kirklees;
    private static HapiFhirServer hapi;
    private final List<RegisterConnector> connectors = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        federation = MockRegisters.start(vertx, MockOptions.defaults().withAuthorityDialects().withChildrenPerRegister(500)
                .withEphemeralPorts()).await(60, TimeUnit.SECONDS);
        kirklees = federation.register("kirklees");
        hapi = HapiFhirServer.start(kirklees.records(), PAGE);
    }

    @AfterAll
    static void stop() throws Exception {
        if (hapi != null) {
            hapi.close();
        }
        if (federation != null) {
            federation.close().await(20, TimeUnit.SECONDS);
        }
        vertx.close().await(20, TimeUnit.SECONDS);
    }

    @AfterEach
    void closeConnectors() throws Exception {
        hapi.pageDelayMs.set(0);
        for (RegisterConnector c : connectors) {
            c.close().await(5, TimeUnit.SECONDS);
        }
    }

    private RegisterConnector hapiConnector(JsonObject options) {
        RegisterSettings s = RegisterSettings.of("kirklees", "fhir-r4", URI.create(hapi.baseUrl()));
        RegisterConnector c = REGISTRY.create(vertx, new RegisterSettings(s.authority(), s.dialect(), s.baseUrl(),
                Duration.ofSeconds(5), s.maxConnections(), s.maxWaitQueue(), s.maxResponseBytes(), options));
        connectors.add(c);
        return c;
    }

    private RegisterConnector mockConnector() {
        RegisterConnector c = REGISTRY.create(vertx, kirklees.connectorSettings());
        connectors.add(c);
        return c;
    }

    private static List<ChildRecord> search(RegisterConnector c, SearchCriteria criteria, Set<String> fields, long ms)
            throws Exception {
        return c.search(new SearchRequest(criteria, fields, Deadline.afterMillis(ms), "e-hapi")).await(30, TimeUnit.SECONDS);
    }

    private static RegisterFailure failure(Future<?> f) {
        try {
            f.await(30, TimeUnit.SECONDS);
        } catch (RegisterFailure e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected a RegisterFailure, got " + e, e);
        }
        throw new AssertionError("expected a failure, got an answer");
    }

    private static Set<String> ids(List<ChildRecord> records) {
        Set<String> out = new LinkedHashSet<>();
        records.forEach(r -> out.add(r.recordId()));
        assertEquals(records.size(), out.size(), "no Patient twice");
        return out;
    }

    /**
     * Verifies that, for every child held by Kirklees and another register, searched with the
     * other register's details of it (the spellings, dates and names registers really differ in),
     * the connector finds the Kirklees record on HAPI whenever it finds it on the mock: recall on
     * a strict FHIR server equal to the mock's loose pre-filter (F3).
     */
    @Test
    void recallOnHapiEqualsTheMocksOnTheSameData() throws Exception {
        RegisterConnector onHapi = hapiConnector(new JsonObject());
        RegisterConnector onMock = mockConnector();
        List<String> held = new ArrayList<>();
        List<Future<List<ChildRecord>>> mockAnswers = new ArrayList<>();
        List<Future<List<ChildRecord>>> hapiAnswers = new ArrayList<>();
        for (GroundTruth.Person person : federation.groundTruth().crossRegisterPersons()) {
            GroundTruth.RecordRef here = person.records().stream().filter(r -> r.authority().equals("kirklees"))
                    .findFirst().orElse(null);
            if (here == null || held.size() == RECALL_SAMPLE) {
                continue;
            }
            GroundTruth.RecordRef elsewhere = person.records().stream().filter(r -> !r.authority().equals("kirklees"))
                    .findFirst().orElseThrow();
            ChildRecord other = federation.register(elsewhere.authority()).record(elsewhere.recordId()).orElseThrow();
            SearchCriteria criteria = new SearchCriteria(other.givenName(), other.familyName(), null, other.aliases(),
                    other.dateOfBirth(), other.gender(), other.address() == null ? null : other.address().postcode());
            held.add(here.recordId());
            // Ten at a time: each search waits on the network, not on the CPU, and ten stay
            // within the connection pool (a search is up to five queries).
            mockAnswers.add(onMock.search(new SearchRequest(criteria, Set.of("givenName"), Deadline.afterMillis(30_000), "e-m")));
            hapiAnswers.add(onHapi.search(new SearchRequest(criteria, Set.of("givenName"), Deadline.afterMillis(30_000), "e-h")));
            if (held.size() % 10 == 0) {
                Future.join(mockAnswers).await(60, TimeUnit.SECONDS);
                Future.join(hapiAnswers).await(60, TimeUnit.SECONDS);
            }
        }
        Future.all(mockAnswers).await(60, TimeUnit.SECONDS);
        Future.all(hapiAnswers).await(60, TimeUnit.SECONDS);
        int asked = held.size();
        int foundOnMock = 0;
        int foundOnHapi = 0;
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < asked; i++) {
            boolean mock = ids(mockAnswers.get(i).result()).contains(held.get(i));
            boolean real = ids(hapiAnswers.get(i).result()).contains(held.get(i));
            foundOnMock += mock ? 1 : 0;
            foundOnHapi += real ? 1 : 0;
            if (mock && !real) {
                missed.add(held.get(i));
            }
        }
        System.out.printf("recall over %d cross-register children: mock %d, HAPI %d%n", asked, foundOnMock, foundOnHapi);
        assertEquals(RECALL_SAMPLE, asked, "enough cross-register children to compare");
        assertEquals(List.of(), missed, "found on the mock but not on HAPI");
        assertEquals(foundOnMock, foundOnHapi, "the same recall on both");
    }

    /** The most common family name among Kirklees' children, and how many hold it. */
    private static Map.Entry<String, Integer> commonestFamily() {
        Map<String, Integer> counts = new HashMap<>();
        kirklees.records().forEach(r -> counts.merge(r.familyName(), 1, Integer::sum));
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
    }

    /** Verifies that link[next] is followed to the last page: every child of a common family name, five to a page (F5). */
    @Test
    void pagesAlongNextLinksToTheWholeAnswer() throws Exception {
        Map.Entry<String, Integer> common = commonestFamily();
        assertTrue(common.getValue() > 2 * PAGE, "a name on three pages or more: " + common);
        List<ChildRecord> found = search(hapiConnector(new JsonObject()), new SearchCriteria(null, common.getKey(), null,
                null, null, null, null), Set.of("familyName"), 20_000);
        Set<String> ids = ids(found);
        for (ChildRecord r : kirklees.records()) {
            if (r.familyName().equals(common.getKey())) {
                assertTrue(ids.contains(r.recordId()), r.recordId() + " on a later page");
            }
        }
    }

    /**
     * Verifies that pages that cannot all be read by the deadline leave the register TIMEOUT,
     * never the first pages as if they were the whole answer (F5).
     */
    @Test
    void pagesThatOutlastTheDeadlineAreATimeoutNotAShortAnswer() throws Exception {
        Map.Entry<String, Integer> common = commonestFamily();
        hapi.pageDelayMs.set(400);
        RegisterFailure f = failure(hapiConnector(new JsonObject()).search(new SearchRequest(new SearchCriteria(null,
                common.getKey(), null, null, null, null, null), Set.of("familyName"), Deadline.afterMillis(600), "e-t")));
        assertEquals(RegisterFailure.Kind.TIMEOUT, f.kind());
    }

    /** Verifies that a register holding more candidates than the gateway reads is an ERROR saying the answer is incomplete (F5). */
    @Test
    void moreCandidatesThanTheCapIsAnIncompleteAnswer() throws Exception {
        Map.Entry<String, Integer> common = commonestFamily();
        RegisterFailure f = failure(hapiConnector(new JsonObject().put("maxPatients", PAGE)).search(new SearchRequest(
                new SearchCriteria(null, common.getKey(), null, null, null, null, null), Set.of("familyName"),
                Deadline.afterMillis(5000), "e-cap")));
        assertEquals(RegisterFailure.Kind.ERROR, f.kind());
        assertTrue(f.getMessage().contains("incomplete"), f.getMessage());
    }

    /**
     * Verifies that the server's own resources about a child (an allergy Flag, a GP visit, its
     * own AuditEvent, an included Practitioner) and a concern Flag entered in error change
     * nothing: the record read from HAPI is the mock's.
     */
    @Test
    void theServersOwnResourcesAreNotRegisterFacts() throws Exception {
        ChildRecord truth = kirklees.records().get(11);
        String id = truth.recordId();
        Flag allergy = new Flag();
        allergy.setId(id + "-allergy");
        allergy.setStatus(Flag.FlagStatus.ACTIVE);
        allergy.setCode(new CodeableConcept(new Coding("http://snomed.info/sct", "91936005", "Allergy to penicillin")));
        allergy.setSubject(new Reference("Patient/" + id));
        Flag mistaken = new Flag();
        mistaken.setId(id + "-mistake");
        mistaken.setStatus(Flag.FlagStatus.ENTEREDINERROR);
        mistaken.addCategory(new CodeableConcept(new Coding(Fhir.CS_CONCERN, "sexual-abuse", null)));
        mistaken.setCode(new CodeableConcept(new Coding(Fhir.CS_FLAG, Fhir.FLAG_CONCERN, null)));
        mistaken.setSubject(new Reference("Patient/" + id));
        Encounter visit = new Encounter();
        visit.setId(id + "-gp");
        visit.setStatus(Encounter.EncounterStatus.FINISHED);
        visit.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", null));
        visit.addType().setText("GP appointment");
        visit.setSubject(new Reference("Patient/" + id));
        AuditEvent read = new AuditEvent();
        read.setId(id + "-read");
        read.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", null));
        read.setRecorded(new java.util.Date());
        read.addAgent().setRequestor(false).getWho().setDisplay("hapi");
        read.getSource().getObserver().setDisplay("hapi");
        read.addEntity().setWhat(new Reference("Patient/" + id));
        Practitioner gp = new Practitioner();
        gp.setId(id + "-gp-practitioner");
        gp.addName().setFamily("Jones");
        hapi.patients.addFact(id, allergy);
        hapi.patients.addFact(id, mistaken);
        hapi.patients.addFact(id, visit);
        hapi.patients.addFact(id, read);
        hapi.patients.addFact(id, gp);
        {
            SearchCriteria criteria = new SearchCriteria(truth.givenName(), truth.familyName(), null, null,
                    truth.dateOfBirth(), null, null);
            ChildRecord fromHapi = search(hapiConnector(new JsonObject()), criteria, CanonicalFields.all(), 5000).stream()
                    .filter(r -> r.recordId().equals(id)).findFirst().orElseThrow();
            ChildRecord fromMock = search(mockConnector(), criteria, CanonicalFields.all(), 5000).stream()
                    .filter(r -> r.recordId().equals(id)).findFirst().orElseThrow();
            assertEquals(DialectRegistersTest.normalise(fromMock), DialectRegistersTest.normalise(fromHapi));
        }
    }

    /**
     * Verifies that an enquiry written as an AuditEvent is accepted by HAPI's validating server
     * (201, then 200 when sent again) and comes back in the child's enquiry history, once (M6, H3).
     */
    @Test
    void historyWritesAreAcceptedAndReadBack() throws Exception {
        RegisterConnector c = hapiConnector(new JsonObject());
        ChildRecord child = kirklees.records().get(7);
        EnquiryHistoryEntry entry = new EnquiryHistoryEntry("6a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "enq-hapi",
                Instant.parse("2026-03-04T05:06:07Z"), "worker-3", "child-worker", "police", "leeds", "s47-enquiry",
                "not-sought:authorised-register-check");
        c.recordEnquiry(child.recordId(), entry, Deadline.afterMillis(10_000))
                .compose(v -> c.recordEnquiry(child.recordId(), entry, Deadline.afterMillis(10_000)))
                .await(30, TimeUnit.SECONDS);
        assertEquals(1, hapi.auditEvents.getStoredResources().stream()
                .filter(a -> a.getIdElement().getIdPart().equals(entry.entryId())).count());
        ChildRecord back = search(c, new SearchCriteria(child.givenName(), child.familyName(), null, null,
                child.dateOfBirth(), null, null), Set.of("enquiryHistory"), 5000).stream()
                .filter(r -> r.recordId().equals(child.recordId())).findFirst().orElseThrow();
        assertEquals(1, back.enquiryHistory().stream().filter(e -> e.equals(entry)).count(), back.enquiryHistory().toString());
    }

    /** Verifies that an audit checkpoint written as a Basic of its profile is accepted by HAPI and reads back the same (H2). */
    @Test
    void checkpointWritesAreAcceptedAndReadBack() throws Exception {
        AuditCheckpoint checkpoint = new AuditCheckpoint(42, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "2026-03-04T05:06:07Z", "audit-key-1", "MEUCIQDx");
        hapiConnector(new JsonObject()).publishCheckpoint(checkpoint, Deadline.afterMillis(10_000)).await(30, TimeUnit.SECONDS);
        Basic kept = hapi.basics.getStoredResources().stream()
                .filter(b -> b.getIdElement().getIdPart().equals(Fhir.checkpointId(42))).findFirst().orElseThrow();
        String json = HapiR4.CONTEXT.newJsonParser().encodeResourceToString(kept);
        assertEquals(checkpoint, FhirResources.checkpoint(uk.wycps.record.RecordJson.mapper().readTree(json)));
        assertTrue(kept.getMeta().hasProfile(Fhir.PROFILE_CHECKPOINT));
    }

    /** Verifies that what the connector writes passes HAPI's instance validator with no error. */
    @Test
    void theConnectorsWritesPassHapisValidator() throws Exception {
        EnquiryHistoryEntry entry = new EnquiryHistoryEntry("7b1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "enq-v",
                Instant.parse("2026-03-04T05:06:07Z"), "worker-3", "child-worker", "police", "leeds", "s47-enquiry", "obtained");
        assertEquals(List.of(), HapiR4.errors(FhirResources.auditEvent("KI-000001", entry).toString()));
        assertEquals(List.of(), HapiR4.errors(FhirResources.checkpoint(new AuditCheckpoint(1, "ab", "2026-03-04T05:06:07Z",
                "k", "sig")).toString()));
    }
}
