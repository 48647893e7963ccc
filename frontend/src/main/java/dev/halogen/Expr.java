package dev.halogen;

import dev.halogen.ir.Expr.FloatImm;
import dev.halogen.ir.Expr.IntImm;
import dev.halogen.ir.Expr.UIntImm;
import dev.halogen.ir.Type;
import org.jspecify.annotations.Nullable;

/**
 * An expression of the front end: an IR expression ({@link #ir()}) together with the Funcs,
 * parameters, RDoms and Vars it was built from, so that a {@link Pipeline} can find everything it
 * reads.
 *
 * <p>Literals made by {@link #of(int)}, {@link #of(float)} and {@link #of(double)} (and the Java
 * numbers passed to operators such as {@link ExprLike#plus(int)}) adapt their type to the other
 * operand, as in Halide: {@code u8.plus(1)} is a {@code uint8}, {@code f.div(3)} of a {@code
 * float32} divides by {@code 3.0f}. Standing alone they are {@code int32}, {@code float32} and
 * {@code float64}.
 */
public final class Expr implements ExprLike {
  private final dev.halogen.ir.Expr ir;
  final Refs refs;
  private final Coercion.Literal literal;

  Expr(dev.halogen.ir.Expr ir, Refs refs) {
    this(ir, refs, Coercion.Literal.NONE);
  }

  private Expr(dev.halogen.ir.Expr ir, Refs refs, Coercion.Literal literal) {
    this.ir = ir;
    this.refs = refs;
    this.literal = literal;
  }

  /** An {@code int32} literal that takes the type of the operand it meets. */
  public static Expr of(int value) {
    return new Expr(new IntImm(Type.I32, value), Refs.EMPTY, Coercion.Literal.INT);
  }

  /** A {@code float32} literal that takes the float type of the operand it meets. */
  public static Expr of(float value) {
    return new Expr(new FloatImm(Type.F32, value), Refs.EMPTY, Coercion.Literal.FLOAT);
  }

  /** A {@code float64} literal that takes the float type of the operand it meets ({@code float32} with an integer). */
  public static Expr of(double value) {
    return new Expr(new FloatImm(Type.F64, value), Refs.EMPTY, Coercion.Literal.FLOAT);
  }

  /** An {@code int64} constant (its type is fixed). */
  public static Expr of(long value) {
    return new Expr(new IntImm(Type.I64, value), Refs.EMPTY);
  }

  /** A {@code bool} constant. */
  public static Expr of(boolean value) {
    return new Expr(new UIntImm(Type.BOOL, value ? 1 : 0), Refs.EMPTY);
  }

  /** The constant {@code value} of type {@code type} (an integer type needs a whole number that fits). */
  public static Expr constant(Type type, double value) {
    return new Expr(Coercion.constant(type, value), Refs.EMPTY);
  }

  @Override
  public dev.halogen.ir.Expr ir() {
    return ir;
  }

  @Override
  public dev.halogen.ir.Type type() {
    return ir().type();
  }

  Coercion.Literal literal() {
    return literal;
  }

  /** The negated literal, still adapting its type, or null when this is not a literal that negates exactly. */
  @Nullable Expr negatedLiteral() {
    if (literal == Coercion.Literal.INT && ir instanceof IntImm(Type t, long v) && v != Integer.MIN_VALUE) {
      return new Expr(new IntImm(t, -v), refs, literal);
    }
    if (literal == Coercion.Literal.FLOAT && ir instanceof FloatImm(Type t, double v)) {
      return new Expr(new FloatImm(t, -v), refs, literal);
    }
    return null;
  }

  @Override
  public String toString() {
    return ir.toString();
  }
}
