package dev.halogen.ad;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.Substitution;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reverse-mode differentiation of one expression (autodiff.md section 2.6): given the adjoint of
 * the whole expression, the adjoint of every Func or image read and every float scalar parameter
 * it uses. Only float-valued subexpressions carry gradients: an integer, bool, comparison, integer
 * cast, floor/ceil/round/trunc gives zero to its operands.
 *
 * <p>Where Halide is wrong (autodiff.md section 0) this follows the true derivative: exactly one
 * operand of a {@code min}/{@code max} tie receives the adjoint, {@code abs'(0) = 0}, and the float
 * remainder {@code a % b = a - b * floor(a / b)} gives {@code -floor(a / b)} to {@code b}.
 */
final class ExprAdjoints {
  /** The adjoint {@code adjoint} flows into {@code target}: a FUNC or IMAGE {@link Call}, or the {@link Var} of a parameter. */
  record Contribution(Expr target, Expr adjoint) {}

  private final Set<String> params;
  private final List<Contribution> out = new ArrayList<>();

  private ExprAdjoints(Set<String> params) {
    this.params = params;
  }

  /**
   * The contributions of {@code e} when its adjoint is {@code adjoint} (of {@code e}'s type), in
   * the order the reads appear. {@code params} names the float scalar parameters that receive
   * gradients.
   *
   * @throws AdException for an extern call, an unknown intrinsic or math function, or a lowered node
   */
  static List<Contribution> of(Expr e, Expr adjoint, Set<String> params) {
    ExprAdjoints a = new ExprAdjoints(params);
    a.diff(e, adjoint);
    return a.out;
  }

  private void diff(Expr e, Expr adj) {
    if (!e.type().isFloat()) return;
    switch (e) {
      case IntImm _, UIntImm _, FloatImm _, StringImm _ -> {}
      case Cast(Type t, Expr v) -> {
        if (v.type().isFloat()) diff(v, new Cast(v.type(), adj));
      }
      case Var v -> {
        if (params.contains(v.name())) out.add(new Contribution(v, adj));
      }
      case Add(Expr a, Expr b) -> {
        diff(a, adj);
        diff(b, adj);
      }
      case Sub(Expr a, Expr b) -> {
        diff(a, adj);
        diff(b, neg(adj));
      }
      case Mul(Expr a, Expr b) -> {
        diff(a, mul(adj, b));
        diff(b, mul(adj, a));
      }
      case Div(Expr a, Expr b) -> {
        diff(a, div(adj, b));
        diff(b, neg(div(mul(adj, a), new Mul(b, b))));
      }
      case Mod(Expr a, Expr b) -> {
        diff(a, adj);
        diff(b, neg(mul(adj, math("floor", new Div(a, b)))));
      }
      case Min(Expr a, Expr b) -> {
        // One operand per tie (Q3): a takes it when a <= b, b only when strictly smaller.
        Expr aWins = new LE(a, b);
        diff(a, select(aWins, adj));
        diff(b, select(new Not(aWins), adj));
      }
      case Max(Expr a, Expr b) -> {
        Expr aWins = new GE(a, b);
        diff(a, select(aWins, adj));
        diff(b, select(new Not(aWins), adj));
      }
      case EQ _, NE _, LT _, LE _, GT _, GE _, And _, Or _, Not _ -> {}
      case Select(Expr c, Expr t, Expr f) -> {
        diff(t, select(c, adj));
        diff(f, select(new Not(c), adj));
      }
      case Let(String name, Expr value, Expr body) -> diff(Substitution.substitute(body, name, value), adj);
      case Call c -> call(c, adj);
      case Load _, Ramp _, Broadcast _, VectorReduce _ ->
          throw new AdException("unexpected lowered expression " + e.getClass().getSimpleName() + " in a Func definition");
    }
  }

  private void call(Call c, Expr adj) {
    List<Expr> args = c.args();
    switch (c.kind()) {
      case FUNC, IMAGE -> out.add(new Contribution(c, adj));
      // Custom adjoints of extern functions (issue #6) are not registrable yet; until they are, an
      // extern call is refused by name rather than treated as a constant.
      case EXTERN -> throw new AdException("The extern function " + c.name() + " has no derivative rule");
      case INTRINSIC -> {
        switch (c.name()) {
          case "likely" -> diff(args.get(0), adj);
          // sign(0) = 0: the subgradient at the kink (Q5).
          case "abs" -> diff(args.get(0), select(new GT(args.get(0), zero(adj)), adj,
              select(new LT(args.get(0), zero(adj)), neg(adj), zero(adj))));
          case "lerp" -> {
            Expr a = args.get(0), b = args.get(1), w = args.get(2);
            if (!w.type().equals(adj.type())) {
              throw new AdException("lerp with a weight of type " + w.type() + " has no derivative for values of type " + adj.type());
            }
            diff(a, mul(adj, new Sub(one(adj), w)));
            diff(b, mul(adj, w));
            diff(w, mul(adj, new Sub(b, a)));
          }
          // Only float-valued calls get here (diff stops at other types), so is_nan and its kin never do.
          default -> throw new AdException("The intrinsic " + c.name() + " is unknown, so it has no derivative rule");
        }
      }
      case MATH -> math(c, adj);
    }
  }

  private void math(Call c, Expr adj) {
    Expr x = c.args().get(0);
    switch (c.name()) {
      case "floor", "ceil", "round", "trunc" -> {}
      case "fract" -> diff(x, adj);
      case "exp" -> diff(x, mul(adj, c));
      case "log" -> diff(x, div(adj, x));
      case "sqrt" -> diff(x, div(mul(adj, constant(adj, 0.5)), c));
      case "sin" -> diff(x, mul(adj, math("cos", x)));
      case "cos" -> diff(x, neg(mul(adj, math("sin", x))));
      case "tan" -> {
        Expr cos = math("cos", x);
        diff(x, div(adj, new Mul(cos, cos)));
      }
      case "asin" -> diff(x, div(adj, math("sqrt", new Sub(one(adj), new Mul(x, x)))));
      case "acos" -> diff(x, neg(div(adj, math("sqrt", new Sub(one(adj), new Mul(x, x))))));
      case "atan" -> diff(x, div(adj, new Add(one(adj), new Mul(x, x))));
      case "sinh" -> diff(x, mul(adj, math("cosh", x)));
      case "cosh" -> diff(x, mul(adj, math("sinh", x)));
      case "tanh" -> {
        Expr cosh = math("cosh", x);
        diff(x, div(adj, new Mul(cosh, cosh)));
      }
      case "asinh" -> diff(x, div(adj, math("sqrt", new Add(new Mul(x, x), one(adj)))));
      case "acosh" -> diff(x, div(adj, new Mul(math("sqrt", new Sub(x, one(adj))), math("sqrt", new Add(x, one(adj))))));
      case "atanh" -> diff(x, div(adj, new Sub(one(adj), new Mul(x, x))));
      case "erf" -> {
        // erf'(x) = 2 / sqrt(pi) * exp(-x^2)
        diff(x, mul(adj, new Mul(constant(adj, 2 / Math.sqrt(Math.PI)), math("exp", new Sub(zero(adj), new Mul(x, x))))));
      }
      case "atan2" -> {
        // atan2(y, x): dy = x / (x^2 + y^2), dx = -y / (x^2 + y^2)
        Expr y = x, xx = c.args().get(1);
        Expr r2 = new Add(new Mul(xx, xx), new Mul(y, y));
        diff(y, div(mul(adj, xx), r2));
        diff(xx, neg(div(mul(adj, y), r2)));
      }
      case "hypot" -> {
        Expr b = c.args().get(1);
        diff(x, div(mul(adj, x), c));
        diff(b, div(mul(adj, b), c));
      }
      case "pow" -> {
        Expr b = c.args().get(1);
        diff(x, mul(adj, new Mul(b, math("pow", x, new Sub(b, one(adj))))));
        diff(b, mul(adj, new Mul(c, math("log", x))));
      }
      default -> throw new AdException("The math function " + c.name() + " is unknown, so it has no derivative rule");
    }
  }

  // ------------------------------------------------------------------ building adjoints

  /**
   * {@code adj * f}, moved inside a select whose other branch is zero, so that a NaN or infinity
   * of {@code f} where the select gives zero does not reach the gradient (autodiff.md test 36).
   */
  static Expr mul(Expr adj, Expr f) {
    if (adj instanceof Select(Expr c, Expr t, Expr e)) {
      if (isZero(e)) return new Select(c, mul(t, f), e);
      if (isZero(t)) return new Select(c, t, mul(e, f));
    }
    return new Mul(adj, f);
  }

  static Expr div(Expr adj, Expr f) {
    if (adj instanceof Select(Expr c, Expr t, Expr e)) {
      if (isZero(e)) return new Select(c, div(t, f), e);
      if (isZero(t)) return new Select(c, t, div(e, f));
    }
    return new Div(adj, f);
  }

  private static Expr neg(Expr adj) {
    if (adj instanceof Select(Expr c, Expr t, Expr e)) return new Select(c, neg(t), neg(e));
    if (isZero(adj)) return adj;
    return new Sub(zero(adj), adj);
  }

  private static Expr select(Expr c, Expr adj) {
    return new Select(c, adj, zero(adj));
  }

  private static Expr select(Expr c, Expr t, Expr f) {
    return new Select(c, t, f);
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
