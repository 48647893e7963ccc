package dev.halogen.passes.analysis;

import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fixture itself: deterministic, well typed, and covering what property tests rely on. */
class RandomExprsTest {
  @Test
  void theSameSeedGivesTheSameExpressionsAndValues() {
    RandomExprs a = new RandomExprs(5);
    RandomExprs b = new RandomExprs(5);
    for (int i = 0; i < 200; i++) {
      assertEquals(a.expr(6), b.expr(6));
      assertEquals(a.values(), b.values());
    }
  }

  @Test
  void coversEveryNodeAndTheEdgeCases() {
    RandomExprs gen = new RandomExprs(8, RandomExprs.Options.all().withFuncCalls(true));
    Set<String> nodes = new HashSet<>();
    Set<String> standardNames = new HashSet<>();
    for (Var v : gen.vars()) standardNames.add(v.name());
    boolean[] seen = new boolean[6]; // shadowing let, division by constant 0, NaN, -0.0, vector, int64 MIN
    for (int i = 0; i < 5000; i++) {
      Type t = gen.anyType(i % 3 == 0 ? 2 : 1);
      Expr e = gen.expr(t, 5);
      assertEquals(t, e.type());
      List<Expr> todo = new ArrayList<>(List.of(e));
      while (!todo.isEmpty()) {
        Expr x = todo.removeLast();
        nodes.add(x.getClass().getSimpleName());
        if (x instanceof Let l && standardNames.contains(l.name())) seen[0] = true;
        if ((x instanceof Div d && isZero(d.b())) || (x instanceof Mod m && isZero(m.b()))) seen[1] = true;
        if (x instanceof FloatImm f && Double.isNaN(f.value())) seen[2] = true;
        if (x instanceof FloatImm f && Double.doubleToRawLongBits(f.value()) == Long.MIN_VALUE) seen[3] = true;
        if (x.type().isVector()) seen[4] = true;
        if (x instanceof IntImm n && n.value() == Long.MIN_VALUE) seen[5] = true;
        todo.addAll(Children.of(x));
      }
    }
    for (Class<?> c : Expr.class.getPermittedSubclasses()) {
      if (c == Load.class || c == StringImm.class) continue; // no buffers, no handles
      assertTrue(nodes.contains(c.getSimpleName()), "never generated: " + c.getSimpleName());
    }
    String[] what = {"a shadowing let", "a division by constant zero", "a NaN", "a -0.0", "a vector", "int64 MIN"};
    for (int k = 0; k < what.length; k++) assertTrue(seen[k], "never generated " + what[k]);
  }

  private static boolean isZero(Expr e) {
    return (e instanceof IntImm i && i.value() == 0) || (e instanceof UIntImm u && u.value() == 0);
  }

  @Test
  void environmentValuesHitTheEdgesOfEveryType() {
    RandomExprs gen = new RandomExprs(9);
    for (Type t : RandomExprs.ALL_SCALAR_TYPES) {
      Set<Value> values = new HashSet<>();
      for (int i = 0; i < 400; i++) values.add(gen.value(t));
      if (t.isFloat()) {
        assertTrue(values.contains(Value.ofFloat(t, Double.POSITIVE_INFINITY)), t + " +inf");
        assertTrue(values.contains(Value.ofFloat(t, -0.0)), t + " -0.0");
        assertTrue(values.stream().anyMatch(v -> Double.isNaN(v.doubleLane(0))), t + " NaN");
      } else {
        assertTrue(values.contains(Value.ofInt(t, t.minInt())), t + " min");
        assertTrue(values.contains(Value.ofInt(t, t.maxInt())), t + " max");
        assertTrue(values.contains(Value.ofInt(t, t.isBool() ? 1 : -1)), t + " -1");
      }
    }
  }

  @Test
  void optionsRestrictTheTypes() {
    RandomExprs gen = new RandomExprs(10, RandomExprs.Options.all().withTypes(Type.I32, Type.BOOL).scalarsOnly().withCalls(false));
    for (int i = 0; i < 2000; i++) {
      Expr e = gen.expr(Type.I32, 6);
      List<Expr> todo = new ArrayList<>(List.of(e));
      while (!todo.isEmpty()) {
        Expr x = todo.removeLast();
        assertTrue(x.type().equals(Type.I32) || x.type().equals(Type.BOOL), () -> "unexpected " + x.type() + " in " + e);
        assertFalse(x instanceof Call, () -> "unexpected call in " + e);
        todo.addAll(Children.of(x));
      }
    }
  }

  @Test
  void int32ExpressionsOftenStayDefined() {
    RandomExprs gen = new RandomExprs(11, RandomExprs.Options.all().withTypes(Type.I32, Type.BOOL).scalarsOnly());
    int defined = 0;
    int n = 5000;
    for (int i = 0; i < n; i++) {
      try {
        Evaluator.CHECKING.eval(gen.expr(Type.I32, 5), gen.environment());
        defined++;
      } catch (Int32OverflowException overflow) {
        // undefined behaviour: a property test skips these
      }
    }
    System.out.printf("%d of %d random int32 expressions have no int32 overflow%n", defined, n);
    assertTrue(defined > n / 3, "too few defined int32 expressions for property tests: " + defined);
  }
}
