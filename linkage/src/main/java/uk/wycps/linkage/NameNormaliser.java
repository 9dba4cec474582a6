package uk.wycps.linkage;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Names to a comparable form, and the input check the gateway runs before a name is used (F4).
 *
 * <p>{@link #normalise(String)}: Unicode NFKC, then diacritics removed (NFD, combining marks
 * dropped, and letters with no decomposition such as {@code ł ø ß æ đ ı} spelt out), lower case,
 * apostrophes dropped ({@code O'Brien} becomes {@code obrien}), every other punctuation mark,
 * hyphen and run of white space one space. Hyphenated and double-barrelled surnames therefore
 * keep their parts as tokens ({@link #tokens(String)}) and compare whole in their compact form
 * ({@link #compact(String)}). Letters of other scripts are kept (lower-cased), not transliterated.
 * No regular expression is used: this runs per record per enquiry on the event loop.
 */
public final class NameNormaliser {

    private NameNormaliser() {
    }

    /**
     * Whether a piece of caller input may be used at all: false for null, for control
     * characters (including CR, LF, TAB and NUL), for bidirectional embeddings, overrides,
     * isolates and marks (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C), for unpaired
     * surrogates and for non-characters. The gateway answers 400 when this is false.
     */
    public static boolean isAcceptableInput(String s) {
        if (s == null) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                int cp = Character.toCodePoint(c, s.charAt(i + 1));
                if ((cp & 0xFFFE) == 0xFFFE) {
                    return false;
                }
                i++;
                continue;
            }
            if (Character.isLowSurrogate(c) || Character.isISOControl(c) || isBidiControl(c)
                    || c == '\uFFFE' || c == '\uFFFF' || (c >= '\uFDD0' && c <= '\uFDEF')) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link #isAcceptableInput(String)}, and the value is a name rather than a pattern: it has
     * at least one letter and no wildcard character ({@code * % ? _}).
     */
    public static boolean isAcceptableName(String s) {
        if (!isAcceptableInput(s)) {
            return false;
        }
        boolean letter = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '%' || c == '?' || c == '_') {
                return false;
            }
            letter |= Character.isLetter(c);
        }
        return letter;
    }

    static boolean isBidiControl(char c) {
        return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200E' || c == '\u200F' || c == '\u061C';
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** The normalised form: lower case, no diacritics, single spaces between tokens; "" for null. */
    public static String normalise(String s) {
        if (s == null || s.isEmpty()) {
            return "";
        }
        // ASCII is its own NFKC form (and needs no NFD): most names and addresses skip the normaliser
        boolean ascii = isAscii(s);
        String nfkc = ascii ? s : Normalizer.normalize(s, Normalizer.Form.NFKC);
        String base = ascii || isAscii(nfkc) ? nfkc : Normalizer.normalize(nfkc, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(base.length());
        boolean pendingSpace = false;
        for (int i = 0; i < base.length(); i++) {
            char c = base.charAt(i);
            int type = Character.getType(c);
            if (type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                    || type == Character.ENCLOSING_MARK || c == '\'' || c == '\u2019' || c == '\u2018'
                    || c == '`' || c == '\u00B4' || type == Character.FORMAT) {
                continue;
            }
            if (Character.isLetterOrDigit(c) || Character.isSurrogate(c)) {
                if (pendingSpace && out.length() > 0) {
                    out.append(' ');
                }
                pendingSpace = false;
                String special = special(c);
                if (special != null) {
                    out.append(special);
                } else {
                    out.append(Character.toLowerCase(c));
                }
            } else {
                pendingSpace = true;
            }
        }
        return out.toString();
    }

    /** The normalised tokens: {@code "Khan-Patel"} gives {@code [khan, patel]}. */
    public static String[] tokens(String s) {
        String n = normalise(s);
        return n.isEmpty() ? new String[0] : split(n);
    }

    static String[] split(String normalised) {
        List<String> parts = new ArrayList<>(3);
        int start = 0;
        for (int i = 0; i <= normalised.length(); i++) {
            if (i == normalised.length() || normalised.charAt(i) == ' ') {
                if (i > start) {
                    parts.add(normalised.substring(start, i));
                }
                start = i + 1;
            }
        }
        return parts.toArray(new String[0]);
    }

    /** The normalised form without spaces: {@code "Khan-Patel"} and {@code "khan patel"} give {@code khanpatel}. */
    public static String compact(String s) {
        return removeSpaces(normalise(s));
    }

    static String removeSpaces(String normalised) {
        if (normalised.indexOf(' ') < 0) {
            return normalised;
        }
        StringBuilder b = new StringBuilder(normalised.length());
        for (int i = 0; i < normalised.length(); i++) {
            char c = normalised.charAt(i);
            if (c != ' ') {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String special(char c) {
        switch (c) {
            case 'ß': return "ss";
            case 'ẞ': return "ss";
            case 'Æ': case 'æ': return "ae";
            case 'Œ': case 'œ': return "oe";
            case 'Ø': case 'ø': return "o";
            case 'Ł': case 'ł': return "l";
            case 'Đ': case 'đ': case 'Ð': case 'ð': return "d";
            case 'Þ': case 'þ': return "th";
            case 'ı': return "i";
            case 'Ħ': case 'ħ': return "h";
            default: return null;
        }
    }
}
