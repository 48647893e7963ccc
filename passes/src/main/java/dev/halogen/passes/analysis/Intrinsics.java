package dev.halogen.passes.analysis;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Type;
import dev.halogen.passes.PrintOutput;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Expr.CallKind#INTRINSIC INTRINSIC} calls: {@code likely(e)} (the value of {@code e}),
 * {@code abs(e)}, {@code lerp(zero, one, weight)}, {@code is_nan(e)}, {@code is_inf(e)} and {@code
 * is_finite(e)}.
 *
 * <p>{@code abs} of a signed integer has the unsigned type of the same width, so {@code abs(int8
 * -128)} is {@code uint8 128}; of an unsigned integer it is the value itself; of a float it clears the
 * sign bit.
 *
 * <p>{@code lerp} follows Halide's lowering ({@code Lerp.cpp}) exactly. The weight is a float or an
 * unsigned integer. For float values, {@code zero * (1 - w) + one * w} in the values' precision, with
 * an unsigned weight first scaled to {@code [0, 1]} by dividing by its type's maximum (in float32, or in
 * double for {@code uint32} weights) and a float weight cast to the values' type. For bool values, the
 * weight is compared with one half. For 8-, 16- and 32-bit integers the values are mapped to unsigned
 * (signed ones offset by {@code 2^(bits-1)}), the weight is rescaled to the values' width ({@code w *
 * (2^n-1)/(2^m-1)} for an m-bit unsigned weight, {@code uint(max * w)} for a float weight), and the
 * result is the exact rounding of {@code (zero * (max - w) + one * w) / max} that Halide computes with
 * {@code ((p + 2^(n-1)) >> n + p + 2^(n-1)) >> n}. Halide has no 64-bit integer lerp; neither has this.
 *
 * <p>The bitwise intrinsics ({@link Bitwise}) have the type of their first operand, lane by lane.
 * {@code bitwise_and(a, b)}, {@code bitwise_or}, {@code bitwise_xor} and {@code bitwise_not(a)}
 * take integer or bool operands of one type and act on the bits of the type's width (on a bool, the
 * logical operation). {@code shift_left(a, b)} and {@code shift_right(a, b)} take an integer {@code
 * a} and an integer amount {@code b} of the same width and lanes, of either signedness (Halide's
 * {@code match_bits}), with Halide's rules: a negative signed amount shifts the other way by its
 * magnitude; {@code shift_right} of a signed value is arithmetic (fills with the sign bit), of an
 * unsigned value logical. An amount of the type's width or more (as a magnitude, either direction)
 * shifts every bit out: a left shift and a logical right shift give 0, an arithmetic right shift
 * the sign ({@code -1} for a negative value, else 0). Left shifts wrap to the width, so {@code
 * shift_left(int8 64, 1)} is {@code -128}.
 *
 * <p>{@code random_float random_int random_uint} are placeholders ({@link RandomPlaceholder}); one
 * that gets here was never put into a Func definition, which is an error.
 *
 * <p>{@code print(value, args...)} gives {@code value} and writes one line per lane of the call
 * ({@link PrintOutput#line}: the value, then each further argument, strings as their characters,
 * separated by spaces) to {@link PrintOutput}; {@code print_when(condition, value, args...)} does so
 * only in the lanes where {@code condition} holds. They are the only intrinsics with an effect: the
 * simplifier does not evaluate them at compile time, CSE does not merge two of them ({@link Prints}),
 * and a let or {@code evaluate} whose value prints is kept. A print still runs as often as the
 * compiled code evaluates it, which is not always once per point a naive reading suggests:
 *
 * <ul>
 *   <li>a Func computed inline prints at each use, once per call site and point (twice for {@code
 *       f(x) + f(x)}); computed at a level, once per point of its realized region, which covers every
 *       point any consumer iteration needs: overlapping tiles, a shift-inwards tail of a split or a
 *       bound larger than the output recompute (and reprint) points, a round-up tail computes points
 *       beyond the output;
 *   <li>both branches of a {@code select} are evaluated, so prints in either branch print for every
 *       lane (use {@code print_when} to print conditionally);
 *   <li>a vectorized print prints each lane that is computed, in lane order (the lanes masked off in a
 *       guarded tail do not print); a print that does not depend on the vectorized variable stays
 *       scalar and prints once per vector;
 *   <li>the simplifier keeps every print it is given (a rule that would drop or duplicate one, as
 *       {@code print(x) * 0} or {@code select(true, print(a), print(b))}, is not applied);
 *   <li>CSE inlines every let first ({@link Cse}), so the print of a let expression whose variable
 *       is never used is lost there (lowering makes no such let; a let statement keeps it);
 *   <li>derivatives (reverse and forward mode) reuse forward values, so a gradient pipeline that
 *       recomputes a printed value prints it again.
 * </ul>
 */
final class Intrinsics {
  private Intrinsics() {}

  static Value apply(Expr.Call call, List<Value> args) {
    String name = call.name();
    return switch (name) {
      case "likely" -> {
        arity(call, args, 1);
        yield expectType(call, args.getFirst(), args.getFirst().type());
      }
      case "abs" -> {
        arity(call, args, 1);
        yield abs(call, args.getFirst());
      }
      case "lerp" -> {
        arity(call, args, 3);
        yield lerp(call, args.get(0), args.get(1), args.get(2));
      }
      case "is_nan", "is_inf", "is_finite" -> {
        arity(call, args, 1);
        Value a = args.getFirst();
        if (!a.type().isFloat()) throw new EvaluationException(name + " needs a float argument, got " + a.type());
        expectType(call, null, Type.BOOL.withLanes(a.lanes()));
        yield Lanes.bools(a.lanes(), i -> {
          double d = a.doubleLane(i);
          return switch (name) {
            case "is_nan" -> Double.isNaN(d);
            case "is_inf" -> Double.isInfinite(d);
            default -> Double.isFinite(d);
          };
        });
      }
      case "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "shift_left", "shift_right" -> Bitwise.apply(call, args);
      case "random_float", "random_int", "random_uint" -> throw new EvaluationException(RandomPlaceholder.unlowered(name));
      case Prints.PRINT -> {
        if (args.isEmpty()) throw new EvaluationException("intrinsic 'print' needs a value to print");
        yield print(call, null, args);
      }
      case Prints.PRINT_WHEN -> {
        if (args.size() < 2) throw new EvaluationException("intrinsic 'print_when' needs a condition and a value, got " + args.size() + " argument(s)");
        Value condition = args.getFirst();
        if (!condition.type().element().isBool()) throw new EvaluationException("print_when's condition must be a bool, got " + condition.type());
        yield print(call, condition, args.subList(1, args.size()));
      }
      default -> throw new EvaluationException("unknown intrinsic '" + name + "' (" + call.type() + ")");
    };
  }

  /**
   * Prints lane by lane the line of {@code args} (the value first) where {@code condition} (null:
   * always; a scalar: every lane alike) holds; gives the value.
   */
  private static Value print(Expr.Call call, @Nullable Value condition, List<Value> args) {
    Value value = args.getFirst();
    expectType(call, value, value.type());
    int lanes = value.lanes();
    for (Value a : args) {
      if (a.lanes() != 1 && a.lanes() != lanes) {
        throw new EvaluationException("intrinsic '" + call.name() + "' of " + lanes + " lanes got an argument of type " + a.type());
      }
    }
    for (int i = 0; i < lanes; i++) {
      if (condition == null || condition.longLane(condition.lanes() == 1 ? 0 : i) != 0) PrintOutput.emit(PrintOutput.line(args, i));
    }
    return value;
  }

  private static void arity(Expr.Call call, List<Value> args, int n) {
    if (args.size() != n) {
      throw new EvaluationException("intrinsic '" + call.name() + "' takes " + n + " argument" + (n == 1 ? "" : "s") + ", got " + args.size());
    }
  }

  /** Checks that the call's declared type is {@code expected}; returns {@code v}. */
  private static Value expectType(Expr.Call call, Value v, Type expected) {
    if (!call.type().equals(expected)) {
      throw new EvaluationException("intrinsic '" + call.name() + "' gives " + expected + " here, but the call has type " + call.type());
    }
    return v;
  }

  private static Value abs(Expr.Call call, Value a) {
    Type t = a.type();
    Type el = t.element();
    return switch (t.code()) {
      case INT -> {
        Type u = Type.uintOf(t.bits()).withLanes(t.lanes());
        expectType(call, null, u);
        // Negating in long and wrapping to the unsigned width maps MIN to 2^(bits-1), its true magnitude.
        yield Lanes.ints(u, i -> Arith.wrap(u.element(), Math.abs(a.longLane(i))));
      }
      case UINT -> expectType(call, a, t);
      case FLOAT -> {
        expectType(call, null, t);
        yield Lanes.floats(t, i -> Math.abs(a.doubleLane(i)));
      }
      case BOOL, HANDLE -> throw new EvaluationException("abs needs a number, got " + el);
    };
  }

  private static Value lerp(Expr.Call call, Value zero, Value one, Value weight) {
    Type t = zero.type();
    if (!one.type().equals(t)) throw new EvaluationException("lerp values differ in type: " + t + " and " + one.type());
    Type wt = weight.type().element();
    if (!(wt.isUInt() || wt.isFloat()) || weight.lanes() != t.lanes()) {
      throw new EvaluationException("lerp weight must be float or unsigned with " + t.lanes() + " lanes, got " + weight.type());
    }
    expectType(call, null, t);
    Type el = t.element();
    return switch (el.code()) {
      case BOOL -> Lanes.ints(t, i -> {
        boolean high = wt.isFloat()
            ? weight.doubleLane(i) > Arith.round(wt, 0.5)
            : Long.compareUnsigned(weight.longLane(i), Long.divideUnsigned(wt.maxInt(), 2)) > 0;
        return high ? one.longLane(i) : zero.longLane(i);
      });
      case FLOAT -> Lanes.floats(t, i -> {
        double w = floatWeight(el, wt, weight, i);
        double inverse = Arith.round(el, 1 - w);
        return Arith.round(el, Arith.round(el, zero.doubleLane(i) * inverse) + Arith.round(el, one.doubleLane(i) * w));
      });
      case INT, UINT -> {
        int n = el.bits();
        if (n == 64) throw new EvaluationException("lerp of " + el + " values is not defined (Halide has no 64-bit integer lerp)");
        Type u = Type.uintOf(n);
        // Offsetting by 2^(n-1) maps the signed order onto the unsigned order (and back, mod 2^n).
        long bias = el.isInt() ? 1L << (n - 1) : 0;
        long max = u.maxInt();
        yield Lanes.ints(t, i -> {
          long z = Arith.wrap(u, zero.longLane(i) + bias);
          long o = Arith.wrap(u, one.longLane(i) + bias);
          long w = integerWeight(u, wt, weight, i);
          // Fits in 64 unsigned bits: z*(max-w) + o*w <= max^2, and the sums below stay under 2^64.
          long p = z * (max - w) + o * w + (1L << (n - 1));
          long q = ((p >>> n) + p) >>> n;
          return Arith.wrap(el, Arith.wrap(u, q) + bias);
        });
      }
      case HANDLE -> throw new EvaluationException("lerp needs numbers or bools, got " + el);
    };
  }

  /** Lane {@code i} of the weight as a fraction in the float type {@code el}. */
  private static double floatWeight(Type el, Type wt, Value weight, int i) {
    if (wt.isFloat()) return Arith.round(el, weight.doubleLane(i));
    long w = weight.longLane(i);
    if (wt.bits() == 32) return Arith.round(el, Arith.intToFloat(wt, Type.F64, w) / 4294967295.0);
    float full = (float) Math.scalb(1.0f, wt.bits()) - 1f;
    return Arith.round(el, (float) Arith.intToFloat(wt, Type.F32, w) / full);
  }

  /** Lane {@code i} of the weight rescaled to the unsigned type {@code u} of the values' width. */
  private static long integerWeight(Type u, Type wt, Value weight, int i) {
    if (wt.isFloat()) {
      double w = weight.doubleLane(i);
      if (u.bits() == 32) return Arith.floatToInt(u, 4294967295.0 * w);
      return Arith.floatToInt(u, Arith.round(wt, Arith.round(wt, u.maxInt()) * w));
    }
    long w = weight.longLane(i);
    int m = wt.bits();
    int n = u.bits();
    if (m == n) return w;
    // (2^big - 1) / (2^small - 1) is exact: the product of (2^k + 1) factors Halide's loop builds.
    long factor = Long.divideUnsigned(Type.uintOf(Math.max(m, n)).maxInt(), Type.uintOf(Math.min(m, n)).maxInt());
    return m < n ? Arith.wrap(u, w * factor) : Arith.wrap(u, Long.divideUnsigned(w, factor));
  }
}
