package dev.halogen.backend.llvm;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Expr;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.LoweredModule.EntryPoint;
import dev.halogen.ir.Parameter;
import dev.halogen.ir.Substitution;
import dev.halogen.ir.Type;
import dev.halogen.passes.analysis.Value;
import dev.halogen.passes.lower.CsePass;
import dev.halogen.passes.lower.SimplifyPass;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The native calling convention of compiled entry points (see the package documentation): the
 * layout of the argument slots, buffer descriptors and error area, in one place for the code
 * generator (which reads them) and the Java caller (which writes them).
 */
final class Abi {
  private Abi() {}

  /** The size of one argument slot: a pointer or a scalar, in its low bytes (little-endian). */
  static final long SLOT = 8;

  /** Descriptor: the address of the buffer's element at its mins. */
  static final long HOST = 0;
  /** Descriptor: the int32 dimension count. */
  static final long DIMENSIONS = 8;
  /** Descriptor: an int32 that is 0. */
  static final long RESERVED = 12;
  /** Descriptor: where the per-dimension records start. */
  static final long DIMS = 16;
  /** Descriptor: the size of one dimension's record of int32 min, extent and stride (in elements). */
  static final long DIM_SIZE = 12;
  static final long MIN = 0;
  static final long EXTENT = 4;
  static final long STRIDE = 8;

  /** Error area: the int32 code of the failure (0: none; else the failing site's index + 1). */
  static final long ERROR_CODE = 0;
  /** Error area: where the failing site's values start, one 64-bit word each. */
  static final long ERROR_VALUES = 8;

  static long descriptorSize(int dimensions) {
    return DIMS + DIM_SIZE * dimensions;
  }

  /**
   * A descriptor in {@code memory} of buffer {@code b} whose element at the mins is at {@code host}.
   *
   * @param what how messages name the buffer ({@code input buffer in})
   * @throws IllegalArgumentException when a stride does not fit in int32
   */
  static MemorySegment descriptor(SegmentAllocator memory, MemorySegment host, Buffer b, String what) {
    MemorySegment d = memory.allocate(descriptorSize(b.dimensions()), 8);
    d.set(ValueLayout.ADDRESS, HOST, host);
    d.set(ValueLayout.JAVA_INT, DIMENSIONS, b.dimensions());
    d.set(ValueLayout.JAVA_INT, RESERVED, 0);
    for (int i = 0; i < b.dimensions(); i++) {
      long at = DIMS + DIM_SIZE * i;
      d.set(ValueLayout.JAVA_INT, at + MIN, b.min(i));
      d.set(ValueLayout.JAVA_INT, at + EXTENT, b.extent(i));
      d.set(ValueLayout.JAVA_INT, at + STRIDE, stride(b, i, what));
    }
    return d;
  }

  /**
   * The stride of dimension {@code d} of {@code b} as a descriptor holds it.
   *
   * @param what how messages name the buffer ({@code constant lut})
   * @throws IllegalArgumentException when it does not fit in int32
   */
  static int stride(Buffer b, int d, String what) {
    long stride = b.stride(d);
    if (stride != (int) stride) {
      throw new IllegalArgumentException(what + ": stride " + stride + " of dimension " + d + " does not fit in int32");
    }
    return (int) stride;
  }

  /**
   * Whether generated code may read {@code b} through a descriptor of its own strides: its innermost
   * dimension is dense (stride 1), or has a single element so that its stride is never used. Code is
   * generated for an innermost stride of 1 ({@link #denseInnermost}), as Halide assumes by default;
   * the caller copies any other buffer to dense memory for the call.
   */
  static boolean innermostDense(Buffer b) {
    return b.dimensions() == 0 || b.stride(0) == 1 || b.extent(0) <= 1;
  }

  /**
   * {@code module} with the innermost stride {@code b.stride.0} of every buffer argument and
   * constant replaced by 1, simplified and with common subexpressions bound again: the caller passes
   * only buffers that are {@link #innermostDense} (copying others), and constants are copied dense
   * when compiled. With the stride known, vector loads and stores of consecutive elements are plain
   * vector loads and stores rather than a run-time choice between a dense access and a gather or
   * scatter in every one, and the simplifier puts the accesses of neighbouring elements in the form
   * {@code t + k}, whose constant offsets LLVM folds into the addressing of one base.
   */
  static LoweredModule denseInnermost(LoweredModule module) {
    List<EntryPoint> entries = new ArrayList<>();
    for (EntryPoint ep : module.entryPoints()) {
      Map<String, Expr> one = new HashMap<>();
      for (Argument a : ep.arguments()) {
        if (a.kind() != LoweredModule.ArgumentKind.SCALAR && a.dimensions() > 0) one.put(LoweredModule.strideVar(a.name(), 0).name(), ONE);
      }
      for (Parameter.Constant c : module.constants()) {
        if (c.buffer().dimensions() > 0) one.put(LoweredModule.strideVar(c.name(), 0).name(), ONE);
      }
      entries.add(new EntryPoint(ep.name(), ep.arguments(), Substitution.substitute(ep.body(), one)));
    }
    return CsePass.cse(SimplifyPass.simplify(new LoweredModule(module.name(), entries, module.constants())));
  }

  private static final Expr ONE = new Expr.IntImm(Type.I32, 1);

  /**
   * Writes scalar {@code v} of argument {@code a} into slot {@code slot}: integers and bools in their
   * width (bool as one byte, 0 or 1), floats in their format (float16 as its 16 bits), a handle as
   * an address.
   *
   * @throws IllegalArgumentException for a handle whose referent is not a {@link MemorySegment} (native code cannot hold a Java object)
   */
  static void writeScalar(MemorySegment slots, int slot, Argument a, Value v) {
    long at = SLOT * slot;
    Type t = a.type();
    switch (v) {
      case Value.IntScalar(Type type, long bits) -> {
        switch (type.bytes()) {
          case 1 -> slots.set(ValueLayout.JAVA_BYTE, at, (byte) bits);
          case 2 -> slots.set(ValueLayout.JAVA_SHORT, at, (short) bits);
          case 4 -> slots.set(ValueLayout.JAVA_INT, at, (int) bits);
          default -> slots.set(ValueLayout.JAVA_LONG, at, bits);
        }
      }
      case Value.FloatScalar(Type type, double d) -> {
        switch (type.bits()) {
          case 16 -> slots.set(ValueLayout.JAVA_SHORT, at, Float.floatToFloat16((float) d));
          case 32 -> slots.set(ValueLayout.JAVA_FLOAT, at, (float) d);
          default -> slots.set(ValueLayout.JAVA_DOUBLE, at, d);
        }
      }
      case Value.Handle(Object referent) -> {
        if (!(referent instanceof MemorySegment m)) {
          throw new IllegalArgumentException("argument " + a.name() + " (" + t + " scalar): the llvm backend passes a handle to native code"
              + " as an address, so it must refer to a MemorySegment, not a " + referent.getClass().getName());
        }
        slots.set(ValueLayout.ADDRESS, at, m);
      }
      case Value.IntVector iv -> throw new IllegalStateException("argument " + a.name() + " is a vector: " + iv);
      case Value.FloatVector fv -> throw new IllegalStateException("argument " + a.name() + " is a vector: " + fv);
    }
  }
}
