package dev.halogen.ir;

/** Which device a loop runs on; {@link #HOST} for CPU loops, a GPU API for GPU loops. */
public enum DeviceApi {
  HOST,
  /** Whichever GPU API the target enables. */
  DEFAULT_GPU,
  CUDA,
  OPENCL
}
