package uk.wycps.policy;

import java.util.Optional;

/** Lookup of an enum constant by its contract code. */
final class Codes {

    private Codes() {
    }

    interface Coded {
        String code();
    }

    static <E extends Enum<E> & Coded> Optional<E> find(Class<E> type, String code) {
        if (code == null) {
            return Optional.empty();
        }
        for (E e : type.getEnumConstants()) {
            if (e.code().equals(code)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
