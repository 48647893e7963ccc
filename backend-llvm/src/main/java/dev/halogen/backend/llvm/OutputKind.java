package dev.halogen.backend.llvm;

/**
 * A file that {@link LlvmBackend#compileToFiles} writes for a module compiled ahead of time, named
 * after the base name {@code NAME} given there. The object file and the shared library hold the
 * generated code and its C runtime (parallel loops on POSIX threads, failure messages), so they
 * need nothing from Halogen or the JVM: see {@code docs/aot.md}.
 */
public enum OutputKind {
  /**
   * {@code NAME.o}: a relocatable object with the code, the runtime and the module's constants, to
   * link into a program ({@code cc main.c NAME.o -pthread -lm}). Made with the C compiler.
   */
  OBJECT(".o"),
  /**
   * {@code libNAME.so}: a shared library with the same contents, exporting only the entry points
   * and {@code NAME_last_error} ({@code cc main.c -L DIR -lNAME}, or Python's {@code ctypes}). Made
   * with the C compiler.
   */
  SHARED_LIBRARY(".so"),
  /** {@code NAME.h}: the C header that declares the entry points and the buffer descriptor. */
  C_HEADER(".h"),
  /** {@code NAME.ll}: the generated code as LLVM assembly, optimized, for reading (the C runtime is not in it). */
  LLVM_ASSEMBLY(".ll"),
  /** {@code NAME.s}: the generated code as assembly for the host, for reading (the C runtime is not in it). */
  ASSEMBLY(".s");

  private final String extension;

  OutputKind(String extension) {
    this.extension = extension;
  }

  /** The name of the file of this kind for base name {@code baseName}: {@code NAME.o}, {@code libNAME.so}, ... */
  public String fileName(String baseName) {
    return (this == SHARED_LIBRARY ? "lib" : "") + baseName + extension;
  }
}
