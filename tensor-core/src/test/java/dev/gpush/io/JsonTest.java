package dev.gpush.io;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The small JSON reader and writer behind safetensors headers and checkpoint structures. */
class JsonTest {

    private static String errorOf(String text) {
        return assertThrows(IllegalArgumentException.class, () -> Json.parse(text)).getMessage();
    }

    @Test void parsesObjectsInFileOrderWithLongsAndDoubles() {
        Object v = Json.parse(" {\"b\": [1, -2, 3.5, 1e3, true, false, null], \"a\": {\"x\": \"y\"}}  ");
        Map<?, ?> m = assertInstanceOf(LinkedHashMap.class, v);
        assertEquals(List.of("b", "a"), List.copyOf(m.keySet()));
        assertEquals(java.util.Arrays.asList(1L, -2L, 3.5, 1000.0, true, false, null), m.get("b"));
        assertEquals(Map.of("x", "y"), m.get("a"));
    }

    @Test void integersBeyondLongBecomeDoubles() {
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(1e19, Json.parse("10000000000000000000"));
    }

    @Test void decodesEveryEscape() {
        assertEquals("\" \\ / \b \f \n \r \t \u00e9 \ud83d\ude00", Json.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00E9 \\ud83d\\ude00\""));
    }

    @Test void writesCompactlyAndEscapesLikeSerdeJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "q\" b\\ n\n t\t c\u0001 é");
        m.put("l", List.of(1, 2L, 0.5, true));
        m.put("n", null);
        assertEquals("{\"s\":\"q\\\" b\\\\ n\\n t\\t c\\u0001 é\",\"l\":[1,2,0.5,true],\"n\":null}", Json.write(m));
    }

    @Test void writtenTextReadsBackEqual() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("weird \u0000\u001f key", List.of("\ud83d\ude00", -0.25, 123456789012L));
        assertEquals(m, Json.parse(Json.write(m)));
    }

    @Test void rejectsDuplicateKeysNamingThem() {
        assertTrue(errorOf("{\"a\": 1, \"a\": 2}").contains("duplicate key \"a\""));
    }

    @Test void rejectsMalformedTextWithThePosition() {
        assertTrue(errorOf("{\"a\": 1,}").contains("expected a string key"));
        assertTrue(errorOf("{\"a\" 1}").contains("expected ':'"));
        assertTrue(errorOf("[1 2]").contains("expected ',' or ']'"));
        assertTrue(errorOf("{\"a\": 1} x").contains("after the end"));
        assertTrue(errorOf("\"abc").contains("unexpected end"));
        assertTrue(errorOf("\"a\nb\"").contains("raw control character"));
        assertTrue(errorOf("01").contains("after the end"));
        assertTrue(errorOf("1.").contains("digits after '.'"));
        assertTrue(errorOf("tru").contains("invalid literal"));
        assertTrue(errorOf("\"\\x\"").contains("invalid escape"));
        assertTrue(errorOf("\"\\u12G4\"").contains("invalid \\u escape"));
        assertTrue(errorOf("").contains("unexpected end"));
        assertTrue(errorOf("{\"a\": 1").contains("(at character 7)"));
    }

    @Test void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "[".repeat(100_000);
        assertTrue(errorOf(deep).contains("nested deeper than " + Json.MAX_DEPTH));
    }

    @Test void refusesWhatJsonCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }
}
