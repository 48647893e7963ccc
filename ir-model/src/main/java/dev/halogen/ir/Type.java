package dev.halogen.ir;

/**
 * The type of an expression or of a buffer element: a code, a bit width and a lane count.
 *
 * <p>{@code bool} has code {@link Code#BOOL} and one bit. A vector type has {@code lanes > 1}; every
 * element of a vector has the scalar type {@link #element()}. Handles are opaque 64-bit pointers
 * (string immediates have the handle type).
 */
public record Type(Code code, int bits, int lanes) {
  /** The kind of value a type describes. */
  public enum Code {
    INT,
    UINT,
    FLOAT,
    BOOL,
    HANDLE
  }

  public static final Type BOOL = new Type(Code.BOOL, 1, 1);
  public static final Type I8 = new Type(Code.INT, 8, 1);
  public static final Type I16 = new Type(Code.INT, 16, 1);
  public static final Type I32 = new Type(Code.INT, 32, 1);
  public static final Type I64 = new Type(Code.INT, 64, 1);
  public static final Type U8 = new Type(Code.UINT, 8, 1);
  public static final Type U16 = new Type(Code.UINT, 16, 1);
  public static final Type U32 = new Type(Code.UINT, 32, 1);
  public static final Type U64 = new Type(Code.UINT, 64, 1);
  public static final Type F16 = new Type(Code.FLOAT, 16, 1);
  public static final Type F32 = new Type(Code.FLOAT, 32, 1);
  public static final Type F64 = new Type(Code.FLOAT, 64, 1);
  public static final Type HANDLE = new Type(Code.HANDLE, 64, 1);

  public Type {
    if (code == null) throw new IllegalArgumentException("type code is null");
    if (lanes < 1) throw new IllegalArgumentException("type lanes must be >= 1, got " + lanes);
    boolean ok =
        switch (code) {
          case INT, UINT -> bits == 8 || bits == 16 || bits == 32 || bits == 64;
          case FLOAT -> bits == 16 || bits == 32 || bits == 64;
          case BOOL -> bits == 1;
          case HANDLE -> bits == 64;
        };
    if (!ok) {
      throw new IllegalArgumentException(
          "invalid bit width " + bits + " for type code " + code.name().toLowerCase());
    }
  }

  public static Type intOf(int bits) {
    return new Type(Code.INT, bits, 1);
  }

  public static Type uintOf(int bits) {
    return new Type(Code.UINT, bits, 1);
  }

  public static Type floatOf(int bits) {
    return new Type(Code.FLOAT, bits, 1);
  }

  public Type withLanes(int newLanes) {
    return newLanes == lanes ? this : new Type(code, bits, newLanes);
  }

  public Type withCode(Code newCode) {
    return new Type(newCode, bits, lanes);
  }

  /** The scalar type of one lane. */
  public Type element() {
    return withLanes(1);
  }

  public boolean isInt() {
    return code == Code.INT;
  }

  public boolean isUInt() {
    return code == Code.UINT;
  }

  /** Signed or unsigned integer (not bool). */
  public boolean isIntOrUInt() {
    return code == Code.INT || code == Code.UINT;
  }

  public boolean isFloat() {
    return code == Code.FLOAT;
  }

  public boolean isBool() {
    return code == Code.BOOL;
  }

  public boolean isHandle() {
    return code == Code.HANDLE;
  }

  /** Int, uint, float or bool: a type that arithmetic or logic applies to. */
  public boolean isNumeric() {
    return code != Code.HANDLE;
  }

  public boolean isScalar() {
    return lanes == 1;
  }

  public boolean isVector() {
    return lanes > 1;
  }

  /** Size of one lane in bytes when stored in a buffer (bool takes one byte). */
  public int bytes() {
    return code == Code.BOOL ? 1 : bits / 8;
  }

  /** Smallest value of an integer type, as a signed long (0 for unsigned types and bool). */
  public long minInt() {
    return switch (code) {
      case INT -> bits == 64 ? Long.MIN_VALUE : -(1L << (bits - 1));
      case UINT, BOOL -> 0;
      case FLOAT, HANDLE -> throw new IllegalStateException(this + " is not an integer type");
    };
  }

  /**
   * Largest value of an integer type; for {@code uint64} this is -1 read as unsigned
   * ({@code 0xffff_ffff_ffff_ffff}).
   */
  public long maxInt() {
    return switch (code) {
      case INT -> bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
      case UINT -> bits == 64 ? -1L : (1L << bits) - 1;
      case BOOL -> 1;
      case FLOAT, HANDLE -> throw new IllegalStateException(this + " is not an integer type");
    };
  }

  /** Whether the signed value {@code v} is representable in this integer type. */
  public boolean canRepresent(long v) {
    return switch (code) {
      case INT -> v >= minInt() && v <= maxInt();
      case UINT -> v >= 0 && (bits == 64 || v <= maxInt());
      case BOOL -> v == 0 || v == 1;
      case FLOAT -> true;
      case HANDLE -> false;
    };
  }

  /** The Halide spelling of this type: {@code int32}, {@code uint8}, {@code float32x8}, {@code bool}. */
  @Override
  public String toString() {
    String base =
        switch (code) {
          case INT -> "int" + bits;
          case UINT -> "uint" + bits;
          case FLOAT -> "float" + bits;
          case BOOL -> "bool";
          case HANDLE -> "handle";
        };
    return lanes == 1 ? base : base + "x" + lanes;
  }

  /**
   * Reads the spelling produced by {@link #toString()}.
   *
   * @throws IllegalArgumentException naming the text when it is not a type
   */
  public static Type parse(String text) {
    String s = text;
    int lanes = 1;
    int x = s.lastIndexOf('x');
    if (x > 0 && x < s.length() - 1 && s.substring(x + 1).chars().allMatch(Character::isDigit)) {
      lanes = Integer.parseInt(s.substring(x + 1));
      s = s.substring(0, x);
    }
    try {
      if (s.equals("bool")) return BOOL.withLanes(lanes);
      if (s.equals("handle")) return HANDLE.withLanes(lanes);
      if (s.startsWith("uint")) return new Type(Code.UINT, Integer.parseInt(s.substring(4)), lanes);
      if (s.startsWith("int")) return new Type(Code.INT, Integer.parseInt(s.substring(3)), lanes);
      if (s.startsWith("float")) return new Type(Code.FLOAT, Integer.parseInt(s.substring(5)), lanes);
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new IllegalArgumentException("not a type: '" + text + "'");
  }
}
