package uk.wycps.connector.fhir;

/**
 * The FHIR R4 profile the {@code fhir-r4} dialect speaks: where each canonical fact lives. The
 * mock register writes it, {@link FhirConnector} reads it; docs/connectors.md describes it.
 */
public final class Fhir {

    public static final String CONTENT_TYPE = "application/fhir+json";
    /** Base of the project's extensions and code systems. */
    public static final String BASE = "https://wycps.example/fhir/";
    public static final String EXT_ETHNICITY = BASE + "StructureDefinition/ethnic-category";
    public static final String EXT_LEGAL_STATUS = BASE + "StructureDefinition/legal-status";
    public static final String EXT_CONCERN_CATEGORY = BASE + "StructureDefinition/concern-category";
    public static final String EXT_CONCERN_INDICATOR = BASE + "StructureDefinition/concern-indicator";
    public static final String EXT_SCHEDULE_ONE = BASE + "StructureDefinition/schedule-one-indicator";
    public static final String EXT_MEETING_OUTCOME = BASE + "StructureDefinition/meeting-outcome";
    public static final String EXT_ENQUIRY_ID = BASE + "StructureDefinition/enquiry-id";
    public static final String EXT_AGENCY = BASE + "StructureDefinition/agency";
    public static final String EXT_AUTHORITY = BASE + "StructureDefinition/authority";
    public static final String EXT_PURPOSE = BASE + "StructureDefinition/purpose";
    public static final String EXT_CONSENT_BASIS = BASE + "StructureDefinition/consent-basis";
    public static final String EXT_ROLE = BASE + "StructureDefinition/role";
    /** Flag.code: {@code looked-after}, {@code concern-category}, {@code health-note}, {@code concern-details}. */
    public static final String CS_FLAG = BASE + "CodeSystem/register-flag";
    /** EpisodeOfCare.type: {@code cp-registration} (the current or latest) or {@code cp-registration-history}. */
    public static final String CS_EPISODE = BASE + "CodeSystem/episode-type";
    /** The canonical concern categories: {@code neglect}, {@code physical-abuse}, ... */
    public static final String CS_CONCERN = BASE + "CodeSystem/concern-category";
    /**
     * Patient.meta.security: the security labels of this profile. {@code shielded}: the owning
     * authority shields the record; its location never leaves that authority (A10).
     */
    public static final String CS_SECURITY = BASE + "CodeSystem/security-label";
    public static final String SECURITY_SHIELDED = "shielded";

    public static final String FLAG_LOOKED_AFTER = "looked-after";
    public static final String FLAG_CONCERN = "concern-category";
    public static final String FLAG_HEALTH = "health-note";
    public static final String FLAG_DETAILS = "concern-details";
    public static final String EPISODE_CURRENT = "cp-registration";
    public static final String EPISODE_HISTORY = "cp-registration-history";

    private Fhir() {
    }
}
