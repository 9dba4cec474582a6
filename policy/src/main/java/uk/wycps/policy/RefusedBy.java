package uk.wycps.policy;

import java.util.Optional;

/** Who refused consent: a Fraser-competent child or a parent (P2). */
public enum RefusedBy implements Codes.Coded {
    CHILD("child"),
    PARENT("parent");

    private final String code;

    RefusedBy(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    public static Optional<RefusedBy> fromCode(String code) {
        return Codes.find(RefusedBy.class, code);
    }
}
