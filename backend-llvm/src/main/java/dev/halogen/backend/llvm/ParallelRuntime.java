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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The run-time support that generated code calls back into Java for: {@value #PAR_FOR}, which runs
 * the iterations of a parallel loop on a pool of worker threads.
 *
 * <p>{@code int32 halogen_par_for(ptr task, ptr closure, int32 min, int32 extent)} calls {@code
 * int32 task(closure, lo, count)} on disjoint chunks of {@code [min, min + extent)} that cover it
 * (each chunk runs iterations {@code lo .. lo + count - 1} in order; chunks run at the same time in
 * any order) and returns 0, or the nonzero result of a failing chunk, once every chunk has finished
 * or been skipped (after a failure, chunks not yet started are skipped). The calling thread takes
 * part in the work, so a parallel loop nested in another's body is fine.
 *
 * <p>The pool has one worker per available processor beyond the first (the caller is the other).
 * A loop's chunks are claimed one at a time from a shared counter by whoever is free, so uneven
 * chunks even out. Idle workers spin for {@value #SPIN_NANOS} ns before they park: a pipeline runs
 * its parallel loops one after another with little serial code between them, and a spinning worker
 * joins the next loop at once, where waking a parked thread takes tens of microseconds (the common
 * fork-join pool, used before, parked its workers between loops and lost about half the speed-up
 * of 2 cores on loops of a millisecond). A thread waiting for the last chunks of its loop runs
 * chunks of other loops meanwhile (nested loops), never blocking: every claimed chunk is being run.
 */
final class ParallelRuntime {
  private ParallelRuntime() {}

  /** The symbol of the parallel-loop entry in generated code. */
  static final String PAR_FOR = "halogen_par_for";

  /** What {@value #PAR_FOR} returns when Java itself failed (the failure is kept for {@link #takeFailure}). */
  static final int INTERNAL_ERROR = Integer.MIN_VALUE;

  /** Chunks per thread of the pool: enough to even out iterations of uneven cost and a worker that starts late. */
  private static final int CHUNKS_PER_THREAD = 8;

  /** How long an idle worker looks for work before it parks. */
  private static final long SPIN_NANOS = 100_000;

  /** Calls a task {@code int32 (ptr closure, int32 lo, int32 count)} at the address given as the first argument. */
  @SuppressWarnings("restricted") // calling native code is what this class is for
  private static final MethodHandle TASK =
      Linker.nativeLinker().downcallHandle(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));

  private static final AtomicReference<@Nullable Throwable> FAILURE = new AtomicReference<>();

  /** The loops with chunks left to claim, oldest first. */
  private static final ConcurrentLinkedQueue<Loop> LOOPS = new ConcurrentLinkedQueue<>();

  /** The workers that are parked or about to park. */
  private static final Set<Thread> PARKED = ConcurrentHashMap.newKeySet();

  /** The threads that run a loop: the caller and the workers. */
  private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

  static {
    for (int i = 1; i < THREADS; i++) {
      Thread t = new Thread(ParallelRuntime::work, "halogen-parallel-" + i);
      t.setDaemon(true);
      t.start();
    }
  }

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

  /** A parallel loop in progress: chunk {@code c} covers iterations {@code [extent c / chunks, extent (c + 1) / chunks)} from {@code min}. */
  private static final class Loop {
    final MemorySegment task;
    final MemorySegment closure;
    final int min;
    final int extent;
    final int chunks;
    /** The next chunk to claim. */
    final AtomicInteger next = new AtomicInteger();
    /** The chunks finished or skipped. */
    final AtomicInteger finished = new AtomicInteger();
    /** The first nonzero result of a chunk, or 0. */
    final AtomicInteger failure = new AtomicInteger();

    Loop(MemorySegment task, MemorySegment closure, int min, int extent, int chunks) {
      this.task = task;
      this.closure = closure;
      this.min = min;
      this.extent = extent;
      this.chunks = chunks;
    }

    /** Runs chunks until none is left to claim; never throws (a Java failure is kept for {@link #takeFailure}). */
    void runChunks() {
      for (int c; (c = next.getAndIncrement()) < chunks; ) {
        if (failure.get() == 0) {
          int lo = (int) ((long) extent * c / chunks);
          int hi = (int) ((long) extent * (c + 1) / chunks);
          int rc;
          try {
            rc = run(task, closure, min + lo, hi - lo);
          } catch (Throwable t) {
            FAILURE.set(t);
            rc = INTERNAL_ERROR;
          }
          if (rc != 0) failure.compareAndSet(0, rc);
        }
        finished.incrementAndGet();
      }
    }

    boolean claimed() {
      return next.get() >= chunks;
    }

    boolean done() {
      return finished.get() >= chunks;
    }
  }

  /** Runs the loop; never throws (an exception escaping an upcall would end the process). */
  private static int parFor(MemorySegment task, MemorySegment closure, int min, int extent) {
    try {
      if (extent <= 0) return 0;
      int chunks = (int) Math.min(extent, (long) CHUNKS_PER_THREAD * THREADS);
      if (chunks == 1 || THREADS == 1) return run(task, closure, min, extent);
      Loop loop = new Loop(task, closure, min, extent, chunks);
      LOOPS.add(loop);
      for (Thread t : PARKED) LockSupport.unpark(t);
      loop.runChunks();
      LOOPS.remove(loop);
      while (!loop.done()) {
        if (!helpOnce()) Thread.onSpinWait();
      }
      return loop.failure.get();
    } catch (Throwable t) {
      FAILURE.set(t);
      return INTERNAL_ERROR;
    }
  }

  /** Runs the chunks of the oldest loop with chunks left, if there is one; whether there was. */
  private static boolean helpOnce() {
    Loop loop = LOOPS.peek();
    if (loop == null) return false;
    if (loop.claimed()) {
      LOOPS.remove(loop);
    } else {
      loop.runChunks();
    }
    return true;
  }

  /** A worker's life: run chunks while there are any, spin a while when there are none, then park until a loop comes. */
  private static void work() {
    Thread self = Thread.currentThread();
    while (true) {
      if (helpOnce()) continue;
      long until = System.nanoTime() + SPIN_NANOS;
      while (LOOPS.isEmpty() && System.nanoTime() < until) Thread.onSpinWait();
      if (!LOOPS.isEmpty()) continue;
      PARKED.add(self);
      // A loop added after this check unparks this thread, so the park below returns at once.
      if (LOOPS.isEmpty()) LockSupport.park(ParallelRuntime.class);
      PARKED.remove(self);
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
