package uk.wycps.benchmarks.suite;

import io.vertx.core.json.JsonObject;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This JVM's process CPU time, heap and GC, as JSON: what the suite asks each child JVM for.
 * The heap high-water mark is sampled every 20 ms from {@code MemoryMXBean} (heap used) and
 * also taken as the sum of the heap pools' peaks (an upper bound: pools peak at different times).
 * The heap used just before a collection is mostly garbage (the young generation fills whatever
 * the old leaves), so the highest heap left *after* a collection is kept too: closer to what the
 * JVM holds, though after a young collection the old generation's garbage is still counted.
 */
public final class JvmStats {

    private static final AtomicLong SAMPLED_MAX = new AtomicLong();
    private static final AtomicLong AFTER_GC_MAX = new AtomicLong();

    private JvmStats() {
    }

    /** Starts the sampling thread (daemon). */
    public static void startSampling() {
        watchCollections();
        Thread t = new Thread(() -> {
            while (true) {
                long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                SAMPLED_MAX.accumulateAndGet(used, Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        t.setDaemon(true);
        t.start();
    }

    /** After every collection, the heap it left (all heap pools, added up), kept as a maximum. */
    private static void watchCollections() {
        java.util.Set<String> heapPools = new java.util.HashSet<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((javax.management.NotificationEmitter) gc).addNotificationListener((n, handback) -> {
                if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                    return;
                }
                var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                        (javax.management.openmbean.CompositeData) n.getUserData());
                long after = 0;
                for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (heapPools.contains(e.getKey())) {
                        after += e.getValue().getUsed();
                    }
                }
                AFTER_GC_MAX.accumulateAndGet(after, Math::max);
            }, null, null);
        }
    }

    /** Process CPU time in nanoseconds (all threads, user + system). */
    public static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    public static JsonObject snapshot() {
        long poolPeaks = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                poolPeaks += pool.getPeakUsage().getUsed();
            }
        }
        long gcCount = 0;
        long gcMs = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMs += Math.max(0, gc.getCollectionTime());
        }
        return new JsonObject()
                .put("cpuNanos", cpuNanos())
                .put("wallNanos", System.nanoTime())
                .put("heapUsed", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed())
                .put("heapSampledMax", SAMPLED_MAX.get())
                .put("heapAfterGcMax", AFTER_GC_MAX.get())
                .put("heapPoolPeaks", poolPeaks)
                .put("heapMax", Runtime.getRuntime().maxMemory())
                .put("gcCount", gcCount)
                .put("gcMs", gcMs)
                .put("processors", Runtime.getRuntime().availableProcessors())
                .put("gc", ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                        .reduce((a, b) -> a + "+" + b).orElse("?"));
    }

    /**
     * Serves the suite's commands on stdin until {@code quit}: {@code stats} answers
     * {@code STATS <json>} on stdout; {@code extra} lets a JVM add its own figures.
     */
    public static void serveCommands(java.util.function.Function<String, JsonObject> extra, Runnable quit) {
        try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in))) {
            String line;
            while ((line = in.readLine()) != null) {
                line = line.trim();
                if (line.equals("quit")) {
                    break;
                }
                JsonObject answer = snapshot();
                if (extra != null) {
                    JsonObject more = extra.apply(line);
                    if (more != null) {
                        answer.mergeIn(more);
                    }
                }
                System.out.println("STATS " + answer.encode());
                System.out.flush();
            }
        } catch (java.io.IOException e) {
            // the suite went away
        }
        quit.run();
    }
}
