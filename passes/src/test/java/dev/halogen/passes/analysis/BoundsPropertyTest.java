package dev.halogen.passes.analysis;

import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Expr.Var;
import dev.halogen.ir.IrRewriter;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Soundness of {@link Bounds} on random expressions ({@link RandomExprs}): at random points inside
 * random variable intervals, the exact value ({@link Evaluator}) lies within the computed bounds, and
 * every Func call the evaluator makes lies within {@link Bounds#boxesRequired}. Samples whose int32
 * arithmetic overflows are skipped (that overflow is undefined, SEMANTICS.md), as are samples where a
 * symbolic end itself overflows.
 */
class BoundsPropertyTest {
  private static final List<Type> INT_TYPES = List.of(Type.I8, Type.I16, Type.I32, Type.I64, Type.U8, Type.U16, Type.U32, Type.U64, Type.BOOL);
  private static final int SAMPLES = 12;

  /** A variable's interval and how to draw values in it. */
  private record Range(Var var, Interval interval, Value lo, Value hi) {}

  @Test
  void integerScalarExpressions() {
    check(1, new RandomExprs.Options(INT_TYPES, List.of(), true, true, false), 2500, 4);
  }

  @Test
  void integerVectorExpressions() {
    check(2, new RandomExprs.Options(INT_TYPES, List.of(2, 4), true, true, false), 1200, 4);
  }

  @Test
  void floatAndMixedExpressions() {
    check(3, new RandomExprs.Options(List.of(Type.I32, Type.U8, Type.I16, Type.F32, Type.F64, Type.F16, Type.BOOL), List.of(), true, true, false), 2500, 4);
  }

  @Test
  void funcCallsStayInsideTheBoxesRequired() {
    check(4, new RandomExprs.Options(List.of(Type.I32, Type.U8, Type.I16, Type.BOOL), List.of(), true, false, true), 2000, 4);
  }

  private static void check(long seed, RandomExprs.Options options, int trials, int depth) {
    RandomExprs gen = new RandomExprs(seed, options);
    Random rnd = gen.random();
    int checked = 0;
    for (int trial = 0; trial < trials; trial++) {
      Type type = gen.anyType(options.vectorLanes().isEmpty() || rnd.nextBoolean() ? 1 : options.vectorLanes().get(rnd.nextInt(options.vectorLanes().size())));
      Expr e = byArity(gen.expr(type, depth));
      List<Range> ranges = new ArrayList<>();
      IntervalScope scope = IntervalScope.empty();
      List<Var> fixed = new ArrayList<>();
      for (Var v : gen.vars()) {
        Range r = range(gen, v);
        if (r == null) {
          fixed.add(v);
        } else {
          ranges.add(r);
          scope = scope.with(v.name(), r.interval());
        }
      }
      IntervalScope s = scope;
      Interval b = assertDoesNotThrow(() -> Bounds.boundsOf(e, s), () -> "bounds of " + e);
      Map<String, Box> boxes = assertDoesNotThrow(() -> Bounds.boxesRequired(e, s, FuncValueBounds.empty()), () -> "boxes of " + e);
      for (int k = 0; k < SAMPLES; k++) {
        Map<String, Value> values = new LinkedHashMap<>();
        for (Var v : fixed) values.put(v.name(), finite(gen, v.type()));
        for (Range r : ranges) values.put(r.var().name(), inside(gen, r));
        List<Call> calls = new ArrayList<>();
        List<List<Value>> callArgs = new ArrayList<>();
        CallHandler recording = new CallHandler() {
          @Override
          public Value call(Call call, List<Value> args) {
            calls.add(call);
            callArgs.add(args);
            return RandomExprs.HASH_CALLS.call(call, args);
          }

          @Override
          public Value load(Expr.Load load, Value index, Value predicate) {
            return RandomExprs.HASH_CALLS.load(load, index, predicate);
          }
        };
        Value value;
        try {
          value = Evaluator.CHECKING.eval(e, Environment.of(values, recording));
        } catch (Int32OverflowException overflow) {
          continue;
        }
        Value lo, hi;
        try {
          lo = b.min() == null ? null : Evaluator.CHECKING.eval(b.min(), Environment.of(values, RandomExprs.HASH_CALLS));
          hi = b.max() == null ? null : Evaluator.CHECKING.eval(b.max(), Environment.of(values, RandomExprs.HASH_CALLS));
        } catch (Int32OverflowException overflow) {
          continue;
        }
        checked++;
        for (int lane = 0; lane < value.lanes(); lane++) {
          Value got = value.lane(lane);
          int l = lane;
          assertTrue(within(got, lo, hi), () -> "lane " + l + " of " + IrPrinter.print(e) + " = " + got + " is outside " + b + " = [" + lo + ", " + hi + "] at " + values + " in " + s);
        }
        for (int i = 0; i < calls.size(); i++) {
          Call c = calls.get(i);
          List<Value> args = callArgs.get(i);
          Box box = boxes.get(c.name());
          assertNotNull(box, () -> "no box for " + c.name() + " in " + e);
          for (int d = 0; d < args.size(); d++) {
            Interval dim = box.get(d);
            Value lo2, hi2;
            try {
              lo2 = dim.min() == null ? null : Evaluator.CHECKING.eval(dim.min(), Environment.of(values, RandomExprs.HASH_CALLS));
              hi2 = dim.max() == null ? null : Evaluator.CHECKING.eval(dim.max(), Environment.of(values, RandomExprs.HASH_CALLS));
            } catch (Int32OverflowException overflow) {
              continue;
            }
            Value a = args.get(d);
            int dd = d;
            assertTrue(within(a, lo2, hi2), () -> "argument " + dd + " = " + a + " of a call to " + c.name() + " in " + IrPrinter.print(e) + " is outside " + box + " at " + values + " in " + s);
          }
        }
      }
    }
    assertTrue(checked > trials * SAMPLES / 4, "too few samples checked: " + checked);
  }

  /**
   * {@code e} with each Func call renamed after its argument count ({@code h} with two arguments
   * becomes {@code h2}): the generator calls one name with one or two arguments, which no pipeline
   * does, and {@link Bounds#boxesRequired} rejects.
   */
  private static Expr byArity(Expr e) {
    return new IrRewriter() {
      @Override
      public Expr rewrite(Expr n) {
        Expr r = rewriteChildren(n);
        if (r instanceof Call c && c.kind() == Expr.CallKind.FUNC) {
          return new Call(c.type(), c.name() + c.args().size(), c.args(), c.kind(), c.valueIndex());
        }
        return r;
      }
    }.rewrite(e);
  }

  /**
   * A random interval for {@code v}: null (the variable is fixed), unbounded, half-bounded or
   * bounded, with ends drawn at the type's edges about half of the time.
   */
  private static Range range(RandomExprs gen, Var v) {
    Random rnd = gen.random();
    Type t = v.type();
    int mode = rnd.nextInt(8);
    if (mode == 0) return null;
    Value a = finite(gen, t), b = finite(gen, t);
    if (less(b, a)) {
      Value swap = a;
      a = b;
      b = swap;
    }
    Value lo = a, hi = b;
    Interval i = switch (mode) {
      case 1 -> Interval.EVERYTHING;
      case 2 -> Interval.atLeast(Evaluator.toExpr(lo));
      case 3 -> Interval.atMost(Evaluator.toExpr(hi));
      default -> Interval.of(Evaluator.toExpr(lo), Evaluator.toExpr(hi));
    };
    return new Range(v, i, i.hasMin() ? lo : null, i.hasMax() ? hi : null);
  }

  /** A random value inside the range: one of its ends now and then, else a random value that falls inside. */
  private static Value inside(RandomExprs gen, Range r) {
    Random rnd = gen.random();
    if (r.lo() != null && rnd.nextInt(6) == 0) return r.lo();
    if (r.hi() != null && rnd.nextInt(6) == 0) return r.hi();
    for (int tries = 0; tries < 30; tries++) {
      Value v = finite(gen, r.var().type());
      if (within(v, r.lo(), r.hi())) return v;
    }
    return r.lo() != null ? r.lo() : r.hi() != null ? r.hi() : finite(gen, r.var().type());
  }

  /** A random value of scalar type {@code t}, not NaN (NaN is outside the interval algebra). */
  private static Value finite(RandomExprs gen, Type t) {
    while (true) {
      Value v = gen.value(t);
      if (!t.isFloat() || !Double.isNaN(v.doubleLane(0))) return v;
    }
  }

  /** Whether scalar {@code v} lies in {@code [lo, hi]} (null ends unbounded) in its type's order; NaN values are not judged. */
  private static boolean within(Value v, Value lo, Value hi) {
    if (v.type().isFloat() && Double.isNaN(v.doubleLane(0))) return true;
    return (lo == null || !less(v, lo)) && (hi == null || !less(hi, v));
  }

  private static boolean less(Value a, Value b) {
    Type t = a.type();
    if (!t.equals(b.type())) throw new AssertionError("comparing " + a + " with " + b);
    if (t.isFloat()) {
      double x = a.doubleLane(0), y = b.doubleLane(0);
      return Double.isNaN(x) || Double.isNaN(y) ? false : x < y;
    }
    return t.isInt() ? a.longLane(0) < b.longLane(0) : Long.compareUnsigned(a.longLane(0), b.longLane(0)) < 0;
  }
}
