package uk.wycps.gateway;

import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import uk.wycps.connector.proof.AnswerSignature;
import uk.wycps.gateway.adapter.LocalAdapter;
import uk.wycps.gateway.audit.SignedAnswers;
import uk.wycps.gateway.tracing.Telemetry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import uk.wycps.connector.ConnectorRegistry;
import uk.wycps.connector.RegisterSettings;
import uk.wycps.connector.AuditCheckpoint;
import uk.wycps.gateway.audit.AuditKeys;
import uk.wycps.gateway.audit.AuditPurge;
import uk.wycps.gateway.audit.AuditVerifier;
import uk.wycps.gateway.audit.FileAuditSink;
import uk.wycps.gateway.audit.PostgresAuditLog;
import uk.wycps.gateway.durable.Postgres;
import uk.wycps.gateway.auth.DemoKeys;
import uk.wycps.gateway.config.ConfigException;
import uk.wycps.gateway.config.ConfigLoader;
import uk.wycps.gateway.config.DemoContacts;
import uk.wycps.gateway.config.GatewayConfig;
import uk.wycps.mock.MockFederation;
import uk.wycps.mock.MockOptions;
import uk.wycps.mock.MockRegister;
import uk.wycps.mock.MockRegisters;
import uk.wycps.mock.SyntheticPopulation;
import uk.wycps.policy.PolicyException;

/** The gateway's command line: {@code demo}, {@code serve}, {@code token}, {@code verify-audit} (API.md). */
@Command(name = "gateway.jar", mixinStandardHelpOptions = true,
        description = "WYCPS federated register gateway.",
        subcommands = {GatewayMain.Demo.class, GatewayMain.Serve.class, GatewayMain.Token.class,
                GatewayMain.VerifyAudit.class, GatewayMain.PurgeAudit.class})
public final class GatewayMain implements Runnable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GatewayMain.class);

    public static void main(String[] args) {
        // java.util.logging (libraries) through SLF4J, so that every line is JSON (logback.xml).
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        int code = new CommandLine(new GatewayMain()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /**
     * On SIGTERM or Ctrl-C, stops serving and closes the audit, which writes a last signed
     * checkpoint and sends it to the registers' outbox.
     */
    static void closeOnShutdown(Gateway gateway) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                await(gateway.close(), 10);
            } catch (Exception e) {
                System.err.println("shutdown: " + e.getClass().getSimpleName());
            }
        }, "gateway-shutdown"));
    }

    /** Waits for a start-up future from the main thread (never on an event loop). */
    static <T> T await(Future<T> future, long seconds) throws Exception {
        CompletableFuture<T> done = future.toCompletionStage().toCompletableFuture();
        try {
            return done.get(seconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    @Command(name = "demo", description = "Gateway with the five mock registers embedded and the demo key trusted.")
    static final class Demo implements Callable<Integer> {
        @Option(names = "--port", description = "Gateway port (default ${DEFAULT-VALUE}).", defaultValue = "8080")
        int port;

        @Option(names = "--management-port", description = "Port of /metrics and /health/ready, on 127.0.0.1 only "
                + "(default ${DEFAULT-VALUE}).", defaultValue = "9090")
        int managementPort;

        @Option(names = "--audit", description = "Audit directory (default ${DEFAULT-VALUE}).", defaultValue = "audit")
        Path audit;

        @Option(names = "--children", description = "Children per mock register (default ${DEFAULT-VALUE}).",
                defaultValue = "500")
        int children;

        @Override
        public Integer call() throws Exception {
            Telemetry telemetry = Telemetry.fromEnvironment();
            Vertx vertx = telemetry.vertx(new io.vertx.core.VertxOptions());
            MockFederation mocks = await(MockRegisters.start(vertx, MockOptions.defaults().withAuthorityDialects().withChildrenPerRegister(children)), 120);
            List<RegisterSettings> registers = new ArrayList<>();
            Map<String, String> behindAdapter = new LinkedHashMap<>();
            for (MockRegister r : mocks.registers()) {
                if ("sql-jdbc".equals(r.dialect())) {
                    // The real topology for the SQL register: its own adapter, mutual TLS, signed answers.
                    registers.add(startAdapter(vertx, r, behindAdapter));
                } else {
                    registers.add(r.connectorSettings());
                }
            }
            GatewayConfig config = new GatewayConfig(new GatewayConfig.Http("0.0.0.0", port,
                    GatewayConfig.Http.DEFAULT_MAX_BODY_BYTES, GatewayConfig.Http.DEFAULT_IDLE_TIMEOUT_SECONDS),
                    DemoKeys.demoAuth(), registers, GatewayConfig.Audit.in(audit), null)
                    .withManagement(new GatewayConfig.Management("127.0.0.1", managementPort))
                    .withContacts(DemoContacts.all())
                    .withConsole(GatewayConfig.Console.demo());
            Gateway gateway = await(Gateway.start(vertx, config, telemetry), 60);
            closeOnShutdown(gateway);
            printWelcome(gateway.port(), gateway.managementPort(), mocks, behindAdapter);
            Thread.currentThread().join();
            return 0;
        }

        /**
         * Puts the SQL register behind a register adapter on this machine, with certificates
         * made now in a temporary folder (removed at exit), and returns how the gateway reaches it.
         */
        private static RegisterSettings startAdapter(Vertx vertx, MockRegister register, Map<String, String> shown)
                throws Exception {
            Path dir = Files.createTempDirectory("wycps-demo-adapter");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
            LocalAdapter.Pki pki = LocalAdapter.issue(dir);
            RegisterSettings sql = register.connectorSettings();
            RegisterSettings behind = new RegisterSettings(sql.authority(), sql.dialect(), sql.baseUrl(),
                    java.time.Duration.ofMillis(1500), sql.maxConnections(), sql.maxWaitQueue(), sql.maxResponseBytes(),
                    sql.options());
            int adapterPort = await(LocalAdapter.start(vertx, LocalAdapter.adapterConfig(pki, behind,
                    uk.wycps.record.CanonicalFields.all())), 60);
            shown.put(register.authority(), "https://localhost:" + adapterPort
                    + " (its register adapter: mutual TLS, signed answers; the SQL register behind it)");
            return LocalAdapter.gatewaySettings(register.authority(), adapterPort, pki);
        }

        private static void deleteQuietly(Path dir) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (java.io.IOException e) {
                // a temporary folder: the system cleans it in the end
            }
        }

        private static void printWelcome(int port, int managementPort, MockFederation mocks,
                Map<String, String> behindAdapter) {
            SyntheticPopulation.CrossBoundaryExample child = mocks.population().crossBoundaryExample();
            StringBuilder registers = new StringBuilder();
            for (MockRegister r : mocks.registers()) {
                registers.append("  ").append(r.authority()).append(" at ")
                        .append(behindAdapter.getOrDefault(r.authority(), r.baseUrl().toString())).append('\n');
            }
            System.out.println("""
                    WYCPS gateway (demo) listening on http://localhost:%d
                    Metrics and readiness (this machine only): http://127.0.0.1:%d/metrics, /health/ready
                    Mock registers (synthetic data only):
                    %s

                    The practitioner console: open http://localhost:%d/ in a browser and sign in
                    as a demo persona (a social worker, a health visitor, a police officer, ...).
                    First enquiry: a child held in two authorities (%s and %s):
                      %s %s, born %s.

                    Or from the command line, with a demo token:

                      TOKEN=$(java -jar gateway/target/gateway.jar token --role child-worker \\
                                --agency social-services --authority leeds --authorise 'cross-authority:*')
                      curl -s http://localhost:%d/api/v1/enquiries \\
                        -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
                        -d '{"subject": {"givenName": "%s", "familyName": "%s", "dateOfBirth": "%s"},
                             "purpose": {"code": "register-check", "justification": "Demo enquiry"},
                             "consent": {"status": "not-sought", "ground": "authorised-register-check"}}'

                    Stop with Ctrl-C.""".formatted(port, managementPort, registers.toString().stripTrailing(), port,
                    child.records().get(0).authority(), child.records().get(1).authority(),
                    child.givenName(), child.familyName(), child.dateOfBirth(), port,
                    child.givenName(), child.familyName(), child.dateOfBirth()));
        }
    }

    @Command(name = "serve", description = "Production mode: configuration from a file, no demo key.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--config", required = true, description = "The gateway's JSON configuration file.")
        Path config;

        @Override
        public Integer call() throws Exception {
            GatewayConfig parsed;
            try {
                parsed = loadForServe(config);
            } catch (ConfigException e) {
                System.err.println("Configuration error: " + e.getMessage());
                return 2;
            }
            Telemetry telemetry = Telemetry.fromEnvironment();
            Vertx vertx = telemetry.vertx(new io.vertx.core.VertxOptions());
            try {
                Gateway gateway = await(Gateway.start(vertx, parsed, telemetry), 60);
                closeOnShutdown(gateway);
                System.out.println("WYCPS gateway listening on port " + gateway.port()
                        + (parsed.http().tls() != null ? " (TLS)" : "") + "; metrics and readiness on "
                        + parsed.management().host() + ":" + gateway.managementPort());
            } catch (Exception e) {
                boolean configuration = e instanceof ConfigException || e instanceof PolicyException;
                System.err.println((configuration ? "Configuration error: " : "Start-up failed: ")
                        + (configuration ? "" : e.getClass().getSimpleName() + ": ") + e.getMessage());
                vertx.close();
                return 2;
            }
            Thread.currentThread().join();
            return 0;
        }
    }

    /**
     * Loads a production configuration; refuses the demo key, compared as key material however
     * its PEM is written, and the demo issuer (both exist only for {@code demo}). A key set
     * fetched from the identity provider is screened for the demo key as it is read (IssuerKeys).
     */
    static GatewayConfig loadForServe(Path file) {
        GatewayConfig config = new ConfigLoader(ConnectorRegistry.load()).load(file);
        if (DemoKeys.ISSUER.equals(config.auth().issuer())) {
            throw new ConfigException(file + " at $.auth.issuer: the demo issuer is trusted only by the demo command");
        }
        for (GatewayConfig.VerificationKey key : config.auth().keys()) {
            if (DemoKeys.isDemoKey(key.pem())) {
                throw new ConfigException(file + " at $.auth.keys: the demo key is trusted only by the demo command");
            }
        }
        return config;
    }

    @Command(name = "token", description = "Prints a token signed with the demo key (demo only).")
    static final class Token implements Callable<Integer> {
        @Option(names = "--role", required = true)
        String role;

        @Option(names = "--agency", required = true)
        String agency;

        @Option(names = "--authority")
        String authority;

        @Option(names = "--authorise", description = "A grant: cross-authority:<authority>, cross-authority:*, schedule-one.")
        List<String> authorise = new ArrayList<>();

        @Option(names = "--ttl", defaultValue = "3600", description = "Lifetime in seconds (default ${DEFAULT-VALUE}).")
        int ttl;

        @Option(names = "--subject", defaultValue = "demo-user")
        String subject;

        @Override
        public Integer call() throws Exception {
            Vertx vertx = Vertx.vertx();
            try {
                System.out.println(DemoKeys.mint(vertx, subject, role, agency, authority, authorise, ttl));
            } finally {
                vertx.close();
            }
            return 0;
        }
    }

    @Command(name = "verify-audit", description = "Checks the audit log: chain, signatures, purge markers, witnesses.")
    static final class VerifyAudit implements Callable<Integer> {
        @Option(names = "--audit", defaultValue = "audit", description = "Audit directory (default ${DEFAULT-VALUE}).")
        Path audit;

        @Option(names = "--public-key", description = "The gateway's audit public key (default: the one beside the log).")
        Path publicKey;

        @Option(names = "--witness", description = "Checkpoints a register kept: a JSON array, as GET /audit-checkpoints "
                + "of a register answers.")
        Path witness;

        @Option(names = "--answer-key", description = "AUTHORITY=FILE: a register adapter's public key (PEM), to "
                + "verify the answers it signed (repeatable).")
        Map<String, Path> answerKeys = new LinkedHashMap<>();

        @CommandLine.Mixin
        PostgresOptions postgres = new PostgresOptions();

        @Override
        public Integer call() throws Exception {
            if (postgres.uri != null) {
                if (publicKey == null) {
                    System.err.println("--postgres needs --public-key: the gateways' audit verification key");
                    return 2;
                }
                Postgres database;
                try {
                    database = postgres.database(null);
                } catch (ConfigException e) {
                    System.err.println(e.getMessage());
                    return 2;
                }
                try (java.sql.Connection db = database.jdbc()) {
                    AuditVerifier.Result result = PostgresAuditLog.verify(db,
                            AuditKeys.verifier(Files.readString(publicKey)), witnesses());
                    System.out.println(result);
                    // Each register's tally even when the chain is broken, as for the file log
                    // (--answer-key was once ignored here, and the command passed without checking).
                    boolean answers = answerKeys.isEmpty() || answersVerified(PostgresAuditLog.signedAnswers(db, keys()));
                    return result.intact() && answers ? 0 : 1;
                }
            }
            Path file = audit.resolve(FileAuditSink.FILE_NAME);
            if (!Files.exists(file)) {
                System.out.println("intact: no audit log in " + audit);
                return 0;
            }
            Path key = publicKey != null ? publicKey : audit.resolve(AuditKeys.PUBLIC_FILE);
            AuditVerifier.Result result = new AuditVerifier(AuditKeys.verifier(Files.readString(key)), witnesses())
                    .verify(file);
            System.out.println(result);
            // Each register's tally even when the chain is broken: it says which answers no longer hold.
            boolean answers = answerKeys.isEmpty() || answersVerified(SignedAnswers.verify(file, keys()));
            return result.intact() && answers ? 0 : 1;
        }

        /** The {@code --answer-key} public keys, by authority. */
        private Map<String, PublicKey> keys() throws Exception {
            Map<String, PublicKey> keys = new LinkedHashMap<>();
            for (Map.Entry<String, Path> e : answerKeys.entrySet()) {
                keys.put(e.getKey(), AnswerSignature.publicKey(Files.readString(e.getValue())));
            }
            return keys;
        }

        /** Prints each register's tally of signed answers; true when none failed. */
        private static boolean answersVerified(Map<String, SignedAnswers.Tally> tallies) {
            boolean answersOk = true;
            for (Map.Entry<String, SignedAnswers.Tally> t : tallies.entrySet()) {
                SignedAnswers.Tally tally = t.getValue();
                System.out.println(t.getKey() + ": " + tally.verified() + " signed answers verified"
                        + (tally.failed() > 0 ? ", " + tally.failed() + " NOT VERIFIED" : "")
                        + (tally.unchecked() > 0 ? ", " + tally.unchecked() + " unchecked (no key given)" : ""));
                answersOk &= tally.failed() == 0;
            }
            return answersOk;
        }

        private List<AuditCheckpoint> witnesses() throws java.io.IOException {
            List<AuditCheckpoint> witnesses = new ArrayList<>();
            if (witness != null) {
                JsonArray array = new JsonArray(Files.readString(witness));
                for (int i = 0; i < array.size(); i++) {
                    JsonObject c = array.getJsonObject(i);
                    witnesses.add(new AuditCheckpoint(c.getLong("index"), c.getString("head"), c.getString("at"),
                            c.getString("keyId"), c.getString("signature")));
                }
            }
            return witnesses;
        }
    }

    /**
     * {@code --postgres URI} with {@code --user} and {@code --password-file}; without them, the
     * user and password file of the configuration's {@code audit.postgres}.
     */
    static final class PostgresOptions {
        @Option(names = "--postgres", paramLabel = "URI",
                description = "The audit in PostgreSQL (postgresql://host:port/database) instead of a directory.")
        String uri;

        @Option(names = "--user", description = "PostgreSQL user (with --postgres).")
        String user;

        @Option(names = "--password-file", description = "File holding the PostgreSQL password (with --postgres).")
        Path passwordFile;

        Postgres database(GatewayConfig.Postgres configured) throws java.io.IOException {
            String u = user != null ? user : configured != null ? configured.user() : null;
            Path p = passwordFile != null ? passwordFile : configured != null ? configured.passwordFile() : null;
            if (u == null || p == null) {
                throw new ConfigException("--postgres needs --user and --password-file (or a --config with "
                        + "audit.postgres)");
            }
            return Postgres.of(uri, u, p);
        }
    }

    @Command(name = "purge-audit", description = "Empties audit entries past their authority's retention (H4), "
            + "leaving a signed purge marker. Run with the gateway stopped.")
    static final class PurgeAudit implements Callable<Integer> {
        @Option(names = "--config", description = "The gateway's configuration (audit directory, keys, retention).")
        Path config;

        @Option(names = "--audit", defaultValue = "audit", description = "Audit directory without --config "
                + "(default ${DEFAULT-VALUE}); the demo's key beside it signs.")
        Path audit;

        @Option(names = "--retention-days", description = "Retention for every authority without --config.")
        Integer retentionDays;

        @CommandLine.Mixin
        PostgresOptions postgres = new PostgresOptions();

        @Override
        public Integer call() throws Exception {
            if (postgres.uri == null && config != null) {
                try {
                    GatewayConfig.Postgres configured = loadForServe(config).audit().postgres();
                    postgres.uri = configured == null ? null : configured.uri();
                } catch (ConfigException e) {
                    System.err.println("Configuration error: " + e.getMessage());
                    return 2;
                }
            }
            if (postgres.uri != null) {
                return purgePostgres();
            }
            GatewayConfig.Audit settings;
            if (config != null) {
                try {
                    settings = loadForServe(config).audit();
                } catch (ConfigException e) {
                    System.err.println("Configuration error: " + e.getMessage());
                    return 2;
                }
            } else {
                GatewayConfig.Audit in = GatewayConfig.Audit.in(audit);
                settings = new GatewayConfig.Audit(audit, null, null, in.checkpointEvery(), java.util.Map.of(),
                        retentionDays != null ? retentionDays : in.defaultRetentionDays());
            }
            AuditKeys.Signer signer = settings.signingKeyFile() != null
                    ? AuditKeys.signer(Files.readString(settings.signingKeyFile()),
                            Files.readString(settings.verificationKeyFile()))
                    : AuditKeys.loadOrCreate(settings.directory());
            long purged = new AuditPurge(settings.retentionDays(), settings.defaultRetentionDays())
                    .purge(settings.directory(), signer, java.time.Instant.now());
            System.out.println("purged " + purged + " entries past retention");
            return 0;
        }

        /**
         * The PostgreSQL form: keys and retention come from the gateway's configuration (every
         * node signs with the same key); it may run while the gateways serve.
         */
        private Integer purgePostgres() throws Exception {
            if (config == null) {
                System.err.println("--postgres needs --config: the signing key and each authority's retention");
                return 2;
            }
            GatewayConfig.Audit settings;
            try {
                settings = loadForServe(config).audit();
            } catch (ConfigException e) {
                System.err.println("Configuration error: " + e.getMessage());
                return 2;
            }
            if (settings.signingKeyFile() == null) {
                System.err.println("Configuration error: audit.signingKeyFile is needed to sign the purge marker");
                return 2;
            }
            AuditKeys.Signer signer = AuditKeys.signer(Files.readString(settings.signingKeyFile()),
                    Files.readString(settings.verificationKeyFile()));
            int shortest = settings.retentionDays().values().stream().mapToInt(Integer::intValue)
                    .reduce(settings.defaultRetentionDays(), Math::min);
            Postgres database;
            try {
                database = postgres.database(settings.postgres());
            } catch (ConfigException e) {
                System.err.println(e.getMessage());
                return 2;
            }
            database.migrate();
            try (java.sql.Connection db = database.jdbc()) {
                long purged = PostgresAuditLog.purge(db,
                        new AuditPurge(settings.retentionDays(), settings.defaultRetentionDays()), shortest, signer,
                        java.time.Instant.now());
                System.out.println("purged " + purged + " entries past retention");
            }
            return 0;
        }
    }
}
