package uk.wycps.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.util.List;

/**
 * The canonical child record (M1-M8): what every connector maps its register's dialect to, and
 * the only shape the gateway reasons about. Field names are the contract's (API.md).
 *
 * <p>Every field may be {@code null}: a field is absent when the register does not hold it or
 * when it was not asked for (data minimisation, A5). There is deliberately no detail of the
 * Looked After history, only its indicator (A7).
 *
 * <p>{@code shielded} is set by the owning authority for a child whose location must stay hidden
 * (a child in a refuge, in witness protection): its location fields ({@link CanonicalFields#location()})
 * never leave that authority (A10). Null or false means not shielded.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChildRecord(
        String recordId,
        String givenName,
        String familyName,
        List<PersonName> aliases,
        LocalDate dateOfBirth,
        Gender gender,
        List<String> languages,
        Address address,
        List<AddressPeriod> addressHistory,
        String legalStatus,
        List<ConcernCategory> concernCategories,
        Registration registration,
        List<Registration> registrationHistory,
        List<Meeting> meetings,
        List<EnquiryHistoryEntry> enquiryHistory,
        List<Referral> referrals,
        List<Relationship> relationships,
        Boolean lookedAfterIndicator,
        String ethnicity,
        String healthNotes,
        String concernDetails,
        Boolean shielded) {

    public ChildRecord {
        aliases = copy(aliases);
        languages = copy(languages);
        addressHistory = copy(addressHistory);
        concernCategories = copy(concernCategories);
        registrationHistory = copy(registrationHistory);
        meetings = copy(meetings);
        enquiryHistory = copy(enquiryHistory);
        referrals = copy(referrals);
        relationships = copy(relationships);
    }

    /** True when the owning authority shields this record (A10). (Not {@code isShielded}: Jackson would write that as a property.) */
    public boolean shieldedByOwner() {
        return Boolean.TRUE.equals(shielded);
    }

    /** The same record, marked shielded (or not: {@code null}). */
    public ChildRecord withShielded(Boolean value) {
        return new ChildRecord(recordId, givenName, familyName, aliases, dateOfBirth, gender, languages, address,
                addressHistory, legalStatus, concernCategories, registration, registrationHistory, meetings,
                enquiryHistory, referrals, relationships, lookedAfterIndicator, ethnicity, healthNotes, concernDetails,
                value);
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? null : List.copyOf(list);
    }

    /** A record of which only the id is known (all that was asked for). */
    public static ChildRecord idOnly(String recordId) {
        return new ChildRecord(recordId, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null);
    }

    /** The postcode of the current address, or null. */
    public String postcode() {
        return address == null ? null : address.postcode();
    }
}
