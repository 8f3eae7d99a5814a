package dev.gpush.interop;

import dev.gpush.io.SafeTensors;
import dev.gpush.nn.Module;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reverse direction: a state dict that gpush saves with {@link SafeTensors} holds exactly the keys, shapes and
 * kinds of dtype of PyTorch's state dict for the same module, so PyTorch's {@code load_state_dict(strict=True)}
 * takes it. Each file also holds gpush's outputs (float64) on the fixture's inputs; with
 * {@code -Dgpush.interop.export=DIR} the files are copied to DIR, where
 * {@code src/test/resources/torch/check_gpush_export.py DIR} loads them into PyTorch and compares its outputs.
 */
class StateDictExportInteropTest {
    static Stream<String> moduleFixtures() { return Fixture.all().stream().filter(n -> !n.startsWith("optim_")); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("moduleFixtures")
    void savedStateDictHasPyTorchsKeysShapesAndDtypes(String name, @TempDir Path dir) throws IOException {
        Fixture f = Fixture.load(name);
        Module m = TorchModules.build(f);
        Map<String, Tensor> file = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> file.put("state." + k, v.clone()));
        m.to(DType.FLOAT64);
        m.train(f.training());
        List<Tensor> outs = TorchModules.forward(m, f);
        for (int i = 0; i < outs.size(); i++) file.put("output." + f.outputNames().get(i), outs.get(i).detach());
        if (f.training()) m.stateDict().forEach((k, v) -> file.put("after." + k, v.clone()));
        Path saved = dir.resolve(name + ".safetensors");
        SafeTensors.save(file, saved, Map.of("fixture", name));

        Map<String, Tensor> torch = f.state(), gpush = Fixture.withPrefix(SafeTensors.load(saved), "state.");
        assertEquals(new TreeSet<>(torch.keySet()), new TreeSet<>(gpush.keySet()), name + ": state dict keys");
        torch.forEach((k, t) -> {
            Tensor g = gpush.get(k);
            assertArrayEquals(t.shape(), g.shape(), name + ": shape of " + k);
            if (t.isFloatingPoint()) assertTrue(g.isFloatingPoint(), name + ": " + k + " is " + g.dtype());
            else assertEquals(t.dtype(), g.dtype(), name + ": dtype of " + k);
        });
        String export = System.getProperty("gpush.interop.export");
        if (export != null) {
            Files.createDirectories(Path.of(export));
            Files.copy(saved, Path.of(export).resolve(saved.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void everyFixtureFileIsComparedByATest() {
        Set<String> tested = new TreeSet<>();
        for (Class<?> c : List.of(BasicLayersInteropTest.class, AttentionInteropTest.class,
                ConvolutionInteropTest.class, LossesInteropTest.class, OptimizerInteropTest.class))
            for (Method method : c.getDeclaredMethods()) {
                ValueSource v = method.getAnnotation(ValueSource.class);
                if (v != null) tested.addAll(List.of(v.strings()));
            }
        Set<String> untested = new TreeSet<>(Fixture.all());
        untested.removeAll(tested);
        assertEquals(Set.of(), untested, "fixtures that no test compares");
        Set<String> missing = new TreeSet<>(tested);
        missing.removeAll(Fixture.all());
        assertEquals(Set.of(), missing, "tests naming fixtures that do not exist");
    }
}
