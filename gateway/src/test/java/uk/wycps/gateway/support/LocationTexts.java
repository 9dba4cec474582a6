package uk.wycps.gateway.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import uk.wycps.record.Address;
import uk.wycps.record.AddressPeriod;
import uk.wycps.record.ChildRecord;

/**
 * The words that would place a child (A10): the first line and postcode of its current address
 * and of every address in its history, as its register holds them. A scan looks for each on its
 * own, not for a whole address: a postcode alone, or a street line alone, is enough to find a
 * child.
 */
public final class LocationTexts {

    private LocationTexts() {
    }

    /** The first lines and postcodes of {@code record}'s current address and address history. */
    public static Set<String> of(ChildRecord record) {
        Set<String> texts = new LinkedHashSet<>();
        add(texts, record.address());
        if (record.addressHistory() != null) {
            for (AddressPeriod p : record.addressHistory()) {
                add(texts, p.address());
            }
        }
        return texts;
    }

    /** The towns of {@code record}'s current address and address history. */
    public static Set<String> towns(ChildRecord record) {
        Set<String> towns = new LinkedHashSet<>();
        if (record.address() != null && record.address().town() != null) {
            towns.add(record.address().town());
        }
        if (record.addressHistory() != null) {
            for (AddressPeriod p : record.addressHistory()) {
                if (p.address() != null && p.address().town() != null) {
                    towns.add(p.address().town());
                }
            }
        }
        return towns;
    }

    private static void add(Set<String> texts, Address a) {
        if (a == null) {
            return;
        }
        if (a.line1() != null && !a.line1().isBlank()) {
            texts.add(a.line1());
        }
        if (a.postcode() != null && !a.postcode().isBlank()) {
            texts.add(a.postcode());
        }
    }

    /**
     * Those of {@code texts} that occur in {@code body} as whole words (so that "5 Mill Lane" is
     * not found in "15 Mill Lane", nor "LS9 8QQ" in "LS19 8QQ"), except any in {@code allowed}.
     */
    public static List<String> foundIn(String body, Collection<String> texts, Collection<String> allowed) {
        List<String> found = new ArrayList<>();
        if (body == null) {
            return found;
        }
        for (String t : texts) {
            if (allowed.contains(t)) {
                continue;
            }
            if (Pattern.compile("(?<![A-Za-z0-9])" + Pattern.quote(t) + "(?![A-Za-z0-9])").matcher(body).find()) {
                found.add(t);
            }
        }
        return found;
    }
}
