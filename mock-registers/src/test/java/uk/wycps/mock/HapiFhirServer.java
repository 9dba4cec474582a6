package uk.wycps.mock;

import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import ca.uhn.fhir.rest.annotation.IncludeParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.StringOrListParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.FifoMemoryPagingProvider;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.RequestValidatingInterceptor;
import ca.uhn.fhir.rest.server.method.ResponsePage;
import ca.uhn.fhir.rest.server.provider.HashMapResourceProvider;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.commons.codec.language.DoubleMetaphone;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import uk.wycps.record.ChildRecord;

/**
 * HAPI FHIR's own REST server (its {@code RestfulServer} in Jetty, on an ephemeral loopback
 * port), holding a register's synthetic children as Patients with their register facts: a
 * FHIR server no one here wrote, to check the {@code fhir-r4} dialect against. Its Patient
 * search follows FHIR's rules as HAPI's JPA server applies them: every parameter must match,
 * a string matches the start of a name (case and accents ignored), {@code phonetic} compares
 * Double Metaphone codes of a family or given name, {@code _revinclude} brings the facts; it
 * pages with HAPI's own paging provider at a set page size. Writes (AuditEvent, Basic) go
 * through HAPI's request validator, so a write with a validation error is refused (422).
 */
final class HapiFhirServer implements AutoCloseable {

    private static final Set<String> ALL_ELEMENTS = Set.of("id", "name", "birthDate", "gender", "communication", "address",
            "extension");
    private static final Set<String> ALL_INCLUDES = Set.of("Flag:patient", "EpisodeOfCare:patient", "RelatedPerson:patient",
            "Encounter:patient", "ServiceRequest:patient", "AuditEvent:patient");

    private final Server jetty;
    private final int port;
    /** How long a request for a next page waits before it is answered. */
    final java.util.concurrent.atomic.AtomicLong pageDelayMs;
    final PatientProvider patients;
    final HashMapResourceProvider<AuditEvent> auditEvents;
    final HashMapResourceProvider<Basic> basics;

    private HapiFhirServer(Server jetty, int port, java.util.concurrent.atomic.AtomicLong pageDelayMs, PatientProvider patients,
                           HashMapResourceProvider<AuditEvent> auditEvents, HashMapResourceProvider<Basic> basics) {
        this.jetty = jetty;
        this.pageDelayMs = pageDelayMs;
        this.port = port;
        this.patients = patients;
        this.auditEvents = auditEvents;
        this.basics = basics;
    }

    /** Starts a server holding {@code children}, paging at {@code pageSize}. */
    static HapiFhirServer start(Collection<ChildRecord> children, int pageSize) throws Exception {
        java.util.concurrent.atomic.AtomicLong pageDelayMs = new java.util.concurrent.atomic.AtomicLong();
        HashMapResourceProvider<AuditEvent> audits = new HashMapResourceProvider<>(HapiR4.CONTEXT, AuditEvent.class);
        HashMapResourceProvider<Basic> basics = new HashMapResourceProvider<>(HapiR4.CONTEXT, Basic.class);
        PatientProvider patients = new PatientProvider(children, audits);
        RestfulServer servlet = new RestfulServer(HapiR4.CONTEXT) {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
                long delay = pageDelayMs.get();
                if (delay > 0 && req.getParameter("_getpages") != null) {
                    try {
                        Thread.sleep(delay);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                super.service(req, resp);
            }
        };
        servlet.setResourceProviders(patients, audits, basics);
        servlet.setDefaultResponseEncoding(EncodingEnum.JSON);
        FifoMemoryPagingProvider paging = new FifoMemoryPagingProvider(100);
        paging.setDefaultPageSize(pageSize);
        paging.setMaximumPageSize(pageSize);
        servlet.setPagingProvider(paging);
        RequestValidatingInterceptor validating = new RequestValidatingInterceptor();
        validating.addValidatorModule(HapiR4.module());
        validating.setFailOnSeverity(ResultSeverityEnum.ERROR);
        servlet.registerInterceptor(validating);

        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(servlet), "/fhir/*");
        jetty.setHandler(context);
        jetty.start();
        return new HapiFhirServer(jetty, connector.getLocalPort(), pageDelayMs, patients, audits, basics);
    }

    /** The FHIR base URL, e.g. {@code http://127.0.0.1:41234/fhir}. */
    String baseUrl() {
        return "http://127.0.0.1:" + port + "/fhir";
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }

    /** Patients and their register facts, searched as FHIR says. */
    public static final class PatientProvider implements IResourceProvider {

        private static final DoubleMetaphone METAPHONE = new DoubleMetaphone();

        private final Map<String, Patient> byId = new LinkedHashMap<>();
        private final Map<String, List<Resource>> facts = new HashMap<>();
        /** Resources the server adds to a Patient's page whatever was asked (as an {@code _include} would). */
        private final Map<String, List<Resource>> extras = new HashMap<>();
        private final HashMapResourceProvider<AuditEvent> audits;

        PatientProvider(Collection<ChildRecord> children, HashMapResourceProvider<AuditEvent> audits) {
            this.audits = audits;
            var parser = HapiR4.CONTEXT.newJsonParser();
            for (ChildRecord r : children) {
                Patient p = parser.parseResource(Patient.class, FhirRoutes.patient(r, ALL_ELEMENTS).toString());
                byId.put(r.recordId(), p);
                List<Resource> f = new ArrayList<>();
                for (var json : FhirRoutes.facts(r, ALL_INCLUDES)) {
                    f.add((Resource) parser.parseResource(json.toString()));
                }
                facts.put(r.recordId(), f);
            }
        }

        /** A resource of the server's own about a Patient, sent with it as an include (to check it is ignored). */
        synchronized void addFact(String patientId, Resource fact) {
            extras.computeIfAbsent(patientId, k -> new ArrayList<>()).add(fact);
        }

        @Override
        public Class<Patient> getResourceType() {
            return Patient.class;
        }

        @Search
        public synchronized IBundleProvider search(
                @OptionalParam(name = "family") StringOrListParam family,
                @OptionalParam(name = "given") StringOrListParam given,
                @OptionalParam(name = "phonetic") StringOrListParam phonetic,
                @OptionalParam(name = "birthdate") DateRangeParam birthdate,
                @OptionalParam(name = "gender") TokenParam gender,
                @OptionalParam(name = "address-postalcode") StringParam postcode,
                @IncludeParam(reverse = true) Set<Include> revIncludes) {
            List<Patient> matches = new ArrayList<>();
            for (Patient p : byId.values()) {
                if (matches(p, family, given, phonetic, birthdate, gender, postcode)) {
                    matches.add(p);
                }
            }
            Set<String> types = new java.util.HashSet<>();
            if (revIncludes != null) {
                for (Include i : revIncludes) {
                    types.add(i.getParamType());
                }
            }
            Map<String, List<Resource>> included = new HashMap<>();
            for (Patient p : matches) {
                String id = p.getIdElement().getIdPart();
                List<Resource> out = new ArrayList<>();
                for (Resource r : facts.getOrDefault(id, List.of())) {
                    if (types.contains(r.fhirType())) {
                        out.add(r);
                    }
                }
                if (types.contains("AuditEvent")) {
                    for (AuditEvent a : audits.getStoredResources()) {
                        if (a.getEntity().stream().anyMatch(e -> ("Patient/" + id).equals(e.getWhat().getReference()))) {
                            out.add(a);
                        }
                    }
                }
                out.addAll(extras.getOrDefault(id, List.of()));
                included.put(id, out);
            }
            return new Matches(matches, included);
        }

        private static boolean matches(Patient p, StringOrListParam family, StringOrListParam given,
                                       StringOrListParam phonetic, DateRangeParam birthdate, TokenParam gender,
                                       StringParam postcode) {
            if (family != null && family.getValuesAsQueryTokens().stream()
                    .noneMatch(v -> p.getName().stream().anyMatch(n -> startsWith(n.getFamily(), v.getValue())))) {
                return false;
            }
            if (given != null && given.getValuesAsQueryTokens().stream().noneMatch(v -> p.getName().stream()
                    .flatMap(n -> n.getGiven().stream()).anyMatch(g -> startsWith(g.getValue(), v.getValue())))) {
                return false;
            }
            if (phonetic != null && phonetic.getValuesAsQueryTokens().stream().noneMatch(v -> p.getName().stream()
                    .anyMatch(n -> soundsLike(n, v.getValue())))) {
                return false;
            }
            if (birthdate != null) {
                Date dob = p.getBirthDate();
                Date from = birthdate.getLowerBoundAsInstant();
                Date to = birthdate.getUpperBoundAsInstant();
                if (dob == null || from != null && dob.before(from) || to != null && dob.after(to)) {
                    return false;
                }
            }
            if (gender != null && (p.getGender() == null || !p.getGender().toCode().equals(gender.getValue()))) {
                return false;
            }
            return postcode == null || p.getAddress().stream().map(Address::getPostalCode)
                    .anyMatch(pc -> startsWith(pc, postcode.getValue()));
        }

        private static boolean soundsLike(HumanName n, String value) {
            String wanted = METAPHONE.encode(plain(value));
            if (n.getFamily() != null && METAPHONE.encode(plain(n.getFamily())).equals(wanted)) {
                return true;
            }
            for (StringType g : n.getGiven()) {
                if (METAPHONE.encode(plain(g.getValue())).equals(wanted)) {
                    return true;
                }
            }
            return false;
        }

        /** FHIR string search: the value starts the name, case and accents ignored. */
        private static boolean startsWith(String name, String value) {
            return name != null && plain(name).startsWith(plain(value));
        }

        private static String plain(String s) {
            return Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
        }
    }

    /** The matching Patients, a page at a time, each page with the facts of its own Patients. */
    private static final class Matches implements IBundleProvider {
        private final List<Patient> matches;
        private final Map<String, List<Resource>> included;
        private final String uuid = UUID.randomUUID().toString();
        private final InstantType published = InstantType.now();

        Matches(List<Patient> matches, Map<String, List<Resource>> included) {
            this.matches = matches;
            this.included = included;
        }

        @Override
        public IPrimitiveType<Date> getPublished() {
            return published;
        }

        @Override
        public List<IBaseResource> getResources(int from, int to, ResponsePage.ResponsePageBuilder builder) {
            List<IBaseResource> out = new ArrayList<>();
            int includes = 0;
            List<Patient> page = matches.subList(Math.min(from, matches.size()), Math.min(to, matches.size()));
            out.addAll(page);
            for (Patient p : page) {
                for (Resource r : included.getOrDefault(p.getIdElement().getIdPart(), List.of())) {
                    Resource copy = r.copy();
                    ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(copy, BundleEntrySearchModeEnum.INCLUDE);
                    out.add(copy);
                    includes++;
                }
            }
            builder.setIncludedResourceCount(includes);
            return out;
        }

        @Override
        public String getUuid() {
            return uuid;
        }

        @Override
        public Integer preferredPageSize() {
            return null;
        }

        @Override
        public Integer size() {
            return matches.size();
        }
    }
}
