package uk.wycps.mock;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to start the mock registers. {@code ports} names the registers to start (a subset of the
 * five authorities) and the port of each; port 0 binds an ephemeral port (tests).
 *
 * @param seed                the synthetic data's seed: the same seed gives the same records
 * @param childrenPerRegister records per register, {@value SyntheticPopulation#MIN_CHILDREN} to
 *                            {@value SyntheticPopulation#MAX_CHILDREN}
 * @param host                the address to bind
 * @param ports               authority to port, in the authorities' order
 * @param initialFaults       the faults every register starts with
 * @param dialects            authority to dialect ({@link MockDialects}); null, or an absent
 *                            authority, means {@code canonical-json} (the walking skeleton's
 *                            registers, which existing clients expect);
 *                            {@link #withAuthorityDialects()} gives each authority its own
 */
public record MockOptions(long seed, int childrenPerRegister, String host, Map<String, Integer> ports,
                          FaultSettings initialFaults, Map<String, String> dialects) {

    public static final long DEFAULT_SEED = 20_030_128L;
    public static final int DEFAULT_CHILDREN = 500;
    /** For benchmarks. */
    public static final int BENCHMARK_CHILDREN = 1_000_000;
    public static final String DEFAULT_HOST = "127.0.0.1";

    public MockOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(initialFaults, "initialFaults");
        if (childrenPerRegister < SyntheticPopulation.MIN_CHILDREN || childrenPerRegister > SyntheticPopulation.MAX_CHILDREN) {
            throw new IllegalArgumentException("childrenPerRegister must be between " + SyntheticPopulation.MIN_CHILDREN
                    + " and " + SyntheticPopulation.MAX_CHILDREN);
        }
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("no register to start");
        }
        Map<String, Integer> ordered = new LinkedHashMap<>();
        for (String authority : SyntheticPopulation.AUTHORITIES) {
            Integer port = ports.get(authority);
            if (port != null) {
                if (port < 0 || port > 65_535) {
                    throw new IllegalArgumentException("port of " + authority + " must be between 0 and 65535");
                }
                ordered.put(authority, port);
            }
        }
        for (String authority : ports.keySet()) {
            if (!ordered.containsKey(authority)) {
                throw new IllegalArgumentException("unknown authority '" + authority + "'; known: "
                        + String.join(", ", SyntheticPopulation.AUTHORITIES));
            }
        }
        ports = Collections.unmodifiableMap(ordered);
        Map<String, String> d = new LinkedHashMap<>(MockDialects.allCanonical());
        if (dialects != null) {
            for (Map.Entry<String, String> e : dialects.entrySet()) {
                if (!d.containsKey(e.getKey())) {
                    throw new IllegalArgumentException("unknown authority '" + e.getKey() + "'");
                }
                if (!MockDialects.SUPPORTED.contains(e.getValue())) {
                    throw new IllegalArgumentException("unknown dialect '" + e.getValue() + "'; known: "
                            + String.join(", ", MockDialects.SUPPORTED));
                }
                d.put(e.getKey(), e.getValue());
            }
        }
        dialects = Collections.unmodifiableMap(d);
    }

    /** Options without explicit dialects: every register speaks {@code canonical-json}. */
    public MockOptions(long seed, int childrenPerRegister, String host, Map<String, Integer> ports,
                       FaultSettings initialFaults) {
        this(seed, childrenPerRegister, host, ports, initialFaults, null);
    }

    /** All five registers on their default ports, the default seed and size, no faults. */
    public static MockOptions defaults() {
        return new MockOptions(DEFAULT_SEED, DEFAULT_CHILDREN, DEFAULT_HOST, MockRegisters.DEFAULT_PORTS, FaultSettings.NONE);
    }

    public MockOptions withSeed(long seed) {
        return new MockOptions(seed, childrenPerRegister, host, ports, initialFaults, dialects);
    }

    public MockOptions withChildrenPerRegister(int children) {
        return new MockOptions(seed, children, host, ports, initialFaults, dialects);
    }

    public MockOptions withHost(String host) {
        return new MockOptions(seed, childrenPerRegister, host, ports, initialFaults, dialects);
    }

    public MockOptions withPorts(Map<String, Integer> ports) {
        return new MockOptions(seed, childrenPerRegister, host, ports, initialFaults, dialects);
    }

    /** The same registers, each on an ephemeral port. */
    public MockOptions withEphemeralPorts() {
        Map<String, Integer> ephemeral = new LinkedHashMap<>();
        ports.keySet().forEach(a -> ephemeral.put(a, 0));
        return withPorts(ephemeral);
    }

    /** Only one register, on the given port. */
    public MockOptions withOnly(String authority, int port) {
        return withPorts(Map.of(authority, port));
    }

    public MockOptions withFaults(FaultSettings faults) {
        return new MockOptions(seed, childrenPerRegister, host, ports, faults, dialects);
    }

    /** The same options with these dialects (authority to dialect). */
    public MockOptions withDialects(Map<String, String> dialects) {
        return new MockOptions(seed, childrenPerRegister, host, ports, initialFaults, dialects);
    }

    /**
     * Each authority in its own dialect (issue 4): bradford canonical-json, calderdale
     * mapped-json, kirklees fhir-r4, leeds sql-jdbc, wakefield legacy-two-step.
     */
    public MockOptions withAuthorityDialects() {
        return withDialects(MockDialects.DEFAULTS);
    }

    /** Every register on {@code canonical-json}, as the walking skeleton had them (the default). */
    public MockOptions withCanonicalDialect() {
        return withDialects(MockDialects.allCanonical());
    }

    /** The dialect of an authority's register. */
    public String dialect(String authority) {
        return dialects.get(authority);
    }
}
