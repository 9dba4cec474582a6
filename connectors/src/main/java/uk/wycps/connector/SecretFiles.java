package uk.wycps.connector;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import uk.wycps.connector.http.PrivateKeyFiles;

/**
 * A register's secrets kept in files beside its configuration instead of in it: the options
 * {@code passwordFile} and {@code writerPasswordFile} hold what {@code password} and
 * {@code writerPassword} would (a configuration file is copied, diffed and shown far more often
 * than a secret should be). Each such file is its owner's alone, as a private key is: whoever
 * else could read it could search the register as the gateway.
 *
 * <p>The register adapter's configuration loader {@link #resolve resolves} these options once at
 * start-up, where a bad one stops the start (the gateway reaches registers over HTTP only, a SQL
 * register through its adapter); the connector {@link #read reads} the file when it opens a
 * connection, off the event loop, so a changed password is taken up without a restart.
 */
public final class SecretFiles {

    /** Each option naming a secret's file, with the option that would hold the secret itself. */
    public static final Map<String, String> FILE_OPTIONS = Map.of("passwordFile", "password",
            "writerPasswordFile", "writerPassword");

    private SecretFiles() {
    }

    /**
     * A copy of {@code options} with each secret's file made absolute against {@code base} (the
     * configuration's directory); {@link IllegalArgumentException} naming the option when the
     * file cannot be read, group or others may read or write it, or the secret is also given
     * inline (which of the two counts would otherwise be a guess).
     */
    public static JsonObject resolve(JsonObject options, Path base) {
        JsonObject resolved = options.copy();
        for (Map.Entry<String, String> option : FILE_OPTIONS.entrySet()) {
            String name = option.getKey();
            if (!options.containsKey(name)) {
                continue;
            }
            if (!(options.getValue(name) instanceof String value) || value.isBlank()) {
                throw new IllegalArgumentException("options." + name + " must be a file name");
            }
            if (options.containsKey(option.getValue())) {
                throw new IllegalArgumentException("options." + name + ": give " + option.getValue() + " or " + name
                        + ", not both");
            }
            Path file = base.resolve(value).toAbsolutePath();
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("options." + name + ": cannot read " + file);
            }
            String open = PrivateKeyFiles.problem(file);
            if (open != null) {
                throw new IllegalArgumentException("options." + name + ": " + open);
            }
            resolved.put(name, file.toString());
        }
        return resolved;
    }

    /** The secret in {@code file}, without the line end an editor adds. Blocking: call it on a worker. */
    public static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }
}
