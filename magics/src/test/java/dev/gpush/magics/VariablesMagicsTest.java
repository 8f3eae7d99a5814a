package dev.gpush.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gpush.tensor.Tensor;
import dev.gpush.magics.MagicContext.Variable;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** %who, %whos and %reset. */
class VariablesMagicsTest {

    private static RecordingContext session() {
        var context = new RecordingContext();
        context.variables.addAll(List.of(new Variable("lr", "double", "0.001"),
                new Variable("$1", "int", "2"), // JShell's value of an expression: not the user's
                new Variable("name", "String", "\"a\nb\""),
                new Variable("x", "Tensor", "tensor([[1., 1., 1.],\n        [1., 1., 1.]])"),
                new Variable("text", "String", "\"" + "abcdefghij".repeat(6) + "\"")));
        return context;
    }

    @Test
    void whoListsTheUsersVariablesSortedOrThoseOfSomeTypes() {
        var context = session();
        new WhoMagic().run(context, "", null);
        new WhoMagic().run(context, "String", null);
        new WhoMagic().run(context, "Module", null);
        assertEquals("lr\tname\ttext\tx\nname\ttext\nNo variables match your requested type.\n", context.stdout());
        var empty = new RecordingContext();
        new WhoMagic().run(empty, "", null);
        assertEquals("Interactive namespace is empty.\n", empty.stdout());
    }

    @Test
    void whosIsIPythonsTableWithTensorsDescribedByShapeDtypeDeviceAndBytes() {
        var context = session();
        var tensor = Tensor.ones(2, 3);
        context.values = source -> (Supplier<Object[]>) () -> new Object[] {tensor};
        new WhosMagic().run(context, "", null);
        assertEquals("(java.util.function.Supplier<Object[]>) () -> new Object[] {x}", context.valuesAsked.getFirst());
        assertEquals("""
                Variable   Type      Data/Info
                ------------------------------
                lr         double    0.001
                name       String    "a\\nb"
                text       String    "abcdefghijabcdefghijabcd<...>ghijabcdefghijabcdefghij"
                x          Tensor    [2, 3]: 6 elems, float32, cpu, 24 bytes
                """, context.stdout());
    }

    @Test
    void whosFallsBackToJShellsTextWhenTheTensorsCannotBeFetched() {
        var context = session();
        new WhosMagic().run(context, "Tensor", null);
        assertEquals("""
                Variable   Type      Data/Info
                ------------------------------
                x          Tensor    tensor([[1., 1., 1.],\\n        [1., 1., 1.]])
                """, context.stdout());
    }

    @Test
    void resetResetsWithOrWithoutDashFAndSaysSoWithout() {
        var context = new RecordingContext();
        new ResetMagic().run(context, "", null);
        new ResetMagic().run(context, "-f", null);
        assertEquals(2, context.resets);
        assertEquals(1, context.out.size());
        var bad = assertThrows(MagicException.class, () -> new ResetMagic().run(context, "-x", null));
        assertEquals("%reset: unknown option '-x'\nusage: %reset [-f]", bad.getMessage());
    }
}
