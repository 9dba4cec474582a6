package uk.wycps.mock;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Which register records are the same child: the answer key for testing linkage (F4). Never
 * served by a register. Built from the population on demand; {@link #writeJson} streams, so a
 * benchmark-sized population can be written without holding it.
 */
public final class GroundTruth {

    /** One record in one register. */
    public record RecordRef(String authority, String recordId) {
        public RecordRef {
            Objects.requireNonNull(authority, "authority");
            Objects.requireNonNull(recordId, "recordId");
        }
    }

    /** One child and every record that describes it. */
    public record Person(String personId, List<RecordRef> records) {
        public Person {
            Objects.requireNonNull(personId, "personId");
            records = List.copyOf(records);
        }

        /** True when the child is held by more than one register. */
        public boolean crossesRegisters() {
            return records.size() > 1;
        }
    }

    private final SyntheticPopulation population;
    private volatile List<Person> persons;

    GroundTruth(SyntheticPopulation population) {
        this.population = population;
    }

    /** Every person, in a deterministic order (materialised on first call). */
    public List<Person> persons() {
        List<Person> p = persons;
        if (p == null) {
            java.util.ArrayList<Person> all = new java.util.ArrayList<>();
            population.forEachPerson(all::add);
            p = List.copyOf(all);
            persons = p;
        }
        return p;
    }

    /** Only the persons held by two or three registers. */
    public List<Person> crossRegisterPersons() {
        return persons().stream().filter(Person::crossesRegisters).toList();
    }

    /** The person a record belongs to; {@link IllegalArgumentException} for an unknown record. */
    public Person personOf(String authority, String recordId) {
        return population.personOf(authority, recordId);
    }

    /** Visits every person without holding them all. */
    public void forEach(Consumer<Person> visitor) {
        population.forEachPerson(visitor);
    }

    /**
     * Writes {@code {"seed":..,"childrenPerRegister":..,"persons":[{"personId":..,"records":[{"authority":..,"recordId":..}]}]}}.
     */
    public void writeJson(OutputStream out) throws IOException {
        try (JsonGenerator g = uk.wycps.record.RecordJson.mapper().getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeNumberField("seed", population.seed());
            g.writeNumberField("childrenPerRegister", population.childrenPerRegister());
            g.writeArrayFieldStart("persons");
            IOException[] failure = new IOException[1];
            population.forEachPerson(p -> {
                if (failure[0] != null) {
                    return;
                }
                try {
                    g.writeStartObject();
                    g.writeStringField("personId", p.personId());
                    g.writeArrayFieldStart("records");
                    for (RecordRef r : p.records()) {
                        g.writeStartObject();
                        g.writeStringField("authority", r.authority());
                        g.writeStringField("recordId", r.recordId());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                } catch (IOException e) {
                    failure[0] = e;
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }
}
