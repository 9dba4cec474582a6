package uk.wycps.linkage;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.codec.language.DoubleMetaphone;
import uk.wycps.record.SearchCriteria;
import uk.wycps.record.Address;
import uk.wycps.record.AddressPeriod;
import uk.wycps.record.ChildRecord;
import uk.wycps.record.Gender;
import uk.wycps.record.PersonName;

/**
 * A record or an enquiry subject with every comparable form computed once: normalised and
 * compact names with their tokens, nickname canonicals and (on first use) Double Metaphone codes;
 * the date of birth as {@code yyyymmdd}; postcodes and address lines of the current address and
 * the address history. Holds personal data: never log it. Immutable but for those lazily computed
 * codes.
 */
public final class PreparedRecord {

    private static final DoubleMetaphone METAPHONE = new DoubleMetaphone();

    /**
     * The Double Metaphone codes of a name or token, computed when a comparison first needs them:
     * most candidate pairs are settled by an exact match or Jaro-Winkler first, and the codes
     * were half of preparing a record. The race of two threads computing them is benign.
     */
    static final class Phonetic {
        private final String text;
        private String[] codes;

        Phonetic(String text) {
            this.text = text;
        }

        String primary() {
            return codes()[0];
        }

        String alternate() {
            return codes()[1];
        }

        private String[] codes() {
            String[] c = codes;
            if (c == null) {
                c = new String[] {phonetic(text, false), phonetic(text, true)};
                codes = c;
            }
            return c;
        }
    }

    /** One form of a name (given or family): compact, tokens, phonetic codes. */
    static final class NameForm {
        final String compact;
        final Token[] tokens;
        final Phonetic phonetic;

        NameForm(String compact, Token[] tokens, Phonetic phonetic) {
            this.compact = compact;
            this.tokens = tokens;
            this.phonetic = phonetic;
        }
    }

    static final class Token {
        final String s;
        final String[] canon;
        final Phonetic phonetic;

        Token(String s, String[] canon) {
            this.s = s;
            this.canon = canon;
            this.phonetic = new Phonetic(s);
        }
    }

    /** A given name and family name the child is or was known by. */
    static final class NameVariant {
        final NameForm given;
        final NameForm family;
        final boolean alias;

        NameVariant(NameForm given, NameForm family, boolean alias) {
            this.given = given;
            this.family = family;
            this.alias = alias;
        }
    }

    /** A normalised address line with its tokens. */
    static final class Line {
        final String text;
        final String[] tokens;

        Line(String text, String[] tokens) {
            this.text = text;
            this.tokens = tokens;
        }
    }

    final NameVariant[] names;
    final int dob;
    final int gender;
    final String postcode;
    final String[] postcodes;
    final Line line;
    final Line[] lines;
    final String town;

    private PreparedRecord(NameVariant[] names, int dob, int gender, String postcode, String[] postcodes,
                           Line line, Line[] lines, String town) {
        this.names = names;
        this.dob = dob;
        this.gender = gender;
        this.postcode = postcode;
        this.postcodes = postcodes;
        this.line = line;
        this.lines = lines;
        this.town = town;
    }

    /** Prepares a register record. */
    public static PreparedRecord of(ChildRecord r, Nicknames nicknames) {
        List<NameVariant> names = new ArrayList<>(2);
        names.add(new NameVariant(name(r.givenName(), List.of(), nicknames), name(r.familyName(), List.of(), nicknames), false));
        if (r.aliases() != null) {
            for (PersonName a : r.aliases()) {
                if (a != null && (a.givenName() != null || a.familyName() != null)) {
                    names.add(new NameVariant(
                            a.givenName() != null ? name(a.givenName(), List.of(), nicknames) : names.get(0).given,
                            a.familyName() != null ? name(a.familyName(), List.of(), nicknames) : names.get(0).family,
                            true));
                }
            }
        }
        Set<String> postcodes = new LinkedHashSet<>();
        List<Line> lines = new ArrayList<>();
        if (r.shieldedByOwner()) {
            // A shielded child's location takes no part in linking (A10): whether its record
            // joins another would otherwise say whether the two places agree, and callers who may
            // see the other record's address would learn where the shielded child is, or is not.
            return new PreparedRecord(names.toArray(new NameVariant[0]), dob(r.dateOfBirth()), gender(r.gender()),
                    null, new String[0], null, new Line[0], null);
        }
        Address current = r.address();
        String postcode = current == null ? null : postcode(current.postcode());
        Line line = current == null ? null : line(current.line1());
        String town = current == null ? null : emptyToNull(NameNormaliser.normalise(current.town()));
        if (postcode != null) {
            postcodes.add(postcode);
        }
        if (line != null) {
            lines.add(line);
        }
        if (r.addressHistory() != null) {
            for (AddressPeriod p : r.addressHistory()) {
                if (p != null && p.address() != null) {
                    String pc = postcode(p.address().postcode());
                    if (pc != null) {
                        postcodes.add(pc);
                    }
                    Line l = line(p.address().line1());
                    if (l != null && lines.stream().noneMatch(x -> x.text.equals(l.text))) {
                        lines.add(l);
                    }
                }
            }
        }
        return new PreparedRecord(names.toArray(new NameVariant[0]), dob(r.dateOfBirth()), gender(r.gender()),
                postcode, postcodes.toArray(new String[0]), line, lines.toArray(new Line[0]), town);
    }

    /** Prepares an enquiry's subject: other given names count as further given-name tokens. */
    public static PreparedRecord of(SearchCriteria s, Nicknames nicknames) {
        List<NameVariant> names = new ArrayList<>(2);
        names.add(new NameVariant(name(s.givenName(), s.otherGivenNames(), nicknames), name(s.familyName(), List.of(), nicknames), false));
        for (PersonName a : s.aliases()) {
            if (a != null && (a.givenName() != null || a.familyName() != null)) {
                names.add(new NameVariant(
                        a.givenName() != null ? name(a.givenName(), List.of(), nicknames) : names.get(0).given,
                        a.familyName() != null ? name(a.familyName(), List.of(), nicknames) : names.get(0).family,
                        true));
            }
        }
        String postcode = postcode(s.postcode());
        return new PreparedRecord(names.toArray(new NameVariant[0]), dob(s.dateOfBirth()), gender(s.gender()),
                postcode, postcode == null ? new String[0] : new String[] {postcode}, null, new Line[0], null);
    }

    static NameForm name(String raw, List<String> more, Nicknames nicknames) {
        String n = NameNormaliser.normalise(raw);
        List<String> toks = new ArrayList<>(List.of(n.isEmpty() ? new String[0] : NameNormaliser.split(n)));
        for (String o : more) {
            for (String t : NameNormaliser.tokens(o)) {
                if (!toks.contains(t)) {
                    toks.add(t);
                }
            }
        }
        if (toks.isEmpty()) {
            return null;
        }
        String compact = n.isEmpty() ? toks.get(0) : NameNormaliser.removeSpaces(n);
        Token[] tokens = new Token[Math.min(toks.size(), 4)];
        for (int i = 0; i < tokens.length; i++) {
            String t = toks.get(i);
            String[] canon = nicknames.canonicals(t);
            tokens[i] = new Token(t, canon);
        }
        // a one-word name (most names): its compact form is its token, so are its codes
        Phonetic codes = tokens.length == 1 && compact.equals(tokens[0].s) ? tokens[0].phonetic : new Phonetic(compact);
        return new NameForm(compact, tokens, codes);
    }

    private static String phonetic(String s, boolean alternate) {
        String code = METAPHONE.doubleMetaphone(s, alternate);
        return code == null || code.isEmpty() ? null : code;
    }

    static int dob(LocalDate d) {
        return d == null ? -1 : d.getYear() * 10000 + d.getMonthValue() * 100 + d.getDayOfMonth();
    }

    private static int gender(Gender g) {
        return g == null || g == Gender.UNKNOWN ? -1 : g.ordinal();
    }

    /** Upper case, letters and digits only; null when empty. */
    static String postcode(String raw) {
        if (raw == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 128 && Character.isLetterOrDigit(c)) {
                b.append(Character.toUpperCase(c));
            }
        }
        return b.length() == 0 ? null : b.toString();
    }

    static Line line(String raw) {
        String n = NameNormaliser.normalise(raw);
        if (n.isEmpty()) {
            return null;
        }
        String[] tokens = NameNormaliser.split(n);
        boolean changed = false;
        for (int i = 0; i < tokens.length; i++) {
            String full = streetWord(tokens[i]);
            if (full != null) {
                tokens[i] = full;
                changed = true;
            }
        }
        return new Line(changed ? String.join(" ", tokens) : n, tokens);
    }

    private static String streetWord(String t) {
        switch (t) {
            case "rd": return "road";
            case "st": return "street";
            case "ave": case "av": return "avenue";
            case "ln": return "lane";
            case "cres": case "cr": return "crescent";
            case "dr": return "drive";
            case "ct": return "court";
            case "pl": return "place";
            case "gdns": return "gardens";
            case "sq": return "square";
            case "terr": case "tce": return "terrace";
            case "cl": return "close";
            case "gr": case "gro": return "grove";
            default: return null;
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** The compact primary family name, or null (for term frequencies and blocking). */
    public String familyKey() {
        NameForm f = names[0].family;
        return f == null ? null : f.compact;
    }

    /** Double Metaphone (primary) of the primary given and family names, for blocking; null entries when absent. */
    public String[] phoneticKeys() {
        NameForm g = names[0].given;
        NameForm f = names[0].family;
        return new String[] {g == null ? null : g.tokens[0].phonetic.primary(), f == null ? null : f.phonetic.primary()};
    }

    /** Date of birth as yyyymmdd, or -1. */
    public int dobKey() {
        return dob;
    }

    /** Current postcode (normalised), or null. */
    public String postcodeKey() {
        return postcode;
    }

    /** Current town (normalised), or null. */
    public String townKey() {
        return town;
    }

    boolean hasGender() {
        return gender >= 0;
    }
}
