package dev.halogen.io;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NumPy's {@code .npy} files (format versions 1, 2 and 3) to and from {@link Buffer}s, so arrays
 * can be exchanged with NumPy and PyTorch ({@code np.save}/{@code np.load}, {@code
 * torch.from_numpy}).
 *
 * <p><b>Element types:</b> {@code float16/32/64}, {@code int8..int64}, {@code uint8..uint64} and
 * {@code bool} (dtype descriptors {@code <f2 <f4 <f8 |i1 <i2 <i4 <i8 |u1 <u2 <u4 <u8 |b1}). Files
 * are written little-endian; big-endian files ({@code >f4}) are read too, swapping the bytes.
 *
 * <p><b>Axes:</b> Halogen's first dimension is the innermost (stride 1), NumPy's C order has the
 * last axis innermost, so the Halogen dimensions are the NumPy axes reversed: an array of shape
 * {@code (H, W, C)} is a buffer with extents {@code (C, W, H)}, and {@code a[i, j, k]} is {@code
 * buffer(k, j, i)}. A Fortran-order array is the same logical array, so it reads to the same buffer
 * as its C-order copy would (the data is transposed into Halogen's dense layout). Buffers are
 * written in C order; their mins are not stored (a buffer read back has mins 0).
 */
public final class Npy {
  private Npy() {}

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  /** A dtype Halogen reads: its element type and whether its bytes are big-endian. */
  private record Dtype(Type type, boolean bigEndian) {}

  /**
   * Reads the array in {@code file}.
   *
   * @throws java.nio.file.NoSuchFileException when there is no such file
   * @throws FileFormatException naming the file for a malformed or truncated file or an unsupported dtype
   */
  public static Buffer read(Path file) throws IOException {
    return fromBytes(file, Files.readAllBytes(file));
  }

  /**
   * The array that {@code bytes}, the contents of a {@code .npy} file, hold; {@code file} names it
   * in messages.
   *
   * @throws FileFormatException naming {@code file} for a malformed or truncated file or an unsupported dtype
   */
  public static Buffer fromBytes(Path file, byte[] bytes) throws FileFormatException {
    if (bytes.length < MAGIC.length + 2 || !startsWithMagic(bytes)) {
      throw new FileFormatException(file, "not a .npy file (it does not start with \\x93NUMPY)");
    }
    int major = bytes[6] & 0xff;
    int headerStart = switch (major) {
      case 1 -> 10;
      case 2, 3 -> 12;
      default -> throw new FileFormatException(file, "unsupported .npy format version " + major + "." + (bytes[7] & 0xff)
          + " (Halogen reads versions 1, 2 and 3)");
    };
    if (bytes.length < headerStart) throw new FileFormatException(file, "truncated: the file ends inside the header");
    long headerLength = major == 1 ? (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8 : littleEndianU32(bytes, 8);
    if (headerStart + headerLength > bytes.length) {
      throw new FileFormatException(file, "truncated: the header is " + headerLength + " bytes long, the file ends after "
          + (bytes.length - headerStart));
    }
    String header = new String(bytes, headerStart, (int) headerLength,
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Map<String, Object> dict = HeaderParser.parse(file, header);
    Dtype dtype = dtype(file, dict.get("descr"));
    boolean fortran = flag(file, dict.get("fortran_order"));
    int[] shape = shape(file, dict.get("shape"));

    long count = 1;
    for (int s : shape) {
      count *= s;
      // No file Java can read holds more than 2^31 bytes; stop before the product could overflow.
      if (count > Integer.MAX_VALUE) throw new FileFormatException(file, "the shape " + describeShape(shape) + " is too large to read");
    }
    long dataBytes = count * dtype.type().bytes();
    long have = bytes.length - headerStart - headerLength;
    String described = describeShape(shape) + " " + dtype.type();
    if (have < dataBytes) {
      throw new FileFormatException(file, "truncated: the header says " + described + " (" + dataBytes + " bytes of data), the file has "
          + have);
    }
    if (have > dataBytes) {
      throw new FileFormatException(file, "the header says " + described + " (" + dataBytes + " bytes of data), but the file has "
          + (have - dataBytes) + " bytes more");
    }
    byte[] data = new byte[(int) dataBytes];
    System.arraycopy(bytes, (int) (headerStart + headerLength), data, 0, data.length);
    if (dtype.bigEndian()) swapBytes(data, dtype.type().bytes());
    if (dtype.type().isBool()) {
      for (int i = 0; i < data.length; i++) {
        if (data[i] != 0 && data[i] != 1) throw new FileFormatException(file, "bool element " + i + " is " + (data[i] & 0xff) + ", not 0 or 1");
      }
    }

    int n = shape.length;
    int[] extents = new int[n];
    long[] strides = new long[n];
    // Halogen dimension d is NumPy axis n-1-d. Its stride in the file is the product of the
    // extents of the axes stored inside it: those after it in C order, before it in Fortran order.
    for (int d = 0; d < n; d++) {
      int axis = n - 1 - d;
      extents[d] = shape[axis];
      long stride = 1;
      if (fortran) {
        for (int a = 0; a < axis; a++) stride *= shape[a];
      } else {
        for (int a = axis + 1; a < n; a++) stride *= shape[a];
      }
      strides[d] = stride;
    }
    Buffer view = Buffer.wrap(dtype.type(), MemorySegment.ofArray(data), new int[n], extents, strides);
    // C order is already dense in Halogen's layout; a copy makes Fortran data dense (and frees the heap array's view).
    return view.copy();
  }

  /** Writes {@code buffer} to {@code file} as a C-order {@code .npy} array (format version 1). */
  public static void write(Path file, Buffer buffer) throws IOException {
    Files.write(file, toBytes(buffer));
  }

  /** The bytes of a C-order {@code .npy} file (format version 1) holding {@code buffer}'s elements. */
  public static byte[] toBytes(Buffer buffer) {
    String dict = "{'descr': '" + descr(buffer.type()) + "', 'fortran_order': False, 'shape': " + shapeOf(buffer) + ", }";
    // The header (magic, version, length, dict, padding, newline) is a multiple of 64 bytes, as NumPy writes it.
    int unpadded = 10 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    byte[] headerBytes = header.getBytes(StandardCharsets.ISO_8859_1);
    byte[] data = buffer.toLittleEndianBytes();
    byte[] out = new byte[10 + headerBytes.length + data.length];
    System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
    out[6] = 1;
    out[7] = 0;
    out[8] = (byte) headerBytes.length;
    out[9] = (byte) (headerBytes.length >>> 8);
    System.arraycopy(headerBytes, 0, out, 10, headerBytes.length);
    System.arraycopy(data, 0, out, 10 + headerBytes.length, data.length);
    return out;
  }

  /** The little-endian NumPy descriptor of {@code type}. */
  static String descr(Type type) {
    String kind = switch (type.code()) {
      case FLOAT -> "f";
      case INT -> "i";
      case UINT -> "u";
      case BOOL -> "b";
      case HANDLE -> throw new IllegalArgumentException("a buffer of handles has no .npy dtype");
    };
    return (type.bytes() == 1 ? "|" : "<") + kind + type.bytes();
  }

  /** The NumPy shape a {@code .npy} file of {@code buffer} has, as NumPy writes it: the extents reversed, {@code (2, 3)}. */
  public static String shapeOf(Buffer buffer) {
    int n = buffer.dimensions();
    int[] shape = new int[n];
    for (int axis = 0; axis < n; axis++) shape[axis] = buffer.extent(n - 1 - axis);
    return describeShape(shape);
  }

  /** NumPy's way to write a shape, {@code (3, 4)}, {@code (5,)} or {@code ()}. */
  static String describeShape(int[] shape) {
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) s.append(", ");
      s.append(shape[i]);
    }
    if (shape.length == 1) s.append(',');
    return s.append(')').toString();
  }

  private static Dtype dtype(Path file, Object descr) throws FileFormatException {
    String supported = "supported are float16/32/64 (<f2 <f4 <f8), int8..int64 (|i1 <i2 <i4 <i8), uint8..uint64 (|u1 <u2 <u4 <u8) and bool (|b1)";
    if (!(descr instanceof String s)) {
      throw new FileFormatException(file, "unsupported dtype " + HeaderParser.show(descr) + " (a structured or missing dtype); " + supported);
    }
    if (s.length() >= 2) {
      char order = s.charAt(0);
      String rest = "<>|=".indexOf(order) >= 0 ? s.substring(1) : s;
      boolean big = order == '>';
      Type t = switch (rest) {
        case "f2" -> Type.F16;
        case "f4" -> Type.F32;
        case "f8" -> Type.F64;
        case "i1" -> Type.I8;
        case "i2" -> Type.I16;
        case "i4" -> Type.I32;
        case "i8" -> Type.I64;
        case "u1" -> Type.U8;
        case "u2" -> Type.U16;
        case "u4" -> Type.U32;
        case "u8" -> Type.U64;
        case "b1" -> Type.BOOL;
        default -> null;
      };
      if (t != null) return new Dtype(t, big && t.bytes() > 1);
    }
    throw new FileFormatException(file, "unsupported dtype '" + s + "'; " + supported);
  }

  private static boolean flag(Path file, Object value) throws FileFormatException {
    if (value instanceof Boolean b) return b;
    throw new FileFormatException(file, "malformed header: 'fortran_order' is " + HeaderParser.show(value) + ", not True or False");
  }

  private static int[] shape(Path file, Object value) throws FileFormatException {
    if (!(value instanceof List<?> list)) {
      throw new FileFormatException(file, "malformed header: 'shape' is " + HeaderParser.show(value) + ", not a tuple of sizes");
    }
    int[] shape = new int[list.size()];
    for (int i = 0; i < shape.length; i++) {
      if (!(list.get(i) instanceof Long l) || l < 0 || l > Integer.MAX_VALUE) {
        throw new FileFormatException(file, "malformed header: 'shape' entry " + i + " is " + HeaderParser.show(list.get(i))
            + ", not a size from 0 to " + Integer.MAX_VALUE);
      }
      shape[i] = (int) (long) l;
    }
    return shape;
  }

  private static boolean startsWithMagic(byte[] bytes) {
    for (int i = 0; i < MAGIC.length; i++) if (bytes[i] != MAGIC[i]) return false;
    return true;
  }

  private static long littleEndianU32(byte[] b, int at) {
    return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
  }

  private static void swapBytes(byte[] data, int size) {
    for (int start = 0; start < data.length; start += size) {
      for (int i = 0, j = size - 1; i < j; i++, j--) {
        byte t = data[start + i];
        data[start + i] = data[start + j];
        data[start + j] = t;
      }
    }
  }

  /**
   * The header's Python literal: a dict of string keys, whose values are strings, {@code True},
   * {@code False}, {@code None}, integers, tuples and lists (as {@link List}) and dicts.
   */
  private static final class HeaderParser {
    private final Path file;
    private final String text;
    private int pos;

    private HeaderParser(Path file, String text) {
      this.file = file;
      this.text = text;
    }

    static Map<String, Object> parse(Path file, String text) throws FileFormatException {
      HeaderParser p = new HeaderParser(file, text);
      Object v = p.value();
      p.skipSpace();
      if (p.pos != text.length()) throw p.error("unexpected '" + text.charAt(p.pos) + "' after the dictionary");
      if (!(v instanceof Map<?, ?> m)) throw p.error("the header is not a dictionary");
      Map<String, Object> dict = new LinkedHashMap<>();
      for (var e : m.entrySet()) dict.put((String) e.getKey(), e.getValue());
      for (String key : List.of("descr", "fortran_order", "shape")) {
        if (!dict.containsKey(key)) throw new FileFormatException(file, "malformed header: no '" + key + "' key in " + text.strip());
      }
      return dict;
    }

    static String show(Object v) {
      return switch (v) {
        case null -> "None";
        case String s -> "'" + s + "'";
        case Boolean b -> b ? "True" : "False";
        default -> String.valueOf(v);
      };
    }

    private Object value() throws FileFormatException {
      skipSpace();
      if (pos >= text.length()) throw error("the header ends early");
      char c = text.charAt(pos);
      return switch (c) {
        case '{' -> dict();
        case '(' -> sequence(')');
        case '[' -> sequence(']');
        case '\'', '"' -> string();
        default -> {
          if (c == '-' || Character.isDigit(c)) yield integer();
          if (Character.isLetter(c)) yield word();
          throw error("unexpected '" + c + "'");
        }
      };
    }

    private Map<String, Object> dict() throws FileFormatException {
      pos++;
      Map<String, Object> m = new LinkedHashMap<>();
      while (true) {
        skipSpace();
        if (peek('}')) return m;
        Object key = value();
        if (!(key instanceof String k)) throw error("a dictionary key is " + show(key) + ", not a string");
        skipSpace();
        expect(':');
        m.put(k, value());
        skipSpace();
        if (peek('}')) return m;
        expect(',');
      }
    }

    private List<Object> sequence(char close) throws FileFormatException {
      pos++;
      List<Object> items = new ArrayList<>();
      while (true) {
        skipSpace();
        if (peek(close)) return items;
        items.add(value());
        skipSpace();
        if (peek(close)) return items;
        expect(',');
      }
    }

    private String string() throws FileFormatException {
      char quote = text.charAt(pos++);
      int end = text.indexOf(quote, pos);
      if (end < 0) throw error("a string is not closed");
      String s = text.substring(pos, end);
      pos = end + 1;
      return s;
    }

    private Long integer() throws FileFormatException {
      int start = pos;
      if (text.charAt(pos) == '-') pos++;
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
      // Python 2 wrote long integers with an L suffix.
      String digits = text.substring(start, pos);
      if (pos < text.length() && text.charAt(pos) == 'L') pos++;
      try {
        return Long.parseLong(digits);
      } catch (NumberFormatException e) {
        throw error("'" + digits + "' is not an integer that fits 64 bits");
      }
    }

    private Object word() throws FileFormatException {
      int start = pos;
      while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) pos++;
      String w = text.substring(start, pos);
      return switch (w) {
        case "True" -> Boolean.TRUE;
        case "False" -> Boolean.FALSE;
        case "None" -> null;
        default -> throw error("unexpected word '" + w + "'");
      };
    }

    private boolean peek(char c) {
      if (pos < text.length() && text.charAt(pos) == c) {
        pos++;
        return true;
      }
      return false;
    }

    private void expect(char c) throws FileFormatException {
      if (!peek(c)) throw error(pos < text.length() ? "expected '" + c + "', found '" + text.charAt(pos) + "'" : "expected '" + c + "', the header ends");
    }

    private void skipSpace() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
    }

    private FileFormatException error(String problem) {
      return new FileFormatException(file, "malformed header at character " + pos + ": " + problem + " in " + text.strip());
    }
  }
}
