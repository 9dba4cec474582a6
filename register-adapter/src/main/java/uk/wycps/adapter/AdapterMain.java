package uk.wycps.adapter;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar register-adapter.jar --config FILE}: one authority's register adapter. */
@Command(name = "register-adapter.jar", mixinStandardHelpOptions = true,
        description = "Serves one authority's register to the gateway over mutual TLS, signing every answer.")
public final class AdapterMain implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "The adapter's JSON configuration file.")
    Path config;

    public static void main(String[] args) {
        // Its own name, so that the gateway (whose demo embeds an adapter) keeps its logback.xml.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "register-adapter-logback.xml");
        }
        int code = new CommandLine(new AdapterMain()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws Exception {
        AdapterConfig settings;
        try {
            settings = AdapterConfig.load(config);
        } catch (IllegalArgumentException e) {
            System.err.println("Configuration error: " + e.getMessage());
            return 2;
        }
        Vertx vertx = Vertx.vertx();
        AtomicInteger port = new AtomicInteger();
        try {
            vertx.deployVerticle(new AdapterVerticle(settings, port)).await();
        } catch (Exception e) {
            System.err.println("Could not start: " + e.getMessage());
            vertx.close();
            return 1;
        }
        System.out.println("Register adapter for " + settings.authority() + " listening on port " + port.get()
                + (settings.tls() == null ? " (plain HTTP: tests only)" : " (mutual TLS)"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await()));
        return 0;
    }
}
