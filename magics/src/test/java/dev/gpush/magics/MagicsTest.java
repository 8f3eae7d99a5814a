package dev.gpush.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry: built-ins, suggestions for unknown names, NAME? help, registration from a cell, %lsmagic. */
class MagicsTest {

    private final Magics magics = Magics.standard();

    private String error(String name) {
        return assertThrows(MagicException.class, () -> magics.get(name)).getMessage();
    }

    @Test
    void anUnknownNameSuggestsTheClosestMagics() {
        assertEquals("%timit is not a magic; did you mean %timeit? (%lsmagic lists them)", error("timit"));
        assertEquals("%whoo is not a magic; did you mean %who or %whos? (%lsmagic lists them)", error("whoo"));
        assertEquals("%Maven is not a magic; did you mean %maven? (%lsmagic lists them)", error("Maven"));
        assertEquals("%nosuchmagic is not a magic; %lsmagic lists them", error("nosuchmagic"));
        assertEquals("%x is not a magic; %lsmagic lists them", error("x")); // one letter is close to nothing
    }

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(0, Magics.distance("time", "time"));
        assertEquals(1, Magics.distance("timit", "timeit"));
        assertEquals(1, Magics.distance("tme", "time"));
        assertEquals(2, Magics.distance("tiem", "time"));
        assertEquals(4, Magics.distance("", "time"));
    }

    @Test
    void aNameWithAQuestionMarkShowsTheHelp() throws Exception {
        var context = new RecordingContext();
        magics.get("timeit?").run(context, "", null);
        assertTrue(context.stdout().startsWith("%timeit: time code over many runs: mean ± std. dev. per loop\n"
                + "usage: %timeit [-n N]"), context.stdout());
        assertTrue(context.stdout().contains("(first run: 3.1 ms, JIT warm-up)"), context.stdout());
    }

    @Test
    void everyBuiltInHasHelpAndAUsageLine() {
        var names = magics.all().stream().map(Magic::name).toList();
        assertTrue(names.containsAll(List.of("time", "timeit", "env", "classpath", "jars", "maven", "mavenRepo",
                "load", "run", "writefile", "bash", "sh", "who", "whos", "reset", "magic", "lsmagic")), names::toString);
        for (Magic magic : magics.all()) {
            assertFalse(magic.help().isBlank(), magic.name());
            assertTrue(magic.usage().startsWith("%"), magic.name());
        }
    }

    @Test
    void aMagicRegisteredFromACellIsFoundAndReplacesABuiltIn() throws Exception {
        Magic hello = new Magic() {
            public String name() {
                return "gpushTestHello";
            }

            public String help() {
                return "say hello";
            }

            public Object run(MagicContext context, String args, String body) {
                context.print("hello " + args);
                return null;
            }
        };
        try {
            Magics.register(hello);
            assertSame(hello, magics.get("gpushTestHello"));
            assertSame(hello, new Magics(List.of()).get("gpushTestHello")); // every registry of the JVM
            assertTrue(magics.all().contains(hello));
        } finally {
            assertTrue(Magics.unregister("gpushTestHello"));
        }
        assertThrows(MagicException.class, () -> magics.get("gpushTestHello"));
        var bad = assertThrows(IllegalArgumentException.class, () -> Magics.register(new Magic() {
            public String name() {
                return "two words";
            }

            public String help() {
                return "";
            }

            public Object run(MagicContext context, String args, String body) {
                return null;
            }
        }));
        assertTrue(bad.getMessage().contains("'two words'"), bad.getMessage());
    }

    @Test
    void lsmagicListsEveryMagicWithItsHelp() throws Exception {
        var context = new RecordingContext();
        context.magics = magics;
        magics.get("lsmagic").run(context, "", null);
        for (Magic magic : magics.all()) {
            assertTrue(context.stdout().contains("%" + magic.name() + " "), magic.name());
            assertTrue(context.stdout().contains(magic.help()), magic.name());
        }
    }

    @Test
    void percentMagicShowsOneMagicsHelpOrHowMagicsWork() throws Exception {
        var context = new RecordingContext();
        context.magics = magics;
        magics.get("magic").run(context, "%%bash", null);
        assertTrue(context.stdout().startsWith("%bash: run the cell with /bin/bash"), context.stdout());
        var alone = new RecordingContext();
        magics.get("magic").run(alone, "", null);
        assertTrue(alone.stdout().contains("Magics.register(new Magic()"), alone.stdout());
        var unknown = assertThrows(MagicException.class, () -> magics.get("magic").run(context, "timit", null));
        assertTrue(unknown.getMessage().contains("did you mean %timeit?"), unknown.getMessage());
    }
}
