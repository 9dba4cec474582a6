package uk.wycps.gateway;

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
import uk.wycps.gateway.auth.DemoKeys;
import uk.wycps.gateway.config.ConfigException;
import uk.wycps.gateway.config.ConfigLoader;
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
            for (MockRegister r : mocks.registers()) {
                registers.add(r.connectorSettings());
            }
            GatewayConfig config = new GatewayConfig(new GatewayConfig.Http("0.0.0.0", port,
                    GatewayConfig.Http.DEFAULT_MAX_BODY_BYTES, GatewayConfig.Http.DEFAULT_IDLE_TIMEOUT_SECONDS),
                    DemoKeys.demoAuth(), registers, GatewayConfig.Audit.in(audit), null);
            Gateway gateway = await(Gateway.start(vertx, config, telemetry), 60);
            closeOnShutdown(gateway);
            printWelcome(gateway.port(), mocks);
            Thread.currentThread().join();
            return 0;
        }

        private static void printWelcome(int port, MockFederation mocks) {
            SyntheticPopulation.CrossBoundaryExample child = mocks.population().crossBoundaryExample();
            StringBuilder registers = new StringBuilder();
            for (MockRegister r : mocks.registers()) {
                registers.append("  ").append(r.authority()).append(" at ").append(r.baseUrl()).append('\n');
            }
            System.out.println("""
                    WYCPS gateway (demo) listening on http://localhost:%d
                    Mock registers (synthetic data only):
                    %s
                    First enquiry: a child held in two authorities (%s and %s).

                      TOKEN=$(java -jar gateway/target/gateway.jar token --role child-worker \\
                                --agency social-services --authority leeds --authorise 'cross-authority:*')
                      curl -s http://localhost:%d/api/v1/enquiries \\
                        -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
                        -d '{"subject": {"givenName": "%s", "familyName": "%s", "dateOfBirth": "%s"},
                             "purpose": {"code": "register-check", "justification": "Demo enquiry"},
                             "consent": {"status": "not-sought", "ground": "authorised-register-check"}}'

                    Stop with Ctrl-C.""".formatted(port, registers.toString().stripTrailing(),
                    child.records().get(0).authority(), child.records().get(1).authority(), port,
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
                LOG.info("WYCPS gateway listening on port {}", gateway.port());
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

    /** Loads a production configuration; refuses the demo key (it exists only for {@code demo}). */
    static GatewayConfig loadForServe(Path file) {
        GatewayConfig config = new ConfigLoader(ConnectorRegistry.load()).load(file);
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

        @Override
        public Integer call() throws Exception {
            Path file = audit.resolve(FileAuditSink.FILE_NAME);
            if (!Files.exists(file)) {
                System.out.println("intact: no audit log in " + audit);
                return 0;
            }
            Path key = publicKey != null ? publicKey : audit.resolve(AuditKeys.PUBLIC_FILE);
            List<AuditCheckpoint> witnesses = new ArrayList<>();
            if (witness != null) {
                JsonArray array = new JsonArray(Files.readString(witness));
                for (int i = 0; i < array.size(); i++) {
                    JsonObject c = array.getJsonObject(i);
                    witnesses.add(new AuditCheckpoint(c.getLong("index"), c.getString("head"), c.getString("at"),
                            c.getString("keyId"), c.getString("signature")));
                }
            }
            AuditVerifier.Result result = new AuditVerifier(AuditKeys.verifier(Files.readString(key)), witnesses)
                    .verify(file);
            System.out.println(result);
            return result.intact() ? 0 : 1;
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

        @Override
        public Integer call() throws Exception {
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
    }
}
