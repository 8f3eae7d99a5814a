package dev.gpush.cuda;

/** A CUDA driver, NVRTC or cuBLAS call failed; the message names the call and the error. */
public final class CudaException extends RuntimeException {
    public CudaException(String message) { super(message); }

    public CudaException(String message, Throwable cause) { super(message, cause); }
}
