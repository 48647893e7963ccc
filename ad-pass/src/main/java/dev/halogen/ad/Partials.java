package dev.halogen.ad;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.Substitution;
import dev.halogen.ir.Type;
import dev.halogen.passes.analysis.Prints;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The derivative rules of autodiff.md section 2.6, written once for both modes: for one expression
 * node, its float operands each with the partial derivative of the node with respect to it, as a
 * linear map {@code chain} on a derivative. Reverse mode ({@link ExprAdjoints}) applies {@code
 * chain} to the node's adjoint to get the operand's; forward mode ({@link ForwardAd}) applies it to
 * the operand's tangent to get its share of the node's tangent. A scalar partial derivative
 * multiplies, so the same map serves both; the maps also keep a NaN or infinity of a branch a
 * select does not take out of the result (autodiff.md test 36).
 *
 * <p>Where Halide is wrong (autodiff.md section 0) these are the true derivatives: exactly one
 * operand of a {@code min}/{@code max} tie receives the derivative (Q3), {@code abs'(0) = 0} (Q5),
 * and the float remainder {@code a % b = a - b * floor(a / b)} gives {@code -floor(a / b)} to
 * {@code b} (Q4). Only float-valued nodes carry derivatives: integer, bool, comparison, integer
 * cast, floor/ceil/round/trunc give none.
 *
 * <p>A map's result has the node's type; a {@link Cast} changes the type, so its map is the
 * identity and each mode casts ({@link #castTo}) between the node's and the operand's type.
 */
final class Partials {
  /** The node's derivative with respect to {@code operand} is {@code chain} (linear in its argument). */
  record Partial(Expr operand, UnaryOperator<Expr> chain) {}

  private final Map<String, ExternAdjoint> externs;

  /** The rules, with {@code externs} (by function name) for extern calls. */
  Partials(Map<String, ExternAdjoint> externs) {
    this.externs = Map.copyOf(externs);
  }

  /**
   * The operands of float node {@code e} with their partial derivatives. Leaves (constants,
   * variables, FUNC and IMAGE calls) have none: the caller decides what a read of a Func, an image
   * or a parameter means.
   *
   * @throws AdException for an extern call without a registered rule, an unknown intrinsic or math
   *     function, or a lowered node
   */
  List<Partial> of(Expr e) {
    return switch (e) {
      case IntImm _, UIntImm _, FloatImm _, StringImm _, Var _ -> List.of();
      case Cast(Type t, Expr v) -> v.type().isFloat() ? List.of(new Partial(v, d -> d)) : List.of();
      case Add(Expr a, Expr b) -> List.of(new Partial(a, d -> d), new Partial(b, d -> d));
      case Sub(Expr a, Expr b) -> List.of(new Partial(a, d -> d), new Partial(b, Partials::neg));
      case Mul(Expr a, Expr b) -> List.of(new Partial(a, d -> mul(d, b)), new Partial(b, d -> mul(d, a)));
      case Div(Expr a, Expr b) -> List.of(new Partial(a, d -> div(d, b)), new Partial(b, d -> neg(div(mul(d, a), new Mul(b, b)))));
      case Mod(Expr a, Expr b) -> List.of(new Partial(a, d -> d), new Partial(b, d -> neg(mul(d, math("floor", new Div(a, b))))));
      // One operand per tie (Q3): a takes it when a <= b, b only when strictly smaller.
      case Min(Expr a, Expr b) -> winner(a, b, new LE(a, b));
      case Max(Expr a, Expr b) -> winner(a, b, new GE(a, b));
      case EQ _, NE _, LT _, LE _, GT _, GE _, And _, Or _, Not _ -> List.of();
      case Select(Expr c, Expr t, Expr f) -> List.of(new Partial(t, d -> select(c, d)), new Partial(f, d -> select(new Not(c), d)));
      case Let(String name, Expr value, Expr body) -> List.of(new Partial(Substitution.substitute(body, name, value), d -> d));
      case Call c -> call(c);
      case Load _, Ramp _, Broadcast _, VectorReduce _ ->
          throw new AdException("unexpected lowered expression " + e.getClass().getSimpleName() + " in a Func definition");
    };
  }

  private static List<Partial> winner(Expr a, Expr b, Expr aWins) {
    return List.of(new Partial(a, d -> select(aWins, d)), new Partial(b, d -> select(new Not(aWins), d)));
  }

  private List<Partial> call(Call c) {
    List<Expr> args = c.args();
    return switch (c.kind()) {
      case FUNC, IMAGE -> List.of();
      case EXTERN -> extern(c);
      case INTRINSIC -> switch (c.name()) {
        case "likely" -> List.of(new Partial(args.get(0), d -> d));
        // A print gives its value: the derivative is the value's; the condition and the printed
        // arguments get none (Halide: return_second(halide_print(...), value)).
        case Prints.PRINT, Prints.PRINT_WHEN -> List.of(new Partial(args.get(Prints.valueIndex(c)), d -> d));
        // sign(0) = 0: the subgradient at the kink (Q5).
        case "abs" -> {
          Expr x = args.get(0);
          yield List.of(new Partial(x, d -> new Select(new GT(x, zero(d)), d, new Select(new LT(x, zero(d)), neg(d), zero(d)))));
        }
        case "lerp" -> {
          Expr a = args.get(0), b = args.get(1), w = args.get(2);
          if (!w.type().equals(c.type())) {
            throw new AdException("lerp with a weight of type " + w.type() + " has no derivative for values of type " + c.type());
          }
          yield List.of(new Partial(a, d -> mul(d, new Sub(one(d), w))), new Partial(b, d -> mul(d, w)),
              new Partial(w, d -> mul(d, new Sub(b, a))));
        }
        // Integer and bool operations: no derivative (the modes stop at integer types before asking).
        case "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "shift_left", "shift_right" -> List.of();
        // Only float-valued calls get here (the modes stop at other types), so is_nan and its kin never do.
        default -> throw new AdException("The intrinsic " + c.name() + " is unknown, so it has no derivative rule");
      };
      case MATH -> math(c);
    };
  }

  private List<Partial> extern(Call c) {
    ExternAdjoint rule = externs.get(c.name());
    if (rule == null) {
      throw new AdException("The extern function " + c.name() + " has no derivative rule; register a custom adjoint for it");
    }
    List<Partial> out = new ArrayList<>();
    for (int i = 0; i < c.args().size(); i++) {
      int index = i;
      out.add(new Partial(c.args().get(i), d -> {
        List<Expr> adjoints = rule.adjoints(c.args(), d);
        if (adjoints.size() != c.args().size()) {
          throw new AdException("The custom adjoint of extern function " + c.name() + " gives " + adjoints.size() + " adjoint"
              + (adjoints.size() == 1 ? "" : "s") + " for a call with " + c.args().size() + " argument" + (c.args().size() == 1 ? "" : "s"));
        }
        return adjoints.get(index);
      }));
    }
    return out;
  }

  private static List<Partial> math(Call c) {
    Expr x = c.args().get(0);
    return switch (c.name()) {
      case "floor", "ceil", "round", "trunc" -> List.of();
      case "fract" -> List.of(new Partial(x, d -> d));
      case "exp" -> List.of(new Partial(x, d -> mul(d, c)));
      case "log" -> List.of(new Partial(x, d -> div(d, x)));
      case "sqrt" -> List.of(new Partial(x, d -> div(mul(d, constant(d, 0.5)), c)));
      // (1/x)' = -(1/x)^2 and (x^-1/2)' = -1/2 (x^-1/2)^3, written with the call's own value.
      case "fast_inverse" -> List.of(new Partial(x, d -> neg(mul(d, new Mul(c, c)))));
      case "fast_inverse_sqrt" -> List.of(new Partial(x, d -> neg(mul(d, new Mul(constant(d, 0.5), new Mul(c, new Mul(c, c)))))));
      case "sin" -> List.of(new Partial(x, d -> mul(d, math("cos", x))));
      case "cos" -> List.of(new Partial(x, d -> neg(mul(d, math("sin", x)))));
      case "tan" -> {
        Expr cos = math("cos", x);
        yield List.of(new Partial(x, d -> div(d, new Mul(cos, cos))));
      }
      case "asin" -> List.of(new Partial(x, d -> div(d, math("sqrt", new Sub(one(d), new Mul(x, x))))));
      case "acos" -> List.of(new Partial(x, d -> neg(div(d, math("sqrt", new Sub(one(d), new Mul(x, x)))))));
      case "atan" -> List.of(new Partial(x, d -> div(d, new Add(one(d), new Mul(x, x)))));
      case "sinh" -> List.of(new Partial(x, d -> mul(d, math("cosh", x))));
      case "cosh" -> List.of(new Partial(x, d -> mul(d, math("sinh", x))));
      case "tanh" -> {
        Expr cosh = math("cosh", x);
        yield List.of(new Partial(x, d -> div(d, new Mul(cosh, cosh))));
      }
      case "asinh" -> List.of(new Partial(x, d -> div(d, math("sqrt", new Add(new Mul(x, x), one(d))))));
      case "acosh" -> List.of(new Partial(x, d -> div(d, new Mul(math("sqrt", new Sub(x, one(d))), math("sqrt", new Add(x, one(d)))))));
      case "atanh" -> List.of(new Partial(x, d -> div(d, new Sub(one(d), new Mul(x, x)))));
      // erf'(x) = 2 / sqrt(pi) * exp(-x^2)
      case "erf" -> List.of(new Partial(x, d -> mul(d, new Mul(constant(d, 2 / Math.sqrt(Math.PI)),
          math("exp", new Sub(zero(d), new Mul(x, x)))))));
      case "atan2" -> {
        // atan2(y, x): dy = x / (x^2 + y^2), dx = -y / (x^2 + y^2)
        Expr y = x, xx = c.args().get(1);
        Expr r2 = new Add(new Mul(xx, xx), new Mul(y, y));
        yield List.of(new Partial(y, d -> div(mul(d, xx), r2)), new Partial(xx, d -> neg(div(mul(d, y), r2))));
      }
      case "hypot" -> {
        Expr b = c.args().get(1);
        yield List.of(new Partial(x, d -> div(mul(d, x), c)), new Partial(b, d -> div(mul(d, b), c)));
      }
      case "pow" -> {
        Expr b = c.args().get(1);
        yield List.of(new Partial(x, d -> mul(d, new Mul(b, math("pow", x, new Sub(b, one(d)))))),
            new Partial(b, d -> mul(d, new Mul(c, math("log", x)))));
      }
      default -> throw new AdException("The math function " + c.name() + " is unknown, so it has no derivative rule");
    };
  }

  // ------------------------------------------------------------------ building derivatives

  /** {@code e} as type {@code t} (a cast only when the types differ). */
  static Expr castTo(Expr e, Type t) {
    return e.type().equals(t) ? e : new Cast(t, e);
  }

  /**
   * {@code d * f}, moved inside a select whose other branch is zero, so that a NaN or infinity of
   * {@code f} where the select gives zero does not reach the result (autodiff.md test 36).
   */
  static Expr mul(Expr d, Expr f) {
    if (d instanceof Select(Expr c, Expr t, Expr e)) {
      if (isZero(e)) return new Select(c, mul(t, f), e);
      if (isZero(t)) return new Select(c, t, mul(e, f));
    }
    return new Mul(d, f);
  }

  static Expr div(Expr d, Expr f) {
    if (d instanceof Select(Expr c, Expr t, Expr e)) {
      if (isZero(e)) return new Select(c, div(t, f), e);
      if (isZero(t)) return new Select(c, t, div(e, f));
    }
    return new Div(d, f);
  }

  private static Expr neg(Expr d) {
    if (d instanceof Select(Expr c, Expr t, Expr e)) return new Select(c, neg(t), neg(e));
    if (isZero(d)) return d;
    return new Sub(zero(d), d);
  }

  private static Expr select(Expr c, Expr d) {
    return new Select(c, d, zero(d));
  }

  private static boolean isZero(Expr e) {
    return e instanceof FloatImm(var _, double v) && v == 0;
  }

  static Expr zero(Expr like) {
    return constant(like, 0);
  }

  private static Expr one(Expr like) {
    return constant(like, 1);
  }

  private static Expr constant(Expr like, double v) {
    return new FloatImm(like.type(), v);
  }

  private static Expr math(String name, Expr... args) {
    return new Call(args[0].type(), name, List.of(args), CallKind.MATH);
  }
}
