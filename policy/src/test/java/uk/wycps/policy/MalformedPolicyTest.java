package uk.wycps.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import uk.wycps.record.CanonicalFields;

/**
 * Verifies that a malformed policy document stops start-up (O2) with a message that names the
 * file, the place and the problem: one file per defect, each with its own message.
 */
class MalformedPolicyTest {

    @ParameterizedTest(name = "{0} is refused at {1}")
    @CsvSource(delimiter = '|', textBlock = """
            missing-id.yaml                  | id                                                | is missing
            missing-version.yaml             | version                                           | is missing
            bad-effective-date.yaml          | effectiveDate                                     | '2026-13-45' is not a date
            unknown-tier.yaml                | fields.entries.ethnicity.tier                     | unknown tier 'SECRET'
            unknown-role.yaml                | roles.entries.social-worker                       | unknown role 'social-worker'
            unknown-agency.yaml              | agencies.entries.probation                        | unknown agency 'probation'
            unknown-purpose.yaml             | purposes.entries.curiosity                        | unknown purpose 'curiosity'
            unknown-field.yaml               | fields.entries.shoeSize                           | unknown field 'shoeSize'
            unclassified-field.yaml          | fields.entries                                    | canonical field ethnicity is not classified
            duplicate-field.yaml             | line                                              | duplicate key 'familyName'
            duplicate-rule.yaml              | agencies.rule.id                                  | duplicate rule id 'role-maximum-tier': already used at roles.rule
            duplicate-authority.yaml         | authorities.names[5]                              | duplicate authority 'leeds'
            bad-authority-name.yaml          | authorities.names[3]                              | 'Leeds' is not an authority name
            anonymised-field.yaml            | fields.entries.healthNotes.tier                   | cannot be ANONYMISED
            unknown-consent-ground.yaml      | consent.grounds[0]                                | unknown consent ground 'because-i-said-so'
            unknown-key.yaml                 | feilds                                            | unknown key 'feilds'
            otherwise-not-anonymised.yaml    | crossAuthority.otherwise.tier                     | anonymised information only
            schedule-one-unknown-agency.yaml | fields.entries.relationships[].scheduleOneIndicator.onlyFor.agencies[0] | unknown agency 'social-servces'
            bad-requirement.yaml             | fields.entries.concernDetails.requirement         | 'm-two' is not a requirement id
            not-yaml.yaml                    | line                                              | not a readable YAML or JSON document
            empty.yaml                       | (document)                                        | is empty
            shielding-missing.yaml           | shielding                                         | is missing
            shielding-leaves-out-address-history.yaml | shielding.locationFields                  | leaves out addressHistory, which places the child
            shielding-outside-agency.yaml    | shielding.owningAuthority.agencies[1]             | agency 'police' is not an own-authority agency
            shielding-anonymised-tier.yaml   | shielding.owningAuthority.tiers[1]                | ANONYMISED callers see no record at all
            shielded-mark-sensitive.yaml     | fields.entries.shielded.tier                      | whoever sees a record must see that it is shielded
            """)
    void malformedPolicyIsRefusedNamingFilePlaceAndProblem(String file, String place, String problem) throws Exception {
        // GIVEN a policy file with exactly one defect
        Path path = resource(file);
        // WHEN it is loaded against the canonical record's fields
        PolicyException e = assertThrows(PolicyException.class,
                () -> PolicyLoader.load(path, CanonicalFields.all()));
        // THEN the message names the file, the place and the problem
        assertTrue(e.getMessage().contains(file), e.getMessage());
        assertTrue(e.place().startsWith(place), "place: " + e.getMessage());
        assertTrue(e.problem().contains(problem), "problem: " + e.getMessage());
        assertTrue(e.getMessage().contains(e.place()) && e.getMessage().contains(e.problem()), e.getMessage());
    }

    @Test
    void everyMalformedFileHasItsOwnMessage() throws Exception {
        Set<String> problems = new TreeSet<>();
        String[] files = resource("missing-id.yaml").getParent().toFile().list();
        for (String f : files) {
            PolicyException e = assertThrows(PolicyException.class,
                    () -> PolicyLoader.load(resource(f), CanonicalFields.all()));
            problems.add(e.place() + ": " + e.problem());
        }
        assertTrue(files.length >= 8);
        assertEquals(files.length, problems.size(), "two files gave the same message: " + problems);
    }

    @Test
    void registerAuthorityUnknownToThePolicyStopsStartUp() {
        // GIVEN a gateway configured with a register for an authority the policy does not know
        // WHEN the default policy is loaded for it
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyLoader.loadDefault(
                CanonicalFields.all(), Set.of("leeds", "york")));
        // THEN start-up stops naming the authority
        assertEquals("authorities.names", e.place());
        assertTrue(e.problem().contains("'york'"), e.getMessage());
        assertTrue(e.getMessage().contains("default-policy.yaml"), e.getMessage());
    }

    @Test
    void missingFileIsRefusedNamingTheFile() {
        Path missing = Path.of("target/no-such-policy.yaml");
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyLoader.load(missing, CanonicalFields.all()));
        assertTrue(e.getMessage().contains("no-such-policy.yaml") && e.getMessage().contains("cannot be read"),
                e.getMessage());
    }

    @Test
    void fieldAddedToTheRecordButNotToThePolicyIsRefused() {
        // GIVEN the canonical record grows a field the default policy does not classify
        Set<String> grown = new java.util.LinkedHashSet<>(CanonicalFields.all());
        grown.add("favouriteColour");
        // WHEN the default policy is loaded THEN it names the unclassified field
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyLoader.loadDefault(grown));
        assertTrue(e.problem().contains("favouriteColour is not classified"), e.getMessage());
    }

    static Path resource(String file) throws URISyntaxException {
        var url = MalformedPolicyTest.class.getResource("/malformed/" + file);
        if (url == null) {
            throw new IllegalArgumentException("no test resource " + file);
        }
        return Path.of(url.toURI());
    }
}
