/**
 * Tensors in files: {@link dev.gpush.io.SafeTensors} (state dicts, shared with PyTorch through Hugging Face's
 * format), {@link dev.gpush.io.Npy} (NumPy arrays) and {@link dev.gpush.io.Checkpoints} (everything a training run
 * needs to resume, in one safetensors file).
 *
 * <p>Rules shared by all three:
 * <ul>
 *   <li>Bytes on disk are little-endian whatever the platform; a tensor is written as its logical row-major values
 *       whatever its strides, device or autograd state, and loads as a new contiguous CPU tensor.</li>
 *   <li>Reading checks the whole structure before making a tensor. A truncated, corrupt or unsupported file fails
 *       with a {@link dev.gpush.io.TensorFileException} whose message starts with the file and says what is wrong;
 *       it never crashes and never yields a silently wrong tensor.</li>
 *   <li>Writing is atomic ({@code AtomicFile}): a temporary file in the same directory, forced to disk, then
 *       renamed over the target, so a failed or killed save leaves the previous file whole.</li>
 *   <li>Element types gpush lacks (8/16-bit and unsigned integers) load widened to a dtype that holds every
 *       value exactly; gpush never writes them, so a round trip keeps each dtype.</li>
 * </ul>
 */
package dev.gpush.io;
