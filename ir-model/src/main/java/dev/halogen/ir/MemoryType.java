package dev.halogen.ir;

/** Where an allocation lives. {@link #AUTO} lets lowering choose (stack for small constant sizes, else heap). */
public enum MemoryType {
  AUTO,
  HEAP,
  STACK,
  REGISTER,
  GPU_SHARED,
  GPU_TEXTURE
}
