package dev.halogen.passes.analysis;

import dev.halogen.ir.IrNodes;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Add;
import dev.halogen.ir.Expr.And;
import dev.halogen.ir.Expr.Broadcast;
import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.Expr.Cast;
import dev.halogen.ir.Expr.Div;
import dev.halogen.ir.Expr.EQ;
import dev.halogen.ir.Expr.LE;
import dev.halogen.ir.Expr.LT;
import dev.halogen.ir.Expr.Max;
import dev.halogen.ir.Expr.Min;
import dev.halogen.ir.Expr.Mod;
import dev.halogen.ir.Expr.Mul;
import dev.halogen.ir.Expr.NE;
import dev.halogen.ir.Expr.Not;
import dev.halogen.ir.Expr.Or;
import dev.halogen.ir.Expr.Ramp;
import dev.halogen.ir.Expr.Select;
import dev.halogen.ir.Expr.Sub;
import dev.halogen.ir.Expr.VectorReduce;
import dev.halogen.ir.Type;
import dev.halogen.passes.analysis.ExprTable.Bin;
import java.util.ArrayList;
import java.util.List;

/**
 * The rewrite rules, as smart constructors: each takes operands that are already simplified and
 * returns the simplified node. A rule that builds new composite nodes goes through the smart
 * constructors again, always on smaller or more canonical operands, so rewriting terminates.
 *
 * <p>Soundness discipline (SEMANTICS.md): only {@code int32} may use facts that need "no overflow"
 * (exact linear forms, {@link LinearForm#exact}); every other integer type only uses identities of
 * arithmetic modulo 2^bits, bounds of wrapped values, and power-of-two moduli. Floats get no
 * reassociation and no algebraic identity that IEEE breaks: only {@code x + -0.0}, {@code x - 0.0},
 * {@code x * 1}, {@code x / 1}, commuting {@code +}, {@code *}, {@code ==}, {@code !=} (NaN payloads
 * aside), and facts true for NaN too ({@code x < x} is false).
 */
final class ExprRules {
  static final String LIKELY = "likely";
  static final String ABS = "abs";

  /** A bound on an integer atom given by a comparison with a constant ({@code x < 5}: x in [-inf, 4]). */
  record Constraint(Expr atom, ConstBounds range) {}

  private enum Op {
    ADD(Bin.ADD),
    SUB(Bin.SUB),
    MUL(Bin.MUL),
    DIV(Bin.DIV),
    MOD(Bin.MOD),
    MIN(Bin.MIN),
    MAX(Bin.MAX);

    final Bin bin;

    Op(Bin bin) {
      this.bin = bin;
    }
  }

  private final SimplifyRun run;
  private final ExprTable table;

  ExprRules(SimplifyRun run) {
    this.run = run;
    this.table = run.table;
  }

  // ---------------------------------------------------------------- helpers

  /** The type of {@code e}, in O(1): {@link Expr#type()} walks down left operands. */
  private Type type(Expr e) {
    return table.type(e);
  }

  private boolean same(Expr a, Expr b) {
    return table.same(a, b);
  }

  private boolean scalarConst(Expr e) {
    return type(e).isScalar() && Consts.isConst(e);
  }

  private boolean bothScalarConst(Expr a, Expr b) {
    return scalarConst(a) && scalarConst(b);
  }

  static Expr zero(Type t) {
    return t.isFloat() ? Consts.makeFloat(t, 0) : Consts.make(t, 0);
  }

  /**
   * Evaluates a node whose operands are all constants with the exact {@link Evaluator}; the node
   * itself when it has no value (a call the evaluator does not know), the value has no immediate
   * form, or an int32 operation overflows. An overflowing int32 constant expression is undefined in
   * a program, but the simplifier also builds expressions to reason with (differences to compare),
   * whose bounds must be those of the mathematical value: a wrapped constant would lie.
   */
  private Expr fold(Expr node) {
    try {
      return Evaluator.tryToExpr(Evaluator.CHECKING.eval(node, Environment.EMPTY)).orElse(node);
    } catch (EvaluationException e) { // Int32OverflowException included
      return node;
    }
  }

  private Expr apply(Op op, Expr a, Expr b) {
    return switch (op) {
      case ADD -> add(a, b);
      case SUB -> sub(a, b);
      case MUL -> mul(a, b);
      case DIV -> div(a, b);
      case MOD -> mod(a, b);
      case MIN -> min(a, b);
      case MAX -> max(a, b);
    };
  }

  private Expr node(Op op, Expr a, Expr b) {
    return table.binary(op.bin, a, b);
  }

  /** A commutative node with its operands in canonical order: constants right, others by {@link ExprTable#compare}. */
  private Expr ordered(Bin op, Expr a, Expr b) {
    boolean swap = Consts.isConst(a) ? !Consts.isConst(b) : !Consts.isConst(b) && table.compare(a, b) > 0;
    return swap ? table.binary(op, b, a) : table.binary(op, a, b);
  }

  private boolean isRamp(Expr e, int lanes) {
    return e instanceof Ramp r && r.lanes() == lanes && type(r.base()).isScalar();
  }

  private boolean isScalarBroadcast(Expr e, int lanes) {
    return e instanceof Broadcast b && b.lanes() == lanes && type(b.value()).isScalar();
  }

  /** {@code x} as a vector of {@code lanes} lanes (itself when {@code lanes} is 1). */
  private Expr spread(Expr x, int lanes) {
    return lanes == 1 ? x : broadcast(x, lanes);
  }

  /**
   * Rules shared by the binary operators on vectors: {@code broadcast(a) op broadcast(b)} is {@code
   * broadcast(a op b)} for every type; for integers, ramps absorb broadcasts and other ramps under
   * {@code +}, {@code -} and {@code *} (valid modulo 2^bits, so for every integer type). Null when no
   * rule applies.
   */
  private Expr vectorRule(Op op, Expr a, Expr b) {
    if (a instanceof Broadcast(Expr x, int n) && b instanceof Broadcast(Expr y, int m) && n == m
        && type(x).equals(type(y))) {
      return broadcast(apply(op, x, y), n);
    }
    Type t = type(a);
    if (!t.isIntOrUInt() || t.isScalar()) return null;
    int n = t.lanes();
    switch (op) {
      case ADD, SUB -> {
        if (isRamp(a, n) && isScalarBroadcast(b, n)) {
          Ramp r = (Ramp) a;
          return ramp(apply(op, r.base(), ((Broadcast) b).value()), r.stride(), n);
        }
        if (isScalarBroadcast(a, n) && isRamp(b, n)) {
          Ramp r = (Ramp) b;
          Expr x = ((Broadcast) a).value();
          return op == Op.ADD
              ? ramp(add(x, r.base()), r.stride(), n)
              : ramp(sub(x, r.base()), sub(zero(type(r.stride())), r.stride()), n);
        }
        if (isRamp(a, n) && isRamp(b, n)) {
          Ramp r = (Ramp) a, s = (Ramp) b;
          return ramp(apply(op, r.base(), s.base()), apply(op, r.stride(), s.stride()), n);
        }
      }
      case MUL -> {
        if (isRamp(a, n) && isScalarBroadcast(b, n)) {
          Ramp r = (Ramp) a;
          Expr y = ((Broadcast) b).value();
          return ramp(mul(r.base(), y), mul(r.stride(), y), n);
        }
        if (isScalarBroadcast(a, n) && isRamp(b, n)) return vectorRule(op, b, a);
      }
      case DIV, MOD, MIN, MAX -> {}
    }
    return null;
  }

  // ---------------------------------------------------------------- + - *

  Expr add(Expr a, Expr b) {
    if (bothScalarConst(a, b)) return fold(table.binary(Bin.ADD, a, b));
    Expr v = vectorRule(Op.ADD, a, b);
    if (v != null) return v;
    Type t = type(a);
    if (t.isIntOrUInt()) return combine(a, b, false);
    if (t.isFloat()) {
      // x + -0.0 is x for every x, -0.0 and NaN included; x + 0.0 is not (-0.0 + 0.0 is 0.0).
      if (isNegativeZero(b)) return a;
      if (isNegativeZero(a)) return b;
      return ordered(Bin.ADD, a, b);
    }
    return table.binary(Bin.ADD, a, b);
  }

  Expr sub(Expr a, Expr b) {
    if (bothScalarConst(a, b)) return fold(table.binary(Bin.SUB, a, b));
    Expr v = vectorRule(Op.SUB, a, b);
    if (v != null) return v;
    Type t = type(a);
    if (t.isIntOrUInt()) return combine(a, b, true);
    // x - 0.0 is x + -0.0, which is x; x - x is not 0 (inf, NaN)
    if (t.isFloat() && Consts.isFloatConst(b) && Double.doubleToRawLongBits(Consts.floatValue(b)) == 0) return a;
    return table.binary(Bin.SUB, a, b);
  }

  private static boolean isNegativeZero(Expr e) {
    return Consts.isFloatConst(e) && Double.doubleToRawLongBits(Consts.floatValue(e)) == Long.MIN_VALUE;
  }

  private static boolean isFloatOne(Expr e) {
    return Consts.isFloatConst(e) && Consts.floatValue(e) == 1.0;
  }

  /** {@code a + b} or {@code a - b} of integers through their linear forms. */
  private Expr combine(Expr a, Expr b, boolean subtract) {
    LinearForm la = run.linear(a), lb = run.linear(b);
    if (la != null && lb != null) {
      Expr r = rebuild(capped(la.plus(lb, subtract ? -1 : 1, table)));
      if (r != null) return r;
    }
    return subtract ? table.binary(Bin.SUB, a, b) : ordered(Bin.ADD, a, b);
  }

  Expr mul(Expr a, Expr b) {
    if (bothScalarConst(a, b)) return fold(table.binary(Bin.MUL, a, b));
    Expr v = vectorRule(Op.MUL, a, b);
    if (v != null) return v;
    Type t = type(a);
    if (t.isIntOrUInt()) {
      if (Consts.isIntConst(a) && !Consts.isIntConst(b)) return mul(b, a);
      if (Consts.isIntConst(b)) {
        // (t / c) * c is exactly t - t % c (Euclidean), worth it when t % c is known
        if (a instanceof Div(Expr n, Expr d) && same(d, b) && Consts.mathValue(b) instanceof Long cv && cv > 0) {
          Expr r = mod(n, b);
          if (Consts.isIntConst(r)) return sub(n, r);
        }
        LinearForm la = run.linear(a);
        if (la != null) {
          Expr r = rebuild(la.times(Consts.bits(b), table));
          if (r != null) return r;
        }
        return table.binary(Bin.MUL, a, b);
      }
      return ordered(Bin.MUL, a, b);
    }
    if (t.isFloat()) {
      if (isFloatOne(b)) return a;
      if (isFloatOne(a)) return b;
      return ordered(Bin.MUL, a, b);
    }
    return table.binary(Bin.MUL, a, b);
  }

  /** {@code f} unless it has too many atoms to normalize (then its operands are left as they are). */
  private static LinearForm capped(LinearForm f) {
    return f == null || f.size() > LinearForm.MAX_TERMS ? null : f;
  }

  /**
   * The canonical expression of a linear form, or null when it cannot be written (exact int32
   * coefficients out of range). For vectors, all ramp and broadcast atoms and the constant first
   * merge into one ramp (or broadcast): {@code ramp(a, s) + broadcast(b) + 2} is {@code ramp(a + b +
   * 2, s)}.
   */
  private Expr rebuild(LinearForm f) {
    if (f == null) return null;
    if (f.type.isVector()) {
      f = mergeVectorAtoms(f);
      if (f == null) return null;
    }
    return f.toExpr(table);
  }

  private LinearForm mergeVectorAtoms(LinearForm f) {
    int n = f.type.lanes();
    int ramps = 0, broadcasts = 0, at = -1;
    for (int i = 0; i < f.size(); i++) {
      Expr x = f.atoms.get(i);
      if (isRamp(x, n)) ramps++;
      else if (isScalarBroadcast(x, n)) broadcasts++;
      else continue;
      at = i;
    }
    if (ramps + broadcasts == 0) return f;
    // already merged: a single ramp or broadcast atom with coefficient 1 and no constant
    if (ramps + broadcasts == 1 && f.coeffs[at] == 1 && f.constant == 0) return f;
    Type st = f.type.element();
    Expr base = exactConst(st, f.constant), stride = zero(st);
    if (base == null) return null;
    List<Expr> atoms = new ArrayList<>();
    List<Long> coeffs = new ArrayList<>();
    for (int i = 0; i < f.size(); i++) {
      Expr x = f.atoms.get(i);
      Expr c = exactConst(st, f.coeffs[i]);
      if (c == null) return null;
      if (isRamp(x, n)) {
        Ramp r = (Ramp) x;
        base = add(base, mul(r.base(), c));
        stride = add(stride, mul(r.stride(), c));
      } else if (isScalarBroadcast(x, n)) {
        base = add(base, mul(((Broadcast) x).value(), c));
      } else {
        atoms.add(x);
        coeffs.add(f.coeffs[i]);
      }
    }
    Expr merged = ramps > 0 ? ramp(base, stride, n) : broadcast(base, n);
    long k = 0;
    if (Consts.isIntConst(merged)) {
      k = Consts.bits(merged);
    } else {
      atoms.add(merged);
      coeffs.add(1L);
    }
    long[] cs = coeffs.stream().mapToLong(Long::longValue).toArray();
    return LinearForm.build(f.type, atoms, cs, k, table);
  }

  // ---------------------------------------------------------------- / %

  /**
   * Euclidean quotient (remainder in [0, |c|)), as Div defines it for signed integers: floor(a / c)
   * for a positive c, -floor(a / |c|) for a negative one. Exact for every long a; c is neither 0 nor
   * Long.MIN_VALUE, and not -1 when a is Long.MIN_VALUE.
   */
  private static long euclidDiv(long a, long c) {
    return c > 0 ? Math.floorDiv(a, c) : -Math.floorDiv(a, -c);
  }

  Expr div(Expr a, Expr b) {
    if (bothScalarConst(a, b)) return fold(table.binary(Bin.DIV, a, b));
    Expr v = vectorRule(Op.DIV, a, b);
    if (v != null) return v;
    Type t = type(a);
    if (t.isFloat()) return isFloatOne(b) ? a : table.binary(Bin.DIV, a, b);
    if (!t.isIntOrUInt() || !Consts.isIntConst(b)) return table.binary(Bin.DIV, a, b);
    long raw = Consts.bits(b);
    if (raw == 0) return zero(t); // division by zero gives zero
    if (raw == 1) return a;
    if (t.isInt() && raw == -1) return sub(zero(t), a); // a / -1 is -a, wrapping like Div does
    Long c = Consts.mathValue(b);
    if (c == null || c == Long.MIN_VALUE) return table.binary(Bin.DIV, a, b);
    // the quotient is the same over the whole range of a
    ConstBounds ab = run.bounds(a);
    if (ab.isBounded()) {
      long q = euclidDiv(ab.lo(), c);
      if (q == euclidDiv(ab.hi(), c) && ConstBounds.point(q).fitsIn(t.element())) return Consts.make(t, q);
    }
    // (x / c1) / c2 is x / (c1 * c2) for positive divisors: floor divisions compose
    if (a instanceof Div(Expr x, Expr c1) && c > 0) {
      Long d = Consts.mathValue(c1);
      if (d != null && d > 0) {
        long prod = d * c;
        if (Math.multiplyHigh(d, c) == 0 && prod > 0 && ConstBounds.point(prod).fitsIn(t.element())) {
          return div(x, Consts.make(t, prod));
        }
      }
    }
    if (!LinearForm.exact(t)) return table.binary(Bin.DIV, a, b);
    // int32 only from here: the numerator's mathematical value is its linear form
    // a ramp built by a rule may have lanes that wrap: divide lanes only if they surely fit
    if (t.isVector() && a instanceof Ramp r && isRamp(r, t.lanes()) && Consts.isIntConst(r.stride()) && fitsInt32(r)) {
      long s = Consts.bits(r.stride());
      Expr sc = Consts.make(t.element(), c);
      if (s % c == 0) return ramp(div(r.base(), sc), Consts.make(t.element(), s / c), r.lanes());
      if (c > 0 && rampStaysInBlock(r.base(), s, r.lanes(), c)) return broadcast(div(r.base(), sc), r.lanes());
    }
    LinearForm f = run.linear(a);
    if (f == null) return table.binary(Bin.DIV, a, b);
    List<Expr> quotient = new ArrayList<>(), rest = new ArrayList<>();
    List<Long> qc = new ArrayList<>(), rc = new ArrayList<>();
    for (int i = 0; i < f.size(); i++) {
      if (f.coeffs[i] % c == 0) {
        quotient.add(f.atoms.get(i));
        qc.add(f.coeffs[i] / c);
      } else {
        rest.add(f.atoms.get(i));
        rc.add(f.coeffs[i]);
      }
    }
    long k = f.constant;
    if (rest.isEmpty()) {
      // (c*K + k) / c = K + k / c for any non-zero c (Euclidean)
      return rebuildOr(LinearForm.build(t, quotient, toArray(qc), euclidDiv(k, c), table), a, b);
    }
    // (c0*x + c*Q + k) / c is x / (c / c0) + Q + floor(k / c) when c0 divides c and the constant's
    // remainder k mod c is below c0: no new value can overflow
    if (rest.size() == 1 && c > 0 && rc.get(0) > 1 && c % rc.get(0) == 0) {
      long kq = Math.floorDiv(k, c);
      if (k - kq * c < rc.get(0)) {
        Expr q = rebuild(LinearForm.build(t, quotient, toArray(qc), kq, table));
        if (q != null) return add(q, div(rest.get(0), Consts.make(t, c / rc.get(0))));
      }
    }
    // The rest R (without the constant) becomes a new value: only where its bounds show it fits in
    // int32, so that it does not overflow where the original sum did not.
    Expr rest0 = rebuild(LinearForm.build(t, rest, toArray(rc), 0, table));
    if (rest0 != null && fitsInt32(rest0)) {
      // R = r (mod c) with c dividing R's modulus: (R + k) / c = R / c + floor((r + k) / c)
      Alignment al = run.alignment(rest0);
      if (c > 0 && (k != 0 || !quotient.isEmpty()) && !al.isConstant() && al.modulus() % c == 0) {
        long r0 = al.remainder() % c;
        Expr q = rebuild(LinearForm.build(t, quotient, toArray(qc), Math.floorDiv(r0 + k, c), table));
        if (q != null) return add(q, div(rest0, b));
      }
    }
    if (!quotient.isEmpty() || (k != 0 && k % c == 0)) {
      // (c*K + R + k) / c = K + (R + k) / c (Euclidean), with k moved into the quotient when c divides it
      long kq = k % c == 0 ? k / c : 0;
      Expr q = rebuild(LinearForm.build(t, quotient, toArray(qc), kq, table));
      Expr r = rebuild(LinearForm.build(t, rest, toArray(rc), k - kq * c, table));
      if (q != null && r != null && fitsInt32(r)) return add(q, div(r, b));
    }
    return table.binary(Bin.DIV, a, b);
  }

  /**
   * Whether the mathematical value of an int32 expression (every lane of a vector) always fits, so
   * that it does not overflow: the simplified form of an input node (no overflow is assumed of the
   * input), or an expression whose bounds fit.
   */
  private boolean fitsInt32(Expr e) {
    return run.isInputValue(e) || run.bounds(e).fitsIn(Type.I32);
  }

  /**
   * The constant {@code v} of integer type {@code t}, or null when {@code t} is int32 (exact) and
   * {@code v} does not fit: wrapping it would change the mathematical value reasoning relies on.
   */
  private static Expr exactConst(Type t, long v) {
    return LinearForm.exact(t.element()) && v != (int) v ? null : Consts.make(t, v);
  }

  private Expr rebuildOr(LinearForm f, Expr a, Expr b) {
    Expr r = rebuild(f);
    return r != null ? r : table.binary(Bin.DIV, a, b);
  }

  private static long[] toArray(List<Long> xs) {
    return xs.stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * Whether every lane {@code base + i*s} of a ramp has the same quotient by {@code c > 0}: the base
   * is {@code r} modulo a multiple of {@code c} and all of {@code r + i*s} stay in {@code [0, c)}.
   */
  private boolean rampStaysInBlock(Expr base, long s, int lanes, long c) {
    Alignment al = run.alignment(base);
    if (al.isConstant() || al.modulus() % c != 0) return false;
    long r = al.remainder() % c;
    long last = r + s * (lanes - 1);
    return Math.min(r, last) >= 0 && Math.max(r, last) < c;
  }

  Expr mod(Expr a, Expr b) {
    if (bothScalarConst(a, b)) return fold(table.binary(Bin.MOD, a, b));
    Expr v = vectorRule(Op.MOD, a, b);
    if (v != null) return v;
    Type t = type(a);
    if (!t.isIntOrUInt() || !Consts.isIntConst(b)) return table.binary(Bin.MOD, a, b);
    long raw = Consts.bits(b);
    if (raw == 0) return zero(t); // mod by zero gives zero
    Long c = Consts.mathValue(b);
    if (c == null || c == Long.MIN_VALUE) return table.binary(Bin.MOD, a, b);
    long m = Math.abs(c);
    if (m == 1) return zero(t);
    // the alignment of a decides the remainder
    Alignment r = run.alignment(a).mod(m);
    if (r.isConstant()) return Consts.make(t, r.remainder());
    // a stays within one block [q*m, q*m + m)
    ConstBounds ab = run.bounds(a);
    if (ab.isBounded()) {
      long q = Math.floorDiv(ab.lo(), m);
      if (q == Math.floorDiv(ab.hi(), m)) {
        if (q == 0) return a;
        // a - q*m, when the constant q*m can be written in the type without changing its value
        Expr block = Math.abs(q) <= Long.MAX_VALUE / m ? exactConst(t, q * m) : null;
        if (block != null) return sub(a, block);
      }
    }
    // (x % c1) % c is x % c when c divides c1
    if (a instanceof Mod(Expr x, Expr c1)) {
      Long d = Consts.mathValue(c1);
      if (d != null && d != 0 && d != Long.MIN_VALUE && Math.abs(d) % m == 0) return mod(x, b);
    }
    // Dropping multiples of m is valid for int32, and for wrapping types when m divides 2^bits.
    boolean dropMultiples = LinearForm.exact(t) || Long.bitCount(m) == 1;
    if (!dropMultiples) return table.binary(Bin.MOD, a, b);
    // lanes of a ramp built by a rule may wrap, which only keeps remainders by powers of two
    if (t.isVector() && a instanceof Ramp ramp && isRamp(ramp, t.lanes()) && Consts.isIntConst(ramp.stride())
        && (Long.bitCount(m) == 1 || fitsInt32(ramp))) {
      long s = Consts.bits(ramp.stride());
      Expr sc = Consts.make(t.element(), c);
      if (s % m == 0) return broadcast(mod(ramp.base(), sc), ramp.lanes());
      if (rampStaysInBlock(ramp.base(), s, ramp.lanes(), m)) {
        long r0 = Math.floorMod(run.alignment(ramp.base()).remainder(), m);
        return ramp(Consts.make(t.element(), r0), ramp.stride(), ramp.lanes());
      }
    }
    LinearForm f = run.linear(a);
    if (f == null) return table.binary(Bin.MOD, a, b);
    List<Expr> keep = new ArrayList<>();
    List<Long> kc = new ArrayList<>();
    for (int i = 0; i < f.size(); i++) {
      if (f.coeffs[i] % m != 0) {
        keep.add(f.atoms.get(i));
        kc.add(f.coeffs[i]);
      }
    }
    long k = Math.floorMod(f.constant, m);
    if (keep.size() == f.size() && k == f.constant) return table.binary(Bin.MOD, a, b);
    Expr reduced = rebuild(LinearForm.build(t, keep, toArray(kc), k, table));
    // The reduced sum is a new value; if it wraps, only a power-of-two modulus keeps the remainder.
    if (reduced == null || Long.bitCount(m) != 1 && !fitsInt32(reduced)) return table.binary(Bin.MOD, a, b);
    return mod(reduced, b);
  }

  // ---------------------------------------------------------------- min max

  Expr min(Expr a, Expr b) {
    return minMax(true, a, b);
  }

  Expr max(Expr a, Expr b) {
    return minMax(false, a, b);
  }

  private Expr minMax(boolean isMin, Expr a, Expr b) {
    Op op = isMin ? Op.MIN : Op.MAX;
    if (bothScalarConst(a, b)) return fold(node(op, a, b));
    Expr v = vectorRule(op, a, b);
    if (v != null) return v;
    if (same(a, b)) return a;
    Type t = type(a);
    // Float min/max are not commutative (NaN, -0.0 pick an operand by position): nothing more.
    if (!t.isIntOrUInt()) return node(op, a, b);
    if (proveLE(a, b)) return isMin ? a : b;
    if (proveLE(b, a)) return isMin ? b : a;
    if (Consts.isConst(a)) return minMax(isMin, b, a);
    // min(min(x, c1), c2) is min(x, min(c1, c2))
    if (Consts.isConst(b) && sameOp(op, a) && Consts.isConst(operand(a, 1))) {
      return minMax(isMin, operand(a, 0), minMax(isMin, operand(a, 1), b));
    }
    // absorption: min(a, max(a, b)) is a; min(a, min(a, b)) is min(a, b)
    Op dual = isMin ? Op.MAX : Op.MIN;
    if (sameOp(dual, b) && contains(b, a)) return a;
    if (sameOp(dual, a) && contains(a, b)) return b;
    if (sameOp(op, b) && contains(b, a)) return b;
    if (sameOp(op, a) && contains(a, b)) return a;
    // min(x + c, y + c) is min(x, y) + c for int32 atoms x and y (no new value can overflow)
    if (LinearForm.exact(t) && t.isScalar()) {
      LinearForm la = run.linear(a), lb = run.linear(b);
      if (la != null && lb != null && la.size() == 1 && lb.size() == 1 && la.coeffs[0] == 1 && lb.coeffs[0] == 1
          && la.constant == lb.constant && la.constant != 0) {
        Expr k = exactConst(t, la.constant);
        if (k != null) return add(minMax(isMin, la.atoms.get(0), lb.atoms.get(0)), k);
      }
    }
    return ordered(op.bin, a, b);
  }

  private static boolean sameOp(Op op, Expr e) {
    return op == Op.MIN ? e instanceof Min : op == Op.MAX ? e instanceof Max : false;
  }

  /** Operand {@code i} of a binary node. */
  private static Expr operand(Expr e, int i) {
    return IrNodes.children(e).get(i);
  }

  /** Whether binary node {@code e} has {@code x} as an operand. */
  private boolean contains(Expr e, Expr x) {
    return same(operand(e, 0), x) || same(operand(e, 1), x);
  }

  // ---------------------------------------------------------------- facts from bounds

  /**
   * Bounds of the int32 difference {@code a - b}: from its linear form when both have one, term by
   * term, where a pair {@code k*c*(t / c) - k*t} counts as {@code -k * (t % c)} (within {@code [0,
   * c-1]}, or exact when the alignment of t decides it); else from the bounds of the simplified
   * difference (vectors: ramps cancel there).
   */
  private ConstBounds differenceBounds(Expr a, Expr b) {
    Type vt = type(a);
    if (vt.isVector()) {
      // lane by lane: the difference of two ramps (or broadcasts) is the ramp of the differences
      Expr[] x = rampParts(a, vt.lanes()), y = rampParts(b, vt.lanes());
      if (x == null || y == null) return run.bounds(sub(a, b));
      ConstBounds base = differenceBounds(x[0], y[0]), stride = differenceBounds(x[1], y[1]);
      return base.hull(base.add(stride.scale(vt.lanes() - 1)));
    }
    LinearForm la = run.linear(a), lb = run.linear(b);
    LinearForm d = la == null || lb == null ? null : la.plus(lb, -1, table);
    if (d == null) return run.bounds(sub(a, b));
    ConstBounds sum = ConstBounds.point(d.constant);
    boolean[] used = new boolean[d.size()];
    for (int i = 0; i < d.size(); i++) {
      if (used[i]) continue;
      Expr atom = d.atoms.get(i);
      if (atom instanceof Div(Expr t, Expr cd) && Consts.mathValue(cd) instanceof Long c && c > 0 && d.coeffs[i] % c == 0) {
        long k = d.coeffs[i] / c;
        for (int j = 0; j < d.size(); j++) {
          if (!used[j] && j != i && d.coeffs[j] == -k && same(d.atoms.get(j), t)) {
            used[i] = used[j] = true;
            sum = sum.add(run.bounds(mod(t, cd)).scale(-k));
            break;
          }
        }
      }
    }
    for (int i = 0; i < d.size(); i++) if (!used[i]) sum = sum.add(run.bounds(d.atoms.get(i)).scale(d.coeffs[i]));
    return sum;
  }

  /** Base and stride of a ramp, or of a broadcast (stride 0), with scalar parts; else null. */
  private Expr[] rampParts(Expr e, int lanes) {
    if (isRamp(e, lanes)) return new Expr[] {((Ramp) e).base(), ((Ramp) e).stride()};
    if (isScalarBroadcast(e, lanes)) {
      Expr v = ((Broadcast) e).value();
      return new Expr[] {v, zero(type(v))};
    }
    return null;
  }

  /** How deep {@link #prove} looks through min and max operands. */
  private static final int PROVE_DEPTH = 2;

  /** Whether {@code a <= b} always holds for integers of the same type. */
  boolean proveLE(Expr a, Expr b) {
    return prove(a, b, false, PROVE_DEPTH);
  }

  /** Whether {@code a < b} always holds for integers of the same type. */
  boolean proveLT(Expr a, Expr b) {
    return prove(a, b, true, PROVE_DEPTH);
  }

  /**
   * Whether {@code a < b} ({@code strict}) or {@code a <= b} always holds: by the bounds of both
   * sides, by the bounds of the int32 difference, or through min and max: {@code a <= max(p, q)} if
   * {@code a <= p} or {@code a <= q}; {@code min(p, q) <= b} likewise; {@code max(p, q) <= b} if both.
   */
  private boolean prove(Expr a, Expr b, boolean strict, int depth) {
    ConstBounds x = run.bounds(a), y = run.bounds(b);
    if (x.hasHi() && y.hasLo() && (strict ? x.hi() < y.lo() : x.hi() <= y.lo())) return true;
    if (LinearForm.exact(type(a))) {
      ConstBounds d = differenceBounds(a, b);
      if (d.hasHi() && (strict ? d.hi() < 0 : d.hi() <= 0)) return true;
    }
    if (depth == 0) return false;
    return switch (b) {
      case Max(Expr p, Expr q) when prove(a, p, strict, depth - 1) || prove(a, q, strict, depth - 1) -> true;
      case Min(Expr p, Expr q) when prove(a, p, strict, depth - 1) && prove(a, q, strict, depth - 1) -> true;
      default -> switch (a) {
        case Min(Expr p, Expr q) -> prove(p, b, strict, depth - 1) || prove(q, b, strict, depth - 1);
        case Max(Expr p, Expr q) -> prove(p, b, strict, depth - 1) && prove(q, b, strict, depth - 1);
        default -> false;
      };
    };
  }

  // ---------------------------------------------------------------- comparisons

  private enum Cmp {
    LT,
    LE,
    EQ
  }

  Expr lt(Expr a, Expr b) {
    if (bothScalarConst(a, b)) return fold(table.binary(Bin.LT, a, b));
    if (a instanceof Broadcast(Expr x, int n) && b instanceof Broadcast(Expr y, int m) && n == m) return broadcast(lt(x, y), n);
    // x < x is false for every type, NaN included
    if (same(a, b)) return Consts.bool(false, type(a).lanes());
    if (type(a).isIntOrUInt()) {
      if (proveLT(a, b)) return Consts.bool(true, type(a).lanes());
      if (proveLE(b, a)) return Consts.bool(false, type(a).lanes());
      Expr c = canonicalCompare(Cmp.LT, a, b);
      if (c != null) return c;
    }
    return table.binary(Bin.LT, a, b);
  }

  Expr le(Expr a, Expr b) {
    if (bothScalarConst(a, b)) return fold(table.binary(Bin.LE, a, b));
    if (a instanceof Broadcast(Expr x, int n) && b instanceof Broadcast(Expr y, int m) && n == m) return broadcast(le(x, y), n);
    Type t = type(a);
    // x <= x is not true for a float NaN
    if (same(a, b) && !t.isFloat()) return Consts.bool(true, t.lanes());
    if (t.isIntOrUInt()) {
      if (proveLE(a, b)) return Consts.bool(true, t.lanes());
      if (proveLT(b, a)) return Consts.bool(false, t.lanes());
      Expr c = canonicalCompare(Cmp.LE, a, b);
      if (c != null) return c;
    }
    return table.binary(Bin.LE, a, b);
  }

  Expr eq(Expr a, Expr b) {
    if (bothScalarConst(a, b)) return fold(table.binary(Bin.EQ, a, b));
    if (a instanceof Broadcast(Expr x, int n) && b instanceof Broadcast(Expr y, int m) && n == m) return broadcast(eq(x, y), n);
    Type t = type(a);
    if (same(a, b) && !t.isFloat()) return Consts.bool(true, t.lanes());
    if (t.isBool()) {
      if (Consts.isConst(a)) return eq(b, a);
      if (Consts.isTrue(b)) return a;
      if (Consts.isFalse(b)) return not(a);
    }
    if (t.isIntOrUInt()) {
      if (Consts.isFalse(equality(a, b))) return Consts.bool(false, t.lanes());
      if (LinearForm.exact(t)) {
        ConstBounds d = differenceBounds(a, b);
        if (d.isPoint() && d.lo() == 0) return Consts.bool(true, t.lanes());
        if (d.hasLo() && d.lo() > 0 || d.hasHi() && d.hi() < 0) return Consts.bool(false, t.lanes());
      }
      Expr c = canonicalCompare(Cmp.EQ, a, b);
      if (c != null) return c;
    }
    return ordered(Bin.EQ, a, b);
  }

  Expr ne(Expr a, Expr b) {
    return not(eq(a, b));
  }

  /**
   * Comparisons of scalar integers through the linear form of {@code a - b}, written so that no new
   * arithmetic appears (which could overflow where the original did not):
   *
   * <ul>
   *   <li>one atom: {@code c*t + k < 0} becomes {@code t < m} or {@code m < t} (int32, exact);
   *       {@code t + k == 0} becomes {@code t == -k} (every type: equality is a ring fact);
   *   <li>two atoms {@code p - n + k}: {@code p < n} ({@code k == 0}), {@code p <= n} ({@code k ==
   *       -1}), and likewise for {@code <=} and {@code ==} (int32; {@code ==} every type when k is 0).
   * </ul>
   *
   * Null when none of these applies.
   */
  private Expr canonicalCompare(Cmp cmp, Expr a, Expr b) {
    Type t = type(a);
    if (!t.isScalar()) return null;
    boolean exact = LinearForm.exact(t);
    if (!exact && cmp != Cmp.EQ) return null;
    LinearForm la = run.linear(a), lb = run.linear(b);
    if (la == null || lb == null) return null;
    LinearForm d = la.plus(lb, -1, table);
    if (d == null) return null;
    long k = d.constant;
    if (d.isConstant()) {
      // only EQ gets here undecided: equal when the difference is zero (modulo 2^bits for wrapping types)
      return cmp == Cmp.EQ ? Consts.bool(k == 0, 1) : null;
    }
    if (d.size() == 1) {
      Expr x = d.atoms.get(0);
      long c = d.coeffs[0];
      if (!exact) {
        // wrapping equality c*x + k == 0 with c = +-1: x == -k*c
        return c == 1 || c == -1 ? equality(x, Consts.make(t, -k * c)) : null;
      }
      return switch (cmp) {
        case LT -> c > 0 ? upperBound(x, ceilDiv(-k, c) - 1) : lowerBound(x, Math.floorDiv(-k, c) + 1);
        case LE -> c > 0 ? upperBound(x, Math.floorDiv(-k, c)) : lowerBound(x, ceilDiv(-k, c));
        case EQ -> (-k) % c != 0 || (-k) / c != (int) ((-k) / c) ? Consts.bool(false, 1) : equality(x, Consts.make(t, -k / c));
      };
    }
    if (d.size() == 2 && d.coeffs[0] == -d.coeffs[1] && Math.abs(d.coeffs[0]) == 1) {
      Expr p = d.coeffs[0] == 1 ? d.atoms.get(0) : d.atoms.get(1);
      Expr n = d.coeffs[0] == 1 ? d.atoms.get(1) : d.atoms.get(0);
      return switch (cmp) {
        case LT -> k == 0 ? table.binary(Bin.LT, p, n) : exact && k == -1 ? table.binary(Bin.LE, p, n) : null;
        case LE -> k == 0 ? table.binary(Bin.LE, p, n) : exact && k == 1 ? table.binary(Bin.LT, p, n) : null;
        case EQ -> k == 0 ? equality(p, n) : null;
      };
    }
    return null;
  }

  /** {@code a == b} for new operands of an equality: false when their bounds do not meet. */
  private Expr equality(Expr a, Expr b) {
    ConstBounds x = run.bounds(a), y = run.bounds(b);
    boolean disjoint = (x.hasHi() && y.hasLo() && x.hi() < y.lo()) || (y.hasHi() && x.hasLo() && y.hi() < x.lo());
    return disjoint ? Consts.bool(false, 1) : ordered(Bin.EQ, a, b);
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  /** {@code x <= m} for an int32 atom x, written {@code x < m + 1} when that constant exists. */
  private Expr upperBound(Expr x, long m) {
    Type t = type(x);
    if (m >= t.maxInt()) return Consts.bool(true, 1);
    if (m < t.minInt()) return Consts.bool(false, 1);
    return table.binary(Bin.LT, x, Consts.make(t, m + 1));
  }

  /** {@code m <= x} for an int32 atom x, written {@code m - 1 < x} when that constant exists. */
  private Expr lowerBound(Expr x, long m) {
    Type t = type(x);
    if (m <= t.minInt()) return Consts.bool(true, 1);
    if (m > t.maxInt()) return Consts.bool(false, 1);
    return table.binary(Bin.LT, Consts.make(t, m - 1), x);
  }

  // ---------------------------------------------------------------- logic

  Expr not(Expr a) {
    if (scalarConst(a)) return fold(new Not(a));
    return switch (a) {
      case Broadcast(Expr x, int n) -> broadcast(not(x), n);
      case Not(Expr x) -> x;
      // !(a < b) is b <= a only without NaN
      case LT(Expr x, Expr y) when !type(x).isFloat() -> le(y, x);
      case LE(Expr x, Expr y) when !type(x).isFloat() -> lt(y, x);
      case EQ(Expr x, Expr y) -> table.binary(Bin.NE, x, y);
      case NE(Expr x, Expr y) -> table.binary(Bin.EQ, x, y);
      default -> new Not(a);
    };
  }

  Expr and(Expr a, Expr b) {
    return andOr(true, a, b);
  }

  Expr or(Expr a, Expr b) {
    return andOr(false, a, b);
  }

  /** {@code a && b} ({@code isAnd}) or {@code a || b}: the rules are each other's duals. */
  private Expr andOr(boolean isAnd, Expr a, Expr b) {
    if (bothScalarConst(a, b)) return fold(isAnd ? table.binary(Bin.AND, a, b) : table.binary(Bin.OR, a, b));
    if (a instanceof Broadcast(Expr x, int n) && b instanceof Broadcast(Expr y, int m) && n == m) {
      return broadcast(andOr(isAnd, x, y), n);
    }
    int lanes = type(a).lanes();
    // identity and absorbing constants: a && true, a && false, a || false, a || true
    if (Consts.isConst(a)) return andOr(isAnd, b, a);
    if (Consts.isConst(b)) return Consts.isTrue(b) == isAnd ? a : b;
    if (same(a, b)) return a;
    if (complementary(a, b)) return Consts.bool(!isAnd, lanes);
    // absorption a && (a || b) is a; and an operand already in a conjunction: (a && b) && a is a && b
    boolean dualA = isAnd ? a instanceof Or : a instanceof And;
    boolean dualB = isAnd ? b instanceof Or : b instanceof And;
    boolean sameA = isAnd ? a instanceof And : a instanceof Or;
    boolean sameB = isAnd ? b instanceof And : b instanceof Or;
    if (dualB && contains(b, a)) return a;
    if (dualA && contains(a, b)) return b;
    if (sameA && contains(a, b)) return a;
    if (sameB && contains(b, a)) return b;
    Expr r = constraintRule(isAnd, a, b);
    if (r != null) return r;
    return ordered(isAnd ? Bin.AND : Bin.OR, a, b);
  }

  /** Whether one operand is the negation of the other. */
  private boolean complementary(Expr a, Expr b) {
    if (b instanceof Not(Expr x) && same(x, a)) return true;
    if (a instanceof Not(Expr x) && same(x, b)) return true;
    return switch (a) {
      case EQ(Expr x, Expr y) -> b instanceof NE(Expr p, Expr q) && same(x, p) && same(y, q);
      case NE(Expr x, Expr y) -> b instanceof EQ(Expr p, Expr q) && same(x, p) && same(y, q);
      // x < y and y <= x cover everything only without NaN
      case LT(Expr x, Expr y) when !type(x).isFloat() -> b instanceof LE(Expr p, Expr q) && same(y, p) && same(x, q);
      case LE(Expr x, Expr y) when !type(x).isFloat() -> b instanceof LT(Expr p, Expr q) && same(y, p) && same(x, q);
      default -> false;
    };
  }

  /** The bound a scalar integer comparison with a constant puts on its other operand, or null. */
  Constraint constraint(Expr e) {
    Expr x, c;
    boolean constRight;
    switch (e) {
      case LT(Expr p, Expr q) -> { x = p; c = q; }
      case LE(Expr p, Expr q) -> { x = p; c = q; }
      case EQ(Expr p, Expr q) -> { x = p; c = q; }
      default -> { return null; }
    }
    if (!type(x).isIntOrUInt() || !type(x).isScalar()) return null;
    constRight = Consts.isIntConst(c);
    if (!constRight) {
      Expr tmp = x;
      x = c;
      c = tmp;
      if (!Consts.isIntConst(c) || e instanceof EQ) return null;
    }
    if (Consts.isIntConst(x)) return null;
    Long v = Consts.mathValue(c);
    if (v == null || v == Long.MIN_VALUE || v == Long.MAX_VALUE) return null;
    ConstBounds range = switch (e) {
      case LT l -> constRight ? ConstBounds.atMost(v - 1) : ConstBounds.atLeast(v + 1);
      case LE l -> constRight ? ConstBounds.atMost(v) : ConstBounds.atLeast(v);
      default -> ConstBounds.point(v);
    };
    return new Constraint(x, range.intersect(ConstBounds.ofType(type(x))));
  }

  /** Two bounds on the same atom: {@code x < 5 && x < 3} is {@code x < 3}; {@code x < 3 && 5 < x} is false. */
  private Expr constraintRule(boolean isAnd, Expr a, Expr b) {
    Constraint ca = constraint(a), cb = constraint(b);
    if (ca == null || cb == null || !same(ca.atom(), cb.atom())) return null;
    ConstBounds x = ca.range(), y = cb.range();
    ConstBounds full = ConstBounds.ofType(type(ca.atom()));
    if (isAnd) {
      boolean empty = x.hasHi() && y.hasLo() && x.hi() < y.lo() || y.hasHi() && x.hasLo() && y.hi() < x.lo();
      if (empty) return Consts.bool(false, 1);
      if (x.within(y)) return a;
      if (y.within(x)) return b;
      return null;
    }
    if (x.within(y)) return b;
    if (y.within(x)) return a;
    // x <= h || l <= x with l <= h + 1 covers every value
    ConstBounds lowPart = !x.hasLo() || x.lo() <= full.lo() ? x : y;
    ConstBounds highPart = lowPart == x ? y : x;
    boolean lowOk = !lowPart.hasLo() || lowPart.lo() <= full.lo();
    boolean highOk = !highPart.hasHi() || (full.hasHi() && highPart.hi() >= full.hi());
    if (lowOk && highOk && lowPart.hasHi() && highPart.hasLo() && highPart.lo() <= lowPart.hi() + 1) {
      return Consts.bool(true, 1);
    }
    return null;
  }

  Expr select(Expr c, Expr a, Expr b) {
    if (Consts.isTrue(c)) return a;
    if (Consts.isFalse(c)) return b;
    if (same(a, b)) return a;
    if (c instanceof Not(Expr x)) return select(x, b, a);
    if (c instanceof Broadcast(Expr x, int n) && type(x).isScalar()) return select(x, a, b);
    if (a instanceof Select(Expr c2, Expr a1, Expr a2) && same(c, c2)) return select(c, a1, b);
    if (b instanceof Select(Expr c2, Expr b1, Expr b2) && same(c, c2)) return select(c, a, b2);
    Type t = type(a);
    if (t.isBool() && type(c).lanes() == t.lanes()) {
      if (Consts.isTrue(a) && Consts.isFalse(b)) return c;
      if (Consts.isFalse(a) && Consts.isTrue(b)) return not(c);
      if (Consts.isFalse(b)) return and(c, a);
      if (Consts.isTrue(a)) return or(c, b);
      if (Consts.isFalse(a)) return and(not(c), b);
      if (Consts.isTrue(b)) return or(not(c), a);
    }
    // select(p < q, p, q) is min(p, q) by definition of min, for floats too; with <= only for integers
    switch (c) {
      case LT(Expr p, Expr q) -> {
        if (same(a, p) && same(b, q)) return min(p, q);
        if (same(a, q) && same(b, p)) return max(q, p);
      }
      case LE(Expr p, Expr q) when t.isIntOrUInt() -> {
        if (same(a, p) && same(b, q)) return min(p, q);
        if (same(a, q) && same(b, p)) return max(q, p);
      }
      default -> {}
    }
    if (type(c).isScalar() && a instanceof Broadcast(Expr x, int n) && b instanceof Broadcast(Expr y, int m) && n == m
        && type(x).equals(type(y))) {
      return broadcast(select(c, x, y), n);
    }
    return new Select(c, a, b);
  }

  // ---------------------------------------------------------------- casts

  Expr cast(Type t, Expr v) {
    Type from = type(v);
    if (t.equals(from)) return v;
    if (scalarConst(v)) return fold(new Cast(t, v));
    if (v instanceof Broadcast(Expr x, int n)) return broadcast(cast(t.withLanes(type(x).lanes()), x), n);
    if (t.isBool() && from.isNumeric() && !from.isBool()) return ne(v, zero(from)); // to bool is != 0, NaN included
    if (v instanceof Ramp r && isRamp(r, from.lanes()) && t.isIntOrUInt() && from.isIntOrUInt()
        && (t.bits() <= from.bits()
            || LinearForm.exact(from.element()) && fitsInt32(r) && fitsInt32(r.base()) && fitsInt32(r.stride()))) {
      // narrowing wraps lane by lane like the ramp's arithmetic; widening is exact when the lanes,
      // base and stride are int32 values that fit (a ramp built by a rule may have wrapping lanes)
      Type et = t.element();
      Expr converted = ramp(cast(et, r.base()), cast(et, r.stride()), r.lanes());
      // an int32 ramp must not wrap: its lanes are taken as mathematical values elsewhere
      if (!LinearForm.exact(et) || run.bounds(converted).fitsIn(Type.I32)) return converted;
    }
    if (v instanceof Cast(Type mid, Expr x) && castThroughIsDirect(type(x), mid, t)) return cast(t, x);
    return new Cast(t, v);
  }

  /** Whether {@code cast<to>(cast<mid>(x : from))} always equals {@code cast<to>(x)}. */
  private static boolean castThroughIsDirect(Type from, Type mid, Type to) {
    // integer truncations compose: wrapping to mid's width then to a narrower one is wrapping once
    if (from.isIntOrUInt() && mid.isIntOrUInt() && to.isIntOrUInt() && to.bits() <= mid.bits()) return true;
    if (!holdsExactly(mid, from)) return false;
    // the value survives the first cast; the second must convert it the same way from either type:
    // float -> int saturates but int -> int wraps, so an int going through a float into an int
    // needs a target that holds every value of the source.
    if (from.isIntOrUInt() && mid.isFloat() && to.isIntOrUInt()) return holdsExactly(to, from);
    return true;
  }

  /** Whether type {@code big} represents every value of type {@code small} exactly. */
  private static boolean holdsExactly(Type big, Type small) {
    if (small.isBool()) return big.isNumeric();
    if (big.isBool() || big.isHandle() || small.isHandle()) return false;
    if (small.isFloat()) return big.isFloat() && big.bits() >= small.bits();
    int magnitude = small.isInt() ? small.bits() - 1 : small.bits();
    if (big.isFloat()) {
      int mantissa = switch (big.bits()) {
        case 16 -> 11;
        case 32 -> 24;
        default -> 53;
      };
      return magnitude <= mantissa;
    }
    if (big.isInt()) return big.bits() - 1 >= magnitude;
    return small.isUInt() && big.bits() >= small.bits();
  }

  // ---------------------------------------------------------------- calls and vectors

  static boolean isLikely(Expr e) {
    return e instanceof Call c && c.kind() == CallKind.INTRINSIC && c.name().equals(LIKELY) && c.args().size() == 1;
  }

  /** {@code e} without a {@code likely} wrapper. */
  static Expr stripLikely(Expr e) {
    return isLikely(e) ? ((Call) e).args().get(0) : e;
  }

  /**
   * Calls: {@code likely(e)} is kept around non-constant conditions (it steers loop partitioning)
   * but dropped around constants and collapsed when nested; {@code abs} of an unsigned value or of a
   * value known non-negative is a cast; math and intrinsic calls of constants are evaluated, except
   * prints, which must print when the code runs.
   */
  Expr call(Call c, List<Expr> args) {
    Call n = args == c.args() ? c : new Call(type(c), c.name(), args, c.kind(), c.valueIndex());
    if (isLikely(n)) {
      Expr x = args.get(0);
      if (Consts.isConst(x) || isLikely(x)) return x;
      return n;
    }
    if (n.kind() == CallKind.INTRINSIC && n.name().equals(ABS) && args.size() == 1) {
      Expr x = args.get(0);
      if (type(x).isUInt() && type(x).equals(type(n))) return x;
      if (type(x).isInt() && type(n).isUInt() && run.bounds(x).hasLo() && run.bounds(x).lo() >= 0) return cast(type(n), x);
    }
    // A print is evaluated where the code runs, never here: folding would drop its output.
    boolean foldable = (n.kind() == CallKind.MATH || n.kind() == CallKind.INTRINSIC) && !Prints.isPrint(n)
        && !args.isEmpty() && args.stream().allMatch(this::scalarConst);
    return foldable ? fold(n) : n;
  }

  /**
   * A ramp of stride zero is a broadcast; for floats only a stride of -0.0 (lane i is {@code base +
   * -0.0 * i}, which is base; with +0.0 the lane of a -0.0 base would be +0.0).
   */
  Expr ramp(Expr base, Expr stride, int lanes) {
    if (Consts.isIntConst(stride, 0) || isNegativeZero(stride)) return broadcast(base, lanes);
    return new Ramp(base, stride, lanes);
  }

  Expr broadcast(Expr value, int lanes) {
    if (value instanceof Broadcast(Expr x, int m)) return new Broadcast(x, m * lanes);
    return new Broadcast(value, lanes);
  }

  Expr vectorReduce(VectorReduce.Op op, Expr value, int lanes) {
    int in = type(value).lanes();
    if (lanes == in) return value;
    Type t = type(value);
    if (value instanceof Broadcast(Expr x, int n) && type(x).isScalar()) {
      int factor = in / lanes;
      switch (op) {
        case MIN, MAX, AND, OR -> {
          return spread(x, lanes);
        }
        case ADD -> {
          // n copies of x add up to x * n, modulo 2^bits for wrapping types; floats round differently
          if (t.isIntOrUInt()) return spread(mul(x, Consts.make(type(x), factor)), lanes);
        }
        case MUL -> {}
      }
    }
    if (op == VectorReduce.Op.ADD && lanes == 1 && t.isIntOrUInt() && value instanceof Ramp r && isRamp(r, in)) {
      // sum of base + i*stride over i < n
      long tri = (long) in * (in - 1) / 2;
      Type st = type(r.base());
      return add(mul(r.base(), Consts.make(st, in)), mul(r.stride(), Consts.make(st, tri)));
    }
    return new VectorReduce(op, value, lanes);
  }
}
