package dev.gpush.nn;

import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Sequential, ModuleList and Flatten: naming, indexing, chaining, iteration and PyTorch's printing. */
class ContainersTest {
    @Test void sequentialChainsItsModulesInOrder() {
        Tensor.manualSeed(0);
        Linear a = new Linear(4, 8), b = new Linear(8, 2);
        Sequential seq = new Sequential(a, new ReLU(), b);
        Tensor x = Tensor.randn(new Generator(1), 5, 4);
        assertTrue(seq.forward(x).allclose(b.forward(a.forward(x).relu()), 0, 0));
        assertSame(x, new Sequential().forward(x), "an empty Sequential is the identity");
    }

    @Test void sequentialNamesChildrenByPositionAndIndexesFromEitherEnd() {
        Linear first = new Linear(2, 3);
        Sequential seq = new Sequential(first, new ReLU());
        seq.add(new Linear(3, 1));
        assertEquals(3, seq.size());
        assertEquals(List.of("0", "1", "2"), List.copyOf(seq.namedChildren().keySet()));
        assertSame(first, seq.get(0));
        Linear last = seq.get(-1);
        assertEquals(1, last.outFeatures);
        assertInstanceOf(ReLU.class, seq.get(-2));
        var e = assertThrows(IndexOutOfBoundsException.class, () -> seq.get(3));
        assertTrue(e.getMessage().contains("3") && e.getMessage().contains("Sequential"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> seq.get(-4));
        List<Module> seen = new ArrayList<>();
        for (Module m : seq) seen.add(m);
        assertEquals(seq.children(), seen);
    }

    @Test void sequentialTakesNamedModules() {
        LinkedHashMap<String, Module> named = new LinkedHashMap<>();
        named.put("fc", new Linear(2, 2));
        named.put("act", new Tanh());
        Sequential seq = new Sequential(named);
        assertEquals(List.of("fc.weight", "fc.bias"), List.copyOf(seq.namedParameters().keySet()));
        assertEquals("Sequential(\n  (fc): Linear(in_features=2, out_features=2, bias=True)\n  (act): Tanh()\n)",
                seq.toString());
    }

    @Test void moduleListHoldsModulesWithoutAForward() {
        ModuleList list = new ModuleList(new Linear(2, 2));
        list.add(new Linear(2, 3)).addAll(List.of(new ReLU(), new Tanh()));
        assertEquals(4, list.size());
        assertFalse(list.isEmpty());
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias"), List.copyOf(list.namedParameters().keySet()));
        Linear second = list.get(1);
        assertEquals(3, second.outFeatures);
        assertInstanceOf(Tanh.class, list.get(-1));
        int n = 0;
        for (Module m : list) n++;
        assertEquals(4, n);
        var e = assertThrows(UnsupportedOperationException.class, () -> list.forward(Tensor.zeros(2)));
        assertTrue(e.getMessage().contains("iterate"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(4));
    }

    @Test void moduleListPrintsRunsOfEqualModulesFolded() {
        ModuleList list = new ModuleList(new Linear(4, 4), new Linear(4, 4), new Linear(4, 4), new ReLU(), new Linear(4, 2));
        assertEquals("""
                ModuleList(
                  (0-2): 3 x Linear(in_features=4, out_features=4, bias=True)
                  (3): ReLU()
                  (4): Linear(in_features=4, out_features=2, bias=True)
                )""", list.toString());
        assertEquals("ModuleList()", new ModuleList().toString());
    }

    @Test void foldedBlocksIndentTheirInnerLines() {
        ModuleList list = new ModuleList(new Sequential(new Linear(2, 2), new ReLU()), new Sequential(new Linear(2, 2), new ReLU()));
        assertEquals("""
                ModuleList(
                  (0-1): 2 x Sequential(
                    (0): Linear(in_features=2, out_features=2, bias=True)
                    (1): ReLU()
                  )
                )""", list.toString());
    }

    @Test void flattenMergesTheChosenDims() {
        Tensor x = Tensor.arange(0, 24).view(2, 3, 4);
        assertArrayEquals(new int[]{2, 12}, new Flatten().forward(x).shape());
        assertArrayEquals(new int[]{6, 4}, new Flatten(0, 1).forward(x).shape());
        assertArrayEquals(new int[]{24}, new Flatten(0, -1).forward(x).shape());
        assertArrayEquals(x.toLongArray(), new Flatten().forward(x).toLongArray());
        assertEquals("Flatten(start_dim=1, end_dim=-1)", new Flatten().toString());
    }
}
