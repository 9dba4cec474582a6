package uk.wycps.benchmarks.load;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one fixed-rate run saw. Latencies (microseconds) are from each request's intended send
 * time to the end of its answer; only successful (2xx) answers are in the histogram, every
 * other outcome is counted in {@code errors}.
 */
public record LoadResult(double offeredRate, long sent, long ok, long errors, double seconds, Histogram histogram,
        Map<String, Long> classes) {

    public LoadResult {
        classes = new TreeMap<>(classes);
    }

    /** Successful answers per second over the run (first intended send to last answer). */
    public double throughput() {
        return seconds <= 0 ? 0 : ok / seconds;
    }

    /** Answers whose class starts with {@code incomplete} (2xx, but not every register answered). */
    public long incomplete() {
        return classes.entrySet().stream().filter(e -> e.getKey().startsWith("incomplete"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** Complete answers per second: what the system delivered in full. */
    public double goodput() {
        return seconds <= 0 ? 0 : (ok - incomplete()) / seconds;
    }

    /** A percentile in milliseconds. */
    public double ms(double percentile) {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    public double maxMs() {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getMaxValue() / 1000.0;
    }

    public double errorRate() {
        return sent == 0 ? 0 : (double) errors / sent;
    }

    /** One line: rate, percentiles, max, throughput, errors. */
    public String summary() {
        return String.format("offered %.0f/s: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms, "
                        + "throughput %.1f/s (complete %.1f/s), ok %d, errors %d%s",
                offeredRate, ms(50), ms(90), ms(99), ms(99.9), maxMs(), throughput(), goodput(), ok, errors,
                classes.isEmpty() ? "" : ", " + classes);
    }
}
