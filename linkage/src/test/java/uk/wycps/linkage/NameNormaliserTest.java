package uk.wycps.linkage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Normalisation of names and the input check (F4; API.md: control and bidi characters refused). */
class NameNormaliserTest {

    @Test
    void foldsCase() {
        assertEquals("aisha khan", NameNormaliser.normalise("AISHA Khan"));
    }

    @Test
    void removesDiacritics() {
        assertEquals("zoe", NameNormaliser.normalise("Zoë"));
        assertEquals("lukasz wisniewski", NameNormaliser.normalise("Łukasz Wiśniewski"));
        assertEquals("soren", NameNormaliser.normalise("Søren"));
        assertEquals("strasse", NameNormaliser.normalise("Straße"));
        assertEquals("dorota", NameNormaliser.normalise("Dörötá"));
        assertEquals("sinead", NameNormaliser.normalise("Sinéad"));
    }

    @Test
    void appliesNfkc() {
        // Full-width letters and a ligature become their plain forms.
        assertEquals("ab", NameNormaliser.normalise("ＡＢ"));
        assertEquals("fiona", NameNormaliser.normalise("ﬁona"));
        // A decomposed e + combining acute equals the precomposed form.
        assertEquals(NameNormaliser.normalise("Ren\u00e9e"), NameNormaliser.normalise("Rene\u0301e"));
    }

    @Test
    void dropsApostrophesAndTurnsOtherPunctuationIntoSpaces() {
        assertEquals("obrien", NameNormaliser.normalise("O'Brien"));
        assertEquals("obrien", NameNormaliser.normalise("O\u2019Brien"));
        assertEquals("smith jones", NameNormaliser.normalise("Smith.Jones"));
        assertEquals("j", NameNormaliser.normalise("J."));
    }

    @Test
    void collapsesSpacing() {
        assertEquals("mary ann", NameNormaliser.normalise("  Mary \t  Ann  "));
        assertEquals("", NameNormaliser.normalise("   "));
        assertEquals("", NameNormaliser.normalise(null));
    }

    @Test
    void hyphenatedAndDoubleBarrelledSurnamesKeepTheirPartsAndCompactTheSame() {
        assertArrayEquals(new String[] {"khan", "patel"}, NameNormaliser.tokens("Khan-Patel"));
        assertArrayEquals(new String[] {"khan", "patel"}, NameNormaliser.tokens("Khan Patel"));
        assertEquals("khanpatel", NameNormaliser.compact("Khan-Patel"));
        assertEquals("khanpatel", NameNormaliser.compact("khan patel"));
        assertEquals("bowesdlyon", NameNormaliser.compact("Bowes–d'Lyon"));
    }

    @Test
    void keepsOtherScripts() {
        assertEquals("زينب", NameNormaliser.normalise("زينب"));
        assertEquals("наталья", NameNormaliser.normalise("Наталья"));
    }

    @Test
    void acceptsOrdinaryUnicodeNames() {
        assertTrue(NameNormaliser.isAcceptableInput("Aisha Khan-Patel"));
        assertTrue(NameNormaliser.isAcceptableInput("Łukasz"));
        assertTrue(NameNormaliser.isAcceptableInput("عائشة"));
        assertTrue(NameNormaliser.isAcceptableInput("O'Brien"));
        assertTrue(NameNormaliser.isAcceptableInput("\uD840\uDC00")); // a supplementary CJK ideograph
    }

    @Test
    void refusesControlCharacters() {
        assertFalse(NameNormaliser.isAcceptableInput("Ai\u0000sha"));
        assertFalse(NameNormaliser.isAcceptableInput("Aisha\r\nKhan"));
        assertFalse(NameNormaliser.isAcceptableInput("Aisha\tKhan"));
        assertFalse(NameNormaliser.isAcceptableInput("Aisha\u007f"));
        assertFalse(NameNormaliser.isAcceptableInput("Aisha\u0085"));
        assertFalse(NameNormaliser.isAcceptableInput(null));
    }

    @Test
    void refusesBidirectionalOverridesIsolatesAndMarks() {
        for (char c : new char[] {'\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069',
                '\u200E', '\u200F', '\u061C'}) {
            assertFalse(NameNormaliser.isAcceptableInput("Ai" + c + "sha"), () -> "U+" + Integer.toHexString(c));
        }
    }

    @Test
    void refusesUnpairedSurrogatesAndNonCharacters() {
        assertFalse(NameNormaliser.isAcceptableInput("a\uD800b"));
        assertFalse(NameNormaliser.isAcceptableInput("a\uDC00"));
        assertFalse(NameNormaliser.isAcceptableInput("a\uFFFF"));
        assertFalse(NameNormaliser.isAcceptableInput("a\uFDD0"));
    }

    @Test
    void aNameMustHaveALetterAndNoWildcard() {
        assertTrue(NameNormaliser.isAcceptableName("Khan"));
        assertFalse(NameNormaliser.isAcceptableName("*"));
        assertFalse(NameNormaliser.isAcceptableName("Kh%"));
        assertFalse(NameNormaliser.isAcceptableName("K?an"));
        assertFalse(NameNormaliser.isAcceptableName("   "));
        assertFalse(NameNormaliser.isAcceptableName("123"));
        assertFalse(NameNormaliser.isAcceptableName("Kh\u202Ean"));
    }

    @Test
    void nicknamesFromTheTable() {
        Nicknames n = Nicknames.defaults();
        assertTrue(n.equivalent("Bill", "William"));
        assertTrue(n.equivalent("Kasia", "Katarzyna"));
        assertTrue(n.equivalent("Mo", "Mohammed"));
        assertTrue(n.equivalent("Muhammad", "Mohammed"));
        assertTrue(n.equivalent("Gosia", "Małgorzata"));
        assertTrue(n.equivalent("Sasha", "Alexander"));
        assertTrue(n.equivalent("Aisha", "Ayesha"));
        assertFalse(n.equivalent("Aisha", "Amira"));
        assertFalse(n.equivalent("Joseph", "Josephine"));
        assertFalse(n.equivalent("Unknownname", "Otherunknown"));
    }
}
