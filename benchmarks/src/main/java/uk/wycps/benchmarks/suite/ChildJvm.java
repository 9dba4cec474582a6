package uk.wycps.benchmarks.suite;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the suite starts from its own jar (optionally pinned with {@code taskset -c CPUS}):
 * waits for its {@code READY} line, sends it stats commands, stops it. Its stderr and any other
 * stdout go to a log file.
 */
final class ChildJvm implements AutoCloseable {

    final String name;
    final String cpus;
    final List<String> command;
    private final Process process;
    private final PrintWriter in;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final String ready;

    private ChildJvm(String name, String cpus, List<String> command, Path log) throws IOException, InterruptedException {
        this.name = name;
        this.cpus = cpus;
        this.command = command;
        Files.createDirectories(log.getParent());
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("READY ") || line.startsWith("STATS ")) {
                        lines.add(line);
                    } else {
                        Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    }
                }
            } catch (IOException e) {
                // process ended
            }
        }, name + "-stdout");
        reader.setDaemon(true);
        reader.start();
        String line = lines.poll(180, TimeUnit.SECONDS);
        if (line == null || !line.startsWith("READY ")) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not start; see " + log);
        }
        ready = line.substring("READY ".length());
    }

    /** Starts {@code main} of this jar with {@code jvmArgs} and {@code args}, pinned to {@code cpus} when not null. */
    static ChildJvm start(String name, String cpus, List<String> jvmArgs, Class<?> main, List<String> args, Path log)
            throws IOException, InterruptedException {
        return start(name, cpus, jvmArgs, System.getProperty("java.class.path"), main, args, log);
    }

    /** As above, with another class path (an A/B probe's other build). */
    static ChildJvm start(String name, String cpus, List<String> jvmArgs, String classPath, Class<?> main, List<String> args,
            Path log) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (cpus != null) {
            cmd.addAll(List.of("taskset", "-c", cpus));
        }
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", classPath, main.getName()));
        cmd.addAll(args);
        return new ChildJvm(name, cpus, cmd, log);
    }

    /** Sends a command; answers its stats line. */
    synchronized JsonObject command(String command) throws InterruptedException {
        in.println(command);
        String line = lines.poll(30, TimeUnit.SECONDS);
        if (line == null || !line.startsWith("STATS ")) {
            throw new IllegalStateException(name + " did not answer '" + command + "'");
        }
        return new JsonObject(line.substring("STATS ".length()));
    }

    JsonObject stats() throws InterruptedException {
        return command("stats");
    }

    @Override
    public void close() throws InterruptedException {
        in.println("quit");
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
