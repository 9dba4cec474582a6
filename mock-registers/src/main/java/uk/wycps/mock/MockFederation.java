package uk.wycps.mock;

import io.vertx.core.Future;
import java.util.List;

/** The running mock registers and the population they serve. */
public final class MockFederation {

    private final SyntheticPopulation population;
    private final List<MockRegister> registers;

    MockFederation(SyntheticPopulation population, List<MockRegister> registers) {
        this.population = population;
        this.registers = List.copyOf(registers);
    }

    /** The started registers, in the authorities' order. */
    public List<MockRegister> registers() {
        return registers;
    }

    /** The register of an authority; {@link IllegalArgumentException} when it was not started. */
    public MockRegister register(String authority) {
        for (MockRegister r : registers) {
            if (r.authority().equals(authority)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no mock register for authority '" + authority + "'");
    }

    public SyntheticPopulation population() {
        return population;
    }

    /** Which records are the same child: for tests, never served. */
    public GroundTruth groundTruth() {
        return population.groundTruth();
    }

    /** Stops every register. */
    public Future<Void> close() {
        return Future.join(registers.stream().map(MockRegister::stop).toList())
                .andThen(v -> registers.forEach(MockRegister::dispose)).mapEmpty();
    }
}
