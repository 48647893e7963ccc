package dev.halogen.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
  @TempDir Path dir;

  /** The bytes of a version-1 .npy file with {@code dict} as its header (padded like NumPy) and {@code data}. */
  private static byte[] npy(String dict, byte[] data) {
    int padding = (64 - (10 + dict.length() + 1) % 64) % 64;
    byte[] header = (dict + " ".repeat(padding) + "\n").getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = new byte[10 + header.length + data.length];
    byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length, (byte) (header.length >> 8)};
    System.arraycopy(magic, 0, out, 0, 10);
    System.arraycopy(header, 0, out, 10, header.length);
    System.arraycopy(data, 0, out, 10 + header.length, data.length);
    return out;
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < b.length; i++) b[i] = (byte) values[i];
    return b;
  }

  @Test
  void writesTheHeaderNumPyWrites() {
    Buffer b = Buffer.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
    byte[] file = Npy.toBytes(b);
    String header = new String(file, 10, file.length - 10 - 24, StandardCharsets.ISO_8859_1);
    assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header.strip());
    assertEquals(0, (10 + header.length()) % 64, "header padded to 64 bytes");
    assertEquals('\n', header.charAt(header.length() - 1));
    assertEquals(128 + 24, file.length);
    // Halogen's (x=3, y=2) buffer is NumPy's a[y][x]: the data is in the same order, 1 2 3 / 4 5 6.
    assertEquals(2f, Float.intBitsToFloat((file[132] & 0xff) | (file[133] & 0xff) << 8 | (file[134] & 0xff) << 16 | (file[135] & 0xff) << 24));
  }

  @Test
  void roundTripsEveryType() throws IOException {
    List<Buffer> buffers = List.of(
        Buffer.of(new float[] {1.5f, -2f, Float.NaN, Float.MIN_VALUE, 7, 8}, 2, 3),
        Buffer.of(new double[] {Math.PI, -0.0, 1e300}, 3),
        Buffer.of(Type.I8, new byte[] {-128, 0, 127, 5}, 2, 2),
        Buffer.of(Type.U8, new byte[] {(byte) 255, 0, 1}, 1, 3, 1),
        Buffer.of(Type.I16, new short[] {-32768, 32767}, 2),
        Buffer.of(Type.U16, new short[] {(short) 65535, 1}, 2),
        Buffer.of(Type.I32, new int[] {Integer.MIN_VALUE, 3}, 2),
        Buffer.of(Type.U32, new int[] {-1, 3}, 2),
        Buffer.of(Type.I64, new long[] {Long.MIN_VALUE, 9}, 2),
        Buffer.of(Type.U64, new long[] {-1L, 9}, 2),
        Buffer.of(new boolean[] {true, false, true}, 3),
        Buffer.of(Type.F16, new short[] {Float.floatToFloat16(0.5f), Float.floatToFloat16(-3f)}, 2),
        Buffer.of(new float[] {42f}));
    for (Buffer b : buffers) {
      Path f = dir.resolve("a.npy");
      Npy.write(f, b);
      Buffer back = Npy.read(f);
      assertEquals(b.type(), back.type());
      assertArrayEquals(b.extents(), back.extents(), b.toString());
      assertArrayEquals(b.toLittleEndianBytes(), back.toLittleEndianBytes(), b.toString());
    }
  }

  @Test
  void writingDropsTheMinsAndReadsDenseData() throws IOException {
    Buffer b = Buffer.of(new int[] {1, 2, 3, 4}, 2, 2).withMins(5, -1);
    Buffer back = Npy.fromBytes(Path.of("m.npy"), Npy.toBytes(b));
    assertArrayEquals(new int[] {0, 0}, back.mins());
    assertEquals(3, back.getInt(0, 1));
  }

  @Test
  void cOrderReversesTheShape() throws IOException {
    // a = [[1, 2, 3], [4, 5, 6]] as int16, shape (2, 3): buffer(x, y) = a[y][x].
    Buffer b = Npy.fromBytes(Path.of("c.npy"), npy("{'descr': '<i2', 'fortran_order': False, 'shape': (2, 3), }",
        bytes(1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0)));
    assertArrayEquals(new int[] {3, 2}, b.extents());
    assertEquals(2, b.getShort(1, 0));
    assertEquals(4, b.getShort(0, 1));
    assertEquals(6, b.getShort(2, 1));
  }

  @Test
  void fortranOrderReadsAsTheSameLogicalArray() throws IOException {
    // The same a = [[1, 2, 3], [4, 5, 6]] stored column by column: 1 4 2 5 3 6.
    Buffer b = Npy.fromBytes(Path.of("f.npy"), npy("{'descr': '|u1', 'fortran_order': True, 'shape': (2, 3), }",
        bytes(1, 4, 2, 5, 3, 6)));
    assertArrayEquals(new int[] {3, 2}, b.extents());
    assertArrayEquals(bytes(1, 2, 3, 4, 5, 6), b.toLittleEndianBytes());
  }

  @Test
  void bigEndianDataIsSwapped() throws IOException {
    Buffer b = Npy.fromBytes(Path.of("b.npy"), npy("{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }",
        bytes(0, 0, 1, 2, 0xff, 0xff, 0xff, 0xfe)));
    assertEquals(258, b.getInt(0));
    assertEquals(-2, b.getInt(1));
  }

  @Test
  void clearErrorsNameTheFile() throws IOException {
    Path f = Path.of("bad.npy");
    assertEquals("bad.npy: unsupported dtype '<c8'; supported are float16/32/64 (<f2 <f4 <f8), int8..int64 (|i1 <i2 <i4 <i8), "
        + "uint8..uint64 (|u1 <u2 <u4 <u8) and bool (|b1)", assertThrows(FileFormatException.class,
            () -> Npy.fromBytes(f, npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8]))).getMessage());
    assertEquals("bad.npy: truncated: the header says (2, 3) float32 (24 bytes of data), the file has 20",
        assertThrows(FileFormatException.class,
            () -> Npy.fromBytes(f, npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", new byte[20]))).getMessage());
    assertEquals("bad.npy: not a .npy file (it does not start with \\x93NUMPY)",
        assertThrows(FileFormatException.class, () -> Npy.fromBytes(f, "PK\3\4 a zip".getBytes(StandardCharsets.US_ASCII))).getMessage());
    assertEquals("bad.npy: truncated: the header is 118 bytes long, the file ends after 20",
        assertThrows(FileFormatException.class,
            () -> Npy.fromBytes(f, Arrays.copyOf(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", new byte[24]), 30)))
            .getMessage());
    assertEquals("bad.npy: malformed header: no 'shape' key in {'descr': '<f4', 'fortran_order': False}",
        assertThrows(FileFormatException.class,
            () -> Npy.fromBytes(f, npy("{'descr': '<f4', 'fortran_order': False}", new byte[0]))).getMessage());
    assertEquals("bad.npy: bool element 1 is 2, not 0 or 1", assertThrows(FileFormatException.class,
        () -> Npy.fromBytes(f, npy("{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", bytes(1, 2)))).getMessage());
    assertThrows(NoSuchFileException.class, () -> Npy.read(dir.resolve("missing.npy")));
  }

  // ------------------------------------------------------------------ with NumPy

  private static boolean numpyAvailable() {
    try {
      Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import numpy").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String python(String script) throws IOException, InterruptedException {
    if (!numpyAvailable()) {
      String reason = "skipped: /usr/bin/python3 cannot import numpy (install python3-numpy to run this test)";
      System.out.println("NpyTest " + reason);
      Assumptions.abort(reason);
    }
    Process p = new ProcessBuilder("/usr/bin/python3", "-c", script).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new AssertionError("python failed:\n" + output);
    return output;
  }

  @Test
  void readsWhatNumPyWrites() throws IOException, InterruptedException {
    Path c = dir.resolve("c.npy");
    Path f = dir.resolve("f.npy");
    Path u = dir.resolve("u.npy");
    python("import numpy as np\n"
        + "a = (np.arange(24, dtype=np.float64).reshape(2, 3, 4) / 7.0 - 1.0)\n"
        + "np.save('" + c + "', a)\n"
        + "np.save('" + f + "', np.asfortranarray(a.astype(np.int32) * 1000 - 7))\n"
        + "np.save('" + u + "', np.array([[0, 2**64 - 1, 2**63]], dtype=np.uint64))\n");
    Buffer b = Npy.read(c);
    assertEquals(Type.F64, b.type());
    assertArrayEquals(new int[] {4, 3, 2}, b.extents());
    // a[i, j, k] = (12 i + 4 j + k) / 7 - 1 is buffer(k, j, i), exact to the bit.
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 4; k++) assertEquals((12 * i + 4 * j + k) / 7.0 - 1.0, b.getDouble(k, j, i));
      }
    }
    Buffer fb = Npy.read(f);
    assertEquals(Type.I32, fb.type());
    assertArrayEquals(new int[] {4, 3, 2}, fb.extents());
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 4; k++) assertEquals((int) ((12 * i + 4 * j + k) / 7.0 - 1.0) * 1000 - 7, fb.getInt(k, j, i));
      }
    }
    Buffer ub = Npy.read(u);
    assertEquals(Type.U64, ub.type());
    assertArrayEquals(new long[] {0, -1L, Long.MIN_VALUE}, ub.toLongArray());
  }

  @Test
  void numPyReadsWhatHalogenWrites() throws IOException, InterruptedException {
    Buffer b = Buffer.allocate(Type.U16, 4, 3);
    b.forEachCoordinate(c -> b.setFromDouble(1000 * c[1] + c[0] * 7 + 60000 * (c[0] == 3 && c[1] == 2 ? 1 : 0), c));
    Path f = dir.resolve("h.npy");
    Npy.write(f, b);
    Buffer g = Buffer.of(new boolean[] {true, false}, 2);
    Path fg = dir.resolve("g.npy");
    Npy.write(fg, g);
    String out = python("import numpy as np\n"
        + "a = np.load('" + f + "')\n"
        + "print(a.dtype, a.shape, a.flags['C_CONTIGUOUS'])\n"
        + "print(a.tolist())\n"
        + "g = np.load('" + fg + "')\n"
        + "print(g.dtype, g.tolist())\n");
    assertEquals("""
        uint16 (3, 4) True
        [[0, 7, 14, 21], [1000, 1007, 1014, 1021], [2000, 2007, 2014, 62021]]
        bool [True, False]
        """, out);
  }
}
