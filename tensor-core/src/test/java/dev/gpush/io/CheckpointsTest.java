package dev.gpush.io;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.gpush.io.IoAssert.*;
import static org.junit.jupiter.api.Assertions.*;

/** Training checkpoints: the whole tree comes back with its types, and a failed save never harms the old file. */
class CheckpointsTest {
    @TempDir Path dir;

    private static Map<String, Tensor> modelState() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("layers.0.weight", Tensor.randn(new Generator(1), 4, 3));
        m.put("layers.0.bias", Tensor.zeros(4));
        m.put("norm.running_mean", Tensor.randn(new Generator(2), 4).to(DType.FLOAT64));
        m.put("norm.num_batches_tracked", Tensor.scalar(12L, DType.INT64));
        m.put("emb.weight", Tensor.randn(new Generator(3), 5, 2).to(DType.BFLOAT16));
        return m;
    }

    /** The shape of gpush's Optimizer.stateDict(): integer-keyed state, groups of options with "params". */
    private static Map<String, Object> adamState() {
        Map<Integer, Object> state = new LinkedHashMap<>();
        for (int i = 0; i < 2; i++) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("step", Tensor.scalar(3.0f));
            s.put("exp_avg", Tensor.randn(new Generator(10 + i), 4, 3));
            s.put("exp_avg_sq", Tensor.randn(new Generator(20 + i), 4, 3).abs());
            state.put(i, s);
        }
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("lr", 1e-3);
        group.put("betas", List.of(0.9, 0.999));
        group.put("eps", 1e-8);
        group.put("weight_decay", 0.0);
        group.put("amsgrad", false);
        group.put("params", List.of(0, 1));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", state);
        out.put("param_groups", List.of(group));
        return out;
    }

    private static Map<String, Object> checkpoint() {
        Map<String, Object> scheduler = new LinkedHashMap<>();
        scheduler.put("base_lrs", List.of(1e-3));
        scheduler.put("last_epoch", 5);
        scheduler.put("_step_count", 6);
        scheduler.put("milestones", new TreeMap<>(Map.of(30, 1, 80, 1)));
        Map<String, Object> scaler = new LinkedHashMap<>();
        scaler.put("scale", 65536.0f);
        scaler.put("growth_factor", 2.0);
        scaler.put("_growth_tracker", 0);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("model", modelState());
        c.put("optimizer", adamState());
        c.put("scheduler", scheduler);
        c.put("scaler", scaler);
        c.put("epoch", 7);
        return c;
    }

    /** Deep equality where tensors compare by dtype, shape and bits, and every value keeps its Java class. */
    private static void assertSameTree(Object expected, Object actual, String path) {
        if (expected == null) { assertNull(actual, path); return; }
        assertNotNull(actual, path);
        switch (expected) {
            case Tensor t -> assertSameTensor(t, (Tensor) actual);
            case Map<?, ?> m -> {
                Map<?, ?> a = assertInstanceOf(Map.class, actual, path);
                assertEquals(new ArrayList<>(m.keySet()), new ArrayList<>(a.keySet()), path + " keys in order");
                for (Object k : m.keySet()) assertSameTree(m.get(k), a.get(k), path + "/" + k);
            }
            case List<?> l -> {
                List<?> a = assertInstanceOf(List.class, actual, path);
                assertEquals(l.size(), a.size(), path);
                for (int i = 0; i < l.size(); i++) assertSameTree(l.get(i), a.get(i), path + "/" + i);
            }
            case double[] d -> assertArrayEquals(d, (double[]) actual, path);
            case float[] f -> assertArrayEquals(f, (float[]) actual, path);
            case long[] l -> assertArrayEquals(l, (long[]) actual, path);
            case int[] i -> assertArrayEquals(i, (int[]) actual, path);
            case boolean[] b -> assertArrayEquals(b, (boolean[]) actual, path);
            default -> {
                assertEquals(expected.getClass(), actual.getClass(), path + " keeps its type");
                assertEquals(expected, actual, path);
            }
        }
    }

    @Test void aTrainingCheckpointComesBackWhole() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        Map<String, Object> saved = checkpoint();
        Checkpoints.save(file, saved);
        Map<String, Object> loaded = Checkpoints.load(file);
        assertSameTree(saved, loaded, "");
        assertInstanceOf(Integer.class, loaded.get("epoch"));
        Map<?, ?> state = (Map<?, ?>) ((Map<?, ?>) loaded.get("optimizer")).get("state");
        assertEquals(List.of(0, 1), new ArrayList<>(state.keySet()), "integer keys stay integers");
    }

    @Test void theFileIsAPlainSafetensorsFileWithReadableKeys() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoints.save(file, checkpoint());
        var tensors = SafeTensors.load(file);
        assertTrue(tensors.keySet().containsAll(List.of("model/layers.0.weight", "model/emb.weight",
                "optimizer/state/0/exp_avg", "optimizer/state/1/step")), tensors.keySet().toString());
        assertEquals(Checkpoints.CURRENT_VERSION, SafeTensors.metadata(file).get(Checkpoints.VERSION));
    }

    @Test void everyScalarKeepsItsJavaType() throws IOException {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("int", -5);
        c.put("long", 5L);
        c.put("bigLong", Long.MIN_VALUE);
        c.put("float", 0.1f);
        c.put("floatNaN", Float.NaN);
        c.put("double", 0.1);
        c.put("negZero", -0.0);
        c.put("nan", Double.NaN);
        c.put("inf", Double.NEGATIVE_INFINITY);
        c.put("tiny", Double.MIN_VALUE);
        c.put("bool", true);
        c.put("string", "héllo \"quoted\"\n😀");
        c.put("null", null);
        c.put("empty", new LinkedHashMap<>());
        c.put("emptyList", List.of());
        c.put("nested", List.of(List.of(1, 2L), Map.of("x", 3.5f)));
        c.put("doubles", new double[]{0.9, 0.999});
        c.put("floats", new float[]{1.5f});
        c.put("longs", new long[]{Long.MAX_VALUE, 0});
        c.put("ints", new int[0]);
        c.put("bools", new boolean[]{true, false});
        Path file = dir.resolve("scalars.safetensors");
        Checkpoints.save(file, c);
        assertSameTree(c, Checkpoints.load(file), "");
    }

    @Test void userKeysThatLookLikeTagsAreKeptAsData() throws IOException {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("a", Map.of("__tensor__", "not a tensor"));
        c.put("b", Map.of("__long__", 3));
        c.put("c", Map.of("__map__", Map.of("__map__", 1)));
        Path file = dir.resolve("tags.safetensors");
        Checkpoints.save(file, c);
        assertSameTree(c, Checkpoints.load(file), "");
        Map<String, Object> top = Map.of("__tensor__", Tensor.of(1.0f));
        Checkpoints.save(file, top);
        assertSameTree(top, Checkpoints.load(file), "");
    }

    @Test void aTensorReachedTwiceIsStoredOnceAndComesBackAsOneObject() throws IOException {
        Tensor shared = Tensor.randn(new Generator(4), 3);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("model", Map.of("w", shared));
        c.put("ema", Map.of("w", shared));
        Path file = dir.resolve("shared.safetensors");
        Checkpoints.save(file, c);
        assertEquals(1, SafeTensors.load(file).size());
        var loaded = Checkpoints.load(file);
        assertSame(((Map<?, ?>) loaded.get("model")).get("w"), ((Map<?, ?>) loaded.get("ema")).get("w"));
    }

    @Test void collidingPathsGetDistinctKeys() throws IOException {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("a/b", Tensor.of(1.0f));
        c.put("a", Map.of("b", Tensor.of(2.0f)));
        Path file = dir.resolve("collide.safetensors");
        Checkpoints.save(file, c);
        assertEquals(List.of("a/b", "a/b~2"), new ArrayList<>(SafeTensors.load(file).keySet()));
        assertSameTree(c, Checkpoints.load(file), "");
    }

    @Test void unstorableValuesFailBeforeTheOldFileIsTouched() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoints.save(file, checkpoint());
        byte[] before = Files.readAllBytes(file);
        Map<String, Object> bad = checkpoint();
        bad.put("callback", (Runnable) () -> {});
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.save(file, bad));
        assertTrue(e.getMessage().contains("entry 'callback'") && e.getMessage().contains(file.toString()), e.getMessage());
        Map<Object, Object> mixed = new LinkedHashMap<>();
        mixed.put("a", 1);
        mixed.put(2, 1);
        var m = assertThrows(IllegalArgumentException.class, () -> Checkpoints.save(file, Map.of("opt", mixed)));
        assertTrue(m.getMessage().contains("map 'opt' has key 2 (Integer)"), m.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }

    // ---------------------------------------------------------------- files that are not checkpoints

    private Path withStructure(String structure, Map<String, Tensor> tensors) throws IOException {
        Path file = Files.createTempFile(dir, "c", ".safetensors");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(Checkpoints.VERSION, "1");
        if (structure != null) meta.put(Checkpoints.STRUCTURE, structure);
        SafeTensors.save(tensors, file, meta);
        return file;
    }

    @Test void filesThatAreNotCheckpointsSaySo() throws IOException {
        Path plain = dir.resolve("plain.safetensors");
        SafeTensors.save(Map.of("w", Tensor.of(1.0f)), plain);
        assertFileError(plain, "not a gpush checkpoint", () -> Checkpoints.load(plain));
        Path newer = Files.createTempFile(dir, "v", ".safetensors");
        SafeTensors.save(Map.of(), newer, Map.of(Checkpoints.VERSION, "99", Checkpoints.STRUCTURE, "{}"));
        assertFileError(newer, "checkpoint format version 99", () -> Checkpoints.load(newer));
    }

    @Test void damagedStructuresAreRefused() throws IOException {
        Map<String, Tensor> one = Map.of("w", Tensor.of(1.0f));
        Path p = withStructure("{\"w\": {\"__tensor__\": \"missing\"}, \"v\": {\"__tensor__\": \"w\"}}", one);
        assertFileError(p, "entry 'w': refers to tensor \"missing\", which the file lacks", () -> Checkpoints.load(p));
        Path q = withStructure("{}", one);
        assertFileError(q, "the file holds tensors the structure never mentions: [w]", () -> Checkpoints.load(q));
        Path r = withStructure("{\"x\": {\"__pickle__\": 1}, \"w\": {\"__tensor__\": \"w\"}}", one);
        assertFileError(r, "entry 'x': unknown tag \"__pickle__\"", () -> Checkpoints.load(r));
        Path s = withStructure("{\"x\": {\"__long__\": \"12\"}, \"w\": {\"__tensor__\": \"w\"}}", one);
        assertFileError(s, "entry 'x': malformed __long__ value \"12\"", () -> Checkpoints.load(s));
        Path t = withStructure("{\"x\": ", one);
        assertFileError(t, "corrupt checkpoint structure", () -> Checkpoints.load(t));
        Path u = withStructure("[{\"__tensor__\": \"w\"}]", one);
        assertFileError(u, "the top level is not a map", () -> Checkpoints.load(u));
        Path v = withStructure("{\"x\": {\"__array__\": \"w\"}}", Map.of("w", Tensor.zeros(2, 2)));
        assertFileError(v, "a stored array must be 1-d", () -> Checkpoints.load(v));
    }
}
