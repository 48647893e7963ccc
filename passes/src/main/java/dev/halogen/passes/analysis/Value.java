package dev.halogen.passes.analysis;

import dev.halogen.ir.Type;
import java.util.Arrays;
import java.util.Objects;

/**
 * An exact value of an expression, as computed by {@link Evaluator}: immutable, one representation per
 * kind so that arithmetic works on primitives.
 *
 * <p>Integers and bools are held as a {@code long} in the form {@link Type} documents for immediates:
 * sign-extended from the width for signed types, zero-extended for unsigned types ({@code uint64} keeps
 * the raw bits, so it is read as unsigned), 0 or 1 for bool. Floats are held as a {@code double} that is
 * exactly representable in the value's own precision ({@code float32} values are floats widened to
 * double, {@code float16} values are halves). A vector has at least two lanes; a one-lane value is
 * always a scalar record.
 *
 * <p>Equality is bit-exact: two values are equal when their types are equal and every lane has the same
 * bits. So a NaN equals a NaN with the same bits (and not one with another payload), and {@code -0.0}
 * differs from {@code 0.0}. A NaN made by arithmetic ({@code 0.0 / 0.0}) has the bits the JVM's
 * arithmetic gives on the platform; the same operations give the same bits, so folding a constant and
 * evaluating it later agree.
 */
public sealed interface Value permits Value.IntScalar, Value.FloatScalar, Value.IntVector, Value.FloatVector, Value.Handle {
  Type type();

  default int lanes() {
    return type().lanes();
  }

  /** The bits of integer or bool lane {@code lane}. */
  long longLane(int lane);

  /** Float lane {@code lane}. */
  double doubleLane(int lane);

  /** Lane {@code lane} as a scalar value. */
  Value lane(int lane);

  /** A scalar integer, unsigned integer or bool. */
  record IntScalar(Type type, long bits) implements Value {
    public IntScalar {
      Objects.requireNonNull(type, "type");
      if (!type.isScalar() || !(type.isIntOrUInt() || type.isBool())) {
        throw new IllegalArgumentException("IntScalar needs a scalar integer or bool type, got " + type);
      }
      if (Arith.wrap(type, bits) != bits) {
        throw new IllegalArgumentException("bits " + bits + " are not a normalized " + type + " value");
      }
    }

    @Override
    public long longLane(int lane) {
      return bits;
    }

    @Override
    public double doubleLane(int lane) {
      throw new IllegalStateException(type + " value has no float lanes");
    }

    @Override
    public Value lane(int lane) {
      return this;
    }

    public boolean asBoolean() {
      return bits != 0;
    }

    @Override
    public String toString() {
      return type + " " + Arith.laneText(type, bits);
    }
  }

  /** A scalar float of any precision. */
  record FloatScalar(Type type, double value) implements Value {
    public FloatScalar {
      Objects.requireNonNull(type, "type");
      if (!type.isScalar() || !type.isFloat()) {
        throw new IllegalArgumentException("FloatScalar needs a scalar float type, got " + type);
      }
      if (Arith.round(type, value) != value && !Double.isNaN(value)) {
        throw new IllegalArgumentException(value + " is not a " + type + " value");
      }
    }

    @Override
    public long longLane(int lane) {
      throw new IllegalStateException(type + " value has no integer lanes");
    }

    @Override
    public double doubleLane(int lane) {
      return value;
    }

    @Override
    public Value lane(int lane) {
      return this;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof FloatScalar(Type t, double v)
          && t.equals(type)
          && Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(value);
    }

    @Override
    public int hashCode() {
      return type.hashCode() * 31 + Long.hashCode(Double.doubleToRawLongBits(value));
    }

    @Override
    public String toString() {
      return type + " " + Arith.laneText(value);
    }
  }

  /** A vector of integers, unsigned integers or bools (at least two lanes). */
  final class IntVector implements Value {
    private final Type type;
    private final long[] lanes;

    /** Takes ownership of {@code lanes}; callers outside this package go through {@link Value#ofInts}. */
    IntVector(Type type, long[] lanes) {
      this.type = type;
      this.lanes = lanes;
    }

    @Override
    public Type type() {
      return type;
    }

    @Override
    public long longLane(int lane) {
      return lanes[lane];
    }

    @Override
    public double doubleLane(int lane) {
      throw new IllegalStateException(type + " value has no float lanes");
    }

    @Override
    public Value lane(int lane) {
      return new IntScalar(type.element(), lanes[lane]);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof IntVector v && v.type.equals(type) && Arrays.equals(v.lanes, lanes);
    }

    @Override
    public int hashCode() {
      return type.hashCode() * 31 + Arrays.hashCode(lanes);
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder(type.toString()).append(" [");
      for (int i = 0; i < lanes.length; i++) {
        sb.append(i == 0 ? "" : ", ").append(Arith.laneText(type, lanes[i]));
      }
      return sb.append(']').toString();
    }
  }

  /** A vector of floats (at least two lanes). */
  final class FloatVector implements Value {
    private final Type type;
    private final double[] lanes;

    /** Takes ownership of {@code lanes}; callers outside this package go through {@link Value#ofFloats}. */
    FloatVector(Type type, double[] lanes) {
      this.type = type;
      this.lanes = lanes;
    }

    @Override
    public Type type() {
      return type;
    }

    @Override
    public long longLane(int lane) {
      throw new IllegalStateException(type + " value has no integer lanes");
    }

    @Override
    public double doubleLane(int lane) {
      return lanes[lane];
    }

    @Override
    public Value lane(int lane) {
      return new FloatScalar(type.element(), lanes[lane]);
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof FloatVector v) || !v.type.equals(type)) return false;
      for (int i = 0; i < lanes.length; i++) {
        if (Double.doubleToRawLongBits(v.lanes[i]) != Double.doubleToRawLongBits(lanes[i])) return false;
      }
      return true;
    }

    @Override
    public int hashCode() {
      int h = type.hashCode();
      for (double d : lanes) h = h * 31 + Long.hashCode(Double.doubleToRawLongBits(d));
      return h;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder(type.toString()).append(" [");
      for (int i = 0; i < lanes.length; i++) sb.append(i == 0 ? "" : ", ").append(Arith.laneText(lanes[i]));
      return sb.append(']').toString();
    }
  }

  /**
   * An opaque scalar handle: what a {@link dev.halogen.ir.Expr.StringImm} evaluates to, or whatever a
   * {@link CallHandler} returns for a handle-typed call. Equal when the referents are {@code equals}.
   */
  record Handle(Object referent) implements Value {
    public Handle {
      Objects.requireNonNull(referent, "handle referent");
    }

    @Override
    public Type type() {
      return Type.HANDLE;
    }

    @Override
    public long longLane(int lane) {
      throw new IllegalStateException("a handle has no integer lanes");
    }

    @Override
    public double doubleLane(int lane) {
      throw new IllegalStateException("a handle has no float lanes");
    }

    @Override
    public Value lane(int lane) {
      return this;
    }
  }

  // ---------------------------------------------------------------- factories

  /** The integer {@code v} wrapped to the scalar integer type {@code t} (bool: the lowest bit). */
  static IntScalar ofInt(Type t, long v) {
    return new IntScalar(t, Arith.wrap(t, v));
  }

  static IntScalar ofBool(boolean b) {
    return new IntScalar(Type.BOOL, b ? 1 : 0);
  }

  /** {@code v} rounded to the precision of the scalar float type {@code t}. */
  static FloatScalar ofFloat(Type t, double v) {
    return new FloatScalar(t, Arith.round(t, v));
  }

  /** A value of integer or bool type {@code t} with one lane per element of {@code lanes}, each wrapped. */
  static Value ofInts(Type t, long... lanes) {
    checkLanes(t, lanes.length);
    if (!(t.isIntOrUInt() || t.isBool())) throw new IllegalArgumentException("ofInts needs an integer or bool type, got " + t);
    Type el = t.element();
    long[] copy = new long[lanes.length];
    for (int i = 0; i < copy.length; i++) copy[i] = Arith.wrap(el, lanes[i]);
    return copy.length == 1 ? new IntScalar(t, copy[0]) : new IntVector(t, copy);
  }

  /** A value of float type {@code t} with one lane per element of {@code lanes}, each rounded. */
  static Value ofFloats(Type t, double... lanes) {
    checkLanes(t, lanes.length);
    if (!t.isFloat()) throw new IllegalArgumentException("ofFloats needs a float type, got " + t);
    double[] copy = new double[lanes.length];
    for (int i = 0; i < copy.length; i++) copy[i] = Arith.round(t, lanes[i]);
    return copy.length == 1 ? new FloatScalar(t, copy[0]) : new FloatVector(t, copy);
  }

  private static void checkLanes(Type t, int n) {
    if (t.lanes() != n) throw new IllegalArgumentException(t + " has " + t.lanes() + " lanes, got " + n + " values");
  }
}
