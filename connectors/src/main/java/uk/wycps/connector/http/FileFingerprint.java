package uk.wycps.connector.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileProps;
import java.util.ArrayList;
import java.util.List;

/**
 * What a watcher of certificate and key files compares between two looks: each file's
 * modification time and size, read without blocking. A renewed pair written in place changes it;
 * an unchanged pair does not, so nothing is reloaded for nothing.
 */
public final class FileFingerprint {

    private FileFingerprint() {
    }

    /** The fingerprint of {@code paths}, in their order; fails if one cannot be read. */
    public static Future<String> of(Vertx vertx, List<String> paths) {
        List<Future<FileProps>> props = new ArrayList<>();
        for (String path : paths) {
            props.add(vertx.fileSystem().props(path));
        }
        return Future.all(props).map(all -> {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < all.size(); i++) {
                FileProps p = all.resultAt(i);
                b.append(p.lastModifiedTime()).append('/').append(p.size()).append(';');
            }
            return b.toString();
        });
    }
}
