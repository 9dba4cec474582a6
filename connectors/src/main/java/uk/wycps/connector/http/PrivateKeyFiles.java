package uk.wycps.connector.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Whether a private key file is its owner's alone (issue 14: "key files never readable by
 * others"). One check for every key the project reads: the gateway's TLS and audit keys, its
 * client key toward each register, the register adapter's TLS and answer-signing keys. A key
 * that others on the machine may read lets them act as its holder; one they may write lets them
 * replace it.
 */
public final class PrivateKeyFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PrivateKeyFiles() {
    }

    /** True when group or others may read or write {@code file} (false off POSIX, where there is nothing to read). */
    public static boolean openToOthers(Path file) throws IOException {
        if (!POSIX) {
            return false;
        }
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
        return p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)
                || p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE);
    }

    /**
     * Null when {@code file} is its owner's alone; otherwise what to say after the setting's name,
     * the same words wherever a key is configured.
     */
    public static String problem(Path file) {
        try {
            return openToOthers(file) ? file + " may be read or written by group or others: make it readable by "
                    + "its owner only (chmod 600)" : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
