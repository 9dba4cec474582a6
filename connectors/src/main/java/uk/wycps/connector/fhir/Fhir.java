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

    /** Encounter.type: {@code child-protection-conference}; an Encounter without it is no register fact. */
    public static final String CS_MEETING = BASE + "CodeSystem/meeting-type";
    /** AuditEvent.subtype: {@code register-enquiry}; an AuditEvent without it is no enquiry of the gateway's. */
    public static final String CS_AUDIT = BASE + "CodeSystem/audit-event";
    /** Basic.code {@code audit-checkpoint} and the identifier system of a checkpoint's index. */
    public static final String CS_CHECKPOINT = BASE + "CodeSystem/audit-checkpoint";
    /** The profile of a checkpoint kept as a {@code Basic} resource (docs/connectors.md). */
    public static final String PROFILE_CHECKPOINT = BASE + "StructureDefinition/audit-checkpoint";
    /** The checkpoint profile's StructureDefinition, a classpath resource to load into an authority's server. */
    public static final String CHECKPOINT_PROFILE_RESOURCE = "/uk/wycps/connector/fhir/StructureDefinition-audit-checkpoint.json";
    public static final String EXT_CHECKPOINT_HEAD = BASE + "StructureDefinition/checkpoint-head";
    public static final String EXT_CHECKPOINT_AT = BASE + "StructureDefinition/checkpoint-at";
    public static final String EXT_CHECKPOINT_KEY = BASE + "StructureDefinition/checkpoint-key-id";
    public static final String EXT_CHECKPOINT_SIGNATURE = BASE + "StructureDefinition/checkpoint-signature";

    public static final String MEETING_CONFERENCE = "child-protection-conference";
    public static final String AUDIT_ENQUIRY = "register-enquiry";
    public static final String CHECKPOINT = "audit-checkpoint";
    public static final String FLAG_LOOKED_AFTER = "looked-after";
    public static final String FLAG_CONCERN = "concern-category";
    public static final String FLAG_HEALTH = "health-note";
    public static final String FLAG_DETAILS = "concern-details";
    public static final String EPISODE_CURRENT = "cp-registration";
    public static final String EPISODE_HISTORY = "cp-registration-history";

    /** The FHIR id of the checkpoint of {@code index}: idempotent on the index. */
    public static String checkpointId(long index) {
        return "wycps-checkpoint-" + index;
    }

    private Fhir() {
    }
}
