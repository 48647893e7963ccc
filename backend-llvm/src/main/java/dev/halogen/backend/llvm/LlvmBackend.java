package dev.halogen.backend.llvm;

import dev.halogen.ir.IrVerifier;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.Backend;
import dev.halogen.passes.CompiledModule;
import dev.halogen.passes.Target;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code llvm} backend: compiles a storage-flattened {@link LoweredModule} to machine code for
 * the host CPU (its name and every feature it has) with LLVM's {@code default<O3>} pipeline and the
 * ORC JIT, and runs it through the FFM API. Results are those of the interpreter bit for bit (the
 * math functions other than {@code sqrt floor ceil round trunc fract} aside, which call the C math
 * library and may differ from Java's in the last bit); failures are {@link
 * dev.halogen.passes.HalogenRuntimeException}s with the interpreter's messages. The calling
 * convention is in the package documentation. {@link #compileToFiles} compiles a module ahead of
 * time instead, into an object file or shared library and a C header for C, C++ or Python programs.
 *
 * <p>Compilation is cached per process: a module with the same text compiled for the same target
 * again reuses the machine code. Compiled code stays for the life of the process.
 *
 * <p>Loops of kind {@code parallel} run on Halogen's pool of worker threads ({@link ParallelRuntime});
 * every other kind (vectorized and unrolled loops that lowering left, GPU loops) runs serially on
 * the host, in order, as in the interpreter.
 *
 * <p>Differences from the interpreter, where a program does what it must not: accesses outside a
 * buffer are not checked (lowering inserts the checks of buffer arguments; internal accesses are in
 * bounds by construction), storage is not zero-filled, and after a failure inside a parallel loop the
 * failure reported is the first one to happen, not necessarily that of the lowest iteration.
 */
public final class LlvmBackend implements Backend {
  private static final ConcurrentHashMap<String, CompletableFuture<NativeModule>> CACHE = new ConcurrentHashMap<>();

  /**
   * The target feature ({@code llvm-fma}) that lets a float multiply and an add that uses its product
   * be fused into one multiply-add with a single rounding, as Halide and C compilers do by default.
   * Without it, every float operation rounds on its own, in the order written, exactly as the
   * interpreter computes (SEMANTICS.md); with it, results may differ from the interpreter's in the
   * last bits.
   */
  public static final String FMA = "fma";

  @Override
  public String name() {
    return "llvm";
  }

  @Override
  public Set<String> features() {
    return Set.of(FMA);
  }

  /**
   * Checks {@code module} (flattened lowered IR) and compiles it, or takes it from the cache.
   *
   * @throws IllegalArgumentException for a target that is not for this backend, or code this backend cannot compile (naming it)
   * @throws dev.halogen.ir.IrVerificationException listing the problems of an invalid or unflattened module
   */
  @Override
  public CompiledModule compile(LoweredModule module, Target target) {
    checkTarget(target);
    IrVerifier.verify(module, true);
    return new LlvmCompiledModule(module, target, compiled(module, target));
  }

  /**
   * The LLVM assembly the backend generates for {@code module}, before LLVM optimizes it or after:
   * for inspecting and testing the generated code. The module is checked as {@link #compile} does.
   */
  public static String llvmAssembly(LoweredModule module, boolean optimized) {
    IrVerifier.verify(module, true);
    return NativeModule.assembly(module, optimized);
  }

  /**
   * Compiles {@code module} (flattened lowered IR) ahead of time, for the host CPU as {@link
   * #compile} does, into files in {@code directory} (created if needed) named after {@code
   * baseName}: {@code NAME.o}, {@code libNAME.so}, {@code NAME.h}, {@code NAME.ll}, {@code NAME.s}
   * ({@link OutputKind#fileName}), the {@code kinds} asked for. The object file and the shared
   * library are self-contained: they hold the code, the module's constants and a C runtime
   * (parallel loops on POSIX threads, failure messages as the interpreter words them), and need
   * only the C and math libraries and POSIX threads. The header declares one C function per entry
   * point, named as the entry point, with a parameter per argument (a buffer as a {@code
   * halogen_buffer_t *} descriptor, a scalar as its C type) that returns 0 or nonzero after a
   * failure, and {@code const char *NAME_last_error(void)}, which gives the failure's message.
   * {@code docs/aot.md} shows how to call them from C and from Python.
   *
   * <p>Object files and shared libraries are made with the C compiler ({@code CC}, else {@code cc},
   * {@code gcc} or {@code clang} on the {@code PATH}).
   *
   * @param baseName a C identifier, not a keyword of C or C++
   * @return the file written for each kind
   * @throws IllegalArgumentException for a target that is not for this backend, code this backend
   *     cannot compile, or a base name or entry point name that cannot be a C name (naming it)
   * @throws dev.halogen.ir.IrVerificationException listing the problems of an invalid or unflattened module
   * @throws IllegalStateException when an object file or shared library is asked for and there is no
   *     C compiler, or it fails (with its output)
   * @throws java.io.UncheckedIOException when a file cannot be written
   */
  public Map<OutputKind, Path> compileToFiles(LoweredModule module, Target target, Path directory, String baseName, Set<OutputKind> kinds) {
    checkTarget(target);
    IrVerifier.verify(module, true);
    return AotCompiler.compile(module, directory, baseName, kinds, target.has(FMA));
  }

  private static NativeModule compiled(LoweredModule module, Target target) {
    String key = target + "\n" + IrPrinter.print(module);
    CompletableFuture<NativeModule> mine = new CompletableFuture<>();
    CompletableFuture<NativeModule> existing = CACHE.putIfAbsent(key, mine);
    if (existing != null) {
      try {
        return existing.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    try {
      NativeModule m = NativeModule.compile(module, target.has(FMA));
      mine.complete(m);
      return m;
    } catch (RuntimeException | Error e) {
      CACHE.remove(key, mine); // a later attempt compiles again (and fails again, with its own stack)
      mine.completeExceptionally(e);
      throw e;
    }
  }
}
