package dev.halogen.passes.analysis;

import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.LongBinaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The evaluator against independent Java references on random and edge inputs: Java's byte, char,
 * int and float arithmetic, BigInteger for 64-bit and unsigned division, BigDecimal for roundings.
 */
class JavaReferenceTest {
  private static final Var A = new Var(Type.I32, "a");

  /** Evaluates {@code op(a, b)} on variables of type {@code t} bound to {@code a} and {@code b}. */
  private static Value binary(BiFunction<Expr, Expr, Expr> op, Type t, Value a, Value b) {
    Expr e = op.apply(new Var(t, "a"), new Var(t, "b"));
    return Evaluator.WRAPPING.eval(e, Map.of("a", a, "b", b));
  }

  /** The operators with their Euclidean-division references, from SEMANTICS.md's definition r = a mod |b|, q = (a - r) / b. */
  private static BigInteger euclidRem(BigInteger a, BigInteger b) {
    return a.mod(b.abs());
  }

  private static BigInteger euclidQuot(BigInteger a, BigInteger b) {
    return a.subtract(euclidRem(a, b)).divide(b);
  }

  private static long[] samples(Random rnd, Type t, int n) {
    long[] edges = {0, 1, -1, 2, -2, 3, 7, t.minInt(), t.maxInt(), t.minInt() + 1, t.maxInt() - 1};
    long[] out = Arrays.copyOf(edges, edges.length + n);
    for (int i = edges.length; i < out.length; i++) out[i] = rnd.nextInt(4) == 0 ? rnd.nextInt(41) - 20 : rnd.nextLong();
    for (int i = 0; i < out.length; i++) out[i] = Arith.wrap(t, out[i]);
    return out;
  }

  /** Every binary integer operator of type {@code t} on all pairs of samples against {@code reference}. */
  private static void checkIntegers(Type t, int n, IntReference reference) {
    Random rnd = new Random(t.toString().hashCode() * 31L + n);
    long[] xs = samples(rnd, t, n);
    String[] names = {"+", "-", "*", "/", "%", "min", "max", "<", "==", "<="};
    for (long a : xs) {
      for (long b : xs) {
        Value va = new Value.IntScalar(t, a);
        Value vb = new Value.IntScalar(t, b);
        Value[] got = {
          binary(Add::new, t, va, vb), binary(Sub::new, t, va, vb), binary(Mul::new, t, va, vb), binary(Div::new, t, va, vb),
          binary(Mod::new, t, va, vb), binary(Min::new, t, va, vb), binary(Max::new, t, va, vb), binary(LT::new, t, va, vb),
          binary(EQ::new, t, va, vb), binary(LE::new, t, va, vb)
        };
        for (int k = 0; k < names.length; k++) {
          long expected = reference.apply(k, a, b);
          long actual = got[k].longLane(0);
          if (expected != actual) {
            fail(t + " " + Arith.laneText(t, a) + " " + names[k] + " " + Arith.laneText(t, b) + ": expected " + expected + " but was " + actual);
          }
        }
      }
    }
  }

  @FunctionalInterface
  interface IntReference {
    /** Operator {@code k} of {@link #checkIntegers}'s list on {@code a} and {@code b}, as normalized bits. */
    long apply(int k, long a, long b);
  }

  private static long bool(boolean b) {
    return b ? 1 : 0;
  }

  @Test
  void int8MatchesJavaByteArithmetic() {
    checkIntegers(Type.I8, 60, (k, a, b) -> {
      byte x = (byte) a;
      byte y = (byte) b;
      int r = y == 0 ? 0 : Math.floorMod(x, Math.abs(y));
      return switch (k) {
        case 0 -> (byte) (x + y);
        case 1 -> (byte) (x - y);
        case 2 -> (byte) (x * y);
        case 3 -> y == 0 ? 0 : (byte) ((x - r) / y);
        case 4 -> r;
        case 5 -> Math.min(x, y);
        case 6 -> Math.max(x, y);
        case 7 -> bool(x < y);
        case 8 -> bool(x == y);
        default -> bool(x <= y);
      };
    });
  }

  @Test
  void uint16MatchesJavaCharArithmetic() {
    checkIntegers(Type.U16, 60, (k, a, b) -> {
      char x = (char) a;
      char y = (char) b;
      return switch (k) {
        case 0 -> (char) (x + y);
        case 1 -> (char) (x - y);
        case 2 -> (char) (x * y);
        case 3 -> y == 0 ? 0 : x / y;
        case 4 -> y == 0 ? 0 : x % y;
        case 5 -> Math.min(x, y);
        case 6 -> Math.max(x, y);
        case 7 -> bool(x < y);
        case 8 -> bool(x == y);
        default -> bool(x <= y);
      };
    });
  }

  @Test
  void int32MatchesJavaIntArithmetic() {
    checkIntegers(Type.I32, 60, (k, a, b) -> {
      int x = (int) a;
      int y = (int) b;
      return switch (k) {
        case 0 -> x + y;
        case 1 -> x - y;
        case 2 -> x * y;
        case 3 -> y == 0 ? 0 : euclidQuot(BigInteger.valueOf(x), BigInteger.valueOf(y)).intValue();
        case 4 -> y == 0 ? 0 : euclidRem(BigInteger.valueOf(x), BigInteger.valueOf(y)).intValue();
        case 5 -> Math.min(x, y);
        case 6 -> Math.max(x, y);
        case 7 -> bool(x < y);
        case 8 -> bool(x == y);
        default -> bool(x <= y);
      };
    });
  }

  @Test
  void uint32MatchesJavaUnsignedIntArithmetic() {
    checkIntegers(Type.U32, 60, (k, a, b) -> {
      int x = (int) a;
      int y = (int) b;
      long r = switch (k) {
        case 0 -> x + y;
        case 1 -> x - y;
        case 2 -> x * y;
        case 3 -> y == 0 ? 0 : Integer.divideUnsigned(x, y);
        case 4 -> y == 0 ? 0 : Integer.remainderUnsigned(x, y);
        case 5 -> Integer.compareUnsigned(x, y) <= 0 ? x : y;
        case 6 -> Integer.compareUnsigned(x, y) >= 0 ? x : y;
        case 7 -> bool(Integer.compareUnsigned(x, y) < 0);
        case 8 -> bool(x == y);
        default -> bool(Integer.compareUnsigned(x, y) <= 0);
      };
      return k >= 7 ? r : Integer.toUnsignedLong((int) r);
    });
  }

  @Test
  void int64AndUint64MatchBigIntegerArithmetic() {
    BigInteger two64 = BigInteger.ONE.shiftLeft(64);
    for (Type t : new Type[] {Type.I64, Type.U64}) {
      boolean signed = t.isInt();
      checkIntegers(t, 40, (k, a, b) -> {
        BigInteger x = signed ? BigInteger.valueOf(a) : new BigInteger(Long.toUnsignedString(a));
        BigInteger y = signed ? BigInteger.valueOf(b) : new BigInteger(Long.toUnsignedString(b));
        boolean zero = y.signum() == 0;
        BigInteger r = switch (k) {
          case 0 -> x.add(y);
          case 1 -> x.subtract(y);
          case 2 -> x.multiply(y);
          case 3 -> zero ? BigInteger.ZERO : euclidQuot(x, y);
          case 4 -> zero ? BigInteger.ZERO : euclidRem(x, y);
          case 5 -> x.min(y);
          case 6 -> x.max(y);
          case 7 -> BigInteger.valueOf(bool(x.compareTo(y) < 0));
          case 8 -> BigInteger.valueOf(bool(x.equals(y)));
          default -> BigInteger.valueOf(bool(x.compareTo(y) <= 0));
        };
        return r.mod(two64).longValue(); // the low 64 bits: wrapping, and the stored form of both types
      });
    }
  }

  @Test
  void checkingModeMatchesJavaExactArithmetic() {
    Random rnd = new Random(5);
    long[] xs = samples(rnd, Type.I32, 80);
    for (long a : xs) {
      for (long b : xs) {
        Map<String, Value> env = Map.of("a", Value.ofInt(Type.I32, a), "b", Value.ofInt(Type.I32, b));
        Var vb = new Var(Type.I32, "b");
        LongBinaryOperator[] exact = {(x, y) -> Math.addExact((int) x, (int) y), (x, y) -> Math.subtractExact((int) x, (int) y),
            (x, y) -> Math.multiplyExact((int) x, (int) y)};
        Expr[] exprs = {new Add(A, vb), new Sub(A, vb), new Mul(A, vb)};
        for (int k = 0; k < exprs.length; k++) {
          Long expected;
          try {
            expected = exact[k].applyAsLong(a, b);
          } catch (ArithmeticException overflow) {
            expected = null;
          }
          Expr e = exprs[k];
          if (expected == null) {
            assertThrows(Int32OverflowException.class, () -> Evaluator.CHECKING.eval(e, env), a + " " + e.getClass().getSimpleName() + " " + b);
          } else {
            assertEquals(expected, Evaluator.CHECKING.eval(e, env).longLane(0));
          }
        }
      }
    }
  }

  @Test
  void float32MatchesJavaFloatArithmetic() {
    Random rnd = new Random(11);
    float[] xs = floatSamples(rnd);
    Type t = Type.F32;
    for (float x : xs) {
      for (float y : xs) {
        Value a = Value.ofFloat(t, x);
        Value b = Value.ofFloat(t, y);
        float q = x / y;
        float[] expected = {x + y, x - y, x * y, q, x - y * (float) Math.floor(q), x < y ? x : y, x > y ? x : y};
        Value[] got = {binary(Add::new, t, a, b), binary(Sub::new, t, a, b), binary(Mul::new, t, a, b), binary(Div::new, t, a, b),
            binary(Mod::new, t, a, b), binary(Min::new, t, a, b), binary(Max::new, t, a, b)};
        for (int k = 0; k < expected.length; k++) {
          double g = got[k].doubleLane(0);
          boolean same = Float.isNaN(expected[k]) ? Double.isNaN(g) : Double.doubleToRawLongBits(expected[k]) == Double.doubleToRawLongBits(g);
          assertTrue(same, "float32 op " + k + " of " + x + ", " + y + ": expected " + expected[k] + " but was " + g);
        }
      }
    }
  }

  @Test
  void float16RoundsAfterEveryOperation() {
    Random rnd = new Random(12);
    Type t = Type.F16;
    for (int i = 0; i < 20_000; i++) {
      float x = Float.float16ToFloat((short) rnd.nextInt());
      float y = Float.float16ToFloat((short) rnd.nextInt());
      Value a = Value.ofFloat(t, x);
      Value b = Value.ofFloat(t, y);
      float[] expected = {half(x + y), half(x * y), half(x / y)};
      Value[] got = {binary(Add::new, t, a, b), binary(Mul::new, t, a, b), binary(Div::new, t, a, b)};
      for (int k = 0; k < expected.length; k++) {
        double g = got[k].doubleLane(0);
        assertTrue(Float.isNaN(expected[k]) ? Double.isNaN(g) : expected[k] == g && Math.copySign(1, expected[k]) == Math.copySign(1, g),
            "float16 op " + k + " of " + x + ", " + y + ": expected " + expected[k] + " but was " + g);
      }
    }
  }

  /** A float32 result of float16 operands rounded to half: exact, since float has over twice half's precision. */
  private static float half(float f) {
    return Float.float16ToFloat(Float.floatToFloat16(f));
  }

  private static float[] floatSamples(Random rnd) {
    float[] edges = {0f, -0f, 1f, -1f, 0.5f, 0.1f, 3f, -5.5f, 2f, Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 16777216f, 1e-30f};
    float[] out = Arrays.copyOf(edges, edges.length + 40);
    for (int i = edges.length; i < out.length; i++) {
      out[i] = rnd.nextBoolean() ? Float.intBitsToFloat(rnd.nextInt()) : (rnd.nextFloat() - 0.5f) * 100;
    }
    return out;
  }

  @Test
  void floatToIntegerCastsTruncateAndSaturate() {
    Random rnd = new Random(13);
    Type[] targets = {Type.I8, Type.I16, Type.I32, Type.I64, Type.U8, Type.U16, Type.U32, Type.U64};
    BigInteger two64 = BigInteger.ONE.shiftLeft(64);
    for (int i = 0; i < 20_000; i++) {
      double d = switch (i % 4) {
        case 0 -> Double.longBitsToDouble(rnd.nextLong());
        case 1 -> (rnd.nextDouble() - 0.5) * Math.scalb(1.0, rnd.nextInt(70));
        case 2 -> new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0x1p63, 0x1p64, -0x1p63, 0x1p31}[rnd.nextInt(8)];
        default -> rnd.nextInt(600) - 300 + rnd.nextDouble();
      };
      for (Type to : targets) {
        long got = Evaluator.WRAPPING.eval(new Cast(to, new Var(Type.F64, "d")), Map.of("d", Value.ofFloat(Type.F64, d))).longLane(0);
        BigInteger expected;
        if (Double.isNaN(d)) {
          expected = BigInteger.ZERO;
        } else if (Double.isInfinite(d)) {
          expected = d > 0 ? maxOf(to) : minOf(to);
        } else {
          BigInteger truncated = new BigDecimal(d).toBigInteger(); // toward zero
          expected = truncated.max(minOf(to)).min(maxOf(to));
        }
        long expectedBits = expected.mod(two64).longValue();
        assertEquals(expectedBits, got, "cast of " + d + " to " + to);
      }
    }
  }

  private static BigInteger minOf(Type t) {
    return t.isInt() ? BigInteger.valueOf(t.minInt()) : BigInteger.ZERO;
  }

  private static BigInteger maxOf(Type t) {
    return t.isInt() ? BigInteger.valueOf(t.maxInt()) : BigInteger.ONE.shiftLeft(t.bits()).subtract(BigInteger.ONE);
  }

  @Test
  void integerToFloatCastsRoundOnce() {
    Random rnd = new Random(14);
    for (int i = 0; i < 20_000; i++) {
      long bits = switch (i % 5) {
        case 0 -> rnd.nextLong();
        case 1 -> rnd.nextLong() | 0x8000000000000000L; // uint64 above 2^63
        // Just above a half-way point of float32 (then of float64) spacing above 2^63: only a
        // conversion that keeps the lowest bit rounds these up.
        case 2 -> (rnd.nextLong() & 0xFFFFFF0000000000L) | 0x8000000000000000L | (1L << 39) | 1;
        case 3 -> (rnd.nextLong() & ~0x7FFL) | 0x8000000000000000L | (1L << 10) | 1;
        default -> (rnd.nextLong() >>> rnd.nextInt(64)) | 1;
      };
      for (Type from : new Type[] {Type.I64, Type.U64}) {
        BigInteger exact = from.isInt() ? BigInteger.valueOf(bits) : new BigInteger(Long.toUnsignedString(bits));
        Map<String, Value> env = Map.of("v", new Value.IntScalar(from, bits));
        Var v = new Var(from, "v");
        // BigInteger's conversions round to nearest even exactly once.
        assertEquals(exact.doubleValue(), Evaluator.WRAPPING.eval(new Cast(Type.F64, v), env).doubleLane(0), from + " " + exact + " to float64");
        assertEquals((double) exact.floatValue(), Evaluator.WRAPPING.eval(new Cast(Type.F32, v), env).doubleLane(0), from + " " + exact + " to float32");
      }
    }
  }

  /** Casts to float16 round once, to the nearest half, ties to even: checked against every half value. */
  @Test
  void float64ToFloat16RoundsToNearestHalf() {
    double[] halves = new double[0x7c01]; // every finite non-negative half and +inf
    for (int h = 0; h <= 0x7c00; h++) halves[h] = Float.float16ToFloat((short) h);
    Random rnd = new Random(15);
    for (int i = 0; i < 30_000; i++) {
      int h = rnd.nextInt(0x7c00);
      double lo = halves[h];
      double hi = h + 1 <= 0x7bff ? halves[h + 1] : 65536.0; // past the largest half, the rounding boundary is as if 2^16 existed
      double mid = (lo + hi) / 2; // exact in double
      double d = switch (rnd.nextInt(4)) {
        case 0 -> mid;
        case 1 -> Math.nextUp(mid);
        case 2 -> Math.nextDown(mid);
        default -> lo + (hi - lo) * rnd.nextDouble();
      };
      double expected;
      int c = Double.compare(d, mid);
      if (c < 0) expected = lo;
      else if (c > 0) expected = h + 1 <= 0x7bff ? hi : Double.POSITIVE_INFINITY;
      else expected = (h & 1) == 0 ? lo : (h + 1 <= 0x7bff ? hi : Double.POSITIVE_INFINITY);
      for (double sign : new double[] {1, -1}) {
        double got = Evaluator.WRAPPING.eval(new Cast(Type.F16, new Var(Type.F64, "d")), Map.of("d", Value.ofFloat(Type.F64, sign * d))).doubleLane(0);
        assertEquals(sign * expected, got, "float64 " + (sign * d) + " to float16");
      }
    }
  }
}
