package dev.gpush.distributed;

/**
 * How {@code allReduce} and {@code reduceScatter} combine the ranks' values (PyTorch's {@code dist.ReduceOp}).
 *
 * <p>Rules:
 * <ul>
 *   <li>Integers wrap around as Java's {@code long}/{@code int} arithmetic does; AVG on integers divides with
 *       truncation toward zero (NCCL's rule).</li>
 *   <li>float16 and bfloat16 combine in float32 and round back to their type at every step, as a GPU does.</li>
 *   <li>bool: SUM and MAX are a logical or, PRODUCT and MIN a logical and; AVG is refused.</li>
 *   <li>MAX and MIN propagate NaN.</li>
 * </ul>
 */
public enum ReduceOp {
    SUM, AVG, PRODUCT, MAX, MIN
}
