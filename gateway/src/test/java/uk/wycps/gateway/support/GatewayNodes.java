package uk.wycps.gateway.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.gateway.audit.AuditKeys;

/**
 * Gateway nodes as the operator runs them: separate JVMs ({@code GatewayMain serve --config})
 * started from the built classes, each with its own configuration file, all on one PostgreSQL
 * ({@code audit.postgres}) and one audit signing key; and what the tests need to see in the
 * database afterwards.
 */
public final class GatewayNodes {

    private static final Pattern LISTENING = Pattern.compile("WYCPS gateway listening on port (\\d+)");

    private final Path dir;
    private final TestPostgres pg;
    private final TestIssuer issuer;
    private final List<RegisterSettings> registers;
    private final int checkpointEvery;
    private final int leaseSeconds;
    private JsonObject limits = new JsonObject()
            .put("perCaller", new JsonObject().put("perMinute", 1_000_000).put("burst", 1_000_000))
            .put("perAgency", new JsonObject().put("perMinute", 1_000_000).put("burst", 1_000_000));

    public GatewayNodes(Path dir, TestPostgres pg, TestIssuer issuer, List<RegisterSettings> registers,
            int checkpointEvery, int leaseSeconds) throws IOException {
        this.dir = dir;
        this.pg = pg;
        this.issuer = issuer;
        this.registers = List.copyOf(registers);
        this.checkpointEvery = checkpointEvery;
        this.leaseSeconds = leaseSeconds;
        AuditKeys.loadOrCreate(dir);
    }

    /** The audit verification key every node shares. */
    public Path publicKey() {
        return dir.resolve(AuditKeys.PUBLIC_FILE);
    }

    /** The nodes' {@code limits} from now on (by default, high enough not to refuse a test's load). */
    public GatewayNodes limits(JsonObject limits) {
        this.limits = limits;
        return this;
    }

    /** Writes node {@code name}'s configuration file. */
    public Path config(String name) throws IOException {
        JsonArray regs = new JsonArray();
        for (RegisterSettings r : registers) {
            regs.add(new JsonObject().put("authority", r.authority()).put("dialect", r.dialect())
                    .put("baseUrl", r.baseUrl().toString())
                    // The mock registers speak plain HTTP on loopback: a test, said so.
                    .put("insecure", true));
        }
        JsonObject config = new JsonObject()
                .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                .put("management", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                .put("limits", limits)
                .put("auth", new JsonObject().put("issuer", TestIssuer.ISSUER).put("audience", TestIssuer.AUDIENCE)
                        .put("keys", new JsonArray().add(new JsonObject().put("algorithm", "ES256")
                                .put("publicKey", issuer.publicKeyPem()))))
                .put("registers", regs)
                .put("audit", new JsonObject()
                        .put("signingKeyFile", dir.resolve(AuditKeys.PRIVATE_FILE).toString())
                        .put("verificationKeyFile", publicKey().toString())
                        .put("checkpointEvery", checkpointEvery)
                        .put("postgres", pg.config(name, leaseSeconds)));
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, config.encodePrettily());
        return file;
    }

    /** Starts node {@code name} in a JVM of its own; returns once it listens. */
    public Node start(String name) throws Exception {
        return listening(launch(name));
    }

    /** Starts the nodes side by side (JVM starts overlap); returns once all listen. */
    public List<Node> start(String... names) throws Exception {
        List<Launched> launched = new java.util.ArrayList<>();
        for (String name : names) {
            launched.add(launch(name));
        }
        List<Node> nodes = new java.util.ArrayList<>();
        for (Launched l : launched) {
            nodes.add(listening(l));
        }
        return nodes;
    }

    private record Launched(String name, Process process, Path log) {
    }

    private Launched launch(String name) throws Exception {
        Path config = config(name);
        Path log = dir.resolve(name + "-" + System.nanoTime() + ".log");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC",
                // C1 only: a node starts in a fraction of the time on a busy machine.
                "-XX:TieredStopAtLevel=1", "-cp", classpath,
                "uk.wycps.gateway.GatewayMain", "serve", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Launched(name, process, log);
    }

    private static Node listening(Launched launched) throws Exception {
        String name = launched.name();
        Process process = launched.process();
        Path log = launched.log();
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < until) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            Matcher m = LISTENING.matcher(text);
            if (m.find()) {
                return new Node(name, process, Integer.parseInt(m.group(1)), log);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("node " + name + " did not start:\n" + text);
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new IllegalStateException("node " + name + " did not listen in time:\n" + Files.readString(log));
    }

    /** One running node. */
    public record Node(String name, Process process, int port, Path log) {

        /** kill -9: Process.destroyForcibly sends SIGKILL on Linux; nothing of the node's runs after it. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }

        /** SIGTERM: the node closes its audit (a last checkpoint) and its outbox. */
        public void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }

        /** {@code POST /api/v1/enquiries}: the status, and the body when 200 (null on a connection failure). */
        public HttpResponse<String> enquire(HttpClient client, String token, JsonObject body) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/enquiries"))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
            try {
                return client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /** Answered enquiries' audit entries per enquiry id, as the database holds them. */
    public Map<String, Integer> auditEntriesByEnquiry() throws Exception {
        Map<String, Integer> out = new HashMap<>();
        try (Connection c = pg.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT enquiry_id, count(*) FROM audit_entry WHERE kind = 'enquiry'"
                        + " AND result = 'answered' GROUP BY enquiry_id")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getInt(2));
            }
        }
        return out;
    }

    /** The enquiry entries as written (JSON), in chain order. */
    public List<JsonObject> enquiryEntries() throws Exception {
        List<JsonObject> out = new java.util.ArrayList<>();
        try (Connection c = pg.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT entry FROM audit_entry WHERE kind = 'enquiry' ORDER BY seq")) {
            while (rs.next()) {
                out.add(new JsonObject(rs.getString(1)));
            }
        }
        return out;
    }

    /** A number the database gives. */
    public long count(String sql) throws Exception {
        try (Connection c = pg.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Waits until the outbox table is empty (every register has acknowledged everything); false on time-out. */
    public boolean outboxDrains(Duration within) throws Exception {
        long until = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < until) {
            if (count("SELECT count(*) FROM outbox") == 0) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}
