package uk.wycps.connector.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import java.net.URI;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.SearchRequest;
import uk.wycps.connector.http.HttpDialects;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.PersonName;
import uk.wycps.record.SearchCriteria;

/**
 * One search of a FHIR register, the way FHIR servers search: every parameter must match and a
 * string matches a name's start, so one query with all the criteria would miss a child whose
 * register spells a name differently or holds another date. Instead several loose queries
 * (below), run together, each followed page by page along {@code link[next]}, their Patients
 * merged by id; bounded by the deadline, the candidate cap and a page cap. An answer that could
 * not be read whole is a failure (TIMEOUT, or ERROR saying it is incomplete), never a short
 * list (F5).
 *
 * <p>The queries, given a family name F (and aliases' family names), given names G and a date
 * of birth D:
 * <ol>
 *   <li>{@code phonetic=F} where the server's CapabilityStatement offers {@code phonetic};</li>
 *   <li>{@code family=F};</li>
 *   <li>{@code family=G&given=F}: the names swapped;</li>
 *   <li>{@code given=G&birthdate=D}, and with day and month swapped: a changed family name.</li>
 * </ol>
 * With D, queries 1-3 take the birth years D-1 to D+1 as a range and no given name; without D,
 * they take the given names, so that a common family name does not bring a whole register.
 * Gender and postcode are never sent: a strict filter on either would hide a child recorded
 * with another one; linking weighs them instead.
 */
final class FhirSearch {

    /** Fetches one page: a path and query on the register's host, parsed JSON and how many bytes it came in. */
    interface Fetch {
        Future<Fetched> get(String pathAndQuery, Deadline deadline);
    }

    /** One page as read: its JSON, and its size on the wire, which the search's budget counts. */
    record Fetched(JsonNode json, int bytes) {
    }

    private final URI base;
    private final String basePath;
    private final int maxPatients;
    private final int maxPages;
    private final int pageSize;
    /** What one search may read over all its pages: each is capped on its own, the whole not. */
    private final long maxBytes;
    private final Fetch fetch;

    FhirSearch(URI base, String basePath, int maxPatients, int maxPages, int pageSize, long maxBytes, Fetch fetch) {
        this.base = base;
        this.basePath = basePath;
        this.maxPatients = maxPatients;
        this.maxPages = maxPages;
        this.pageSize = pageSize;
        this.maxBytes = maxBytes;
        this.fetch = fetch;
    }

    Future<List<ChildRecord>> run(SearchRequest request, FhirCapabilities capabilities) {
        Set<String> keep = new LinkedHashSet<>(request.fields());
        keep.add(uk.wycps.record.CanonicalFields.RECORD_ID);
        String shape = shape(keep);
        List<String> queries = queries(request.criteria(), capabilities);
        FhirSearchSet set = new FhirSearchSet(baseText(), maxPatients);
        int[] pages = {0};
        long[] bytes = {0};
        List<Future<List<JsonNode>>> runs = new ArrayList<>();
        for (String q : queries) {
            runs.add(pages(basePath + "/Patient?" + q + "&" + shape, request.deadline(), new ArrayList<>(), pages, bytes,
                    null, new java.util.HashSet<>()));
        }
        // All on this connector's event loop: the pages are added in query order, so the
        // records come back in the same order whatever the timing.
        return Future.all(runs).map(all -> {
            for (Future<List<JsonNode>> run : runs) {
                for (JsonNode page : run.result()) {
                    set.add(page);
                }
            }
            return set.records(keep);
        });
    }

    /**
     * Fetches {@code uri} and every next page after it; fails when the register has more than
     * can be read: more pages than {@code maxPages}, more matches than the cap, or fewer distinct
     * matched Patients than its own {@code total} ({@code seen}: their ids so far; a Patient on two
     * pages, as a server whose paging is unstable may send, is one, and another went missing).
     */
    private Future<List<JsonNode>> pages(String uri, Deadline deadline, List<JsonNode> got, int[] pages, long[] bytes,
                                         Integer total, Set<String> seen) {
        if (++pages[0] > maxPages) {
            return Future.failedFuture(RegisterFailure.error("answer incomplete: more than " + maxPages
                    + " pages of candidates"));
        }
        return fetch.get(uri, deadline).compose(fetched -> {
            // Every page is held until the last is read: a search's pages together are bounded
            // too, or one register answering many large pages could fill the gateway's heap.
            bytes[0] += fetched.bytes();
            if (bytes[0] > maxBytes) {
                return Future.failedFuture(RegisterFailure.error("answer too large: its pages together exceed "
                        + maxBytes + " bytes"));
            }
            JsonNode bundle = fetched.json();
            // Checked page by page, so that a bad page stops the search at once.
            FhirSearchSet.Page page = new FhirSearchSet(baseText(), maxPatients).add(bundle);
            got.add(bundle);
            Integer declared = total != null ? total : page.total();
            seen.addAll(page.matchIds());
            if (declared != null && declared > maxPatients || seen.size() > maxPatients) {
                return Future.failedFuture(RegisterFailure.error("answer incomplete: the register holds more than "
                        + maxPatients + " candidates for this search"));
            }
            if (page.next() == null) {
                if (declared != null && seen.size() < declared) {
                    return Future.failedFuture(RegisterFailure.error("answer incomplete: the register gave "
                            + seen.size() + " of the " + declared + " candidates it counted"));
                }
                return Future.succeededFuture(got);
            }
            if (page.matchIds().isEmpty()) {
                return Future.failedFuture(RegisterFailure.error("answer incomplete: a page with no candidate"
                        + " points to another"));
            }
            return pages(sameOrigin(page.next()), deadline, got, pages, bytes, declared, seen);
        });
    }

    /** The path and query of a next link on the register's own host; any other is refused. */
    String sameOrigin(String link) {
        URI u;
        try {
            u = URI.create(link);
        } catch (IllegalArgumentException e) {
            throw RegisterFailure.error("a next link is not a URL");
        }
        if (!u.isAbsolute()) {
            if (link.startsWith("/")) {
                return link;
            }
            // Relative to the base, as some servers write it.
            return basePath + "/" + link;
        }
        if (!u.getScheme().equalsIgnoreCase(base.getScheme()) || u.getHost() == null
                || !u.getHost().equalsIgnoreCase(base.getHost()) || port(u) != port(base)) {
            throw RegisterFailure.error("a next link points away from the register");
        }
        return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    private static int port(URI u) {
        return u.getPort() > 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private String baseText() {
        String s = base.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** The queries' own parameters (without the shape of the answer), loose to tight. */
    static List<String> queries(SearchCriteria c, FhirCapabilities capabilities) {
        List<String> families = new ArrayList<>();
        add(families, c.familyName());
        for (PersonName a : c.aliases()) {
            if (a != null) {
                add(families, a.familyName());
            }
        }
        List<String> givens = new ArrayList<>();
        add(givens, c.givenName());
        c.otherGivenNames().forEach(g -> add(givens, g));
        LocalDate dob = c.dateOfBirth();
        String years = dob == null ? null
                : "birthdate=ge" + (dob.getYear() - 1) + "-01-01&birthdate=le" + (dob.getYear() + 1) + "-12-31";
        String narrow = years != null ? years : givens.isEmpty() ? null : "given=" + orList(givens);
        Set<String> out = new LinkedHashSet<>();
        if (!families.isEmpty()) {
            if (capabilities.patientSearch("phonetic")) {
                out.add(join("phonetic=" + orList(families), narrow));
            }
            out.add(join("family=" + orList(families), narrow));
        }
        if (c.givenName() != null && !c.givenName().isBlank() && c.familyName() != null && !c.familyName().isBlank()) {
            out.add(join("family=" + orList(List.of(c.givenName())) + "&given=" + orList(List.of(c.familyName())), years));
        }
        if (!givens.isEmpty() && dob != null) {
            out.add("given=" + orList(givens) + "&birthdate=" + dob);
            LocalDate swapped = swapped(dob);
            if (swapped != null) {
                out.add("given=" + orList(givens) + "&birthdate=" + swapped);
            }
        }
        return List.copyOf(out);
    }

    private static void add(List<String> list, String value) {
        if (value != null && !value.isBlank() && !list.contains(value)) {
            list.add(value);
        }
    }

    private static String join(String a, String b) {
        return b == null ? a : a + "&" + b;
    }

    private static LocalDate swapped(LocalDate d) {
        if (d.getDayOfMonth() > 12 || d.getDayOfMonth() == d.getMonthValue()) {
            return null;
        }
        try {
            return LocalDate.of(d.getYear(), d.getDayOfMonth(), d.getMonthValue());
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** FHIR's OR list, each value's commas, dollars, pipes and backslashes escaped, then URL-encoded. */
    static String orList(List<String> values) {
        List<String> escaped = new ArrayList<>();
        for (String v : values) {
            escaped.add(v.replace("\\", "\\\\").replace(",", "\\,").replace("$", "\\$").replace("|", "\\|"));
        }
        return HttpDialects.query(String.join(",", escaped));
    }

    /** {@code _count}, and {@code _elements} and {@code _revinclude} for the wanted fields only (A5). */
    String shape(Set<String> fields) {
        StringBuilder q = new StringBuilder("_count=").append(pageSize);
        Set<String> elements = new LinkedHashSet<>();
        Set<String> includes = new LinkedHashSet<>();
        for (String f : fields) {
            switch (f) {
                case "givenName", "familyName", "aliases" -> elements.add("name");
                case "dateOfBirth" -> elements.add("birthDate");
                case "gender" -> elements.add("gender");
                case "languages" -> elements.add("communication");
                case "address", "addressHistory" -> elements.add("address");
                case "legalStatus", "ethnicity" -> elements.add("extension");
                // The security label (A10); a server should keep meta whatever is asked, but ask anyway.
                case "shielded" -> elements.add("meta");
                case "lookedAfterIndicator", "concernCategories", "healthNotes", "concernDetails" -> includes.add("Flag:patient");
                case "registration", "registrationHistory" -> includes.add("EpisodeOfCare:patient");
                case "relationships" -> includes.add("RelatedPerson:patient");
                case "meetings" -> includes.add("Encounter:patient");
                case "referrals" -> includes.add("ServiceRequest:patient");
                case "enquiryHistory" -> includes.add("AuditEvent:patient");
                default -> {
                }
            }
        }
        q.append("&_elements=").append(HttpDialects.query(elements.isEmpty() ? "id" : String.join(",", elements)));
        includes.forEach(i -> q.append("&_revinclude=").append(HttpDialects.query(i)));
        return q.toString();
    }
}
