package dev.halogen.passes.analysis;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Add;
import dev.halogen.ir.Expr.Mul;
import dev.halogen.ir.Expr.Sub;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import dev.halogen.passes.analysis.ExprTable.Bin;

/**
 * An integer expression as {@code c1*t1 + c2*t2 + ... + k}: atoms {@code ti} (simplified expressions
 * that are not sums, differences, multiples by a constant or constants), in canonical order, with
 * non-zero coefficients.
 *
 * <p>Two regimes, by type. For {@code int32}, which is assumed not to overflow, coefficients and the
 * constant are exact mathematical integers: the form has the mathematical value of the expression,
 * so comparisons and bounds may reason about it; arithmetic that leaves the long range gives up
 * (null). Every other integer type wraps, and arithmetic modulo 2^bits is a commutative ring, so
 * collecting terms is valid there too: coefficients are kept reduced to the width (as signed
 * representatives) and the form only has the value modulo 2^bits.
 */
final class LinearForm {
  /** Most distinct atoms an operand may have to be normalized; bigger sums are left as they are. */
  static final int MAX_TERMS = 32;

  final Type type;
  final List<Expr> atoms;
  final long[] coeffs;
  final long constant;

  private LinearForm(Type type, List<Expr> atoms, long[] coeffs, long constant) {
    this.type = type;
    this.atoms = atoms;
    this.coeffs = coeffs;
    this.constant = constant;
  }

  /** Whether the type is assumed not to overflow (exact coefficients). */
  static boolean exact(Type t) {
    return t.isInt() && t.bits() == 32;
  }

  boolean isConstant() {
    return atoms.isEmpty();
  }

  int size() {
    return atoms.size();
  }

  /**
   * The form of {@code e} from the forms of its operands ({@code forms}, memoized by the caller, so
   * that a shared subterm is looked at once); null when it would have more than {@link #MAX_TERMS}
   * atoms or leaves the long range.
   */
  static LinearForm of(Expr e, ExprTable table, Function<Expr, LinearForm> forms) {
    LinearForm f = switch (e) {
      case Add(Expr a, Expr b) -> combine(forms.apply(a), forms.apply(b), 1, table);
      case Sub(Expr a, Expr b) -> combine(forms.apply(a), forms.apply(b), -1, table);
      case Mul(Expr a, Expr b) when Consts.isIntConst(b) -> scaled(forms.apply(a), Consts.bits(b), table);
      case Mul(Expr a, Expr b) when Consts.isIntConst(a) -> scaled(forms.apply(b), Consts.bits(a), table);
      default -> Consts.isIntConst(e) ? constantForm(e.type(), Consts.bits(e)) : atom(e, table.type(e));
    };
    return f == null || f.size() > MAX_TERMS ? null : f;
  }

  private static LinearForm combine(LinearForm a, LinearForm b, long scale, ExprTable table) {
    return a == null || b == null ? null : a.plus(b, scale, table);
  }

  private static LinearForm scaled(LinearForm a, long c, ExprTable table) {
    return a == null ? null : a.times(c, table);
  }

  private static LinearForm atom(Expr e, Type type) {
    return new LinearForm(type, List.of(e), new long[] {1}, 0);
  }

  static LinearForm constantForm(Type type, long k) {
    return new LinearForm(type, List.of(), new long[0], exact(type) ? k : Consts.signExtend(type.bits(), k));
  }

  /** {@code this + scale * o}, or null on overflow of an exact form. */
  LinearForm plus(LinearForm o, long scale, ExprTable table) {
    Collector c = new Collector(type, table);
    try {
      for (int i = 0; i < atoms.size(); i++) c.addAtom(atoms.get(i), coeffs[i]);
      for (int i = 0; i < o.atoms.size(); i++) c.addAtom(o.atoms.get(i), c.mul(o.coeffs[i], scale));
      c.constant = c.add(constant, c.mul(o.constant, scale));
    } catch (ArithmeticException ex) {
      return null;
    }
    return c.finish();
  }

  /** {@code c * this}, or null on overflow of an exact form. */
  LinearForm times(long c, ExprTable table) {
    return constantForm(type, 0).plus(this, c, table);
  }

  /** The form with the given terms (any order, repeats allowed) and constant, or null on overflow. */
  static LinearForm build(Type type, List<Expr> atoms, long[] coeffs, long constant, ExprTable table) {
    Collector c = new Collector(type, table);
    try {
      for (int i = 0; i < atoms.size(); i++) c.addAtom(atoms.get(i), coeffs[i]);
      c.constant = constant;
    } catch (ArithmeticException ex) {
      return null;
    }
    return c.finish();
  }

  /**
   * The canonical expression: positive terms in atom order, then negative ones subtracted, then the
   * constant added or subtracted ({@code x*3 - y + 2}); with no positive term, {@code k - (terms)}.
   * Null when an exact coefficient or constant does not fit in {@code int32}: it could not be written
   * without changing the mathematical value.
   */
  Expr toExpr(ExprTable table) {
    if (exact(type)) {
      for (long c : coeffs) if (c != (int) c) return null;
      if (constant != (int) constant) return null;
    }
    Expr pos = null;
    List<Expr> neg = new ArrayList<>();
    for (int i = 0; i < atoms.size(); i++) {
      Expr atom = atoms.get(i);
      long c = coeffs[i];
      if (isNegative(c)) {
        neg.add(term(atom, -c, table));
      } else {
        Expr t = term(atom, c, table);
        pos = pos == null ? t : table.binary(Bin.ADD, pos, t);
      }
    }
    if (pos == null) {
      if (neg.isEmpty()) return Consts.make(type, constant);
      Expr sum = neg.get(0);
      for (int i = 1; i < neg.size(); i++) sum = table.binary(Bin.ADD, sum, neg.get(i));
      return table.binary(Bin.SUB, Consts.make(type, constant), sum);
    }
    for (Expr n : neg) pos = table.binary(Bin.SUB, pos, n);
    if (constant == 0) return pos;
    return isNegative(constant) ? table.binary(Bin.SUB, pos, Consts.make(type, -constant)) : table.binary(Bin.ADD, pos, Consts.make(type, constant));
  }

  /**
   * Whether a coefficient or constant is written as a subtraction: negative values (signed
   * representatives, so uint8 {@code x + 255} reads {@code x - 1}), except the most negative value of
   * the width, whose negation does not exist.
   */
  private boolean isNegative(long c) {
    long min = type.bits() == 64 ? Long.MIN_VALUE : -(1L << (type.bits() - 1));
    return c < 0 && c != min;
  }

  private Expr term(Expr atom, long c, ExprTable table) {
    return c == 1 ? atom : table.binary(Bin.MUL, atom, Consts.make(type, c));
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < atoms.size(); i++) sb.append(coeffs[i]).append('*').append(atoms.get(i)).append(" + ");
    return sb.append(constant).toString();
  }

  /** Accumulates terms by atom id. */
  private static final class Collector {
    final Type type;
    final ExprTable table;
    final Map<Integer, Integer> slot = new HashMap<>();
    final List<Expr> atoms = new ArrayList<>();
    long[] coeffs = new long[8];
    long constant;

    Collector(Type type, ExprTable table) {
      this.type = type;
      this.table = table;
    }

    long add(long a, long b) {
      return exact(type) ? Math.addExact(a, b) : a + b;
    }

    long mul(long a, long b) {
      return exact(type) ? Math.multiplyExact(a, b) : a * b;
    }

    void addAtom(Expr atom, long c) {
      int id = table.id(atom);
      Integer at = slot.get(id);
      if (at == null) {
        slot.put(id, atoms.size());
        atoms.add(atom);
        if (atoms.size() > coeffs.length) coeffs = Arrays.copyOf(coeffs, coeffs.length * 2);
        coeffs[atoms.size() - 1] = c;
      } else {
        coeffs[at] = add(coeffs[at], c);
      }
    }

    LinearForm finish() {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < atoms.size(); i++) {
        if (!exact(type)) coeffs[i] = Consts.signExtend(type.bits(), coeffs[i]);
        if (coeffs[i] != 0) order.add(i);
      }
      order.sort((x, y) -> table.compare(atoms.get(x), atoms.get(y)));
      List<Expr> sorted = new ArrayList<>(order.size());
      long[] cs = new long[order.size()];
      for (int i = 0; i < order.size(); i++) {
        sorted.add(atoms.get(order.get(i)));
        cs[i] = coeffs[order.get(i)];
      }
      long k = exact(type) ? constant : Consts.signExtend(type.bits(), constant);
      return new LinearForm(type, List.copyOf(sorted), cs, k);
    }
  }
}
