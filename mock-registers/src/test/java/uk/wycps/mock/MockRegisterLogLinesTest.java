package uk.wycps.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import uk.wycps.connector.ConnectorRegistry;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterConnector;
import uk.wycps.connector.SearchRequest;
import uk.wycps.record.CanonicalFields;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.EnquiryHistoryEntry;
import uk.wycps.record.SearchCriteria;

/**
 * What the mock registers write to standard output, with the logback configuration they ship
 * ({@code mock-registers-logback.xml}, the one {@link MockRegistersMain} names): one JSON object
 * per line and nothing else, so that one log platform reads them and the gateway alike (O3), and
 * no name, date of birth, postcode or street of any child they hold (H5), while registers of all
 * five dialects start, announce themselves, are searched, told of enquiries, fail and restart.
 */
class MockRegisterLogLinesTest {

    @Test
    void everyLineIsOneJsonObjectWithoutPersonalDataInEveryDialect() throws Exception {
        List<String> lines;
        MockFederation federation;
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        configure(logback, "mock-registers-logback.xml");
        // logback's console appender writes to whatever System.out is at each line
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                original.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8));
        Vertx vertx = Vertx.vertx();
        try {
            federation = MockRegisters.start(vertx, MockOptions.defaults().withAuthorityDialects()
                    .withChildrenPerRegister(60).withEphemeralPorts()).await();
            MockRegistersMain.announce(federation, FaultSettings.NONE);
            ConnectorRegistry registry = ConnectorRegistry.load();
            for (MockRegister register : federation.registers()) {
                RegisterConnector connector = registry.create(vertx, register.connectorSettings());
                try {
                    ChildRecord child = register.records().get(4);
                    SearchCriteria criteria = new SearchCriteria(child.givenName(), child.familyName(), null, null,
                            child.dateOfBirth(), null, null);
                    List<ChildRecord> found = connector.search(new SearchRequest(criteria, CanonicalFields.all(),
                            Deadline.afterMillis(5000), "e-log-" + register.authority())).await();
                    assertTrue(found.stream().anyMatch(r -> r.recordId().equals(child.recordId())),
                            register.authority() + " found its child");
                    connector.recordEnquiry(child.recordId(), new EnquiryHistoryEntry("e-log-" + register.authority(),
                            "q-1", Instant.parse("2026-02-03T10:15:30Z"), "worker-7", "child-worker", "social-services",
                            "bradford", "register-check", "not-sought:authorised-register-check"),
                            Deadline.afterMillis(5000)).await();
                    // AND a fault: the search fails, the register logs nothing of the child
                    register.setFaults(FaultSettings.mode(FaultMode.ERROR));
                    connector.search(new SearchRequest(criteria, CanonicalFields.all(), Deadline.afterMillis(2000),
                            "e-log-fault")).transform(ar -> io.vertx.core.Future.succeededFuture()).await();
                    register.clearFaults();
                } finally {
                    connector.close();
                }
            }
            federation.register("wakefield").stop().compose(v -> federation.register("wakefield").restart()).await();
            federation.close().await();
        } finally {
            vertx.close().await();
            System.setOut(original);
            configure(logback, "logback-test.xml");
        }
        synchronized (captured) {
            lines = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }

        // THEN there are lines: each register's start, announcement and stop
        for (String authority : SyntheticPopulation.AUTHORITIES) {
            assertTrue(lines.stream().anyMatch(l -> l.contains("register ready: authority=" + authority)), lines::toString);
            assertTrue(lines.stream().anyMatch(l -> l.contains("register " + authority + " listening")), lines::toString);
            assertTrue(lines.stream().anyMatch(l -> l.contains("register " + authority + " stopping")), lines::toString);
        }
        // AND every line is exactly one JSON object with a time, a level and a message
        for (String line : lines) {
            JsonObject json = new JsonObject(line); // throws, failing the test, unless one JSON object
            assertTrue(line.startsWith("{") && line.endsWith("}"), line);
            for (String field : List.of("@timestamp", "level", "message", "logger_name")) {
                assertTrue(json.containsKey(field), field + " missing: " + line);
            }
        }
        // AND no line holds a name, date of birth, postcode or street of any child of any register
        List<String> findings = new ArrayList<>();
        for (MockRegister register : federation.registers()) {
            for (ChildRecord r : register.records()) {
                for (Pattern p : personalData(r)) {
                    lines.stream().filter(l -> p.matcher(l).find()).forEach(l -> findings.add(p.pattern() + ": " + l));
                }
            }
        }
        assertEquals(List.of(), findings);
    }

    /** A child's details as whole words ("Lee" must not match "leeds"), in the forms a line could hold them. */
    static List<Pattern> personalData(ChildRecord r) {
        Set<String> words = new LinkedHashSet<>();
        words.add(r.givenName());
        words.add(r.familyName());
        r.aliases().forEach(a -> {
            words.add(a.givenName());
            words.add(a.familyName());
        });
        words.add(r.dateOfBirth().toString());
        words.add(r.dateOfBirth().format(DateTimeFormatter.BASIC_ISO_DATE));
        words.add(r.dateOfBirth().format(DateTimeFormatter.ofPattern("dd/MM/yyyy")));
        if (r.address() != null) {
            words.add(r.address().postcode());
            words.add(r.address().postcode().replace(" ", ""));
            words.add(r.address().postcode().replace(" ", "+"));
            words.add(r.address().line1());
        }
        List<Pattern> patterns = new ArrayList<>();
        for (String w : words) {
            if (w != null && !w.isBlank()) {
                patterns.add(Pattern.compile("(?<![\\p{L}\\d])" + Pattern.quote(w) + "(?![\\p{L}\\d])"));
            }
        }
        return patterns;
    }

    @Test
    void theCheckFindsAChildsNameLoggedOnPurpose() {
        // The same patterns find a line that holds a child's family name: the check above can fail.
        ChildRecord child = SyntheticPopulation.generate(MockOptions.DEFAULT_SEED, 60).records("kirklees").get(4);
        String line = new JsonObject().put("message", "deliberate leak: " + child.familyName()).encode();
        assertTrue(personalData(child).stream().anyMatch(p -> p.matcher(line).find()), line);
        assertFalse(personalData(child).stream().anyMatch(p -> p.matcher("register kirklees listening").find()));
    }

    private static void configure(LoggerContext logback, String resource) throws Exception {
        URL url = MockRegisterLogLinesTest.class.getClassLoader().getResource(resource);
        assertTrue(url != null, resource + " on the class path");
        logback.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(logback);
        configurator.doConfigure(url);
    }
}
