package uk.wycps.connector;

import java.util.List;
import uk.wycps.connector.proof.AnswerProof;
import uk.wycps.record.ChildRecord;

/**
 * A register's answer to a search: the candidate records and, where the register signs its
 * answers, the proof of what it said ({@code null} otherwise).
 */
public record RegisterAnswer(List<ChildRecord> records, AnswerProof proof) {

    public RegisterAnswer {
        records = List.copyOf(records);
    }
}
