package dev.halogen;

import dev.halogen.ir.Expr;
import java.util.Map;

/**
 * Evaluates an integer IR expression (Halide semantics: floor division, Euclidean remainder) with
 * the given values of its variables, to check index arithmetic by its values rather than its shape.
 */
final class IntEval {
  private IntEval() {}

  static long eval(Expr e, Map<String, Long> env) {
    return switch (e) {
      case Expr.IntImm x -> x.value();
      case Expr.UIntImm x -> x.value();
      case Expr.Var x -> {
        Long value = env.get(x.name());
        if (value == null) throw new AssertionError("no value for variable " + x.name());
        yield value;
      }
      case Expr.Add(Expr a, Expr b) -> eval(a, env) + eval(b, env);
      case Expr.Sub(Expr a, Expr b) -> eval(a, env) - eval(b, env);
      case Expr.Mul(Expr a, Expr b) -> eval(a, env) * eval(b, env);
      case Expr.Div(Expr a, Expr b) -> {
        long d = eval(b, env);
        yield d == 0 ? 0 : Math.floorDiv(eval(a, env), d);
      }
      case Expr.Mod(Expr a, Expr b) -> {
        long d = eval(b, env);
        yield d == 0 ? 0 : Math.floorMod(eval(a, env), Math.abs(d));
      }
      case Expr.Min(Expr a, Expr b) -> Math.min(eval(a, env), eval(b, env));
      case Expr.Max(Expr a, Expr b) -> Math.max(eval(a, env), eval(b, env));
      case Expr.EQ(Expr a, Expr b) -> eval(a, env) == eval(b, env) ? 1 : 0;
      case Expr.NE(Expr a, Expr b) -> eval(a, env) != eval(b, env) ? 1 : 0;
      case Expr.LT(Expr a, Expr b) -> eval(a, env) < eval(b, env) ? 1 : 0;
      case Expr.LE(Expr a, Expr b) -> eval(a, env) <= eval(b, env) ? 1 : 0;
      case Expr.GT(Expr a, Expr b) -> eval(a, env) > eval(b, env) ? 1 : 0;
      case Expr.GE(Expr a, Expr b) -> eval(a, env) >= eval(b, env) ? 1 : 0;
      case Expr.And(Expr a, Expr b) -> eval(a, env) != 0 && eval(b, env) != 0 ? 1 : 0;
      case Expr.Or(Expr a, Expr b) -> eval(a, env) != 0 || eval(b, env) != 0 ? 1 : 0;
      case Expr.Not(Expr a) -> eval(a, env) == 0 ? 1 : 0;
      case Expr.Select(Expr c, Expr t, Expr f) -> eval(c, env) != 0 ? eval(t, env) : eval(f, env);
      case Expr.FloatImm x -> throw unsupported(e);
      case Expr.StringImm x -> throw unsupported(e);
      case Expr.Cast x -> throw unsupported(e);
      case Expr.Let x -> throw unsupported(e);
      case Expr.Call x -> throw unsupported(e);
      case Expr.Load x -> throw unsupported(e);
      case Expr.Ramp x -> throw unsupported(e);
      case Expr.Broadcast x -> throw unsupported(e);
      case Expr.VectorReduce x -> throw unsupported(e);
    };
  }

  private static AssertionError unsupported(Expr e) {
    return new AssertionError("IntEval does not evaluate " + e);
  }
}
