package uk.wycps.gateway.console;

import java.util.List;
import java.util.Map;

/**
 * The demo sign-in's ready-made personas (issue 16: a health visitor, an emergency-department
 * nurse, a police officer, a school's safeguarding lead, a social worker, a co-ordinator, and a
 * planner). Each is only a role, agency, authority and grants the policy knows; the picker
 * also lets a tester choose any other combination.
 */
final class Personas {

    record Persona(String id, String title, String role, String agency, String authority, List<String> grants) {
        Map<String, Object> view() {
            return Map.of("id", id, "title", title, "hint", hint());
        }

        String hint() {
            return Labels.of(Labels.ROLES, role) + ", " + Labels.of(Labels.AGENCIES, agency).toLowerCase(java.util.Locale.ROOT)
                    + (authority == null ? "" : ", " + Labels.authority(authority))
                    + (grants.isEmpty() ? "; no grants" : "; grants: " + String.join(", ", grants));
        }
    }

    static final List<Persona> ALL = List.of(
            new Persona("social-worker", "Social worker, Leeds", "child-worker", "social-services", "leeds",
                    List.of("cross-authority:*")),
            new Persona("health-visitor", "Health visitor", "child-worker", "health", null,
                    List.of("cross-authority:bradford", "cross-authority:leeds")),
            new Persona("ed-nurse", "Emergency department nurse", "referrer", "health", null,
                    List.of("cross-authority:*")),
            new Persona("police-officer", "Police officer (no grants)", "child-worker", "police", null, List.of()),
            new Persona("school-lead", "School safeguarding lead", "referrer", "education", null,
                    List.of("cross-authority:kirklees")),
            new Persona("coordinator", "Child Protection Co-ordinator, Bradford", "cp-coordinator", "social-services",
                    "bradford", List.of()),
            new Persona("planner", "Performance and quality officer, Wakefield", "performance-quality", "social-services",
                    "wakefield", List.of()));

    private Personas() {
    }

    static Persona find(String id) {
        return ALL.stream().filter(p -> p.id().equals(id)).findFirst().orElse(null);
    }
}
