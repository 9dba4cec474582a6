package uk.wycps.gateway.console;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Plain-English words for the protocol's codes, as the console shows them. */
final class Labels {

    private Labels() {
    }

    /** The purposes of a named enquiry (P1): the policy's codes. */
    static final Map<String, String> PURPOSES = ordered(
            "s47-enquiry", "Section 47 enquiry (Children Act 1989)",
            "register-check", "Check of the child protection register",
            "cp-conference", "Child protection conference",
            "crime-prevention-detection", "Prevention or detection of a crime");

    /** The protocol's grounds for sharing without consent (P2), in its own words. */
    static final Map<String, String> GROUNDS = ordered(
            "risk-of-significant-harm", "Seeking consent places the child at risk of \u201cSignificant Harm\u201d.",
            "investigation-compromised", "The referrer has made a professional judgement that a child is at risk of "
                    + "\u201cSignificant Harm\u201d and seeking consent, or the refusal of consent is likely to increase "
                    + "the risks to the child, or potentially compromise a child protection investigation.",
            "crime-prevention-detection", "To prevent, or aid the detection of, a crime.",
            "authorised-register-check", "When an authorised person from a child protection agency wishes to check "
                    + "the child protection register where there are child protection concerns.",
            "building-picture", "Where professional judgement indicates the need to share information to build up a "
                    + "picture, to indicate that a child is at risk of \u201cSignificant Harm\u201d.");

    static final Map<String, String> CONSENT = ordered(
            "obtained", "Consent was obtained",
            "not-sought", "Consent was not sought",
            "refused", "Consent was refused");

    static final Map<String, String> REFUSED_BY = ordered(
            "child", "The child (Fraser competent)",
            "parent", "A parent");

    static final Map<String, String> GENDERS = ordered(
            "female", "Female",
            "male", "Male",
            "unknown", "Not known");

    static final Map<String, String> ROLES = ordered(
            "cp-coordinator", "Child Protection Co-ordinator",
            "senior-manager", "Senior manager",
            "admin-staff", "Administrative staff",
            "manager-child-workers", "Manager of child workers",
            "child-worker", "Child worker",
            "perpetrator-worker", "Perpetrator worker",
            "referrer", "Referrer",
            "conference-chair", "Conference chair",
            "performance-quality", "Performance and quality");

    static final Map<String, String> AGENCIES = ordered(
            "social-services", "Social services",
            "police", "Police",
            "health", "Health",
            "education", "Education",
            "other", "Other partner");

    static final Map<String, String> STATUSES = ordered(
            "OK", "Checked",
            "TIMEOUT", "Not checked: no answer in time",
            "UNAVAILABLE", "Not checked: could not be reached",
            "ERROR", "Not checked: its answer could not be read",
            "CIRCUIT_OPEN", "Not checked: recovering from failures",
            "REJECTED", "Not checked: at capacity",
            "WITHHELD", "Withheld: not shown at your access level");

    static String authority(String code) {
        return code == null || code.isEmpty() ? code : code.substring(0, 1).toUpperCase(Locale.ROOT) + code.substring(1);
    }

    static String of(Map<String, String> labels, String code) {
        return code == null ? null : labels.getOrDefault(code, code);
    }

    /** "dateOfBirth" as "Date of birth". */
    static String field(String name) {
        if (name == null || name.isEmpty()) {
            return name;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (i == 0) {
                out.append(Character.toUpperCase(c));
            } else if (Character.isUpperCase(c)) {
                out.append(' ').append(Character.toLowerCase(c));
            } else if (c == '[' || c == ']') {
                continue;
            } else if (c == '.') {
                out.append(": ");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
