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

    /** True when the register shields this record (A10). */
    public boolean shielded(RecordRef ref) {
        return population.shielded(ref.authority(), slot(ref));
    }

    /** Every shielded record of the population, in person order. */
    public List<RecordRef> shieldedRecords() {
        java.util.ArrayList<RecordRef> out = new java.util.ArrayList<>();
        population.forEachPerson(p -> p.records().stream().filter(this::shielded).forEach(out::add));
        return List.copyOf(out);
    }

    /** The persons one of whose records is shielded. */
    public List<Person> shieldedPersons() {
        return persons().stream().filter(p -> p.records().stream().anyMatch(this::shielded)).toList();
    }

    private int slot(RecordRef ref) {
        int slot = population.slotOf(ref.authority(), ref.recordId());
        if (slot < 0) {
            throw new IllegalArgumentException("unknown record");
        }
        return slot;
    }

    /** Visits every person without holding them all. */
    public void forEach(Consumer<Person> visitor) {
        population.forEachPerson(visitor);
    }

    /**
     * Writes {@code {"seed":..,"childrenPerRegister":..,"persons":[{"personId":..,"records":[{"authority":..,
     * "recordId":..,"givenName":..,"familyName":..,"dateOfBirth":..,"shielded":true}]}]}}: each record
     * with the name and date of birth the register holds (synthetic, for testers to enquire with),
     * and {@code "shielded": true} only where the register shields it (A10).
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
                        int slot = slot(r);
                        SyntheticPopulation.Identity id = population.identity(r.authority(), slot);
                        g.writeStringField("givenName", id.givenName());
                        g.writeStringField("familyName", id.familyName());
                        if (id.dateOfBirth() != null) {
                            g.writeStringField("dateOfBirth", id.dateOfBirth().toString());
                        }
                        if (population.shielded(r.authority(), slot)) {
                            g.writeBooleanField("shielded", true);
                        }
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
