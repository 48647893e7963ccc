package dev.halogen.ir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A typed, strided, multi-dimensional array in off-heap memory.
 *
 * <p>Each dimension has a min (the coordinate of its first element), an extent and a stride in
 * elements. A buffer made here is dense with the first dimension innermost (stride 1), as in Halide.
 * Memory comes from an {@link Arena}: the caller's, or an automatic one that frees the memory when
 * the buffer is unreachable. Element accessors check the coordinates and the element type; an
 * out-of-range coordinate throws {@link IndexOutOfBoundsException} naming the coordinates and the
 * bounds. Equality compares type, mins, extents and the element bits (not strides).
 */
public final class Buffer {
  private static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;
  private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
  private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
  private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;
  private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
  private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;

  static {
    // Buffers are exchanged with native code and serialized as little-endian bytes without swapping.
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new ExceptionInInitializerError("Halogen needs a little-endian host");
    }
  }

  private final Type type;
  private final int[] mins;
  private final int[] extents;
  private final long[] strides;
  /** Starts at the element at the mins of every dimension. */
  private final MemorySegment segment;

  private Buffer(Type type, int[] mins, int[] extents, long[] strides, MemorySegment segment) {
    this.type = type;
    this.mins = mins;
    this.extents = extents;
    this.strides = strides;
    this.segment = segment;
  }

  // ------------------------------------------------------------------ creation

  /** A zero-filled dense buffer with mins 0, freed when unreachable. */
  public static Buffer allocate(Type type, int... extents) {
    return allocate(Arena.ofAuto(), type, extents);
  }

  /** A zero-filled dense buffer with mins 0 in {@code arena}'s memory (freed when the arena closes). */
  public static Buffer allocate(Arena arena, Type type, int... extents) {
    return allocate(arena, type, new int[extents.length], extents);
  }

  /** A zero-filled dense buffer over {@code [mins[d], mins[d] + extents[d])} in each dimension. */
  public static Buffer allocate(Arena arena, Type type, int[] mins, int[] extents) {
    checkElementType(type);
    if (mins.length != extents.length) {
      throw new IllegalArgumentException("Buffer has " + mins.length + " mins but " + extents.length + " extents");
    }
    checkShape(mins, extents);
    long count = 1;
    long[] strides = new long[extents.length];
    for (int d = 0; d < extents.length; d++) {
      strides[d] = count;
      count = Math.multiplyExact(count, (long) extents[d]);
    }
    long bytes = Math.multiplyExact(count, (long) type.bytes());
    MemorySegment seg = arena.allocate(Math.max(bytes, 1), 64).asSlice(0, bytes);
    return new Buffer(type, mins.clone(), extents.clone(), strides, seg);
  }

  /**
   * Views memory that already exists (for example, a buffer of generated code): {@code segment}
   * starts at the element at the mins, and {@code strides} are in elements (zero or positive; a
   * negative stride would reach memory before the segment's start, and is rejected unless its
   * dimension has extent 1). The segment must cover every element.
   */
  public static Buffer wrap(Type type, MemorySegment segment, int[] mins, int[] extents, long[] strides) {
    checkElementType(type);
    if (mins.length != extents.length || strides.length != extents.length) {
      throw new IllegalArgumentException("Buffer mins, extents and strides differ in length");
    }
    checkShape(mins, extents);
    for (int e : extents) {
      if (e == 0) return new Buffer(type, mins.clone(), extents.clone(), strides.clone(), segment.asSlice(0, 0));
    }
    long lo = 0;
    long hi = 0;
    for (int d = 0; d < extents.length; d++) {
      long span = Math.multiplyExact(strides[d], extents[d] - 1L);
      if (span < 0) lo += span; else hi += span;
    }
    if (lo < 0) {
      throw new IllegalArgumentException("Buffer.wrap needs the segment to start at the lowest element; negative strides reach before it");
    }
    long reach = Math.multiplyExact(hi + 1, (long) type.bytes());
    if (reach > segment.byteSize()) {
      throw new IllegalArgumentException("Buffer.wrap: segment of " + segment.byteSize() + " bytes is smaller than the "
          + reach + " bytes the strides reach");
    }
    return new Buffer(type, mins.clone(), extents.clone(), strides.clone(), segment);
  }

  /** A float32 buffer holding {@code data} (first dimension fastest). */
  public static Buffer of(float[] data, int... extents) {
    return fromArray(Type.F32, data, data.length, extents);
  }

  /** A float64 buffer holding {@code data}. */
  public static Buffer of(double[] data, int... extents) {
    return fromArray(Type.F64, data, data.length, extents);
  }

  /** An int32 buffer holding {@code data}. */
  public static Buffer of(int[] data, int... extents) {
    return fromArray(Type.I32, data, data.length, extents);
  }

  /** An int64 buffer holding {@code data}. */
  public static Buffer of(long[] data, int... extents) {
    return fromArray(Type.I64, data, data.length, extents);
  }

  /** An int16 buffer holding {@code data}; use {@link #of(Type, short[], int...)} for uint16. */
  public static Buffer of(short[] data, int... extents) {
    return fromArray(Type.I16, data, data.length, extents);
  }

  /** A uint8 buffer (image bytes) holding {@code data}; use {@link #of(Type, byte[], int...)} for int8. */
  public static Buffer of(byte[] data, int... extents) {
    return fromArray(Type.U8, data, data.length, extents);
  }

  /** A bool buffer holding {@code data}. */
  public static Buffer of(boolean[] data, int... extents) {
    byte[] bytes = new byte[data.length];
    for (int i = 0; i < data.length; i++) bytes[i] = (byte) (data[i] ? 1 : 0);
    return fromArray(Type.BOOL, bytes, bytes.length, extents);
  }

  /** A buffer of 16-bit {@code type} (int16 or uint16) holding {@code data}'s bits. */
  public static Buffer of(Type type, short[] data, int... extents) {
    requireBytes(type, 2);
    return fromArray(type, data, data.length, extents);
  }

  /** A buffer of 8-bit {@code type} (int8, uint8) holding {@code data}'s bits. */
  public static Buffer of(Type type, byte[] data, int... extents) {
    requireBytes(type, 1);
    return fromArray(type, data, data.length, extents);
  }

  /** A buffer of 32-bit {@code type} (int32, uint32) holding {@code data}'s bits. */
  public static Buffer of(Type type, int[] data, int... extents) {
    if (type.isFloat()) throw new IllegalArgumentException("Buffer.of(Type, int[]) needs an integer type, got " + type);
    requireBytes(type, 4);
    return fromArray(type, data, data.length, extents);
  }

  /** A buffer of 64-bit {@code type} (int64, uint64) holding {@code data}'s bits. */
  public static Buffer of(Type type, long[] data, int... extents) {
    if (type.isFloat()) throw new IllegalArgumentException("Buffer.of(Type, long[]) needs an integer type, got " + type);
    requireBytes(type, 8);
    return fromArray(type, data, data.length, extents);
  }

  /**
   * A dense buffer of {@code type} over the given mins and extents whose elements are {@code bytes}
   * in little-endian order, first dimension fastest (the form {@link #toLittleEndianBytes()} gives).
   */
  public static Buffer fromLittleEndianBytes(Type type, int[] mins, int[] extents, byte[] bytes) {
    Buffer b = allocate(Arena.ofAuto(), type, mins, extents);
    if (bytes.length != b.segment.byteSize()) {
      throw new IllegalArgumentException("Buffer of " + type + " with extents " + Arrays.toString(extents) + " needs "
          + b.segment.byteSize() + " bytes, got " + bytes.length);
    }
    b.segment.copyFrom(MemorySegment.ofArray(bytes));
    return b;
  }

  private static Buffer fromArray(Type type, Object array, int length, int[] extents) {
    long count = 1;
    for (int e : extents) count *= e;
    if (count != length) {
      throw new IllegalArgumentException("Buffer extents " + Arrays.toString(extents) + " hold " + count
          + " elements but the array has " + length);
    }
    Buffer b = allocate(type, extents);
    MemorySegment src = switch (array) {
      case float[] a -> MemorySegment.ofArray(a);
      case double[] a -> MemorySegment.ofArray(a);
      case int[] a -> MemorySegment.ofArray(a);
      case long[] a -> MemorySegment.ofArray(a);
      case short[] a -> MemorySegment.ofArray(a);
      case byte[] a -> MemorySegment.ofArray(a);
      default -> throw new IllegalArgumentException("not a primitive array: " + array.getClass());
    };
    b.segment.copyFrom(src);
    return b;
  }

  private static void requireBytes(Type type, int bytes) {
    // Bool takes a byte too, but only 0 and 1 are valid bools; Buffer.of(boolean[]) builds those.
    if (type.bytes() != bytes || type.isVector() || type.isBool()) {
      throw new IllegalArgumentException("a " + (bytes * 8) + "-bit array cannot hold elements of " + type);
    }
  }

  /** Extents are not negative and every coordinate {@code min .. min + extent - 1} is an int. */
  private static void checkShape(int[] mins, int[] extents) {
    for (int d = 0; d < extents.length; d++) {
      if (extents[d] < 0) throw new IllegalArgumentException("Buffer extent " + extents[d] + " of dimension " + d + " is negative");
      if ((long) mins[d] + extents[d] - 1 > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("Buffer dimension " + d + " with min " + mins[d] + " and extent " + extents[d]
            + " has coordinates beyond " + Integer.MAX_VALUE);
      }
    }
  }

  private static void checkElementType(Type type) {
    if (type == null || type.isVector() || type.isHandle()) {
      throw new IllegalArgumentException("Buffer element type must be a scalar number or bool, got " + type);
    }
  }

  // ------------------------------------------------------------------ shape

  public Type type() {
    return type;
  }

  public int dimensions() {
    return extents.length;
  }

  public int min(int d) {
    return mins[checkDim(d)];
  }

  public int extent(int d) {
    return extents[checkDim(d)];
  }

  /** The largest coordinate of dimension {@code d}: {@code min + extent - 1}. */
  public int max(int d) {
    return mins[checkDim(d)] + extents[d] - 1;
  }

  /** Stride of dimension {@code d} in elements. */
  public long stride(int d) {
    return strides[checkDim(d)];
  }

  public int[] mins() {
    return mins.clone();
  }

  public int[] extents() {
    return extents.clone();
  }

  public long elementCount() {
    long n = 1;
    for (int e : extents) n *= e;
    return n;
  }

  /** The memory, starting at the element at the mins. */
  public MemorySegment segment() {
    return segment;
  }

  private int checkDim(int d) {
    if (d < 0 || d >= extents.length) {
      throw new IndexOutOfBoundsException("dimension " + d + " of a " + extents.length + "-dimensional buffer");
    }
    return d;
  }

  /** The same memory with the coordinates shifted so that dimension {@code d} starts at {@code newMins[d]}. */
  public Buffer withMins(int... newMins) {
    if (newMins.length != extents.length) {
      throw new IllegalArgumentException("withMins needs " + extents.length + " mins, got " + newMins.length);
    }
    checkShape(newMins, extents);
    return new Buffer(type, newMins.clone(), extents, strides, segment);
  }

  // ------------------------------------------------------------------ element access

  private long offset(int[] coords) {
    if (coords.length != extents.length) {
      throw new IndexOutOfBoundsException("coordinates " + Arrays.toString(coords) + " have " + coords.length
          + " dimensions but the buffer has " + extents.length + " (bounds " + boundsText() + ")");
    }
    long off = 0;
    for (int d = 0; d < coords.length; d++) {
      long c = (long) coords[d] - mins[d]; // in long: an int difference can overflow and wrap into range
      if (c < 0 || c >= extents[d]) {
        throw new IndexOutOfBoundsException("coordinates " + Arrays.toString(coords) + " are outside the buffer's bounds "
            + boundsText() + " in dimension " + d);
      }
      off += c * strides[d];
    }
    return off * type.bytes();
  }

  /** The bounds as {@code [min, max] x [min, max]}. */
  public String boundsText() {
    StringBuilder sb = new StringBuilder();
    for (int d = 0; d < extents.length; d++) {
      if (d > 0) sb.append(" x ");
      sb.append('[').append(mins[d]).append(", ").append(mins[d] + extents[d] - 1).append(']');
    }
    return extents.length == 0 ? "(scalar)" : sb.toString();
  }

  private void requireType(Type expected, String accessor) {
    if (!type.equals(expected)) {
      throw new IllegalArgumentException(accessor + " needs a " + expected + " buffer, this one holds " + type);
    }
  }

  private void requireBits(int bits, String accessor) {
    if (type.isFloat() || type.isBool() || type.bits() != bits) {
      throw new IllegalArgumentException(accessor + " needs a " + bits + "-bit integer buffer, this one holds " + type);
    }
  }

  public float getFloat(int... coords) {
    requireType(Type.F32, "getFloat");
    return segment.get(F32, offset(coords));
  }

  public void setFloat(float v, int... coords) {
    requireType(Type.F32, "setFloat");
    segment.set(F32, offset(coords), v);
  }

  public double getDouble(int... coords) {
    requireType(Type.F64, "getDouble");
    return segment.get(F64, offset(coords));
  }

  public void setDouble(double v, int... coords) {
    requireType(Type.F64, "setDouble");
    segment.set(F64, offset(coords), v);
  }

  /** An element of an int32 or uint32 buffer (uint32 bits as a Java int). */
  public int getInt(int... coords) {
    requireBits(32, "getInt");
    return segment.get(I32, offset(coords));
  }

  public void setInt(int v, int... coords) {
    requireBits(32, "setInt");
    segment.set(I32, offset(coords), v);
  }

  /** An element of an int64 or uint64 buffer. */
  public long getLong(int... coords) {
    requireBits(64, "getLong");
    return segment.get(I64, offset(coords));
  }

  public void setLong(long v, int... coords) {
    requireBits(64, "setLong");
    segment.set(I64, offset(coords), v);
  }

  /** An element of an int16 or uint16 buffer (its bits). */
  public short getShort(int... coords) {
    requireBits(16, "getShort");
    return segment.get(I16, offset(coords));
  }

  public void setShort(short v, int... coords) {
    requireBits(16, "setShort");
    segment.set(I16, offset(coords), v);
  }

  /** An element of an int8 or uint8 buffer (its bits). */
  public byte getByte(int... coords) {
    requireBits(8, "getByte");
    return segment.get(I8, offset(coords));
  }

  public void setByte(byte v, int... coords) {
    requireBits(8, "setByte");
    segment.set(I8, offset(coords), v);
  }

  public boolean getBool(int... coords) {
    requireType(Type.BOOL, "getBool");
    return segment.get(I8, offset(coords)) != 0;
  }

  public void setBool(boolean v, int... coords) {
    requireType(Type.BOOL, "setBool");
    segment.set(I8, offset(coords), (byte) (v ? 1 : 0));
  }

  /** Any element converted to double: unsigned types read as unsigned, bool as 0 or 1. */
  public double getAsDouble(int... coords) {
    long off = offset(coords);
    return switch (type.code()) {
      case FLOAT -> switch (type.bits()) {
        case 16 -> Float.float16ToFloat(segment.get(I16, off));
        case 32 -> segment.get(F32, off);
        default -> segment.get(F64, off);
      };
      case INT, UINT, BOOL -> {
        long bits = readBits(off);
        yield type.isUInt() && type.bits() == 64 && bits < 0 ? unsignedToDouble(bits) : (double) bits;
      }
      case HANDLE -> throw new IllegalStateException("handle buffer");
    };
  }

  /**
   * {@code bits} read as an unsigned 64-bit integer, rounded to the nearest double. Halving first
   * keeps the value in long range; or-ing the dropped bit back in as a sticky bit keeps the halved
   * value on the same side of every rounding midpoint, so the result is rounded once, correctly.
   */
  private static double unsignedToDouble(long bits) {
    if (bits >= 0) return (double) bits;
    return (double) ((bits >>> 1) | (bits & 1)) * 2.0;
  }

  /**
   * Any integer or bool element as a long: sign-extended for signed types, zero-extended for
   * unsigned ones; a uint64 element of 2^63 or more comes back as its bits (a negative long, to be
   * read with {@link Long#toUnsignedString(long)} or {@link Long#compareUnsigned}).
   */
  public long getAsLong(int... coords) {
    if (type.isFloat()) throw new IllegalArgumentException("getAsLong needs an integer or bool buffer, this one holds " + type);
    return readBits(offset(coords));
  }

  private long readBits(long off) {
    boolean signed = type.isInt();
    return switch (type.bytes()) {
      case 1 -> signed ? segment.get(I8, off) : Byte.toUnsignedLong(segment.get(I8, off));
      case 2 -> signed ? segment.get(I16, off) : Short.toUnsignedLong(segment.get(I16, off));
      case 4 -> signed ? segment.get(I32, off) : Integer.toUnsignedLong(segment.get(I32, off));
      default -> segment.get(I64, off);
    };
  }

  /**
   * Stores {@code v} converted to the element type as a cast would: floats round to the type's
   * precision, integers truncate toward zero and keep the low bits of the result (uint64 takes the
   * whole range up to 2^64), bool is {@code v != 0}.
   */
  public void setFromDouble(double v, int... coords) {
    long off = offset(coords);
    switch (type.code()) {
      case FLOAT -> {
        switch (type.bits()) {
          case 16 -> segment.set(I16, off, Float.floatToFloat16((float) v));
          case 32 -> segment.set(F32, off, (float) v);
          default -> segment.set(F64, off, v);
        }
      }
      case BOOL -> segment.set(I8, off, (byte) (v != 0 ? 1 : 0));
      case INT, UINT -> writeBits(off, type.isUInt() && type.bits() == 64 ? doubleToUnsigned(v) : (long) v);
      case HANDLE -> throw new IllegalStateException("handle buffer");
    }
  }

  /**
   * {@code v} truncated toward zero as an unsigned 64-bit integer: {@code (long) v} saturates at
   * 2^63 - 1, so values from 2^63 up are shifted down into long range and back.
   */
  private static long doubleToUnsigned(double v) {
    double two63 = 0x1p63;
    return v >= two63 ? (long) (v - two63) + Long.MIN_VALUE : (long) v;
  }

  private void writeBits(long off, long bits) {
    switch (type.bytes()) {
      case 1 -> segment.set(I8, off, (byte) bits);
      case 2 -> segment.set(I16, off, (short) bits);
      case 4 -> segment.set(I32, off, (int) bits);
      default -> segment.set(I64, off, bits);
    }
  }

  // ------------------------------------------------------------------ bulk conversion

  /** Calls {@code action} with the coordinates of every element, first dimension fastest. */
  public void forEachCoordinate(java.util.function.Consumer<int[]> action) {
    if (elementCount() == 0) return;
    int[] c = mins.clone();
    while (true) {
      action.accept(c);
      int d = 0;
      while (d < c.length) {
        if (++c[d] < mins[d] + extents[d]) break;
        c[d] = mins[d];
        d++;
      }
      if (d == c.length) return;
    }
  }

  /** The elements' bytes in native little-endian order, dense, first dimension fastest. */
  public byte[] toLittleEndianBytes() {
    int size = type.bytes();
    byte[] out = new byte[Math.toIntExact(elementCount() * size)];
    MemorySegment dst = MemorySegment.ofArray(out);
    long[] pos = {0};
    forEachCoordinate(c -> {
      MemorySegment.copy(segment, offset(c), dst, pos[0], size);
      pos[0] += size;
    });
    return out;
  }

  public float[] toFloatArray() {
    requireType(Type.F32, "toFloatArray");
    return MemorySegment.ofArray(toLittleEndianBytes()).toArray(F32);
  }

  public double[] toDoubleArray() {
    requireType(Type.F64, "toDoubleArray");
    return MemorySegment.ofArray(toLittleEndianBytes()).toArray(F64);
  }

  public int[] toIntArray() {
    requireBits(32, "toIntArray");
    return MemorySegment.ofArray(toLittleEndianBytes()).toArray(I32);
  }

  public long[] toLongArray() {
    requireBits(64, "toLongArray");
    return MemorySegment.ofArray(toLittleEndianBytes()).toArray(I64);
  }

  public short[] toShortArray() {
    requireBits(16, "toShortArray");
    return MemorySegment.ofArray(toLittleEndianBytes()).toArray(I16);
  }

  public byte[] toByteArray() {
    requireBits(8, "toByteArray");
    return toLittleEndianBytes();
  }

  /** A dense copy with the same type, mins and extents in {@code arena}'s memory. */
  public Buffer copy(Arena arena) {
    Buffer b = allocate(arena, type, mins, extents);
    b.segment.copyFrom(MemorySegment.ofArray(toLittleEndianBytes()));
    return b;
  }

  public Buffer copy() {
    return copy(Arena.ofAuto());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Buffer b
        && type.equals(b.type)
        && Arrays.equals(mins, b.mins)
        && Arrays.equals(extents, b.extents)
        && Arrays.equals(toLittleEndianBytes(), b.toLittleEndianBytes());
  }

  @Override
  public int hashCode() {
    return 31 * (31 * type.hashCode() + Arrays.hashCode(extents)) + Arrays.hashCode(toLittleEndianBytes());
  }

  @Override
  public String toString() {
    return "Buffer(" + type + ", " + boundsText() + ")";
  }
}
