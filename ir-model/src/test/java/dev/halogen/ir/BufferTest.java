package dev.halogen.ir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BufferTest {
  // ---------------------------------------------------------------- allocation and typed accessors

  @Test
  void allocationIsZeroFilledDenseWithMinsZero() {
    Buffer b = Buffer.allocate(Type.F32, 4, 3, 2);
    assertEquals(Type.F32, b.type());
    assertEquals(3, b.dimensions());
    assertArrayEquals(new int[] {0, 0, 0}, b.mins());
    assertArrayEquals(new int[] {4, 3, 2}, b.extents());
    assertEquals(1, b.stride(0));
    assertEquals(4, b.stride(1));
    assertEquals(12, b.stride(2));
    assertEquals(24, b.elementCount());
    assertEquals(96, b.segment().byteSize());
    assertArrayEquals(new float[24], b.toFloatArray());
  }

  @Test
  void everyElementTypeHasItsAccessor() {
    Buffer f32 = Buffer.allocate(Type.F32, 2);
    f32.setFloat(1.5f, 1);
    assertEquals(1.5f, f32.getFloat(1));

    Buffer f64 = Buffer.allocate(Type.F64, 2);
    f64.setDouble(0.1, 1);
    assertEquals(0.1, f64.getDouble(1));

    for (Type t : List.of(Type.I32, Type.U32)) {
      Buffer b = Buffer.allocate(t, 2);
      b.setInt(-5, 1);
      assertEquals(-5, b.getInt(1));
    }
    for (Type t : List.of(Type.I64, Type.U64)) {
      Buffer b = Buffer.allocate(t, 2);
      b.setLong(Long.MIN_VALUE + 3, 1);
      assertEquals(Long.MIN_VALUE + 3, b.getLong(1));
    }
    for (Type t : List.of(Type.I16, Type.U16)) {
      Buffer b = Buffer.allocate(t, 2);
      b.setShort((short) -300, 1);
      assertEquals((short) -300, b.getShort(1));
    }
    for (Type t : List.of(Type.I8, Type.U8)) {
      Buffer b = Buffer.allocate(t, 2);
      b.setByte((byte) -100, 1);
      assertEquals((byte) -100, b.getByte(1));
    }
    Buffer bool = Buffer.allocate(Type.BOOL, 2);
    bool.setBool(true, 1);
    assertTrue(bool.getBool(1));
    assertFalse(bool.getBool(0));
    assertEquals(1, bool.getAsLong(1));
    assertEquals(1.0, bool.getAsDouble(1));

    // float16 has no Java type: it is read and written through doubles, rounded to half precision.
    Buffer f16 = Buffer.allocate(Type.F16, 2);
    f16.setFromDouble(0.1, 1);
    assertEquals(0.0999755859375, f16.getAsDouble(1)); // the nearest half to 0.1: 1638 / 2^14
    assertEquals(2, f16.segment().byteSize() / 2);
  }

  @Test
  void signedElementsReadAsLongAndDoubleAreSignExtended() {
    Buffer i8 = Buffer.of(Type.I8, new byte[] {-1, -128}, 2);
    assertEquals(-1, i8.getAsLong(0));
    assertEquals(-128.0, i8.getAsDouble(1));
    Buffer i32 = Buffer.of(new int[] {Integer.MIN_VALUE}, 1);
    assertEquals(Integer.MIN_VALUE, i32.getAsLong(0));
    Buffer i64 = Buffer.of(new long[] {-7}, 1);
    assertEquals(-7.0, i64.getAsDouble(0));
  }

  @Test
  void unsignedElementsReadAsLongAndDoubleWrapIntoTheUnsignedRange() {
    Buffer u8 = Buffer.of(new byte[] {-1, (byte) 0x80}, 2);
    assertEquals(Type.U8, u8.type());
    assertEquals(255, u8.getAsLong(0));
    assertEquals(128.0, u8.getAsDouble(1));
    Buffer u16 = Buffer.of(Type.U16, new short[] {-1}, 1);
    assertEquals(65535, u16.getAsLong(0));
    assertEquals(65535.0, u16.getAsDouble(0));
    Buffer u32 = Buffer.of(Type.U32, new int[] {-1}, 1);
    assertEquals(4294967295L, u32.getAsLong(0));
    assertEquals(4294967295.0, u32.getAsDouble(0));
    Buffer u64 = Buffer.of(Type.U64, new long[] {-1, Long.MIN_VALUE}, 2);
    assertEquals(-1L, u64.getAsLong(0)); // the bits: 2^64 - 1 does not fit in a long
    assertEquals(0x1p64, u64.getAsDouble(0));
    assertEquals(0x1p63, u64.getAsDouble(1));
  }

  @Test
  void uint64ToDoubleIsCorrectlyRounded() {
    // 2^63 + 2^10 + 1 lies just above the midpoint between the doubles 2^63 and 2^63 + 2^11;
    // rounding its half and then adding the low bit back would give 2^63.
    long bits = Long.MIN_VALUE + 1025;
    Buffer b = Buffer.of(Type.U64, new long[] {bits}, 1);
    assertEquals(0x1p63 + 2048, b.getAsDouble(0));
    Random rnd = new Random(42);
    for (int i = 0; i < 10_000; i++) {
      long v = rnd.nextLong() | Long.MIN_VALUE;
      if (i % 2 == 0) v = (v & ~0xfffL) | 0x401L; // near a midpoint, with the sticky bit set
      double expected = new BigDecimal(Long.toUnsignedString(v)).doubleValue();
      b.setLong(v, 0);
      assertEquals(expected, b.getAsDouble(0), Long.toUnsignedString(v));
    }
  }

  @Test
  void setFromDoubleConvertsAsACast() {
    Buffer u64 = Buffer.allocate(Type.U64, 1);
    u64.setFromDouble(1.8e19, 0);
    assertEquals(new BigDecimal(1.8e19).toBigInteger(), new BigInteger(Long.toUnsignedString(u64.getAsLong(0))));
    u64.setFromDouble(12.9, 0);
    assertEquals(12, u64.getAsLong(0));

    Buffer u8 = Buffer.allocate(Type.U8, 1);
    u8.setFromDouble(257.7, 0); // truncates to 257, keeps the low 8 bits
    assertEquals(1, u8.getAsLong(0));
    Buffer i16 = Buffer.allocate(Type.I16, 1);
    i16.setFromDouble(-3.9, 0);
    assertEquals(-3, i16.getAsLong(0));
    Buffer f32 = Buffer.allocate(Type.F32, 1);
    f32.setFromDouble(0.1, 0);
    assertEquals(0.1f, f32.getFloat(0));
    Buffer bool = Buffer.allocate(Type.BOOL, 1);
    bool.setFromDouble(-0.5, 0);
    assertTrue(bool.getBool(0));
  }

  @Test
  void aWrongAccessorNamesBothTypes() {
    Buffer i32 = Buffer.allocate(Type.I32, 2);
    assertEquals("getFloat needs a float32 buffer, this one holds int32",
        assertThrows(IllegalArgumentException.class, () -> i32.getFloat(0)).getMessage());
    Buffer f32 = Buffer.allocate(Type.F32, 2);
    assertEquals("getInt needs a 32-bit integer buffer, this one holds float32",
        assertThrows(IllegalArgumentException.class, () -> f32.getInt(0)).getMessage());
    assertEquals("getAsLong needs an integer or bool buffer, this one holds float32",
        assertThrows(IllegalArgumentException.class, () -> f32.getAsLong(0)).getMessage());
    Buffer bool = Buffer.allocate(Type.BOOL, 2);
    assertEquals("getByte needs a 8-bit integer buffer, this one holds bool",
        assertThrows(IllegalArgumentException.class, () -> bool.getByte(0)).getMessage());
  }

  // ---------------------------------------------------------------- arrays

  @Test
  void javaArraysConvertBothWaysFirstDimensionFastest() {
    float[] data = {0, 1, 2, 3, 4, 5};
    Buffer b = Buffer.of(data, 3, 2);
    assertEquals(5f, b.getFloat(2, 1));
    assertEquals(3f, b.getFloat(0, 1));
    assertArrayEquals(data, b.toFloatArray());

    assertArrayEquals(new double[] {1.5, -2}, Buffer.of(new double[] {1.5, -2}, 2).toDoubleArray());
    assertArrayEquals(new int[] {7, -8}, Buffer.of(new int[] {7, -8}, 2).toIntArray());
    assertArrayEquals(new long[] {Long.MAX_VALUE, 1}, Buffer.of(new long[] {Long.MAX_VALUE, 1}, 1, 2).toLongArray());
    assertArrayEquals(new short[] {-1, 2}, Buffer.of(new short[] {-1, 2}, 2).toShortArray());
    assertArrayEquals(new byte[] {-1, 2}, Buffer.of(new byte[] {-1, 2}, 2).toByteArray());
    Buffer bools = Buffer.of(new boolean[] {true, false, true}, 3);
    assertEquals(Type.BOOL, bools.type());
    assertTrue(bools.getBool(2));
    assertFalse(bools.getBool(1));
    assertEquals(Type.I16, Buffer.of(new short[] {1}, 1).type());
    assertEquals(Type.U16, Buffer.of(Type.U16, new short[] {1}, 1).type());
    assertEquals(Type.I8, Buffer.of(Type.I8, new byte[] {1}, 1).type());
    assertEquals(Type.U32, Buffer.of(Type.U32, new int[] {1}, 1).type());
    assertEquals(Type.U64, Buffer.of(Type.U64, new long[] {1}, 1).type());
  }

  @Test
  void arrayConversionsCheckSizesAndTypes() {
    assertEquals("Buffer extents [2, 2] hold 4 elements but the array has 3",
        assertThrows(IllegalArgumentException.class, () -> Buffer.of(new float[3], 2, 2)).getMessage());
    assertEquals("a 16-bit array cannot hold elements of int32",
        assertThrows(IllegalArgumentException.class, () -> Buffer.of(Type.I32, new short[1], 1)).getMessage());
    assertEquals("a 8-bit array cannot hold elements of bool",
        assertThrows(IllegalArgumentException.class, () -> Buffer.of(Type.BOOL, new byte[] {2}, 1)).getMessage());
    assertEquals("Buffer.of(Type, int[]) needs an integer type, got float32",
        assertThrows(IllegalArgumentException.class, () -> Buffer.of(Type.F32, new int[1], 1)).getMessage());
    assertEquals("toFloatArray needs a float32 buffer, this one holds float64",
        assertThrows(IllegalArgumentException.class, () -> Buffer.allocate(Type.F64, 1).toFloatArray()).getMessage());
  }

  @Test
  void shapesAreChecked() {
    assertEquals("Buffer extent -1 of dimension 1 is negative",
        assertThrows(IllegalArgumentException.class, () -> Buffer.allocate(Type.F32, 2, -1)).getMessage());
    assertEquals("Buffer element type must be a scalar number or bool, got handle",
        assertThrows(IllegalArgumentException.class, () -> Buffer.allocate(Type.HANDLE, 2)).getMessage());
    assertEquals("Buffer element type must be a scalar number or bool, got float32x4",
        assertThrows(IllegalArgumentException.class, () -> Buffer.allocate(Type.F32.withLanes(4), 2)).getMessage());
    Buffer b = Buffer.allocate(Type.U8, 10);
    assertEquals("Buffer dimension 0 with min 2147483640 and extent 10 has coordinates beyond 2147483647",
        assertThrows(IllegalArgumentException.class, () -> b.withMins(Integer.MAX_VALUE - 7)).getMessage());
    assertEquals("withMins needs 1 mins, got 2",
        assertThrows(IllegalArgumentException.class, () -> b.withMins(1, 2)).getMessage());
  }

  @Test
  void scalarAndEmptyBuffers() {
    Buffer scalar = Buffer.allocate(Type.F32);
    scalar.setFloat(3f);
    assertEquals(3f, scalar.getFloat());
    assertEquals(1, scalar.elementCount());
    assertEquals("(scalar)", scalar.boundsText());
    Buffer empty = Buffer.allocate(Type.I32, 4, 0);
    assertEquals(0, empty.elementCount());
    assertArrayEquals(new int[0], empty.toIntArray());
    assertThrows(IndexOutOfBoundsException.class, () -> empty.getInt(0, 0));
  }

  // ---------------------------------------------------------------- coordinates

  @Test
  void minsShiftTheCoordinates() {
    Buffer b = Buffer.of(new float[] {0, 1, 2, 3, 4, 5}, 3, 2).withMins(-1, 4);
    assertEquals(-1, b.min(0));
    assertEquals(1, b.max(0));
    assertEquals(4, b.min(1));
    assertEquals(5, b.max(1));
    assertEquals(3, b.extent(0));
    assertEquals(0f, b.getFloat(-1, 4));
    assertEquals(5f, b.getFloat(1, 5));
    assertEquals("[-1, 1] x [4, 5]", b.boundsText());
    List<String> order = new ArrayList<>();
    b.forEachCoordinate(c -> order.add(c[0] + "," + c[1]));
    assertEquals(List.of("-1,4", "0,4", "1,4", "-1,5", "0,5", "1,5"), order);
  }

  @Test
  void anOutOfRangeAccessNamesTheCoordinatesAndTheBounds() {
    Buffer b = Buffer.of(new float[6], 3, 2).withMins(-1, 4);
    assertEquals("coordinates [2, 4] are outside the buffer's bounds [-1, 1] x [4, 5] in dimension 0",
        assertThrows(IndexOutOfBoundsException.class, () -> b.getFloat(2, 4)).getMessage());
    assertEquals("coordinates [0, 3] are outside the buffer's bounds [-1, 1] x [4, 5] in dimension 1",
        assertThrows(IndexOutOfBoundsException.class, () -> b.setFloat(1f, 0, 3)).getMessage());
    assertEquals("coordinates [0] have 1 dimensions but the buffer has 2 (bounds [-1, 1] x [4, 5])",
        assertThrows(IndexOutOfBoundsException.class, () -> b.getFloat(0)).getMessage());
    Buffer far = Buffer.allocate(Type.F32, 3).withMins(Integer.MAX_VALUE - 2);
    assertThrows(IndexOutOfBoundsException.class, () -> far.getFloat(Integer.MIN_VALUE));
    assertEquals("dimension 2 of a 2-dimensional buffer",
        assertThrows(IndexOutOfBoundsException.class, () -> b.extent(2)).getMessage());
  }

  // ---------------------------------------------------------------- bytes and views

  @Test
  void littleEndianBytesRoundTrip() {
    Buffer b = Buffer.of(new short[] {1, -2, 0x1234}, 3).withMins(5);
    byte[] bytes = b.toLittleEndianBytes();
    assertArrayEquals(new byte[] {1, 0, (byte) 0xfe, (byte) 0xff, 0x34, 0x12}, bytes);
    Buffer back = Buffer.fromLittleEndianBytes(Type.I16, new int[] {5}, new int[] {3}, bytes);
    assertEquals(b, back);
    assertEquals((short) 0x1234, back.getShort(7));
    assertEquals("Buffer of int16 with extents [3] needs 6 bytes, got 5",
        assertThrows(IllegalArgumentException.class,
            () -> Buffer.fromLittleEndianBytes(Type.I16, new int[] {0}, new int[] {3}, new byte[5])).getMessage());
  }

  @Test
  void aTransposedViewReadsTheRightElements() {
    // a is 3 wide, 2 high: a(x, y) = 10 * y + x.
    Buffer a = Buffer.of(new int[] {0, 1, 2, 10, 11, 12}, 3, 2);
    Buffer t = Buffer.wrap(Type.I32, a.segment(), new int[] {0, 0}, new int[] {2, 3}, new long[] {3, 1});
    for (int x = 0; x < 3; x++) {
      for (int y = 0; y < 2; y++) assertEquals(10 * y + x, t.getInt(y, x));
    }
    assertArrayEquals(new int[] {0, 10, 1, 11, 2, 12}, t.toIntArray());
    // Writes go to the shared memory.
    t.setInt(99, 1, 2);
    assertEquals(99, a.getInt(2, 1));
  }

  @Test
  void aSubsampledViewWithMins() {
    Buffer a = Buffer.of(new float[] {0, 1, 2, 3, 4, 5, 6}, 7);
    Buffer odd = Buffer.wrap(Type.F32, a.segment().asSlice(4), new int[] {10}, new int[] {3}, new long[] {2});
    assertEquals(1f, odd.getFloat(10));
    assertEquals(5f, odd.getFloat(12));
    assertEquals(Buffer.of(new float[] {1, 3, 5}, 3).withMins(10), odd);
    assertEquals(1, odd.copy().stride(0));
  }

  @Test
  void wrapRejectsMemoryThatDoesNotCoverTheView() {
    MemorySegment seg = Arena.ofAuto().allocate(16);
    assertEquals("Buffer.wrap: segment of 16 bytes is smaller than the 20 bytes the strides reach",
        assertThrows(IllegalArgumentException.class,
            () -> Buffer.wrap(Type.I32, seg, new int[] {0}, new int[] {3}, new long[] {2})).getMessage());
    assertEquals("Buffer.wrap needs the segment to start at the lowest element; negative strides reach before it",
        assertThrows(IllegalArgumentException.class,
            () -> Buffer.wrap(Type.I32, seg, new int[] {0}, new int[] {2}, new long[] {-1})).getMessage());
    assertEquals("Buffer extent -1 of dimension 1 is negative",
        assertThrows(IllegalArgumentException.class,
            () -> Buffer.wrap(Type.I32, seg, new int[] {0, 0}, new int[] {0, -1}, new long[] {1, 1})).getMessage());
  }

  // ---------------------------------------------------------------- equality

  @Test
  void equalityComparesTypeMinsExtentsAndBits() {
    Buffer a = Buffer.of(new float[] {1, 2, 3, 4}, 2, 2);
    Buffer b = Buffer.of(new float[] {1, 2, 3, 4}, 2, 2);
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, Buffer.of(new float[] {1, 2, 3, 5}, 2, 2));
    assertNotEquals(a, Buffer.of(new float[] {1, 2, 3, 4}, 4, 1));
    assertNotEquals(a, a.withMins(0, 1));
    assertNotEquals(Buffer.of(new int[] {0}, 1), Buffer.of(Type.U32, new int[] {0}, 1));
    // Strides do not matter: a transposed view of the transpose equals the dense buffer.
    Buffer t = Buffer.of(new float[] {1, 3, 2, 4}, 2, 2);
    Buffer tt = Buffer.wrap(Type.F32, t.segment(), new int[] {0, 0}, new int[] {2, 2}, new long[] {2, 1});
    assertEquals(a, tt);
    assertEquals(a.hashCode(), tt.hashCode());
  }

  @Test
  void equalityIsBitwiseForFloats() {
    float nan = Float.NaN;
    float otherNan = Float.intBitsToFloat(0x7fc00001);
    assertEquals(Buffer.of(new float[] {nan}, 1), Buffer.of(new float[] {nan}, 1));
    assertNotEquals(Buffer.of(new float[] {nan}, 1), Buffer.of(new float[] {otherNan}, 1));
    assertNotEquals(Buffer.of(new float[] {0f}, 1), Buffer.of(new float[] {-0f}, 1));
  }

  @Test
  void aCopyIsIndependent() {
    Buffer a = Buffer.of(new int[] {1, 2}, 2).withMins(3);
    Buffer c = a.copy();
    assertEquals(a, c);
    c.setInt(9, 3);
    assertEquals(1, a.getInt(3));
    assertEquals("Buffer(int32, [3, 4])", c.toString());
  }
}
