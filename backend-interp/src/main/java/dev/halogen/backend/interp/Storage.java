package dev.halogen.backend.interp;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import dev.halogen.passes.HalogenRuntimeException;
import dev.halogen.passes.analysis.Value;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * One buffer the interpreter reads and writes, by coordinates or by flat index: a buffer argument,
 * a constant, or the memory of a Realize (one per tuple element) or an Allocate. Every access is
 * checked; an access outside the buffer is a {@link HalogenRuntimeException} that names the buffer,
 * the coordinates or index, and the bounds or size.
 *
 * <p>Element {@code (c0, ..., cn)} is at flat index {@code sum of (c_d - min_d) * stride_d}, counted
 * from the start of the buffer's segment (the element at the mins). A flat index is valid when it
 * is the index of an element: for a layout in which no two elements share memory (dense, padded,
 * a channel of an interleaved image...) that is decided exactly; for a layout whose dimensions
 * overlap (strides smaller than the span of the dimensions inside them), any index from 0 to the
 * largest element's index is accepted.
 */
final class Storage {
  private static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;
  private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
  private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
  private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;
  private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
  private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;

  /** Where a storage comes from; says how messages name it and whether it may be written. */
  enum Origin {
    INPUT("input buffer", false),
    OUTPUT("output buffer", true),
    CONSTANT("constant", false),
    REALIZATION("realization", true),
    ALLOCATION("allocation", true);

    final String text;
    final boolean writable;

    Origin(String text, boolean writable) {
      this.text = text;
      this.writable = writable;
    }
  }

  private final String name;
  private final Origin origin;
  private final Buffer buffer;
  private final Type type;
  private final MemorySegment segment;
  private final int bytes;
  /** One more than the largest flat index of an element; 0 for a buffer without elements. */
  private final long span;
  /**
   * The dimensions that move through memory (extent above 1, stride above 0), smallest stride first,
   * when each stride exceeds the largest offset of the dimensions inside it (so no two elements share
   * memory); null when the layout overlaps.
   */
  private final int @Nullable [] nested;

  Storage(String name, Origin origin, Buffer buffer) {
    this.name = name;
    this.origin = origin;
    this.buffer = buffer;
    this.type = buffer.type();
    this.segment = buffer.segment();
    this.bytes = type.bytes();
    long last = 0;
    for (int d = 0; d < buffer.dimensions(); d++) last += (buffer.extent(d) - 1L) * buffer.stride(d);
    this.span = buffer.elementCount() == 0 ? 0 : last + 1;
    this.nested = nestedOrder(buffer);
  }

  /** The moving dimensions sorted by increasing stride if each stride exceeds the reach of all smaller ones, else null. */
  private static int @Nullable [] nestedOrder(Buffer b) {
    int[] dims = IntStream.range(0, b.dimensions()).filter(d -> b.extent(d) > 1 && b.stride(d) > 0).boxed()
        .sorted(Comparator.comparingLong(b::stride)).mapToInt(Integer::intValue).toArray();
    long reach = 0; // the largest offset the dimensions with smaller strides reach together
    for (int d : dims) {
      if (b.stride(d) <= reach) return null;
      reach += (b.extent(d) - 1L) * b.stride(d);
    }
    return dims;
  }

  String name() {
    return name;
  }

  Origin origin() {
    return origin;
  }

  Buffer buffer() {
    return buffer;
  }

  /** How messages name this storage: {@code input buffer in}, {@code realization of f}, {@code allocation tmp}. */
  String description() {
    return origin == Origin.REALIZATION ? "the realization of " + name : origin.text + " " + name;
  }

  // ------------------------------------------------------------------ addressing

  /**
   * The flat index of the element at {@code coords}.
   *
   * @param access what is accessing, for messages ({@code "Provide to f"})
   * @throws HalogenRuntimeException when the coordinates are not inside the bounds
   */
  long flatIndex(long[] coords, String access) {
    if (coords.length != buffer.dimensions()) {
      throw new HalogenRuntimeException(access + " has " + coords.length + " coordinate(s) but " + description() + " has "
          + buffer.dimensions() + " dimension(s)");
    }
    long index = 0;
    for (int d = 0; d < coords.length; d++) {
      long c = coords[d] - buffer.min(d);
      if (c < 0 || c >= buffer.extent(d)) {
        throw new HalogenRuntimeException(access + " at " + coordsText(coords) + " is outside the bounds of " + description()
            + ": " + buffer.boundsText());
      }
      index += c * buffer.stride(d);
    }
    return index;
  }

  /**
   * Checks that {@code index} is the flat index of an element.
   *
   * @throws HalogenRuntimeException naming the buffer, the index and the buffer's size and layout
   */
  void checkFlatIndex(long index, String access) {
    if (!isElement(index)) {
      long count = buffer.elementCount();
      String layout = nested != null && span == count
          ? "flat indices 0 .. " + (count - 1)
          : "bounds " + buffer.boundsText() + ", strides " + stridesText() + ": flat indices from 0 to " + (span - 1) + " that the strides reach";
      throw new HalogenRuntimeException(access + " at flat index " + index + " is outside " + description() + ", which holds "
          + count + " element(s)" + (count == 0 ? "" : " (" + layout + ")"));
    }
  }

  private boolean isElement(long index) {
    if (index < 0 || index >= span) return false;
    if (nested == null) return true;
    // Nested strides make the coordinates unique: from the largest stride down, each is the most that fits.
    long rest = index;
    for (int k = nested.length - 1; k >= 0; k--) {
      int d = nested[k];
      long c = Math.min(rest / buffer.stride(d), buffer.extent(d) - 1L);
      rest -= c * buffer.stride(d);
    }
    return rest == 0;
  }

  private String stridesText() {
    long[] s = new long[buffer.dimensions()];
    for (int d = 0; d < s.length; d++) s[d] = buffer.stride(d);
    return Arrays.toString(s);
  }

  static String coordsText(long[] coords) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < coords.length; i++) sb.append(i > 0 ? ", " : "").append(coords[i]);
    return sb.append(')').toString();
  }

  // ------------------------------------------------------------------ elements

  /**
   * Checks that {@code access} may read {@code laneType} elements from this storage.
   *
   * @throws HalogenRuntimeException when the element types differ
   */
  void checkElementType(Type laneType, String access) {
    if (!laneType.element().equals(type)) {
      throw new HalogenRuntimeException(access + " accesses " + laneType.element() + " elements but " + description()
          + " holds " + type);
    }
  }

  /** Checks that this storage may be written. */
  void checkWritable(String access) {
    if (!origin.writable) throw new HalogenRuntimeException(access + ": " + description() + " is read-only");
  }

  /**
   * The elements at flat indices {@code indices} (checked already) as a value of {@code type}; lanes
   * not {@code active} are not read and hold zero.
   */
  Value read(Type type, long[] indices, boolean[] active) {
    int n = indices.length;
    if (this.type.isFloat()) {
      double[] lanes = new double[n];
      for (int i = 0; i < n; i++) if (active[i]) lanes[i] = readFloat(indices[i] * bytes);
      return Value.ofFloats(type, lanes);
    }
    long[] lanes = new long[n];
    for (int i = 0; i < n; i++) if (active[i]) lanes[i] = readBits(indices[i] * bytes);
    return Value.ofInts(type, lanes);
  }

  /** Writes lane {@code lane} of {@code value} (of this storage's element type) at flat index {@code index} (checked already). */
  void write(Value value, int lane, long index) {
    long off = index * bytes;
    if (type.isFloat()) {
      double d = value.doubleLane(lane); // already of the element type's precision: the conversions below are exact
      switch (type.bits()) {
        case 16 -> segment.set(I16, off, Float.floatToFloat16((float) d));
        case 32 -> segment.set(F32, off, (float) d);
        default -> segment.set(F64, off, d);
      }
      return;
    }
    long bits = value.longLane(lane); // normalized to the element type: storing its low bytes is exact
    switch (bytes) {
      case 1 -> segment.set(I8, off, (byte) bits);
      case 2 -> segment.set(I16, off, (short) bits);
      case 4 -> segment.set(I32, off, (int) bits);
      default -> segment.set(I64, off, bits);
    }
  }

  private double readFloat(long off) {
    return switch (type.bits()) {
      case 16 -> Float.float16ToFloat(segment.get(I16, off));
      case 32 -> segment.get(F32, off);
      default -> segment.get(F64, off);
    };
  }

  /** An integer or bool element in {@link Value}'s form: sign-extended for signed types, zero-extended otherwise, bool as 0 or 1. */
  private long readBits(long off) {
    boolean signed = type.isInt();
    return switch (bytes) {
      case 1 -> type.isBool() ? (segment.get(I8, off) != 0 ? 1 : 0) : signed ? segment.get(I8, off) : Byte.toUnsignedLong(segment.get(I8, off));
      case 2 -> signed ? segment.get(I16, off) : Short.toUnsignedLong(segment.get(I16, off));
      case 4 -> signed ? segment.get(I32, off) : Integer.toUnsignedLong(segment.get(I32, off));
      default -> segment.get(I64, off);
    };
  }
}
