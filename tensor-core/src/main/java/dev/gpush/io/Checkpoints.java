package dev.gpush.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Training checkpoints: everything needed to resume (model and optimizer state dicts, scheduler and scaler
 * state, the epoch) in one file, as {@code torch.save}/{@code torch.load} are used for them.
 *
 * <pre>{@code
 * Checkpoints.save(Path.of("ckpt.safetensors"), Map.of(
 *         "model", model.stateDict(), "optimizer", optimizer.stateDict(), "epoch", epoch));
 * var ckpt = Checkpoints.load(Path.of("ckpt.safetensors"));
 * model.loadStateDict((Map<String, Tensor>) ckpt.get("model"));
 * int epoch = (Integer) ckpt.get("epoch");
 * }</pre>
 *
 * <p>Rules:
 * <ul>
 *   <li>The file is a safetensors file, so any safetensors reader (Python's included) can open it: each tensor is
 *       stored under its path in the tree ({@code model/layers.0.weight}), and the tree itself is JSON in the
 *       metadata entry {@value #STRUCTURE} (see {@link CheckpointStructure} for the encoding).</li>
 *   <li>{@link #load} gives back the same tree: maps in their order, lists, each number with its Java type,
 *       primitive arrays, and tensors as new CPU tensors that do not require grad. A tensor object that appeared
 *       twice comes back as one object.</li>
 *   <li>Saving is atomic ({@link AtomicFile}): a save that fails or is killed part way leaves the previous
 *       checkpoint at that path whole. A value that cannot be stored fails the save before the file is touched.</li>
 * </ul>
 */
public final class Checkpoints {
    static final String STRUCTURE = "gpush.checkpoint.structure";
    static final String VERSION = "gpush.checkpoint.version";
    static final String CURRENT_VERSION = "1";

    private Checkpoints() {}

    public static void save(Path file, Map<String, ?> entries) throws IOException {
        CheckpointStructure structure = new CheckpointStructure();
        Object json;
        try {
            json = structure.encode(entries, "");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot save checkpoint " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(VERSION, CURRENT_VERSION);
        metadata.put(STRUCTURE, Json.write(json));
        SafeTensors.save(structure.tensors, file, metadata);
    }

    @SuppressWarnings("unchecked")
    public static LinkedHashMap<String, Object> load(Path file) throws IOException {
        SafeTensors.Contents contents = SafeTensors.read(file);
        Map<String, String> metadata = contents.metadata();
        if (metadata == null || !metadata.containsKey(STRUCTURE))
            throw new TensorFileException(file, "not a gpush checkpoint: its metadata has no " + STRUCTURE
                    + " (a plain safetensors file? read it with SafeTensors.load)");
        if (!CURRENT_VERSION.equals(metadata.get(VERSION)))
            throw new TensorFileException(file, "checkpoint format version " + metadata.get(VERSION)
                    + " is not one this gpush reads (" + CURRENT_VERSION + ")");
        Object tree;
        try {
            tree = CheckpointStructure.decode(Json.parse(metadata.get(STRUCTURE)), contents.tensors());
        } catch (IllegalArgumentException e) {
            throw new TensorFileException(file, "corrupt checkpoint structure: " + e.getMessage());
        }
        if (!(tree instanceof LinkedHashMap<?, ?> map))
            throw new TensorFileException(file, "corrupt checkpoint structure: the top level is not a map of entries");
        return (LinkedHashMap<String, Object>) map;
    }
}
