package uk.wycps.gateway.durable;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Files of the audit directory (log, outbox journal, keys, locks): the directory is made
 * {@code 0700} and every file {@code 0600} as it is created, never widened and narrowed after
 * (a {@code chmod} after creation leaves a moment when another user could open it). Where the
 * file system is not POSIX, the files are made as the platform makes them.
 */
public final class PrivateFiles {

    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PrivateFiles() {
    }

    /** Creates {@code directory} and any missing parent with {@code 0700}; an existing one is left as it is. */
    public static Path createDirectories(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return directory;
        }
        return POSIX ? Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY))
                : Files.createDirectories(directory);
    }

    /** Opens {@code file}, creating it {@code 0600} when it does not exist. */
    public static FileChannel open(Path file, OpenOption... options) throws IOException {
        Set<OpenOption> set = new LinkedHashSet<>(Set.of(options));
        return POSIX ? FileChannel.open(file, set, PosixFilePermissions.asFileAttribute(FILE))
                : FileChannel.open(file, set, new FileAttribute<?>[0]);
    }

    /** A writer on a new file made {@code 0600} (an existing one is replaced). */
    public static Writer newWriter(Path file) throws IOException {
        Files.deleteIfExists(file);
        return Channels.newWriter(open(file, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE), StandardCharsets.UTF_8);
    }

    /** Writes {@code text} to a new file made {@code 0600} (an existing one is replaced). */
    public static void writeString(Path file, CharSequence text) throws IOException {
        try (Writer out = newWriter(file)) {
            out.append(text);
        }
    }

}
