// Integer batched matrix products (cuBLAS has none): out[b, i, j] = sum_p a[b, i, p] * b[b, p, j] in long long,
// one thread per output element. Floating point products go to cuBLAS (CudaMatmul). Operand strides are
// {batch, row, column} in elements.

extern "C" __global__ void matmul_i64(long long batches, long long m, long long n, long long k,
                                      GpOperand out, GpOperand a, GpOperand b) {
    GP_FOR_EACH(e, batches * m * n) {
        long long bi = e / (m * n), i = (e / n) % m, j = e % n;
        long long acc = 0;
        for (long long p = 0; p < k; p++)
            acc += gp_load<long long>(a, bi * a.stride[0] + i * a.stride[1] + p * a.stride[2])
                 * gp_load<long long>(b, bi * b.stride[0] + p * b.stride[1] + j * b.stride[2]);
        gp_store(out, bi * out.stride[0] + i * out.stride[1] + j * out.stride[2], acc);
    }
}
