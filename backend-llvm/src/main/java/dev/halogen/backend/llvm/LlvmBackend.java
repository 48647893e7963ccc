package dev.halogen.backend.llvm;

import dev.halogen.ir.IrVerifier;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.Backend;
import dev.halogen.passes.CompiledModule;
import dev.halogen.passes.Target;
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
 * convention is in the package documentation.
 *
 * <p>Compilation is cached per process: a module with the same text compiled for the same target
 * again reuses the machine code. Compiled code stays for the life of the process.
 *
 * <p>Loops of kind {@code parallel} run on Java's common fork-join pool ({@link ParallelRuntime});
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

  @Override
  public String name() {
    return "llvm";
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
      NativeModule m = NativeModule.compile(module);
      mine.complete(m);
      return m;
    } catch (RuntimeException | Error e) {
      CACHE.remove(key, mine); // a later attempt compiles again (and fails again, with its own stack)
      mine.completeExceptionally(e);
      throw e;
    }
  }
}
