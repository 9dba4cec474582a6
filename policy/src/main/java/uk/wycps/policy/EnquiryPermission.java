package uk.wycps.policy;

import java.util.List;

/**
 * Whether a caller may make a person-level enquiry at all for a declaration (P1, P3, A8).
 * A refusal carries a stable {@code code} and plain words for the 403 answer.
 */
public record EnquiryPermission(boolean permitted, String code, String message, List<Reason> reasons) {

    public EnquiryPermission {
        reasons = List.copyOf(reasons);
    }

    public static EnquiryPermission permit(List<Reason> reasons) {
        return new EnquiryPermission(true, null, null, reasons);
    }

    public static EnquiryPermission refuse(String code, String message, Reason reason) {
        return new EnquiryPermission(false, code, message, List.of(reason));
    }
}
