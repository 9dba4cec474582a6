package uk.wycps.linkage;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import uk.wycps.connector.SearchCriteria;
import uk.wycps.record.ChildRecord;

/**
 * The walking skeleton's linker: a record matches when its normalised family name, given name
 * and date of birth equal the subject's (those the subject gives); matches from different
 * registers with the same key are one person. Replaced by a probabilistic linker.
 */
public final class ExactLinker implements RecordLinker {

    @Override
    public LinkageResult link(SearchCriteria subject, List<SourcedRecord> candidates) {
        Map<String, List<SourcedRecord>> byKey = new LinkedHashMap<>();
        for (SourcedRecord c : candidates) {
            ChildRecord r = c.record();
            if (!same(subject.familyName(), r.familyName())
                    || (subject.givenName() != null && !same(subject.givenName(), r.givenName()))
                    || (subject.dateOfBirth() != null && !Objects.equals(subject.dateOfBirth(), r.dateOfBirth()))) {
                continue;
            }
            String key = normalise(r.familyName()) + '|' + normalise(r.givenName()) + '|' + r.dateOfBirth();
            List<SourcedRecord> person = byKey.computeIfAbsent(key, k -> new ArrayList<>());
            if (person.stream().noneMatch(p -> p.authority().equals(c.authority()))) {
                person.add(c);
            } else {
                byKey.computeIfAbsent(key + '#' + c.record().recordId(), k -> new ArrayList<>()).add(c);
            }
        }
        List<LinkedPerson> persons = new ArrayList<>();
        for (List<SourcedRecord> records : byKey.values()) {
            persons.add(new LinkedPerson(MatchBand.MATCH, 1.0, records, List.of(
                    new FieldComparison("familyName", "exact", 1.0),
                    new FieldComparison("givenName", subject.givenName() == null ? "missing" : "exact", 1.0),
                    new FieldComparison("dateOfBirth", subject.dateOfBirth() == null ? "missing" : "exact", 1.0))));
        }
        List<String> moreDetail = persons.size() > 1 && subject.dateOfBirth() == null
                ? List.of("dateOfBirth", "postcode", "gender") : List.of();
        return new LinkageResult(persons, moreDetail);
    }

    private static boolean same(String a, String b) {
        return a != null && b != null && normalise(a).equals(normalise(b));
    }

    static String normalise(String s) {
        if (s == null) {
            return "";
        }
        String folded = Normalizer.normalize(s, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        return folded.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
    }
}
