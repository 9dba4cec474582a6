package uk.wycps.connector.statistics;

import com.fasterxml.jackson.databind.ObjectReader;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.time.LocalDate;
import uk.wycps.connector.Deadline;
import uk.wycps.connector.RegisterFailure;
import uk.wycps.connector.http.AnswerBodies;
import uk.wycps.connector.http.BoundedHttpCall;
import uk.wycps.record.RecordJson;

/**
 * Asks a register over HTTP for its own statistics: {@code GET {base}/statistics?asOf=}, the
 * same for every HTTP dialect, answering {@link RegisterStatistics} as JSON.
 */
public final class StatisticsClient {

    private static final ObjectReader READER = RecordJson.mapper().readerFor(RegisterStatistics.class);

    private StatisticsClient() {
    }

    /** Checks a signed answer before it is read; throws a RegisterFailure when it cannot be trusted. */
    @FunctionalInterface
    public interface AnswerCheck {
        void check(RequestOptions options, BoundedHttpCall.Signed answer);
    }

    public static Future<RegisterStatistics> fetch(BoundedHttpCall call, String basePath, LocalDate asOf,
            Deadline deadline) {
        return fetch(call, basePath, asOf, deadline, null);
    }

    /** As above; with {@code check} (a register that signs its answers), the answer must pass it first. */
    public static Future<RegisterStatistics> fetch(BoundedHttpCall call, String basePath, LocalDate asOf,
            Deadline deadline, AnswerCheck check) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
                .setURI(basePath + "/statistics?asOf=" + asOf);
        Future<io.vertx.core.buffer.Buffer> answer = check == null
                ? call.read(options, null, deadline, "application/json")
                : call.signedRead(options, null, deadline, "application/json").map(signed -> {
                    check.check(options, signed);
                    return signed.body();
                });
        return answer.compose(body -> {
            RegisterStatistics stats;
            try {
                stats = AnswerBodies.read(READER, body);
            } catch (IOException | RuntimeException e) {
                return Future.failedFuture(RegisterFailure.error("statistics answer is not valid"));
            }
            if (stats == null || stats.tables() == null || !asOf.equals(stats.asOf())) {
                return Future.failedFuture(RegisterFailure.error("statistics answer is not for the date asked"));
            }
            return Future.succeededFuture(stats);
        });
    }
}
