package dev.halogen.passes.analysis;

import static dev.halogen.passes.analysis.Ir.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.IrQueries;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every answer of the {@link Solver}, re-substituted and checked with the {@link Evaluator} over
 * small ranges of all variables: solutions hold exactly where the equation does, outer intervals
 * contain every point where the condition holds, inner ones only such points, and inverses list
 * exactly the preimages.
 */
class SolverExhaustiveTest {
  private static final Var u = Var.of("u"), n = Var.of("n"), rx = Var.of("r.x");
  private static final int X = 60, OTHER = 4, U = 30;

  private static Expr clamp(Expr e, long lo, long hi) {
    return max(min(e, i(hi)), i(lo));
  }

  /** Every assignment of {@code names} to values in [-range, range]. */
  private static List<Map<String, Value>> assignments(List<String> names, int range) {
    List<Map<String, Value>> out = new ArrayList<>();
    out.add(new HashMap<>());
    for (String name : names) {
      List<Map<String, Value>> next = new ArrayList<>();
      for (Map<String, Value> m : out) {
        for (int v = -range; v <= range; v++) {
          Map<String, Value> c = new HashMap<>(m);
          c.put(name, Value.ofInt(Type.I32, v));
          next.add(c);
        }
      }
      out = next;
    }
    return out;
  }

  private static List<String> others(Expr e, String... except) {
    List<String> out = new ArrayList<>(IrQueries.freeVars(e));
    out.removeAll(List.of(except));
    return out;
  }

  private static long eval(Expr e, Map<String, Value> env) {
    return Evaluator.CHECKING.eval(e, env).longLane(0);
  }

  // ------------------------------------------------------------------ solve

  private static final List<Expr> EQUATIONS = List.of(
      eq(add(x, i(3)), i(10)), eq(add(mul(i(2), x), i(1)), y), sub(x, y), eq(add(new Sub(i(0), x), i(5)), y),
      eq(mul(i(3), x), add(mul(i(2), x), y)), eq(add(mul(x, i(4)), i(2)), mul(y, i(3))), eq(mul(i(-3), x), y),
      eq(sub(mul(i(5), x), n), add(y, i(7))), eq(add(x, x), sub(y, x)), sub(mul(i(-2), x), add(y, n)),
      eq(div(y, i(2)), sub(mul(i(3), x), i(1))), eq(add(x, mod(y, i(3))), i(4)));

  @Test
  void solutionsHoldExactlyWhereTheEquationDoes() {
    for (Expr eqn : EQUATIONS) {
      Optional<Solver.Solution> sol = Solver.solve(eqn, "x");
      assertTrue(sol.isPresent(), () -> "no solution of " + eqn);
      Expr truth = eqn.type().isBool() ? eqn : eq(eqn, i(0));
      for (Map<String, Value> env : assignments(others(eqn, "x"), OTHER)) {
        boolean cond = eval(sol.get().condition(), env) != 0;
        long value = cond ? eval(sol.get().value(), env) : 0;
        for (int xv = -X; xv <= X; xv++) {
          env.put("x", Value.ofInt(Type.I32, xv));
          boolean holds = eval(truth, env) != 0;
          int xx = xv;
          assertEquals(holds, cond && value == xv, () -> "solving " + eqn + " as " + sol.get() + " at x = " + xx + ", " + env);
        }
      }
    }
  }

  // ------------------------------------------------------------------ intervals

  private static final List<Expr> CONDITIONS = List.of(
      lt(x, i(10)), new GE(x, y), lt(mul(i(2), x), i(7)), new GT(mul(i(3), x), i(7)), le(mul(i(-2), x), i(5)),
      lt(add(x, y), i(10)), new Not(lt(x, i(10))), eq(x, i(5)), eq(mul(i(2), x), i(5)), eq(mul(i(3), x), y), new NE(x, i(5)),
      new And(lt(x, i(10)), new GE(x, y)), new Or(lt(x, i(0)), new GT(x, i(10))), lt(min(x, y), i(5)), lt(max(x, i(3)), i(5)),
      new And(lt(clamp(x, -5, 100), i(10)), new GE(x, i(0))), new Not(new Or(lt(x, i(0)), new GT(x, i(10)))),
      new Or(lt(x, i(5)), new GE(x, i(5))), new Or(lt(x, i(5)), new GT(x, i(7))), new And(new GT(x, n), le(x, add(n, y))),
      le(mul(x, x), i(4)), lt(y, i(1)), new Or(new And(new GE(x, i(0)), le(x, i(5))), new And(new GE(x, i(15)), le(x, i(20)))),
      new GT(max(sub(i(3), x), min(x, y)), i(2)), new Not(new And(lt(y, x), lt(x, i(8)))));

  @Test
  void outerIntervalsHoldEveryPointWhereTheConditionHolds() {
    for (Expr cond : CONDITIONS) {
      Interval outer = Solver.solveForOuterInterval(cond, "x");
      for (Map<String, Value> env : assignments(others(cond, "x"), OTHER)) {
        for (int xv = -X; xv <= X; xv++) {
          env.put("x", Value.ofInt(Type.I32, xv));
          if (eval(cond, env) == 0) continue;
          int xx = xv;
          assertTrue(inside(xv, outer, env), () -> cond + " holds at x = " + xx + ", " + env + " outside its outer interval " + outer);
        }
      }
    }
  }

  @Test
  void innerIntervalsHoldOnlyPointsWhereTheConditionHolds() {
    for (Expr cond : CONDITIONS) {
      Interval inner = Solver.solveForInnerInterval(cond, "x");
      for (Map<String, Value> env : assignments(others(cond, "x"), OTHER)) {
        for (int xv = -X; xv <= X; xv++) {
          env.put("x", Value.ofInt(Type.I32, xv));
          if (!inside(xv, inner, env)) continue;
          int xx = xv;
          assertTrue(eval(cond, env) != 0, () -> cond + " fails at x = " + xx + ", " + env + " inside its inner interval " + inner);
        }
      }
    }
  }

  private static boolean inside(long v, Interval i, Map<String, Value> env) {
    for (Expr end : new Expr[] {i.min(), i.max()}) {
      if (end != null) assertFalse(IrQueries.freeVars(end).contains("x"), () -> "interval " + i + " mentions x");
    }
    return (i.min() == null || eval(i.min(), env) <= v) && (i.max() == null || v <= eval(i.max(), env));
  }

  // ------------------------------------------------------------------ inversion

  private static final List<Expr> INVERTIBLE = List.of(
      sub(x, rx), add(x, y), add(new Sub(i(0), x), i(5)), add(mul(i(2), x), i(1)), sub(mul(i(3), x), i(2)),
      add(mul(i(4), x), n), add(mul(i(-2), x), i(1)), div(x, i(4)), div(div(x, i(2)), i(3)), div(add(x, i(3)), i(4)),
      div(x, i(-4)), div(new Sub(i(0), x), i(4)), add(div(sub(x, i(1)), i(2)), i(3)), mul(i(2), div(x, i(3))),
      div(mul(i(2), x), i(4)), add(div(x, i(4)), y), mul(i(-3), div(add(x, y), i(2))), div(sub(i(7), mul(i(3), x)), i(-2)),
      sub(div(add(x, i(1)), i(3)), div(y, i(2))), add(add(x, y), sub(rx, n)), div(mul(i(-4), x), i(8)), mul(div(x, i(2)), i(-1)));

  @Test
  void inversesListExactlyThePreimages() {
    for (Expr arg : INVERTIBLE) {
      Inversion inv = Solver.invert(arg, "x", "u");
      assertInstanceOf(Inversion.Inverse.class, inv, () -> "u == " + arg + " is not inverted: " + inv);
      Inversion.Inverse in = (Inversion.Inverse) inv;
      for (String name : IrQueries.freeVars(in.min())) assertNotEquals("x", name, () -> "inverse of " + arg + " mentions x");
      for (Map<String, Value> env : assignments(others(arg, "x"), 2)) {
        for (int uv = -U; uv <= U; uv++) {
          env.put("u", Value.ofInt(Type.I32, uv));
          TreeSet<Long> got = new TreeSet<>();
          if (eval(in.predicate(), env) != 0) {
            long min = eval(in.min(), env);
            for (int k = 0; k < in.extent(); k++) got.add(min + k);
          }
          TreeSet<Long> want = new TreeSet<>();
          for (int xv = -4 * X; xv <= 4 * X; xv++) {
            env.put("x", Value.ofInt(Type.I32, xv));
            if (eval(arg, env) == uv) want.add((long) xv);
          }
          env.remove("x");
          int uu = uv;
          assertEquals(want, got, () -> "preimages of u = " + uu + " under " + arg + " at " + env + " from " + in);
        }
      }
    }
  }
}
