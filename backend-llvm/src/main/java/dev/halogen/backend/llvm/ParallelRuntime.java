package dev.halogen.backend.llvm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * The run-time support that generated code calls back into Java for: {@value #PAR_FOR}, which runs
 * the iterations of a parallel loop on the common {@link java.util.concurrent.ForkJoinPool}.
 *
 * <p>{@code int32 halogen_par_for(ptr task, ptr closure, int32 min, int32 extent)} calls {@code
 * int32 task(closure, lo, count)} on disjoint chunks of {@code [min, min + extent)} that cover it
 * (each chunk runs iterations {@code lo .. lo + count - 1} in order; chunks run at the same time in
 * any order) and returns 0, or the nonzero result of a failing chunk, once every chunk has finished
 * or been skipped (after a failure, chunks not yet started are skipped). The calling thread takes
 * part in the work, so a parallel loop nested in another's body is fine.
 */
final class ParallelRuntime {
  private ParallelRuntime() {}

  /** The symbol of the parallel-loop entry in generated code. */
  static final String PAR_FOR = "halogen_par_for";

  /** What {@value #PAR_FOR} returns when Java itself failed (the failure is kept for {@link #takeFailure}). */
  static final int INTERNAL_ERROR = Integer.MIN_VALUE;

  /** Chunks per available processor: enough to even out iterations of uneven cost. */
  private static final int CHUNKS_PER_PROCESSOR = 4;

  /** Calls a task {@code int32 (ptr closure, int32 lo, int32 count)} at the address given as the first argument. */
  @SuppressWarnings("restricted") // calling native code is what this class is for
  private static final MethodHandle TASK =
      Linker.nativeLinker().downcallHandle(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));

  private static final AtomicReference<@Nullable Throwable> FAILURE = new AtomicReference<>();

  /** The native entry of {@value #PAR_FOR}: a stub that lives as long as the process. */
  static final MemorySegment PAR_FOR_ENTRY = upcall();

  @SuppressWarnings("restricted") // being called from native code is what this class is for
  private static MemorySegment upcall() {
    try {
      MethodHandle parFor = MethodHandles.lookup().findStatic(ParallelRuntime.class, "parFor",
          MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class, int.class, int.class));
      return Linker.nativeLinker().upcallStub(parFor, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT), Arena.global());
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Runs the loop; never throws (an exception escaping an upcall would end the process). */
  private static int parFor(MemorySegment task, MemorySegment closure, int min, int extent) {
    try {
      if (extent <= 0) return 0;
      int chunks = (int) Math.min(extent, (long) CHUNKS_PER_PROCESSOR * Runtime.getRuntime().availableProcessors());
      if (chunks == 1) return run(task, closure, min, extent);
      AtomicInteger failed = new AtomicInteger();
      IntStream.range(0, chunks).parallel().forEach(c -> {
        if (failed.get() != 0) return;
        int lo = (int) ((long) extent * c / chunks);
        int hi = (int) ((long) extent * (c + 1) / chunks);
        int rc = run(task, closure, min + lo, hi - lo);
        if (rc != 0) failed.compareAndSet(0, rc);
      });
      return failed.get();
    } catch (Throwable t) {
      FAILURE.set(t);
      return INTERNAL_ERROR;
    }
  }

  private static int run(MemorySegment task, MemorySegment closure, int lo, int count) {
    try {
      return (int) TASK.invokeExact(task, closure, lo, count);
    } catch (Throwable t) {
      throw new IllegalStateException("calling a parallel loop body failed", t);
    }
  }

  /** The Java failure behind the last {@link #INTERNAL_ERROR}, cleared; null when there was none. */
  static @Nullable Throwable takeFailure() {
    return FAILURE.getAndSet(null);
  }
}
