package uk.wycps.gateway.enquiry;

import java.util.List;
import java.util.Locale;
import uk.wycps.gateway.config.RegisterContact;
import uk.wycps.gateway.fanout.RegisterOutcome;

/**
 * The plain-language notice for a register that was not checked (F5). Every one says that it
 * is not a "no record" result. The {@code WITHHELD} notice is the same text whether or not the
 * register holds the child (A9).
 */
final class Notices {

    private Notices() {
    }

    static String forOutcome(RegisterOutcome outcome, long deadlineMs) {
        String name = displayName(outcome.authority());
        String why = switch (outcome.status()) {
            case OK -> null;
            case TIMEOUT -> "no answer within " + deadlineMs + " ms";
            case UNAVAILABLE -> "it could not be reached";
            case ERROR -> "its answer could not be read" + shortReason(outcome.reason());
            case CIRCUIT_OPEN -> "it has been failing, so the gateway is giving it time to recover";
            case REJECTED -> "it is at capacity";
            case WITHHELD -> null;
        };
        if (why == null) {
            return null;
        }
        return name + " register was not checked (" + why + "). This is not a 'no record' result.";
    }

    /** The guard's short reason (never register contents), for an unreadable answer. */
    private static String shortReason(String reason) {
        if (reason == null || reason.isBlank()) {
            return "";
        }
        String clean = reason.replaceAll("[^\\p{Alnum} .,:'-]", "");
        return ": " + (clean.length() > 80 ? clean.substring(0, 80) : clean);
    }

    static String withheld(String authority) {
        String name = displayName(authority);
        return "Your access does not include " + name + " register's records, so it is not shown here. This is not a "
                + "'no record' result: to find out, contact " + name + " Child Protection Co-ordinator. If " + name
                + " holds a matching record, it is told of this enquiry.";
    }

    /**
     * The notice on a record touched by shielding (A10), or null when shielding does not touch
     * it: a shielded record says so, where its location went, and whom to contact; a record
     * whose location is withheld because the answer holds a shielded record says that.
     */
    static String shielding(String authority, boolean shielded, boolean locationWithheld, List<String> shieldedBy,
            RegisterContact contact) {
        String name = displayName(authority);
        if (shielded) {
            return "This record is shielded by " + name + ": where the child lives is "
                    + (locationWithheld ? "not released to you and " : "")
                    + "never released outside " + name + ". Any contact with the child or family must go through "
                    + name + howToCall(contact) + ".";
        }
        if (locationWithheld && !shieldedBy.isEmpty()) {
            String owners = String.join(" and ", shieldedBy.stream().map(Notices::displayName).toList());
            return "This answer holds a record shielded by " + owners + " that is or may be the same child, so this"
                    + " record's address and address history are withheld outside " + name + ". Any contact with the"
                    + " child or family must go through " + owners + ".";
        }
        return null;
    }

    private static String howToCall(RegisterContact contact) {
        return contact == null ? "" : " (" + contact.team() + ": " + contact.officeHours() + " in office hours, "
                + contact.outOfHours() + " out of hours, " + contact.email() + ")";
    }

    static String displayName(String authority) {
        return authority.isEmpty() ? authority
                : authority.substring(0, 1).toUpperCase(Locale.ROOT) + authority.substring(1);
    }
}
