package uk.wycps.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.slf4j.LoggerFactory;
import uk.wycps.gateway.support.LocationTexts;
import uk.wycps.gateway.support.LogCapture;
import uk.wycps.mock.FaultMode;
import uk.wycps.mock.FaultSettings;
import uk.wycps.mock.GroundTruth;
import uk.wycps.mock.SyntheticPopulation;
import uk.wycps.record.ChildRecord;

/**
 * The console in a real Chromium (issue 16; F5, A4-A9, P1, P2, H1, S1): personas sign in and
 * complete the journey; the page shows exactly the fields the API gives the same caller; an
 * incomplete answer never reads "not found"; a WITHHELD register looks the same with and without
 * a match; axe-core finds no WCAG 2.2 A/AA violation on any page or state; the journey works
 * with the keyboard alone. One browser for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleJourneyBrowserTest {

    private ConsoleHarness harness;
    private Browser browser;
    private SyntheticPopulation.CrossBoundaryExample child;

    @BeforeAll
    void start() throws Exception {
        harness = ConsoleHarness.startDemo();
        browser = Browser.start(true);
        child = harness.mocks.population().crossBoundaryExample();
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (harness != null) {
            harness.close();
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    private void signIn(String persona) throws Exception {
        browser.get(harness.base() + "/");
        if (!browser.all("#sign-out").isEmpty()) {
            browser.clickAndWait("#sign-out");
        }
        assertEquals("Sign in", browser.text("#sign-in-heading"));
        browser.axe("sign-in");
        browser.find("label[for='" + personaId(persona) + "']").click();
        browser.clickAndWait("#sign-in-button");
        assertTrue(browser.text("#signed-in-as").contains(Personas.find(persona).title()), "signed in as " + persona);
    }

    private static String personaId(String persona) {
        return Personas.ALL.get(0).id().equals(persona) ? "persona" : "persona-" + persona;
    }

    private void type(String id, String value) {
        WebElement e = browser.find("#" + id);
        e.clear();
        if (value != null) {
            e.sendKeys(value);
        }
    }

    private void choose(String name, String value) {
        List<WebElement> radios = browser.all("input[name='" + name + "'][value='" + value + "']");
        browser.find("label[for='" + radios.get(0).getAttribute("id") + "']").click();
    }

    /** Fills the enquiry form as a practitioner would (register check, consent not sought). */
    private void fill(String given, String family, String dateOfBirth) {
        type("givenName", given);
        type("familyName", family);
        if (dateOfBirth != null) {
            String[] p = dateOfBirth.split("-");
            type("dob-day", String.valueOf(Integer.parseInt(p[2])));
            type("dob-month", String.valueOf(Integer.parseInt(p[1])));
            type("dob-year", p[0]);
        } else {
            type("dob-day", null);
            type("dob-month", null);
            type("dob-year", null);
        }
        choose("purpose", "register-check");
        type("justification", "Referral from school nurse");
        choose("consent", "not-sought");
        choose("ground", "authorised-register-check");
    }

    private static JsonObject body(String given, String family, String dateOfBirth) {
        JsonObject subject = new JsonObject().put("familyName", family);
        if (given != null) {
            subject.put("givenName", given);
        }
        if (dateOfBirth != null) {
            subject.put("dateOfBirth", dateOfBirth);
        }
        return new JsonObject().put("subject", subject)
                .put("purpose", new JsonObject().put("code", "register-check").put("justification",
                        "Referral from school nurse"))
                .put("consent", new JsonObject().put("status", "not-sought").put("ground", "authorised-register-check"));
    }

    /** authority/recordId to the fields the page shows for that record. */
    private Map<String, Set<String>> pageFields() {
        Map<String, Set<String>> fields = new TreeMap<>();
        for (WebElement card : browser.all("[data-record]")) {
            Set<String> names = new HashSet<>();
            card.findElements(By.cssSelector("[data-field]")).forEach(f -> names.add(f.getAttribute("data-field")));
            fields.put(card.getAttribute("data-record"), names);
        }
        return fields;
    }

    private static Map<String, Set<String>> apiFields(JsonObject answer) {
        Map<String, Set<String>> fields = new TreeMap<>();
        for (Object p : answer.getJsonArray("persons", new JsonArray())) {
            for (Object r : ((JsonObject) p).getJsonArray("records")) {
                JsonObject rec = (JsonObject) r;
                fields.put(rec.getString("authority") + "/" + rec.getString("recordId"),
                        new HashSet<>(rec.getJsonObject("data").fieldNames()));
            }
        }
        return fields;
    }

    private Map<String, String> pageStatuses() {
        Map<String, String> statuses = new TreeMap<>();
        for (WebElement row : browser.all("#registers tr[data-register]")) {
            String text = row.findElement(By.cssSelector("td")).getText();
            statuses.put(row.getAttribute("data-register"), text.substring(text.indexOf('(') + 1, text.indexOf(')')));
        }
        return statuses;
    }

    private static Map<String, String> apiStatuses(JsonObject answer) {
        Map<String, String> statuses = new TreeMap<>();
        answer.getJsonArray("registers").forEach(o -> statuses.put(((JsonObject) o).getString("authority"),
                ((JsonObject) o).getString("status")));
        return statuses;
    }

    private static final java.util.regex.Pattern UUID_PATTERN =
            java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final java.util.regex.Pattern ASKED = java.util.regex.Pattern.compile("asked (.+?) by ");
    /** How the console writes a time (ConsoleRoutes.PRINTED): to the minute, in UK time. */
    private static final DateTimeFormatter PRINTED = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm", Locale.UK)
            .withZone(ZoneId.of("Europe/London"));

    /** The "asked ..." time of an answer's print heading. */
    private static String askedAt(String meta) {
        java.util.regex.Matcher m = ASKED.matcher(meta.replaceAll("\\s+", " "));
        assertTrue(m.find(), "the heading says when the enquiry was asked: " + meta);
        return m.group(1);
    }

    /** True when {@code askedAt} names a minute from the one {@code from} falls in to the one {@code to} falls in. */
    private static boolean askedWithin(String askedAt, Instant from, Instant to) {
        Instant minute = java.time.ZonedDateTime.parse(askedAt, PRINTED.withZone(ZoneId.of("Europe/London"))).toInstant();
        return !minute.isBefore(from.truncatedTo(ChronoUnit.MINUTES)) && !minute.isAfter(to);
    }

    /**
     * Neither the browser's address nor any link or form target on the page holds any of
     * {@code personal} (H5: personal data never in a URL, where history, proxies and logs keep it).
     */
    private void assertNoPersonalDataInUrls(String... personal) {
        List<String> urls = new java.util.ArrayList<>();
        urls.add(browser.driver.getCurrentUrl());
        browser.all("a[href]").forEach(a -> urls.add(a.getAttribute("href")));
        browser.all("form").forEach(f -> urls.add(f.getAttribute("action")));
        for (String url : urls) {
            String decoded = java.net.URLDecoder.decode(url, java.nio.charset.StandardCharsets.UTF_8);
            for (String p : personal) {
                if (p != null && !p.isEmpty()) {
                    assertFalse(containsWord(decoded, p) || containsWord(decoded, p.replace(" ", "")),
                            "personal data in a URL: " + url);
                }
            }
        }
    }

    /** True when {@code text} holds {@code word} (any case) not inside a longer word or number. */
    static boolean containsWord(String text, String word) {
        return text != null && java.util.regex.Pattern.compile("(?<![\\p{L}0-9])" + java.util.regex.Pattern.quote(word)
                + "(?![\\p{L}0-9])", java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.UNICODE_CASE)
                .matcher(text).find();
    }

    /**
     * All the page holds: its text as the browser decoded it (hidden parts too, and so "'" not
     * "&#39;"), and its markup (attributes too).
     */
    private String pageText() {
        return browser.driver.executeScript("return document.documentElement.textContent") + "\n"
                + browser.driver.getPageSource();
    }

    private static void assertNoNotFoundHeadline(String headline) {
        String h = headline.toLowerCase(Locale.ROOT);
        assertFalse(h.contains("no record") || h.contains("not found") || h.contains("none found")
                || h.contains("no match"), "an incomplete answer must not read as 'no record': " + headline);
    }

    // ---- tests ------------------------------------------------------------------------------

    @Test
    @Order(1)
    void fourPersonasCompleteTheJourneyAndSeeExactlyTheFieldsTheApiGivesThem() throws Exception {
        String dob = child.dateOfBirth().toString();
        JsonObject body = body(child.givenName(), child.familyName(), dob);
        for (String id : List.of("social-worker", "health-visitor", "school-lead", "police-officer", "coordinator")) {
            Personas.Persona persona = Personas.find(id);
            signIn(id);
            browser.axe("home as " + id);
            // GIVEN the API's answer to this caller just before the page's
            JsonObject before = harness.apiAnswer(persona, body);
            // WHEN the persona asks through the console
            browser.clickAndWait("nav a[href='/enquiry']");
            browser.axe("empty form as " + id);
            fill(child.givenName(), child.familyName(), dob);
            browser.screenshot("console-form");
            Instant asking = Instant.now();
            browser.clickAndWait("#submit-enquiry");
            Instant answered = Instant.now();
            // The console's own enquiry: its id and when it was asked, as the answer page holds
            // them (in the print heading, which the screen stylesheet hides), read before the
            // API is asked again.
            String enquiryId = browser.find("#enquiry-id").getAttribute("textContent").trim();
            String askedAt = askedAt(browser.find("#print-meta").getAttribute("textContent"));
            JsonObject after = harness.apiAnswer(persona, body);
            browser.axe("answer as " + id);
            browser.screenshot("console-answer-" + id);
            // AND no address the browser holds names the child (H5)
            assertNoPersonalDataInUrls(child.givenName(), child.familyName(), dob);
            // THEN each register's status is the API's
            assertEquals(apiStatuses(after), pageStatuses(), id);
            // AND the records and their fields are the API's, none more: a field on the page is in
            // the API's answer given just after, and every field of the one given just before is
            // on the page (the enquiry itself may add an enquiry-history entry in between)
            Map<String, Set<String>> page = pageFields();
            Map<String, Set<String>> api = apiFields(after);
            assertEquals(api.keySet(), page.keySet(), id + ": the same records");
            apiFields(before).forEach((record, fields) -> assertTrue(page.get(record).containsAll(fields),
                    id + ": every field the API gives is shown for " + record));
            page.forEach((record, fields) -> assertTrue(api.get(record).containsAll(fields),
                    id + ": nothing beyond the API's fields for " + record + ": " + fields + " vs " + api.get(record)));
            boolean complete = after.getBoolean("complete");
            if (!complete) {
                assertNoNotFoundHeadline(browser.text("#headline"));
                assertTrue(browser.find("#not-checked-warning").isDisplayed());
            }
            // AND the page's enquiry is the one the console made and audited: not the API's
            // enquiries either side of it, asked in the minute the form was sent
            assertTrue(UUID_PATTERN.matcher(enquiryId).matches(), enquiryId);
            assertFalse(enquiryId.equals(before.getString("enquiryId")) || enquiryId.equals(after.getString("enquiryId")),
                    "the page shows its own enquiry's id");
            assertTrue(harness.audit.entries().stream().anyMatch(e -> enquiryId.equals(e.enquiryId())),
                    "the console's enquiry " + enquiryId + " is in the audit");
            assertTrue(askedWithin(askedAt, asking, answered), askedAt + " is when the form was sent");
            // AND the print view carries that enquiry id, when it was asked, and the caller
            browser.clickAndWait("#print-link");
            assertEquals("/answers/" + enquiryId + "/print", java.net.URI.create(browser.driver.getCurrentUrl()).getPath());
            String meta = browser.text("#print-meta");
            assertEquals(enquiryId, browser.text("#enquiry-id"), meta);
            assertEquals(askedAt, askedAt(meta), meta);
            assertTrue(meta.contains(persona.title()), meta);
            assertNoPersonalDataInUrls(child.givenName(), child.familyName(), dob);
            browser.axe("print view as " + id);
            browser.screenshot("console-print-" + id);
        }
        assertEquals(List.of(), browser.violations());
    }

    @Test
    @Order(2)
    void anIncompleteAnswerNeverShowsANotFoundHeadline() throws Exception {
        browser.clearViolations();
        signIn("social-worker");
        harness.mocks.register("leeds").setFaults(FaultSettings.mode(FaultMode.ERROR));
        try {
            browser.get(harness.base() + "/enquiry");
            fill("Zebedee", "Nobodyknowsme", "2015-02-03");
            browser.clickAndWait("#submit-enquiry");
            assertNoNotFoundHeadline(browser.text("#headline"));
            assertTrue(browser.text("#not-checked").contains("Leeds"), "the unchecked register is named");
            browser.axe("incomplete answer");
            browser.screenshot("console-not-all-checked");
        } finally {
            harness.mocks.register("leeds").clearFaults();
        }
        // and the same enquiry with every register answering may say "no record"
        browser.get(harness.base() + "/enquiry");
        fill("Zebedee", "Nobodyknowsme", "2015-02-03");
        browser.clickAndWait("#submit-enquiry");
        assertEquals("No record found in any register", browser.text("#headline"));
        assertEquals(List.of(), browser.violations());
    }

    @Test
    @Order(3)
    void aWithheldRegisterLooksTheSameWithAndWithoutAMatch() throws Exception {
        browser.clearViolations();
        // The health visitor may see Bradford and Leeds only: the others are WITHHELD.
        signIn("health-visitor");
        browser.get(harness.base() + "/enquiry");
        fill(child.givenName(), child.familyName(), child.dateOfBirth().toString());
        browser.clickAndWait("#submit-enquiry");
        Map<String, String> withMatch = withheldRows();
        browser.get(harness.base() + "/enquiry");
        fill("Zebedee", "Nobodyknowsme", "2015-02-03");
        browser.clickAndWait("#submit-enquiry");
        Map<String, String> without = withheldRows();
        assertFalse(withMatch.isEmpty());
        assertEquals(withMatch, without, "a WITHHELD register's row is the same whether or not it holds the child");
        // A police officer without grants sees every register WITHHELD: the whole answer is the
        // same page for a child held in two registers and for nobody.
        signIn("police-officer");
        browser.get(harness.base() + "/enquiry");
        fill(child.givenName(), child.familyName(), child.dateOfBirth().toString());
        browser.clickAndWait("#submit-enquiry");
        String a = answerText();
        // AND the answer's print view, a route of its own, is as silent (A9)
        browser.clickAndWait("#print-link");
        String aPrinted = answerText();
        browser.get(harness.base() + "/enquiry");
        fill("Zebedee", "Nobodyknowsme", "2015-02-03");
        browser.clickAndWait("#submit-enquiry");
        assertEquals(a, answerText());
        assertNoNotFoundHeadline(browser.text("#headline"));
        browser.clickAndWait("#print-link");
        assertEquals(aPrinted, answerText(), "the print view is the same whether or not a withheld register holds the child");
    }

    private Map<String, String> withheldRows() {
        Map<String, String> rows = new TreeMap<>();
        for (WebElement row : browser.all("#registers tr[data-register]")) {
            String html = row.getAttribute("outerHTML");
            if (html.contains("WITHHELD")) {
                rows.put(row.getAttribute("data-register"), html);
            }
        }
        return rows;
    }

    /** The answer's words, without what differs between any two answers (its id and times). */
    private String answerText() {
        return browser.find("main").getText().replaceAll("Enquiry [0-9a-f-]{36}, asked .*?Printed [^.]*\\.", "")
                .replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "ID");
    }

    @Test
    @Order(4)
    void errorsAreSummarisedAndPlacedOnTheFieldsAndMoreDetailPrefillsTheForm() throws Exception {
        browser.clearViolations();
        signIn("social-worker");
        browser.get(harness.base() + "/enquiry");
        // No family name: the API's error on $.subject.familyName, on the family name box.
        fill(child.givenName(), null, child.dateOfBirth().toString());
        browser.clickAndWait("#submit-enquiry");
        assertTrue(browser.text(".govuk-error-summary").contains("Enter the child's family name"));
        assertTrue(browser.find("#familyName-error").isDisplayed());
        assertEquals("#familyName", browser.find(".govuk-error-summary a").getAttribute("hash"));
        assertEquals(child.givenName(), browser.find("#givenName").getAttribute("value"), "what was typed is kept");
        browser.axe("form with errors");
        browser.screenshot("console-errors");
        // A day that is not a number: an error on the day box.
        fill(child.givenName(), child.familyName(), null);
        type("dob-day", "3x");
        type("dob-month", "3");
        type("dob-year", "2016");
        browser.clickAndWait("#submit-enquiry");
        assertTrue(browser.find("#dob-day").getAttribute("class").contains("govuk-input--error"));
        browser.axe("date error");
        // Twins: more detail needed, with the form prefilled.
        ChildRecord[] twins = harness.twins();
        browser.get(harness.base() + "/enquiry");
        fill(null, twins[0].familyName(), twins[0].dateOfBirth().toString());
        browser.clickAndWait("#submit-enquiry");
        assertTrue(browser.text("#headline").startsWith("More detail needed"), browser.text("#headline"));
        assertTrue(browser.text("#more-detail").contains("Given name"));
        assertEquals(twins[0].familyName(), browser.find("#familyName").getAttribute("value"));
        assertTrue(browser.find("#purpose-register-check").isSelected(), "the purpose is kept");
        browser.axe("more detail needed");
        browser.screenshot("console-more-detail");
        type("givenName", twins[0].givenName());
        browser.clickAndWait("#submit-enquiry");
        assertFalse(browser.text("#headline").startsWith("More detail"), browser.text("#headline"));
        assertEquals(List.of(), browser.violations());
    }

    @Test
    @Order(5)
    void theCoordinatorSeesTheAuditAndPlannersSeeStatisticsWithSuppressedCellsAndACsv() throws Exception {
        browser.clearViolations();
        signIn("coordinator");
        browser.clickAndWait("#audit-link");
        assertTrue(browser.all("[data-audit-entry]").size() > 0, "enquiries about Bradford's children are listed");
        browser.axe("audit view");
        browser.screenshot("console-audit");
        signIn("planner");
        browser.clickAndWait("#statistics-link");
        assertTrue(browser.all("table.govuk-table").size() > 0);
        assertTrue(browser.all("svg[role='img']").size() > 0, "a chart");
        assertTrue(browser.all(".console-suppressed").size() > 0, "suppressed cells are marked");
        assertEquals("/statistics.csv", browser.find("#csv-download").getAttribute("pathname"));
        browser.axe("statistics");
        browser.screenshot("console-statistics");
        // The planner may not make a named enquiry: the policy says so, on a page.
        browser.get(harness.base() + "/enquiry");
        fill(child.givenName(), child.familyName(), child.dateOfBirth().toString());
        browser.clickAndWait("#submit-enquiry");
        assertEquals("You cannot make this enquiry", browser.text("h1"));
        assertFalse(browser.find("main").getText().contains(child.familyName().toUpperCase(Locale.ROOT)));
        browser.axe("refused enquiry");
        assertEquals(List.of(), browser.violations());
    }

    @Test
    @Order(7)
    void theOwnersContactAndAShieldedRecordAreShownAsTheApiGivesThem() throws Exception {
        browser.clearViolations();
        // A child the mock registers shield (A10), asked about by a social worker of Leeds.
        uk.wycps.mock.GroundTruth.RecordRef ref = harness.mocks.groundTruth().shieldedRecords().get(0);
        SyntheticPopulation population = harness.mocks.population();
        SyntheticPopulation.Identity who = population.identity(ref.authority(), population.slotOf(ref.authority(),
                ref.recordId()));
        signIn("social-worker");
        browser.get(harness.base() + "/enquiry");
        fill(who.givenName(), who.familyName(), who.dateOfBirth().toString());
        browser.clickAndWait("#submit-enquiry");
        JsonObject api = harness.apiAnswer(Personas.find("social-worker"),
                body(who.givenName(), who.familyName(), who.dateOfBirth().toString()));
        int contacts = 0;
        for (Object o : api.getJsonArray("registers")) {
            JsonObject r = (JsonObject) o;
            JsonObject contact = r.getJsonObject("contact");
            if (contact != null) {
                contacts++;
                String row = browser.find("#registers tr[data-register='" + r.getString("authority") + "']").getText();
                assertTrue(row.contains(contact.getString("team")), "the owner's contact is shown: " + row);
            }
        }
        assertTrue(contacts > 0, "the API gave a contact for a register holding the child");
        int shielded = 0;
        for (Object p : api.getJsonArray("persons")) {
            for (Object r : ((JsonObject) p).getJsonArray("records")) {
                JsonObject rec = (JsonObject) r;
                String card = browser.find("[data-record='" + rec.getString("authority") + "/" + rec.getString("recordId")
                        + "']").getText();
                assertEquals(Boolean.TRUE.equals(rec.getValue("shielded")), card.contains("Shielded"), card);
                if (Boolean.TRUE.equals(rec.getValue("shielded"))) {
                    shielded++;
                }
            }
        }
        assertTrue(shielded > 0, "the API marked the shielded record");
        browser.axe("shielded record");
        browser.screenshot("console-shielded");
        assertEquals(List.of(), browser.violations());
    }

    @Test
    @Order(6)
    void theWholeJourneyCanBeDoneWithTheKeyboardAlone() throws Exception {
        browser.get(harness.base() + "/");
        if (!browser.all("#sign-out").isEmpty()) {
            tabTo("sign-out");
            enter();
        }
        tabTo("persona");
        keys(Keys.SPACE);
        tabTo("sign-in-button");
        enter();
        tabTo("start");
        enter();
        tabTo("givenName");
        keys(child.givenName());
        tabTo("familyName");
        keys(child.familyName());
        tabTo("dob-day");
        keys(String.valueOf(child.dateOfBirth().getDayOfMonth()), Keys.TAB,
                String.valueOf(child.dateOfBirth().getMonthValue()), Keys.TAB, String.valueOf(child.dateOfBirth().getYear()));
        tabTo("purpose");
        keys(Keys.ARROW_DOWN); // the second purpose: register check
        tabTo("justification");
        keys("Referral from school nurse");
        tabTo("consent");
        keys(Keys.ARROW_DOWN); // not sought
        tabTo("ground");
        keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ARROW_DOWN); // authorised register check
        tabTo("submit-enquiry");
        enter();
        assertEquals("1 child found", browser.text("#headline"));
        tabTo("print-link");
        enter();
        assertTrue(browser.find("#print-meta").isDisplayed(), "the print view");
        tabTo("sign-out");
        enter();
        assertEquals("Sign in", browser.text("#sign-in-heading"));
    }

    // ---- shielded children on the page (issue 18, A10) ------------------------------------

    /** Signs in through the demo's "choose the role, agency, authority and grants". */
    private void signInAs(String role, String agency, String authority, String... grants) {
        browser.get(harness.base() + "/");
        if (!browser.all("#sign-out").isEmpty()) {
            browser.clickAndWait("#sign-out");
        }
        browser.find("label[for='persona-custom']").click();
        browser.find("details.govuk-details summary").click();
        new Select(browser.find("#role")).selectByValue(role);
        new Select(browser.find("#agency")).selectByValue(agency);
        new Select(browser.find("#authority")).selectByValue(authority == null ? "" : authority);
        for (String g : grants) {
            String id = browser.find("input[name='grants'][value='" + g + "']").getAttribute("id");
            browser.find("label[for='" + id + "']").click();
        }
        browser.clickAndWait("#sign-in-button");
        assertTrue(browser.text("#signed-in-as").contains(Labels.of(Labels.ROLES, role)), browser.text("#signed-in-as"));
    }

    private static JsonObject recordView(JsonObject answer, String authority, String recordId) {
        for (Object p : answer.getJsonArray("persons", new JsonArray())) {
            for (Object r : ((JsonObject) p).getJsonArray("records")) {
                JsonObject rec = (JsonObject) r;
                if (authority.equals(rec.getString("authority")) && recordId.equals(rec.getString("recordId"))) {
                    return rec;
                }
            }
        }
        return null;
    }

    /** What a caller kind is in this test: its claims, and whose location it may be shown. */
    private record Kind(String name, String role, String agency, String authority, List<String> grants) {
        Personas.Persona persona() {
            return new Personas.Persona(name, name, role, agency, authority, grants);
        }
    }

    @Test
    @Order(8)
    void aShieldedChildsLocationIsOnThePageOnlyForItsOwnAuthoritysCaseStaff() throws Exception {
        browser.clearViolations();
        GroundTruth truth = harness.mocks.groundTruth();
        // GIVEN a shielded child that other registers hold too, and a caller from an authority
        // that holds none of its records but may see every register (cross-authority:*), to
        // whom the API gives the shielded record and a linked one: so that the page could show
        // both locations but for the rule
        GroundTruth.RecordRef shieldedRef = null;
        List<GroundTruth.RecordRef> person = null;
        String stranger = null;
        for (GroundTruth.RecordRef ref : truth.shieldedRecords()) {
            List<GroundTruth.RecordRef> records = truth.personOf(ref.authority(), ref.recordId()).records();
            Set<String> holders = new HashSet<>();
            records.forEach(r -> holders.add(r.authority()));
            if (holders.size() < 2) {
                continue;
            }
            String home = harness.mocks.registers().stream().map(r -> r.authority()).filter(a -> !holders.contains(a))
                    .findFirst().orElseThrow();
            ChildRecord r = harness.mocks.register(ref.authority()).record(ref.recordId()).orElseThrow();
            JsonObject answer = harness.apiAnswer(new Kind("probe", "child-worker", "social-services", home,
                    List.of("cross-authority:*")).persona(), body(r.givenName(), r.familyName(), r.dateOfBirth().toString()));
            long found = records.stream().filter(x -> recordView(answer, x.authority(), x.recordId()) != null).count();
            if (recordView(answer, ref.authority(), ref.recordId()) != null && found >= 2) {
                shieldedRef = ref;
                person = records;
                stranger = home;
                break;
            }
        }
        assertTrue(shieldedRef != null, "a shielded child held by two registers, found with a linked record");
        String owner = shieldedRef.authority();
        ChildRecord shielded = harness.mocks.register(owner).record(shieldedRef.recordId()).orElseThrow();
        Map<String, ChildRecord> held = new TreeMap<>();
        for (GroundTruth.RecordRef r : person) {
            held.put(r.authority(), harness.mocks.register(r.authority()).record(r.recordId()).orElseThrow());
        }
        String linked = held.keySet().stream().filter(a -> !a.equals(owner)).findFirst().orElseThrow();
        // Every first line, postcode and town of the child's addresses, current and earlier, at every register.
        Map<String, Set<String>> texts = new TreeMap<>();
        held.forEach((authority, record) -> {
            Set<String> s = new java.util.LinkedHashSet<>(LocationTexts.of(record));
            // A town that is also an authority's name is on every page (the registers' table):
            // for those, that no address field is shown at all is what is checked.
            LocationTexts.towns(record).stream().filter(town -> held.keySet().stream().noneMatch(town::equalsIgnoreCase)
                    && harness.mocks.registers().stream().noneMatch(m -> m.authority().equalsIgnoreCase(town)))
                    .forEach(s::add);
            texts.put(authority, s);
        });

        List<Kind> outside = List.of(
                new Kind("child worker of " + stranger + ", every grant", "child-worker", "social-services", stranger,
                        List.of("cross-authority:*")),
                new Kind("police officer, every grant", "child-worker", "police", null, List.of("cross-authority:*", "schedule-one")),
                new Kind("administrator of " + owner + " (PERSONAL), every grant", "admin-staff", "social-services", owner,
                        List.of("cross-authority:*")),
                new Kind("child worker of " + linked + ", every grant", "child-worker", "social-services", linked,
                        List.of("cross-authority:*")));
        for (Kind kind : outside) {
            // WHEN a caller who may not see the shielded child's location asks about it
            signInAs(kind.role(), kind.agency(), kind.authority(), kind.grants().toArray(String[]::new));
            browser.get(harness.base() + "/enquiry");
            fill(shielded.givenName(), shielded.familyName(), shielded.dateOfBirth().toString());
            browser.clickAndWait("#submit-enquiry");
            String page = pageText();
            JsonObject api = harness.apiAnswer(kind.persona(), body(shielded.givenName(), shielded.familyName(),
                    shielded.dateOfBirth().toString()));
            // THEN the shielded record is on the page, marked, with the others that hold the child
            String card = "[data-record='" + owner + "/" + shieldedRef.recordId() + "']";
            assertEquals(1, browser.all(card).size(), kind.name() + ": the shielded record is shown");
            assertTrue(browser.text(card).contains("Shielded"), kind.name());
            // AND no address field of the child's records is on it, but its own authority's
            // record, which its own social services may see as they could by hand
            String own = "social-services".equals(kind.agency()) && !owner.equals(kind.authority()) ? kind.authority() : null;
            for (GroundTruth.RecordRef r : person) {
                List<WebElement> cards = browser.all("[data-record='" + r.authority() + "/" + r.recordId() + "']");
                for (WebElement c : cards) {
                    boolean location = !c.findElements(By.cssSelector("[data-field='address'], [data-field='addressHistory']"))
                            .isEmpty();
                    assertEquals(r.authority().equals(own), location, kind.name() + ": location fields of " + r.authority());
                }
            }
            // AND no word of any of their addresses, current or earlier, is anywhere in the page,
            // but those its own authority's record holds too
            Set<String> allowed = own == null ? Set.of() : texts.getOrDefault(own, Set.of());
            for (Map.Entry<String, Set<String>> e : texts.entrySet()) {
                List<String> found = LocationTexts.foundIn(page, e.getValue(), allowed);
                assertEquals(List.of(), found, kind.name() + ": location of " + e.getKey() + "'s record on the page");
            }
            if (own != null && held.containsKey(own) && recordView(api, own, held.get(own).recordId()) != null) {
                assertTrue(containsWord(page, held.get(own).address().postcode()),
                        kind.name() + ": its own authority's record keeps its location");
            }
            browser.axe("shielded, " + kind.name());
        }

        // AND a caller of the owning authority at a tier the policy names sees where the child lives
        signInAs("child-worker", "social-services", owner);
        browser.get(harness.base() + "/enquiry");
        fill(shielded.givenName(), shielded.familyName(), shielded.dateOfBirth().toString());
        browser.clickAndWait("#submit-enquiry");
        String page = pageText();
        assertTrue(containsWord(page, shielded.address().postcode()) && page.contains(shielded.address().line1()),
                "the owner's case staff see the shielded child's address");
        assertEquals(1, browser.all("[data-record='" + owner + "/" + shieldedRef.recordId() + "'] [data-field='address']")
                .size());
        browser.screenshot("console-shielded-owner");
        assertEquals(List.of(), browser.violations());
    }

    // ---- the audit page is the API's audit view (A9) --------------------------------------

    @Test
    @Order(9)
    void theAuditPageShowsTheCoordinatorTheApisAuditViewAndNothingItWithholds() throws Exception {
        browser.clearViolations();
        Personas.Persona coordinator = Personas.find("coordinator");
        signIn("coordinator");
        // GIVEN the API's audit view for the same co-ordinator, the same just before and just after
        // the page is read (withheld registers are searched, and audited, after each answer)
        JsonArray api = null;
        for (int i = 0; i < 100 && api == null; i++) {
            JsonArray before = harness.apiAudit(coordinator).getJsonArray("entries");
            browser.get(harness.base() + "/audit");
            JsonArray after = harness.apiAudit(coordinator).getJsonArray("entries");
            if (before.equals(after)) {
                api = after;
            } else {
                Thread.sleep(100);
            }
        }
        assertTrue(api != null, "the audit settled");
        // Every entry as the log keeps it, uncut.
        Map<String, JsonObject> whole = new java.util.HashMap<>();
        harness.audit.entries().forEach(e -> whole.put(auditKey(e.toJson()), e.toJson()));
        List<WebElement> cards = browser.all("[data-audit-entry]");
        // THEN the page holds the same entries, in the same order
        assertEquals(api.size(), cards.size(), "the same entries");
        int registersWithheld = 0;
        int valuesWithheld = 0;
        for (int i = 0; i < api.size(); i++) {
            JsonObject entry = api.getJsonObject(i);
            WebElement card = cards.get(i);
            String where = "entry " + i + " (" + entry.getString("enquiryId") + ", " + entry.getString("result") + ")";
            assertEquals(entry.getString("at"), card.findElement(By.cssSelector(".govuk-summary-card__title")).getText(),
                    where);
            Map<String, String> rows = new java.util.LinkedHashMap<>();
            for (WebElement row : card.findElements(By.cssSelector("[data-field]"))) {
                rows.put(row.getAttribute("data-field"), row.findElement(By.cssSelector("dd")).getText());
            }
            // AND each shows the same fields with the same values: ids, caller, purpose, consent
            Set<String> fields = new java.util.LinkedHashSet<>(entry.fieldNames());
            fields.remove("at");
            assertEquals(fields, rows.keySet(), where + ": the same fields");
            for (String f : fields) {
                for (String value : leaves(entry.getValue(f))) {
                    assertTrue(rows.get(f).contains(value), where + ": " + f + " shows " + value + ": " + rows.get(f));
                }
            }
            // AND each register's status is the API's, a register withheld from the co-ordinator
            // shown WITHHELD as the API shows it
            assertEquals(auditStatuses(entry), pageAuditStatuses(rows.get("registers")), where + ": registers");
            // AND nothing the API's view withholds from the co-ordinator is on the page: no value
            // of the entry as the log keeps it that the cut entry lacks (another authority's
            // criteria and justification, how a withheld register answered, its record ids)
            JsonObject full = whole.get(auditKey(entry));
            assertTrue(full != null, where + ": in the log");
            Set<String> withheld = new HashSet<>(leaves(full));
            withheld.removeAll(leaves(entry));
            String text = card.getText();
            for (String w : withheld) {
                assertFalse(containsWord(text, w), where + ": the page shows what the API withholds: " + w);
            }
            valuesWithheld += withheld.isEmpty() ? 0 : 1;
            Map<String, String> fullStatuses = auditStatuses(full);
            for (Map.Entry<String, String> s : auditStatuses(entry).entrySet()) {
                if ("WITHHELD".equals(s.getValue()) && !"WITHHELD".equals(fullStatuses.get(s.getKey()))) {
                    registersWithheld++;
                }
            }
        }
        // (and the comparison had something to hold back: an entry cut for this reader, and a
        // register that answered another caller shown WITHHELD to the co-ordinator)
        assertTrue(valuesWithheld > 0 && registersWithheld > 0, valuesWithheld + " cut entries, " + registersWithheld
                + " withheld registers");
        browser.axe("audit compared with the API");
        assertEquals(List.of(), browser.violations());
    }

    private static String auditKey(JsonObject entry) {
        return entry.getString("enquiryId") + "|" + entry.getString("result") + "|" + entry.getString("at");
    }

    /** Every value in {@code value} (strings, numbers, yes/no), as the page writes them; not names of keys. */
    private static Set<String> leaves(Object value) {
        Set<String> out = new HashSet<>();
        if (value instanceof JsonObject o) {
            o.forEach(e -> out.addAll(leaves(e.getValue())));
        } else if (value instanceof JsonArray a) {
            a.forEach(v -> out.addAll(leaves(v)));
        } else if (value instanceof Boolean b) {
            out.add(b ? "Yes" : "No");
        } else if (value != null) {
            out.add(String.valueOf(value));
        }
        return out;
    }

    private static Map<String, String> auditStatuses(JsonObject entry) {
        Map<String, String> statuses = new TreeMap<>();
        entry.getJsonArray("registers", new JsonArray()).forEach(o -> statuses.put(((JsonObject) o).getString("authority"),
                ((JsonObject) o).getString("status")));
        return statuses;
    }

    private static final java.util.regex.Pattern AUDIT_REGISTER =
            java.util.regex.Pattern.compile("Authority: ([a-z]+); Status: ([A-Z_]+(?:\\([A-Z_]+\\))?)");

    private static Map<String, String> pageAuditStatuses(String row) {
        Map<String, String> statuses = new TreeMap<>();
        java.util.regex.Matcher m = AUDIT_REGISTER.matcher(row == null ? "" : row);
        while (m.find()) {
            statuses.put(m.group(1), m.group(2));
        }
        return statuses;
    }

    // ---- personal data never in a URL or a log line (H5) ----------------------------------

    @Test
    @Order(10)
    void personalDataNeverReachesAUrlOrALogLine() throws Exception {
        // The cross-boundary child, with the postcode its first register holds, and a child no
        // register holds, with a canary postcode.
        ChildRecord held = harness.mocks.register(child.records().get(0).authority())
                .record(child.records().get(0).recordId()).orElseThrow();
        String postcode = held.address().postcode();
        String dob = child.dateOfBirth().toString();
        String canaryGiven = "Zephyrine";
        String canaryFamily = "Quillfeather";
        String canaryDob = "2011-07-23";
        String canaryPostcode = "WF9 9ZZ";
        List<String> personal = List.of(child.givenName(), child.familyName(), dob, postcode, canaryGiven, canaryFamily,
                canaryDob, canaryPostcode);
        ch.qos.logback.classic.Logger project = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("uk.wycps");
        ch.qos.logback.classic.Level level = project.getLevel();
        // Every line the project writes, down to DEBUG, not only what production's INFO lets through.
        project.setLevel(ch.qos.logback.classic.Level.DEBUG);
        List<String> lines;
        String enquiryId;
        try (LogCapture logs = LogCapture.start()) {
            int mark = logs.mark();
            signIn("social-worker");
            // GIVEN the enquiry form, which is sent by POST
            browser.get(harness.base() + "/enquiry");
            WebElement form = browser.find("#enquiry-form");
            assertEquals("post", form.getAttribute("method"));
            assertEquals("/enquiry", java.net.URI.create(form.getAttribute("action")).getPath());
            // WHEN a GET carries a subject in its query
            String query = "?givenName=" + url(canaryGiven) + "&familyName=" + url(canaryFamily) + "&dob-day=23&dob-month=7"
                    + "&dob-year=2011&postcode=" + url(canaryPostcode) + "&purpose=register-check&justification=x"
                    + "&consent=not-sought&ground=authorised-register-check";
            for (String path : List.of("/enquiry", "/", "/answers/" + java.util.UUID.randomUUID() + "/print")) {
                browser.get(harness.base() + path + query);
                // THEN it is not an enquiry, and nothing of it comes back on the page
                String page = pageText();
                for (String p : List.of(canaryGiven, canaryFamily, canaryPostcode)) {
                    assertFalse(page.contains(p), path + " echoes " + p);
                }
            }
            browser.get(harness.base() + "/enquiry" + query);
            for (String field : List.of("givenName", "familyName", "dob-day", "dob-month", "dob-year", "postcode")) {
                assertEquals("", browser.find("#" + field).getAttribute("value"), "the form is not filled from the URL: " + field);
            }
            assertTrue(harness.audit.entries().stream().noneMatch(e -> e.criteria() != null
                    && canaryFamily.equals(e.criteria().familyName())), "a GET makes no enquiry");
            // WHEN the canary child is asked about by POST, then the cross-boundary child with a
            // mistake first, and the answer printed
            browser.get(harness.base() + "/enquiry");
            fill(canaryGiven, canaryFamily, canaryDob);
            type("postcode", canaryPostcode);
            browser.clickAndWait("#submit-enquiry");
            assertNoPersonalDataInUrls(personal.toArray(String[]::new));
            browser.get(harness.base() + "/enquiry");
            fill(child.givenName(), child.familyName(), dob);
            type("postcode", postcode);
            type("dob-day", "3x");
            browser.clickAndWait("#submit-enquiry");
            assertTrue(browser.find("#dob-day").getAttribute("class").contains("govuk-input--error"));
            assertNoPersonalDataInUrls(personal.toArray(String[]::new));
            type("dob-day", String.valueOf(child.dateOfBirth().getDayOfMonth()));
            browser.clickAndWait("#submit-enquiry");
            assertEquals("1 child found", browser.text("#headline"));
            enquiryId = browser.find("#enquiry-id").getAttribute("textContent").trim();
            // THEN the browser's address, links and form targets name no child
            assertNoPersonalDataInUrls(personal.toArray(String[]::new));
            browser.clickAndWait("#print-link");
            assertNoPersonalDataInUrls(personal.toArray(String[]::new));
            // (a canary written on purpose shows that the capture sees the project's lines)
            LoggerFactory.getLogger("uk.wycps.gateway.console.Canary").debug("capture check {}", canaryFamily);
            lines = logs.since(mark);
        } finally {
            project.setLevel(level);
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains(enquiryId)), "the console's own line about the enquiry was seen");
        assertTrue(lines.stream().anyMatch(l -> l.contains("capture check " + canaryFamily)), "the planted canary was seen");
        // AND no line the gateway, the console or the mock registers wrote holds any of it (H5).
        // The test's own browser driver (org.openqa) logs what the test types, and is not the service.
        List<String> leaks = new java.util.ArrayList<>();
        for (String line : lines) {
            if (line.contains("capture check ") || line.contains("\"logger_name\":\"org.openqa")) {
                continue;
            }
            for (String p : personal) {
                if (containsWord(line, p) || containsWord(line, p.replace(" ", ""))) {
                    leaks.add(p + " in " + line);
                }
            }
        }
        assertEquals(List.of(), leaks);
    }

    private static String url(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void keys(CharSequence... keys) {
        browser.driver.switchTo().activeElement().sendKeys(keys);
    }

    /** Presses Enter on what has the focus, and waits for the page it leads to. */
    private void enter() {
        WebElement html = browser.driver.findElement(By.tagName("html"));
        keys(Keys.ENTER);
        browser.waitForNewPage(html);
    }

    /** Presses Tab until the element with {@code id} has the focus (fails if it never does). */
    private void tabTo(String id) {
        for (int i = 0; i < 80; i++) {
            Object focused = browser.driver.executeScript("return document.activeElement && document.activeElement.id");
            if (id.equals(focused)) {
                return;
            }
            keys(Keys.TAB);
        }
        throw new AssertionError("Tab never reached #" + id);
    }
}
