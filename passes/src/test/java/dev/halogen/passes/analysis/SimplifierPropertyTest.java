package dev.halogen.passes.analysis;

import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrPrinter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The simplifier never changes a value: for random well-typed expressions {@code e} (every type,
 * vectors, lets, calls) and random environments, {@code eval(simplify(e)) == eval(e)} bit for bit,
 * except that any NaN equals any NaN (the semantics does not fix NaN payloads, and commuting a float
 * operation may change which operand's payload survives).
 *
 * <p>The original is evaluated with int32 overflow checking, and an environment where it overflows is
 * skipped (undefined behaviour). The simplified expression is evaluated wrapping: the simplifier may
 * reassociate int32 sums, which keeps their value modulo 2^32.
 *
 * <p>Sample {@code i} of a run uses the generator seed {@code seed + i}; a failure prints {@code
 * -Dseed=N} that reruns the failing sample first. Without {@code -Dseed} the run starts at a seed
 * from the clock, printed.
 */
class SimplifierPropertyTest {
  private static final int SAMPLES = 100_000;
  private static final int ENVIRONMENTS = 3;
  private static final int PROOF_ENVIRONMENTS = 100;

  private static long baseSeed() {
    String s = System.getProperty("seed");
    long seed = s == null || s.isBlank() ? System.nanoTime() : Long.parseLong(s.strip());
    System.out.println("SimplifierPropertyTest: -Dseed=" + seed);
    return seed;
  }

  /** Equal values, where every NaN lane equals every NaN lane. */
  static boolean sameValue(Value a, Value b) {
    if (a.equals(b)) return true;
    if (!a.type().equals(b.type()) || !a.type().isFloat()) return false;
    for (int i = 0; i < a.lanes(); i++) {
      double x = a.doubleLane(i), y = b.doubleLane(i);
      boolean same = Double.isNaN(x) ? Double.isNaN(y) : Double.doubleToRawLongBits(x) == Double.doubleToRawLongBits(y);
      if (!same) return false;
    }
    return true;
  }

  private static String describe(long seed, Expr e, Expr s, Environment env, Value want, Value got) {
    return "sample -Dseed=" + seed + "\n  input:      " + IrPrinter.print(e).replace("\n", " ")
        + "\n  simplified: " + IrPrinter.print(s).replace("\n", " ") + "\n  expected " + want + " but got " + got
        + "\n  environment: " + envText(env);
  }

  private static String envText(Environment env) {
    StringBuilder sb = new StringBuilder();
    for (Var v : RandomExprs.standardVars(RandomExprs.ALL_SCALAR_TYPES)) {
      Value x = env.lookup(v.name());
      if (x != null) sb.append(v.name()).append('=').append(x).append(' ');
    }
    return sb.toString();
  }

  @Test
  void simplifyingNeverChangesAValue() {
    checkSamples("all types", RandomExprs.Options.all(), SAMPLES, 0);
  }

  /** Integer-heavy expressions, where the linear, division and comparison rules do most of their work. */
  @Test
  void simplifyingIntegersNeverChangesAValue() {
    checkSamples("int32, uint8, int16 and bool",
        RandomExprs.Options.all().withTypes(Type.I32, Type.U8, Type.I16, Type.BOOL).withCalls(false), SAMPLES / 2, 0x9E3779B9L);
  }

  private void checkSamples(String what, RandomExprs.Options options, int samples, long salt) {
    long seed0 = baseSeed() ^ salt;
    long t0 = System.nanoTime();
    int checked = 0, skipped = 0, changed = 0, notFixed = 0;
    for (int i = 0; i < samples; i++) {
      long seed = seed0 + i;
      RandomExprs gen = new RandomExprs(seed, options);
      Random rnd = gen.random();
      Type t = gen.anyType(rnd.nextInt(4) == 0 ? (rnd.nextBoolean() ? 2 : 4) : 1);
      Expr e = gen.expr(t, 2 + rnd.nextInt(4));
      Expr s;
      try {
        s = Simplifier.simplify(e);
      } catch (RuntimeException | StackOverflowError x) {
        throw new AssertionError("sample -Dseed=" + (seed ^ salt) + ": simplify failed on " + IrPrinter.print(e), x);
      }
      assertEquals(e.type(), s.type(), () -> "sample -Dseed=" + (seed ^ salt) + " changed the type");
      if (s != e) changed++;
      // A second pass can find more (a rule that needed an input value sees one the second time):
      // counted, not required.
      if (Simplifier.simplify(s) != s) notFixed++;
      for (int k = 0; k < ENVIRONMENTS; k++) {
        Environment env = gen.environment();
        Value want;
        try {
          want = Evaluator.CHECKING.eval(e, env);
        } catch (Int32OverflowException overflow) {
          skipped++;
          continue;
        }
        Value got = Evaluator.WRAPPING.eval(s, env);
        if (!sameValue(want, got)) fail(describe(seed ^ salt, e, s, env, want, got));
        checked++;
      }
    }
    System.out.printf("SimplifierPropertyTest (%s): %d expressions (%d changed by simplify, %d changed again by a second simplify), "
        + "%d evaluations compared, %d skipped for int32 overflow, %.1f s%n",
        what, samples, changed, notFixed, checked, skipped, (System.nanoTime() - t0) / 1e9);
  }

  /**
   * Expressions shaped like the simplifier's rules (sums with small coefficients, division and
   * remainder by small constants, min/max, selects and comparisons) over two variables of one integer
   * type, with small constants and small variable values, so that cancellations and aligned
   * divisions really happen, near overflow too (values at the type's edges now and then).
   */
  @Test
  void simplifyingRuleShapedIntegersNeverChangesAValue() {
    long seed0 = baseSeed() ^ 0x7F4A7C15L;
    int samples = SAMPLES / 2, checked = 0, changed = 0;
    for (int i = 0; i < samples; i++) {
      long seed = seed0 + i;
      Random rnd = new Random(seed);
      Type t = List.of(Type.I32, Type.I32, Type.I32, Type.U8, Type.I8, Type.U32, Type.I64).get(rnd.nextInt(7));
      Var a = new Var(t, "a"), b = new Var(t, "b");
      Expr e = rnd.nextInt(4) == 0 ? shapedVector(rnd, t, a, b, 3) : shaped(rnd, t, a, b, 4);
      Expr s = Simplifier.simplify(e);
      if (s != e) changed++;
      for (int k = 0; k < ENVIRONMENTS; k++) {
        Environment env = Environment.of(java.util.Map.of("a", smallValue(rnd, t), "b", smallValue(rnd, t)));
        Value want;
        try {
          want = Evaluator.CHECKING.eval(e, env);
        } catch (Int32OverflowException overflow) {
          continue;
        }
        Value got = Evaluator.WRAPPING.eval(s, env);
        if (!sameValue(want, got)) {
          fail("rule-shaped sample -Dseed=" + (seed ^ 0x7F4A7C15L) + "\n  input:      " + IrPrinter.print(e).replace("\n", " ")
              + "\n  simplified: " + IrPrinter.print(s).replace("\n", " ") + "\n  expected " + want + " but got " + got
              + "\n  a=" + env.lookup("a") + " b=" + env.lookup("b"));
        }
        checked++;
      }
    }
    System.out.printf("SimplifierPropertyTest (rule-shaped integers): %d expressions (%d changed by simplify), %d evaluations compared%n",
        samples, changed, checked);
  }

  private static Value smallValue(Random rnd, Type t) {
    long v = switch (rnd.nextInt(8)) {
      case 0 -> t.minInt() + rnd.nextInt(20);
      case 1 -> t.maxInt() - rnd.nextInt(20);
      default -> rnd.nextInt(101) - 50;
    };
    return Value.ofInt(t, v);
  }

  private static Expr small(Random rnd, Type t) {
    long v = rnd.nextInt(9) == 0 ? (rnd.nextBoolean() ? 16 : 64) : rnd.nextInt(17) - 8;
    return Consts.make(t, v);
  }

  private static Expr shaped(Random rnd, Type t, Var a, Var b, int depth) {
    if (depth == 0 || rnd.nextInt(5) == 0) {
      return switch (rnd.nextInt(3)) {
        case 0 -> a;
        case 1 -> b;
        default -> small(rnd, t);
      };
    }
    int d = depth - 1;
    return switch (rnd.nextInt(12)) {
      case 0, 1 -> new Add(shaped(rnd, t, a, b, d), shaped(rnd, t, a, b, d));
      case 2 -> new Sub(shaped(rnd, t, a, b, d), shaped(rnd, t, a, b, d));
      case 3, 4 -> new Mul(shaped(rnd, t, a, b, d), small(rnd, t));
      case 5 -> new Div(shaped(rnd, t, a, b, d), small(rnd, t));
      case 6 -> new Mod(shaped(rnd, t, a, b, d), small(rnd, t));
      case 7 -> new Min(shaped(rnd, t, a, b, d), shaped(rnd, t, a, b, d));
      case 8 -> new Max(shaped(rnd, t, a, b, d), shaped(rnd, t, a, b, d));
      case 9 -> new Select(shapedCondition(rnd, t, a, b, d), shaped(rnd, t, a, b, d), shaped(rnd, t, a, b, d));
      case 10 -> new Cast(t, new Cast(Type.BOOL, shapedCondition(rnd, t, a, b, d)));
      default -> new Let("l", shaped(rnd, t, a, b, d), new Add(new Var(t, "l"), shaped(rnd, t, new Var(t, "l"), b, d)));
    };
  }

  /** Ramps and broadcasts of rule-shaped scalars, combined, divided and compared lane by lane (4 lanes). */
  private static Expr shapedVector(Random rnd, Type t, Var a, Var b, int depth) {
    Type vt = t.withLanes(4);
    if (depth == 0 || rnd.nextInt(4) == 0) {
      Expr base = shaped(rnd, t, a, b, 2);
      return rnd.nextBoolean() ? new Ramp(base, small(rnd, t), 4) : new Broadcast(base, 4);
    }
    int d = depth - 1;
    Expr c = new Broadcast(small(rnd, t), 4);
    return switch (rnd.nextInt(9)) {
      case 0, 1 -> new Add(shapedVector(rnd, t, a, b, d), shapedVector(rnd, t, a, b, d));
      case 2 -> new Sub(shapedVector(rnd, t, a, b, d), shapedVector(rnd, t, a, b, d));
      case 3 -> new Mul(shapedVector(rnd, t, a, b, d), c);
      case 4 -> new Div(shapedVector(rnd, t, a, b, d), c);
      case 5 -> new Mod(shapedVector(rnd, t, a, b, d), c);
      case 6 -> new Min(shapedVector(rnd, t, a, b, d), shapedVector(rnd, t, a, b, d));
      case 7 -> new Select(new LT(shapedVector(rnd, t, a, b, d), shapedVector(rnd, t, a, b, d)),
          shapedVector(rnd, t, a, b, d), shapedVector(rnd, t, a, b, d));
      default -> new Cast(vt, new Cast(Type.I64.withLanes(4), shapedVector(rnd, t, a, b, d)));
    };
  }

  private static Expr shapedCondition(Random rnd, Type t, Var a, Var b, int d) {
    Expr x = shaped(rnd, t, a, b, d), y = shaped(rnd, t, a, b, d);
    return switch (rnd.nextInt(7)) {
      case 0 -> new LT(x, y);
      case 1 -> new LE(x, y);
      case 2 -> new EQ(x, y);
      case 3 -> new NE(x, y);
      case 4 -> new And(new LT(x, y), new LT(y, shaped(rnd, t, a, b, d)));
      case 5 -> new Or(new LE(x, y), new EQ(x, shaped(rnd, t, a, b, d)));
      default -> new Not(new LT(x, y));
    };
  }

  /**
   * {@code canProve(c, scope)} is never wrong under the scope's facts: random rule-shaped conditions
   * over {@code a} and {@code b}, random bounds and alignment of {@code a}, checked on values of
   * {@code a} that satisfy the facts.
   */
  @Test
  void canProveWithScopeFactsIsSound() {
    long seed0 = baseSeed() ^ 0x2545F491L;
    int candidates = 20_000, proven = 0;
    for (int i = 0; i < candidates; i++) {
      long seed = seed0 + i;
      Random rnd = new Random(seed);
      Type t = List.of(Type.I32, Type.I32, Type.U8, Type.I16).get(rnd.nextInt(4));
      Var a = new Var(t, "a"), b = new Var(t, "b");
      long lo = rnd.nextInt(41) - 20, hi = lo + rnd.nextInt(40);
      if (t.isUInt()) {
        lo = Math.abs(lo);
        hi = Math.max(hi, lo);
      }
      long modulus = 1 + rnd.nextInt(8), remainder = rnd.nextInt((int) modulus);
      Scope scope = Scope.empty().withBounds("a", lo, hi).withAlignment("a", modulus, remainder);
      Expr cond = shapedCondition(rnd, t, a, b, 3);
      if (!Simplifier.canProve(cond, scope)) continue;
      proven++;
      for (int k = 0; k < PROOF_ENVIRONMENTS; k++) {
        long av = lo + rnd.nextLong(hi - lo + 1);
        av += Math.floorMod(remainder - av, modulus);
        if (av > hi) continue; // no aligned value left in the range above lo
        Environment env = Environment.of(java.util.Map.of("a", Value.ofInt(t, av), "b", smallValue(rnd, t)));
        Value v;
        try {
          v = Evaluator.CHECKING.eval(cond, env);
        } catch (Int32OverflowException overflow) {
          continue;
        }
        if (v.longLane(0) != 1) {
          fail("canProve said true under " + scope + " for a false condition, sample -Dseed=" + (seed ^ 0x2545F491L) + ":\n  "
              + IrPrinter.print(cond).replace("\n", " ") + "\n  a=" + av + " b=" + env.lookup("b"));
        }
      }
    }
    System.out.printf("SimplifierPropertyTest: %d of %d rule-shaped conditions proven under random scope facts%n", proven, candidates);
    assertTrue(proven > candidates / 50, "too few conditions proven to test anything: " + proven);
  }

  /**
   * Conditions that are often provable: random comparisons, and shapes around the simplifier's rules
   * built from random operands ({@code min(a, b) <= a}, {@code a < a + 1}, {@code a % c < c}, ...),
   * over every integer and float type, so that the wrap and NaN cases are tried too.
   */
  private static Expr candidate(RandomExprs gen) {
    Random rnd = gen.random();
    Type t = gen.anyType(1);
    if (t.isBool() || rnd.nextInt(4) == 0) return gen.expr(Type.BOOL, 2 + rnd.nextInt(3));
    Expr a = gen.expr(t, 1 + rnd.nextInt(3)), b = gen.expr(t, 1 + rnd.nextInt(3));
    Expr one = t.isFloat() ? Consts.makeFloat(t, 1) : Consts.make(t, 1);
    Expr c = gen.constant(t);
    return switch (rnd.nextInt(12)) {
      case 0 -> new LE(new Min(a, b), a);
      case 1 -> new LT(a, new Add(a, one));
      case 2 -> new LT(new Mod(a, c), c);
      case 3 -> new EQ(new Sub(new Add(a, b), b), a);
      case 4 -> new GE(new Max(a, b), b);
      case 5 -> new EQ(new Div(new Mul(a, c), c), a);
      case 6 -> new LE(a, a);
      case 7 -> new Or(new LT(a, b), new LE(b, a));
      case 8 -> new EQ(new Mod(new Add(new Mul(a, c), one), c), one);
      case 9 -> new LE(new Mul(new Div(a, c), c), a);
      case 10 -> new NE(new Add(a, one), a);
      default -> List.of(new LT(a, b), new LE(a, b), new EQ(a, b)).get(rnd.nextInt(3));
    };
  }

  @Test
  void canProveIsSound() {
    long seed0 = baseSeed() ^ 0x5DEECE66DL;
    int candidates = 20_000, proven = 0;
    for (int i = 0; i < candidates; i++) {
      long seed = seed0 + i;
      RandomExprs gen = new RandomExprs(seed, RandomExprs.Options.all().scalarsOnly());
      Expr cond = candidate(gen);
      if (!Simplifier.canProve(cond)) continue;
      proven++;
      for (int k = 0; k < PROOF_ENVIRONMENTS; k++) {
        Environment env = gen.environment();
        Value v;
        try {
          v = Evaluator.CHECKING.eval(cond, env);
        } catch (Int32OverflowException overflow) {
          continue;
        }
        if (v.longLane(0) != 1) {
          fail("canProve said true for a false condition, sample -Dseed=" + (seed ^ 0x5DEECE66DL) + ":\n  "
              + IrPrinter.print(cond).replace("\n", " ") + "\n  environment: " + envText(env));
        }
      }
    }
    System.out.printf("SimplifierPropertyTest: %d of %d candidate conditions proven, each checked on %d environments%n",
        proven, candidates, PROOF_ENVIRONMENTS);
    assertTrue(proven > candidates / 20, "too few conditions proven to test anything: " + proven);
  }
}
