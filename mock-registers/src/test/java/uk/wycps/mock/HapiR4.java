package uk.wycps.mock;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;

/**
 * HAPI FHIR's R4 context and instance validator, made once for the whole test JVM: the
 * validator takes seconds to load the R4 definitions, so every test class shares this one.
 */
public final class HapiR4 {

    public static final FhirContext CONTEXT = FhirContext.forR4Cached();
    private static FhirValidator validator;
    private static FhirInstanceValidator module;

    private HapiR4() {
    }

    /** The instance validator module (R4 core definitions and terminology in memory), made once. */
    public static synchronized FhirInstanceValidator module() {
        if (module == null) {
            // The gateway's own profile (the checkpoint's Basic), as an authority loads it into its server.
            PrePopulatedValidationSupport own = new PrePopulatedValidationSupport(CONTEXT);
            try (var in = uk.wycps.connector.fhir.Fhir.class.getResourceAsStream(uk.wycps.connector.fhir.Fhir.CHECKPOINT_PROFILE_RESOURCE)) {
                own.addStructureDefinition(CONTEXT.newJsonParser().parseResource(new String(in.readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8)));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            ValidationSupportChain chain = new ValidationSupportChain(
                    new DefaultProfileValidationSupport(CONTEXT),
                    own,
                    new CommonCodeSystemsTerminologyService(CONTEXT),
                    new InMemoryTerminologyServerValidationSupport(CONTEXT),
                    new SnapshotGeneratingValidationSupport(CONTEXT));
            FhirInstanceValidator m = new FhirInstanceValidator(chain);
            // The project's own extensions have no published StructureDefinition: allowed, as R4 allows any.
            m.setAnyExtensionsAllowed(true);
            module = m;
        }
        return module;
    }

    /** The validator around {@link #module()}. */
    public static synchronized FhirValidator validator() {
        if (validator == null) {
            FhirValidator v = CONTEXT.newValidator();
            v.registerValidatorModule(module());
            validator = v;
        }
        return validator;
    }

    /** The validator's messages of severity error or fatal for a resource given as JSON. */
    public static List<String> errors(String json) {
        ValidationResult result = validator().validateWithResult(json);
        return result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .map(HapiR4::describe)
                .toList();
    }

    private static String describe(SingleValidationMessage m) {
        return m.getLocationString() + ": " + m.getMessage();
    }
}
