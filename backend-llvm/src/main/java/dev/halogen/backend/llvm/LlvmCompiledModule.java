package dev.halogen.backend.llvm;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.LoweredModule.ArgumentKind;
import dev.halogen.passes.Arguments;
import dev.halogen.passes.CompiledModule;
import dev.halogen.passes.HalogenRuntimeException;
import dev.halogen.passes.Target;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A module compiled by the {@link LlvmBackend}: runs an entry point by writing its argument slots
 * and buffer descriptors (see the package documentation), calling its native entry, and turning a
 * failure into the {@link HalogenRuntimeException} of its error site.
 *
 * <p>A buffer whose memory is not native (a view of a Java array), whose elements are not aligned
 * to their size, or whose innermost dimension is not dense (generated code assumes all three; see
 * {@link Abi#denseInnermost}), is copied to native memory for the call, and copied back afterwards
 * if it is an output. Output buffers must not share memory with any
 * other buffer argument: the generated code assumes they do not. The slots, descriptors and error
 * area of a call are in memory of its thread that the next call reuses.
 */
final class LlvmCompiledModule extends CompiledModule {
  private final NativeModule code;

  LlvmCompiledModule(LoweredModule module, Target target, NativeModule code) {
    super(module, target);
    this.code = code;
  }

  /** The machine code this module runs (shared by every compilation of an equal module for the same target). */
  NativeModule code() {
    return code;
  }

  @Override
  protected void execute(Arguments arguments) {
    CallMemory memory = CALL_MEMORY.get();
    if (memory.busy) {
      // A run nested in a run on this thread (a print handler called from generated code may realize a pipeline).
      try (Arena arena = Arena.ofConfined()) {
        call(arguments, arena);
      }
      return;
    }
    memory.busy = true;
    memory.used = 0;
    try {
      call(arguments, memory);
    } finally {
      memory.busy = false;
    }
  }

  /** Runs with the slots, descriptors and error area in {@code memory}. */
  private void call(Arguments arguments, SegmentAllocator memory) {
    NativeModule.Entry entry = code.entry(arguments.entryPoint().name());
    List<Argument> declared = arguments.entryPoint().arguments();
    checkNoOverlap(arguments);
    List<MemorySegment> constants = code.constants();
    int errorSlot = declared.size() + constants.size();
    MemorySegment slots = memory.allocate(Abi.SLOT * (errorSlot + 1), 8);
    MemorySegment errors = memory.allocate(Abi.ERROR_VALUES + 8L * entry.code().errorSlots(), 8);
    errors.set(ValueLayout.JAVA_INT, Abi.ERROR_CODE, 0);
    slots.set(ValueLayout.ADDRESS, Abi.SLOT * errorSlot, errors);
    for (int j = 0; j < constants.size(); j++) slots.set(ValueLayout.ADDRESS, Abi.SLOT * (declared.size() + j), constants.get(j));
    Arena copies = null; // for buffers in Java arrays or misaligned, made when the first one comes
    List<Runnable> copyBack = new ArrayList<>();
    try {
      for (int i = 0; i < declared.size(); i++) {
        Argument a = declared.get(i);
        if (a.kind() == ArgumentKind.SCALAR) {
          Abi.writeScalar(slots, i, a, arguments.scalar(a.name()));
          continue;
        }
        Buffer b = arguments.buffer(a.name());
        String what = (a.kind() == ArgumentKind.INPUT_BUFFER ? "input buffer " : "output buffer ") + a.name();
        MemorySegment host = b.segment();
        if (!Abi.innermostDense(b)) {
          // The code is generated for a dense innermost dimension: it runs on a dense copy.
          if (copies == null) copies = Arena.ofConfined();
          Buffer dense = b.copy(copies);
          Buffer original = b;
          if (a.kind() == ArgumentKind.OUTPUT_BUFFER) copyBack.add(() -> copyElements(dense, original));
          b = dense;
          host = dense.segment();
        } else if (!host.isNative() || host.address() % b.type().bytes() != 0) {
          if (copies == null) copies = Arena.ofConfined();
          MemorySegment copy = copies.allocate(Math.max(host.byteSize(), 1), 64).asSlice(0, host.byteSize());
          copy.copyFrom(host);
          MemorySegment original = host;
          if (a.kind() == ArgumentKind.OUTPUT_BUFFER) copyBack.add(() -> original.copyFrom(copy));
          host = copy;
        }
        slots.set(ValueLayout.ADDRESS, Abi.SLOT * i, Abi.descriptor(memory, host, b, what));
      }
      int rc;
      try {
        rc = (int) entry.invoker().invokeExact(slots);
      } catch (Throwable t) {
        throw new IllegalStateException("calling the native entry of " + arguments.entryPoint().name() + " failed", t);
      } finally {
        copyBack.forEach(Runnable::run);
      }
      Throwable printFailure = PrintRuntime.takeFailure();
      if (printFailure != null) {
        throw new HalogenRuntimeException("printing a line of entry point " + arguments.entryPoint().name() + " failed: " + printFailure,
            printFailure);
      }
      if (rc != 0) throw failure(entry, errors, rc);
    } finally {
      if (copies != null) copies.close();
    }
  }

  /**
   * The memory of the calls on one thread: a block reused from call to call (a bump allocator,
   * reset at each call), so that a call allocates nothing. A block too small is replaced by a
   * larger one; the old one stays alive while the call's segments in it are.
   */
  private static final class CallMemory implements SegmentAllocator {
    private MemorySegment block = Arena.ofAuto().allocate(4096, 64);
    long used;
    boolean busy;

    @Override
    public MemorySegment allocate(long size, long align) {
      long start = (used + align - 1) & -align; // the block is 64-aligned: offsets aligned to align are addresses aligned to it
      if (start + size > block.byteSize()) {
        block = Arena.ofAuto().allocate(Math.max(2 * block.byteSize(), size + align), 64);
        start = 0;
      }
      used = start + size;
      return block.asSlice(start, size);
    }
  }

  private static final ThreadLocal<CallMemory> CALL_MEMORY = ThreadLocal.withInitial(CallMemory::new);

  /** Copies every element of {@code from} to the same coordinates of {@code to} (same type and bounds, any strides). */
  private static void copyElements(Buffer from, Buffer to) {
    long size = from.type().bytes();
    MemorySegment src = from.segment();
    MemorySegment dst = to.segment();
    from.forEachCoordinate(c -> MemorySegment.copy(src, offset(from, c) * size, dst, offset(to, c) * size, size));
  }

  /** The element offset of coordinates {@code c} in {@code b}. */
  private static long offset(Buffer b, int[] c) {
    long at = 0;
    for (int d = 0; d < c.length; d++) at += (long) (c[d] - b.min(d)) * b.stride(d);
    return at;
  }

  /** Rejects an output buffer that shares memory with another buffer argument. */
  private static void checkNoOverlap(Arguments arguments) {
    List<Argument> declared = arguments.entryPoint().arguments();
    for (Argument out : declared) {
      if (out.kind() != ArgumentKind.OUTPUT_BUFFER) continue;
      MemorySegment o = arguments.buffer(out.name()).segment();
      for (Argument other : declared) {
        if (other == out || other.kind() == ArgumentKind.SCALAR) continue;
        if (overlap(o, arguments.buffer(other.name()).segment())) {
          throw new IllegalArgumentException("entry point " + arguments.entryPoint().name() + ": output buffer " + out.name()
              + " shares memory with buffer " + other.name() + "; the llvm backend needs output buffers that overlap no other buffer argument");
        }
      }
    }
  }

  private static boolean overlap(MemorySegment a, MemorySegment b) {
    if (a.byteSize() == 0 || b.byteSize() == 0) return false;
    if (a.isNative() && b.isNative()) return a.address() < b.address() + b.byteSize() && b.address() < a.address() + a.byteSize();
    return a.asOverlappingSlice(b).isPresent(); // the same Java array, or not
  }

  private static HalogenRuntimeException failure(NativeModule.Entry entry, MemorySegment errors, int rc) {
    int code = errors.get(ValueLayout.JAVA_INT, Abi.ERROR_CODE);
    if (code == 0) {
      Throwable cause = ParallelRuntime.takeFailure();
      return new HalogenRuntimeException("the parallel runtime failed (result " + rc + ")" + (cause == null ? "" : ": " + cause), cause);
    }
    ErrorSite site = entry.code().sites().get(code - 1);
    long[] values = new long[site.slots()];
    for (int i = 0; i < values.length; i++) values[i] = errors.get(ValueLayout.JAVA_LONG, Abi.ERROR_VALUES + 8L * i);
    return site.failure(values);
  }
}
