package dev.halogen.ir;

import java.util.List;

/**
 * An expression of the IR: an immutable tree (or DAG) of records, each with a {@link #type()}.
 *
 * <p>Semantics follow Halide. Operands of binary operators must have exactly the same type (the
 * front end inserts casts); constructors check this and throw {@link IllegalArgumentException}
 * naming the node. Integer division rounds toward negative infinity and the remainder of a positive
 * divisor is never negative (Euclidean for positive divisors); division or remainder by zero gives
 * zero. Float {@code %} is floored ({@code a - b * floor(a / b)}). Unsigned and 64-bit integer
 * arithmetic wraps; a program must not rely on signed 8/16/32-bit overflow (results then are
 * whatever the backend gives, and the simplifier may assume it does not happen only where stated).
 * Floating-point arithmetic is IEEE in the type's own precision.
 *
 * <p>The nodes {@link Load}, {@link Ramp}, {@link Broadcast} and {@link VectorReduce} appear only
 * after lowering.
 */
public sealed interface Expr {
  Type type();

  // ---------------------------------------------------------------- immediates

  /** A signed integer constant; {@code value} is sign-extended from the type's width. */
  record IntImm(Type type, long value) implements Expr {
    public IntImm {
      Check.scalar(type, "IntImm");
      if (!type.isInt()) throw new IllegalArgumentException("IntImm needs a signed integer type, got " + type);
      if (!type.canRepresent(value)) {
        throw new IllegalArgumentException("IntImm value " + value + " does not fit in " + type);
      }
    }
  }

  /**
   * An unsigned integer or bool constant. {@code value} holds the bits; for {@code uint64} it is read
   * as unsigned ({@code -1} is 2^64-1).
   */
  record UIntImm(Type type, long value) implements Expr {
    public UIntImm {
      Check.scalar(type, "UIntImm");
      if (!type.isUInt() && !type.isBool()) {
        throw new IllegalArgumentException("UIntImm needs an unsigned or bool type, got " + type);
      }
      if (!(type.bits() == 64 || type.canRepresent(value))) {
        throw new IllegalArgumentException("UIntImm value " + value + " does not fit in " + type);
      }
    }
  }

  /**
   * A floating-point constant. The value is rounded to the type's precision on construction, so a
   * {@code float32} immediate always holds a float32 value.
   */
  record FloatImm(Type type, double value) implements Expr {
    public FloatImm {
      Check.scalar(type, "FloatImm");
      if (!type.isFloat()) throw new IllegalArgumentException("FloatImm needs a float type, got " + type);
      value = switch (type.bits()) {
        case 16 -> Float.float16ToFloat(Float.floatToFloat16((float) value));
        case 32 -> (double) (float) value;
        default -> value;
      };
    }
  }

  /** A string constant (type {@code handle}); used as an argument of intrinsics and messages. */
  record StringImm(String value) implements Expr {
    public StringImm {
      Check.notNull(value, "StringImm value");
    }

    @Override
    public Type type() {
      return Type.HANDLE;
    }
  }

  // ---------------------------------------------------------------- leaves and casts

  /**
   * Conversion to {@code type} (same lane count). Float to integer truncates toward zero and is
   * undefined out of range; integer to narrower integer wraps; to bool means {@code != 0}.
   */
  record Cast(Type type, Expr value) implements Expr {
    public Cast {
      Check.notNull(type, "Cast type");
      Check.notNull(value, "Cast value");
      if (type.lanes() != value.type().lanes()) {
        throw new IllegalArgumentException("Cast to " + type + " of a " + value.type() + " changes the lane count");
      }
    }
  }

  /**
   * A variable: a pure argument of a Func, a reduction variable ({@code r.x}), a scalar parameter, a
   * loop variable or a let-bound name. What it refers to is decided by the binding scope.
   */
  record Var(Type type, String name) implements Expr {
    public Var {
      Check.notNull(type, "Var type");
      Check.name(name, "Var");
    }

    /** An {@code int32} variable, the type of every pure, reduction and loop variable. */
    public static Var of(String name) {
      return new Var(Type.I32, name);
    }
  }

  /** A node with two operands of one type. */
  sealed interface Binary extends Expr {
    Expr a();

    Expr b();
  }

  /** Arithmetic on two operands of one type; the result has that type. */
  sealed interface Arithmetic extends Binary {
    @Override
    default Type type() {
      return a().type();
    }
  }

  /** A comparison of two operands of one type; the result is bool with their lane count. */
  sealed interface Comparison extends Binary {
    @Override
    default Type type() {
      return Type.BOOL.withLanes(a().type().lanes());
    }
  }

  /** Logical and/or of two bools. */
  sealed interface Logical extends Binary {
    @Override
    default Type type() {
      return a().type();
    }
  }

  // ---------------------------------------------------------------- arithmetic

  /** {@code a + b}. */
  record Add(Expr a, Expr b) implements Arithmetic {
    public Add {
      Check.sameType(a, b, "Add");
    }
  }

  /** {@code a - b}. */
  record Sub(Expr a, Expr b) implements Arithmetic {
    public Sub {
      Check.sameType(a, b, "Sub");
    }
  }

  /** {@code a * b}. */
  record Mul(Expr a, Expr b) implements Arithmetic {
    public Mul {
      Check.sameType(a, b, "Mul");
    }
  }

  /** {@code a / b}: floor division for integers, zero when {@code b == 0}; IEEE for floats. */
  record Div(Expr a, Expr b) implements Arithmetic {
    public Div {
      Check.sameType(a, b, "Div");
    }
  }

  /**
   * {@code a % b}: for integers the Euclidean remainder (never negative; zero when {@code b == 0});
   * for floats the floored remainder {@code a - b * floor(a / b)}.
   */
  record Mod(Expr a, Expr b) implements Arithmetic {
    public Mod {
      Check.sameType(a, b, "Mod");
    }
  }

  /** The smaller operand (for floats, which operand a NaN yields is backend-defined). */
  record Min(Expr a, Expr b) implements Arithmetic {
    public Min {
      Check.sameType(a, b, "Min");
    }
  }

  /** The larger operand. */
  record Max(Expr a, Expr b) implements Arithmetic {
    public Max {
      Check.sameType(a, b, "Max");
    }
  }

  // ---------------------------------------------------------------- comparisons (bool results)

  /** {@code a == b}. */
  record EQ(Expr a, Expr b) implements Comparison {
    public EQ {
      Check.sameType(a, b, "EQ");
    }
  }

  /** {@code a != b}. */
  record NE(Expr a, Expr b) implements Comparison {
    public NE {
      Check.sameType(a, b, "NE");
    }
  }

  /** {@code a < b}. */
  record LT(Expr a, Expr b) implements Comparison {
    public LT {
      Check.sameType(a, b, "LT");
    }
  }

  /** {@code a <= b}. */
  record LE(Expr a, Expr b) implements Comparison {
    public LE {
      Check.sameType(a, b, "LE");
    }
  }

  /** {@code a > b}. */
  record GT(Expr a, Expr b) implements Comparison {
    public GT {
      Check.sameType(a, b, "GT");
    }
  }

  /** {@code a >= b}. */
  record GE(Expr a, Expr b) implements Comparison {
    public GE {
      Check.sameType(a, b, "GE");
    }
  }

  // ---------------------------------------------------------------- logic

  /** Logical and of two bools (both operands are evaluated; there is no short circuit). */
  record And(Expr a, Expr b) implements Logical {
    public And {
      Check.sameType(a, b, "And");
      Check.bool(a, "And");
    }
  }

  /** Logical or of two bools. */
  record Or(Expr a, Expr b) implements Logical {
    public Or {
      Check.sameType(a, b, "Or");
      Check.bool(a, "Or");
    }
  }

  /** Logical negation. */
  record Not(Expr a) implements Expr {
    public Not {
      Check.notNull(a, "Not operand");
      Check.bool(a, "Not");
    }

    @Override
    public Type type() {
      return a.type();
    }
  }

  /**
   * {@code condition ? trueValue : falseValue}, lane by lane. Both values are evaluated (they must be
   * safe to evaluate); the condition is a bool with one lane or the values' lane count.
   */
  record Select(Expr condition, Expr trueValue, Expr falseValue) implements Expr {
    public Select {
      Check.notNull(condition, "Select condition");
      Check.sameType(trueValue, falseValue, "Select");
      Check.bool(condition, "Select condition");
      int lanes = condition.type().lanes();
      if (lanes != 1 && lanes != trueValue.type().lanes()) {
        throw new IllegalArgumentException(
            "Select condition has " + lanes + " lanes but its values are " + trueValue.type());
      }
    }

    @Override
    public Type type() {
      return trueValue.type();
    }
  }

  /** {@code let name = value in body}: {@code name} is bound to {@code value} inside {@code body}. */
  record Let(String name, Expr value, Expr body) implements Expr {
    public Let {
      Check.name(name, "Let");
      Check.notNull(value, "Let value");
      Check.notNull(body, "Let body");
    }

    @Override
    public Type type() {
      return body.type();
    }
  }

  /** What a {@link Call} calls. */
  enum CallKind {
    /** A value of a Func of the pipeline; {@code valueIndex} selects a tuple element. */
    FUNC,
    /** An element of an input image or embedded constant buffer. */
    IMAGE,
    /** A pure math function with a known meaning ({@code sin}, {@code exp}, {@code pow}, ...). */
    MATH,
    /** A compiler intrinsic ({@code likely}, {@code abs}, {@code lerp}, ...). */
    INTRINSIC,
    /** A user-supplied external function, treated as opaque and pure. */
    EXTERN
  }

  /**
   * A call: to a Func value or an image element (with one integer argument per dimension), to a math
   * function, an intrinsic or an extern. {@code valueIndex} is the tuple element for {@link
   * CallKind#FUNC} calls and 0 for every other kind.
   */
  record Call(Type type, String name, List<Expr> args, CallKind kind, int valueIndex) implements Expr {
    public Call {
      Check.notNull(type, "Call type");
      Check.name(name, "Call");
      Check.notNull(kind, "Call kind");
      args = Check.list(args, "Call " + name + " argument");
      if (valueIndex < 0 || (valueIndex != 0 && kind != CallKind.FUNC)) {
        throw new IllegalArgumentException("Call " + name + " has invalid value index " + valueIndex);
      }
    }

    public Call(Type type, String name, List<Expr> args, CallKind kind) {
      this(type, name, args, kind, 0);
    }
  }

  // ---------------------------------------------------------------- after lowering

  /**
   * A load from the flattened buffer {@code name} at element {@code index} (in elements). Lanes
   * whose {@code predicate} is false are not read and give an unspecified value.
   */
  record Load(Type type, String name, Expr index, Expr predicate) implements Expr {
    public Load {
      Check.notNull(type, "Load type");
      Check.name(name, "Load");
      Check.notNull(index, "Load index");
      Check.notNull(predicate, "Load predicate");
      Check.bool(predicate, "Load predicate");
      if (index.type().lanes() != type.lanes() || predicate.type().lanes() != type.lanes()) {
        throw new IllegalArgumentException(
            "Load from " + name + " of " + type + " has index " + index.type() + " and predicate " + predicate.type());
      }
    }
  }

  /** The vector {@code base, base + stride, ..., base + (lanes-1) * stride}. */
  record Ramp(Expr base, Expr stride, int lanes) implements Expr {
    public Ramp {
      Check.sameType(base, stride, "Ramp");
      if (lanes < 2) throw new IllegalArgumentException("Ramp needs at least 2 lanes, got " + lanes);
    }

    @Override
    public Type type() {
      return base.type().withLanes(base.type().lanes() * lanes);
    }
  }

  /** {@code value} repeated {@code lanes} times. */
  record Broadcast(Expr value, int lanes) implements Expr {
    public Broadcast {
      Check.notNull(value, "Broadcast value");
      if (lanes < 2) throw new IllegalArgumentException("Broadcast needs at least 2 lanes, got " + lanes);
    }

    @Override
    public Type type() {
      return value.type().withLanes(value.type().lanes() * lanes);
    }
  }

  /** Reduces groups of adjacent lanes of {@code value} with {@code op} down to {@code lanes} lanes. */
  record VectorReduce(Op op, Expr value, int lanes) implements Expr {
    /** The reduction operator. */
    public enum Op {
      ADD,
      MUL,
      MIN,
      MAX,
      AND,
      OR
    }

    public VectorReduce {
      Check.notNull(op, "VectorReduce op");
      Check.notNull(value, "VectorReduce value");
      int in = value.type().lanes();
      if (lanes < 1 || in % lanes != 0) {
        throw new IllegalArgumentException("VectorReduce of " + in + " lanes to " + lanes + " lanes");
      }
      if ((op == Op.AND || op == Op.OR) != value.type().isBool()) {
        throw new IllegalArgumentException("VectorReduce " + op + " does not apply to " + value.type());
      }
    }

    @Override
    public Type type() {
      return value.type().withLanes(lanes);
    }
  }
}
