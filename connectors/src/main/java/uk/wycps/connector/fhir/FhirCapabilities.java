package uk.wycps.connector.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import uk.wycps.connector.RegisterFailure;

/**
 * What a FHIR server says it can do, from its CapabilityStatement ({@code GET [base]/metadata}):
 * the Patient search parameters it offers. Read once per connector; a server that publishes
 * none is searched with the standard parameters only.
 */
record FhirCapabilities(Set<String> patientSearchParams) {

    /** A server that published no CapabilityStatement: standard R4 parameters only. */
    static final FhirCapabilities STANDARD = new FhirCapabilities(Set.of());

    FhirCapabilities {
        patientSearchParams = Set.copyOf(patientSearchParams);
    }

    boolean patientSearch(String name) {
        return patientSearchParams.contains(name);
    }

    static FhirCapabilities read(JsonNode statement) {
        if (!"CapabilityStatement".equals(statement.path("resourceType").asText())) {
            throw RegisterFailure.error("metadata is not a CapabilityStatement");
        }
        Set<String> params = new HashSet<>();
        for (JsonNode rest : FhirValues.array(statement, "rest")) {
            if (!"server".equals(rest.path("mode").asText())) {
                continue;
            }
            for (JsonNode resource : FhirValues.array(rest, "resource")) {
                if ("Patient".equals(resource.path("type").asText())) {
                    for (JsonNode p : FhirValues.array(resource, "searchParam")) {
                        String name = FhirValues.text(p.get("name"));
                        if (name != null) {
                            params.add(name);
                        }
                    }
                }
            }
        }
        return new FhirCapabilities(params);
    }
}
