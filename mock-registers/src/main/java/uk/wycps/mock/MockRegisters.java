package uk.wycps.mock;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Starts the mock registers (O1): synthetic data, the canonical-json dialect, fault injection. */
public final class MockRegisters {

    /** The ports of API.md: bradford 9101 ... wakefield 9105. */
    public static final Map<String, Integer> DEFAULT_PORTS;

    static {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("bradford", 9101);
        ports.put("calderdale", 9102);
        ports.put("kirklees", 9103);
        ports.put("leeds", 9104);
        ports.put("wakefield", 9105);
        DEFAULT_PORTS = Collections.unmodifiableMap(ports);
    }

    private MockRegisters() {
    }

    /**
     * Generates the population, indexes each register off the event loop and deploys one server
     * per register in {@code options.ports()}. Fails (having stopped whatever had started) when
     * a port cannot be bound.
     */
    public static Future<MockFederation> start(Vertx vertx, MockOptions options) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(options, "options");
        SyntheticPopulation population = SyntheticPopulation.generate(options.seed(), options.childrenPerRegister());
        List<MockRegister> registers = new ArrayList<>();
        List<Future<MockRegister>> started = new ArrayList<>();
        for (Map.Entry<String, Integer> e : options.ports().entrySet()) {
            MockRegister register = new MockRegister(vertx, e.getKey(), options.dialect(e.getKey()), options.host(),
                    e.getValue(), population, options.initialFaults());
            registers.add(register);
            started.add(vertx.executeBlocking(() -> {
                register.load();
                return register;
            }, false).compose(r -> r.start().map(r)));
        }
        return Future.join(started)
                .map(v -> new MockFederation(population, registers))
                .recover(err -> Future.join(registers.stream().map(MockRegister::stop).toList())
                        .transform(ignored -> Future.<MockFederation>failedFuture(err)));
    }
}
