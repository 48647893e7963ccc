package dev.halogen;

import dev.halogen.ir.Expr.Cast;
import dev.halogen.ir.Expr.FloatImm;
import dev.halogen.ir.Expr.IntImm;
import dev.halogen.ir.Expr.UIntImm;
import dev.halogen.ir.Type;

/**
 * Halide's implicit type coercion, in one place.
 *
 * <p>Operands of the same type are used as they are. A Java {@code int} literal ({@link
 * Expr#of(int)}, or an {@code int} passed to an operator) takes the type of the other operand: a
 * float type as that float, an integer type only if the value fits (else an error). A {@code float}
 * or {@code double} literal takes the type of a float operand; with an integer operand the result
 * is {@code float32} (Halide: {@code int op float-literal -> float32}). Otherwise Halide's {@code
 * match_types}: an integer meets a float by becoming that float; two floats become the wider; two
 * unsigned integers the wider; any other pair of integers becomes the signed integer of the greater
 * width ({@code uint8 op int8 -> int8}, {@code uint32 op int16 -> int32}). Two literals use their
 * own types ({@code int32}, {@code float32} for Java {@code float}, {@code float64} for {@code
 * double}) with the same rules. Bool operands of arithmetic and handles anywhere are errors; {@code
 * ==} and {@code !=} also accept two bools. The two values of a select must already have one type
 * (Halide's {@code select}): only a literal adapts there. Every error names the operation and both
 * types.
 */
final class Coercion {
  /** Whether an expression is a literal whose type adapts to the other operand. */
  enum Literal {
    NONE,
    INT,
    FLOAT
  }

  /** Two operands converted to one type. */
  record Pair(dev.halogen.ir.Expr a, dev.halogen.ir.Expr b) {}

  private Coercion() {}

  static Literal literal(ExprLike e) {
    return e instanceof Expr x ? x.literal() : Literal.NONE;
  }

  /** How strictly two operands must agree. */
  private enum Mode {
    /** Arithmetic and ordering: Halide's {@code match_types}; bool operands are errors. */
    ARITHMETIC,
    /** Equality: like arithmetic, but two bools (or a bool and the literal 0 or 1) are fine. */
    EQUALITY,
    /** The values of a select: the types must already agree; only literals adapt (Halide's select). */
    SAME
  }

  /** Operands of arithmetic ({@code + - * / %}, min, max) and of ordering comparisons. */
  static Pair arithmetic(String op, ExprLike a, ExprLike b) {
    return match(op, a, b, Mode.ARITHMETIC);
  }

  /** Operands of {@code ==} and {@code !=}. */
  static Pair equality(String op, ExprLike a, ExprLike b) {
    return match(op, a, b, Mode.EQUALITY);
  }

  /** Two values that become one (the arms of a select): same type, or a literal adapting to the other. */
  static Pair same(String op, ExprLike a, ExprLike b) {
    return match(op, a, b, Mode.SAME);
  }

  private static Pair match(String op, ExprLike a, ExprLike b, Mode mode) {
    dev.halogen.ir.Expr ea = a.ir();
    dev.halogen.ir.Expr eb = b.ir();
    Type ta = ea.type();
    Type tb = eb.type();
    if (ta.isHandle() || tb.isHandle()) {
      throw error(op, ta, tb, "handles are opaque pointers and take part in no arithmetic or comparison");
    }
    if (ta.lanes() != tb.lanes()) throw error(op, ta, tb, "the lane counts differ");
    if (mode == Mode.ARITHMETIC && (ta.isBool() || tb.isBool())) {
      throw error(op, ta, tb, "arithmetic on bool is not allowed; use Exprs.select or Exprs.cast");
    }
    if (ta.equals(tb)) return new Pair(ea, eb);
    Literal la = literal(a);
    Literal lb = literal(b);
    if (la != Literal.NONE && lb == Literal.NONE) return withLiteral(op, ea, la, eb, mode, true);
    if (lb != Literal.NONE && la == Literal.NONE) {
      Pair p = withLiteral(op, eb, lb, ea, mode, false);
      return new Pair(p.b(), p.a());
    }
    if (ta.isBool() || tb.isBool()) throw error(op, ta, tb, "bool does not mix with other types without a cast");
    if (mode == Mode.SAME) throw error(op, ta, tb, "the values must have the same type; cast one of them");
    return matchTypes(ea, eb);
  }

  /**
   * A literal {@code lit} meets a typed operand {@code other}; returns (literal, other) converted.
   * {@code literalFirst} orders the types in messages as the operands were written.
   */
  private static Pair withLiteral(String op, dev.halogen.ir.Expr lit, Literal kind, dev.halogen.ir.Expr other, Mode mode,
      boolean literalFirst) {
    Type t = other.type();
    Type first = literalFirst ? lit.type() : t;
    Type second = literalFirst ? t : lit.type();
    return switch (kind) {
      case INT -> {
        long v = ((IntImm) lit).value();
        if (!t.isFloat() && !t.canRepresent(v)) {
          throw error(op, first, second, "the integer literal " + v + " does not fit in " + t
              + ", the type of the other operand; cast explicitly");
        }
        yield new Pair(constant(t, v), other);
      }
      case FLOAT -> {
        double v = ((FloatImm) lit).value();
        if (t.isFloat()) yield new Pair(new FloatImm(t, v), other);
        if (t.isBool() || mode == Mode.SAME) {
          throw error(op, first, second, "a float literal does not mix with " + t + " without a cast");
        }
        yield new Pair(new FloatImm(Type.F32, v), new Cast(Type.F32, other));
      }
      case NONE -> throw new IllegalStateException("not a literal");
    };
  }

  /** Halide's {@code match_types} for two scalar, non-bool, non-handle types that differ. */
  private static Pair matchTypes(dev.halogen.ir.Expr a, dev.halogen.ir.Expr b) {
    Type ta = a.type();
    Type tb = b.type();
    if (!ta.isFloat() && tb.isFloat()) return new Pair(new Cast(tb, a), b);
    if (ta.isFloat() && !tb.isFloat()) return new Pair(a, new Cast(ta, b));
    if ((ta.isFloat() && tb.isFloat()) || (ta.isUInt() && tb.isUInt())) {
      return ta.bits() > tb.bits() ? new Pair(a, new Cast(ta, b)) : new Pair(new Cast(tb, a), b);
    }
    Type t = Type.intOf(Math.max(ta.bits(), tb.bits()));
    return new Pair(castIfNeeded(t, a), castIfNeeded(t, b));
  }

  private static dev.halogen.ir.Expr castIfNeeded(Type t, dev.halogen.ir.Expr e) {
    return e.type().equals(t) ? e : new Cast(t, e);
  }

  /**
   * {@code e} as a value of exactly type {@code t}: as it is when it has that type, a literal that
   * fits converted to {@code t}, anything else an error naming {@code what}.
   */
  static dev.halogen.ir.Expr exactly(String what, ExprLike e, Type t) {
    dev.halogen.ir.Expr x = e.ir();
    if (x.type().equals(t)) return x;
    switch (literal(e)) {
      case INT -> {
        long v = ((IntImm) x).value();
        if (t.isFloat() || (!t.isHandle() && t.canRepresent(v))) return constant(t, v);
      }
      case FLOAT -> {
        if (t.isFloat()) return new FloatImm(t, ((FloatImm) x).value());
      }
      case NONE -> {}
    }
    throw new HalogenException.TypeException(what + " has type " + x.type() + " but " + t + " is needed");
  }

  /**
   * {@code e} converted to {@code t} without loss (Halide's {@code lossless_cast}, used for clamp
   * bounds): literals that fit, and types {@code t} can represent exactly.
   */
  static dev.halogen.ir.Expr lossless(String op, ExprLike e, Type t) {
    dev.halogen.ir.Expr x = e.ir();
    Type from = x.type();
    if (from.equals(t)) return x;
    switch (literal(e)) {
      case INT -> {
        long v = ((IntImm) x).value();
        if (t.isFloat() || (t.isIntOrUInt() && t.canRepresent(v))) return constant(t, v);
      }
      case FLOAT -> {
        double v = ((FloatImm) x).value();
        if (t.isFloat()) return new FloatImm(t, v);
        if (t.isIntOrUInt() && v == Math.rint(v) && v >= -0x1p63 && v < 0x1p63 && t.canRepresent((long) v)) {
          return constant(t, (long) v);
        }
      }
      case NONE -> {
        if (canRepresent(t, from)) return new Cast(t, x);
      }
    }
    throw new HalogenException.TypeException(op + ": " + from + " value cannot be converted to " + t + " without loss; cast it explicitly");
  }

  /** Halide's {@code Type::can_represent(Type)}: every value of {@code from} is a value of {@code to}. */
  static boolean canRepresent(Type to, Type from) {
    if (to.lanes() != from.lanes()) return false;
    return switch (to.code()) {
      case INT -> (from.isInt() && from.bits() <= to.bits()) || (from.isUInt() && from.bits() < to.bits());
      case UINT -> from.isUInt() && from.bits() <= to.bits();
      case FLOAT -> (from.isFloat() && from.bits() <= to.bits())
          || (from.isIntOrUInt() && from.bits() <= mantissaBits(to));
      case BOOL, HANDLE -> false;
    };
  }

  private static int mantissaBits(Type t) {
    return switch (t.bits()) {
      case 16 -> 8;
      case 32 -> 16;
      default -> 32;
    };
  }

  /**
   * The argument of a math function: floats as they are, integers converted to {@code float32}
   * (Halide's rule for {@code sin}, {@code floor}, {@code pow}, ...).
   */
  static dev.halogen.ir.Expr toFloat(String op, ExprLike e) {
    dev.halogen.ir.Expr x = e.ir();
    Type t = x.type();
    if (t.isFloat()) return x;
    if (!t.isIntOrUInt()) throw new HalogenException.TypeException(op + " needs a number, got " + t);
    if (literal(e) == Literal.INT) return new FloatImm(Type.F32, ((IntImm) x).value());
    return new Cast(Type.F32, x);
  }

  /**
   * An integer index (an argument of a call to a Func or image, an RDom bound, a schedule bound):
   * any integer type, converted to {@code int32}; floats, bools and handles are errors naming
   * {@code what} (Halide's {@code check_call_arg_types}).
   */
  static dev.halogen.ir.Expr int32(String what, ExprLike e) {
    dev.halogen.ir.Expr x = e.ir();
    Type t = x.type();
    if (t.equals(Type.I32)) return x;
    if (t.isIntOrUInt()) return new Cast(Type.I32, x);
    throw new HalogenException.TypeException(what + " has type " + t + "; it must be an integer (use Exprs.cast to convert)");
  }

  /** The constant {@code v} of an integer, bool or float type. */
  static dev.halogen.ir.Expr constant(Type t, long v) {
    return switch (t.code()) {
      case INT -> new IntImm(t, v);
      case UINT, BOOL -> new UIntImm(t, v);
      case FLOAT -> new FloatImm(t, v);
      case HANDLE -> throw new HalogenException.TypeException("there are no constants of type handle");
    };
  }

  /** The constant {@code v} of a float type, or of an integer type when {@code v} is a whole number that fits. */
  static dev.halogen.ir.Expr constant(Type t, double v) {
    if (t.isFloat()) return new FloatImm(t, v);
    if (t.isHandle() || v != Math.rint(v) || !(v >= -0x1p63 && v < 0x1p63) || !t.canRepresent((long) v)) {
      throw new HalogenException.TypeException("the value " + v + " is not a value of type " + t);
    }
    return constant(t, (long) v);
  }

  private static HalogenException.TypeException error(String op, Type a, Type b, String why) {
    return new HalogenException.TypeException(op + "(" + a + ", " + b + "): " + why);
  }
}
