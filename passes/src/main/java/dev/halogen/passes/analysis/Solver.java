package dev.halogen.passes.analysis;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.IrQueries;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Moves a variable to one side: solving equations ({@link #solve}), the interval of a variable where
 * a condition can hold ({@link #solveForOuterInterval}) or surely holds ({@link
 * #solveForInnerInterval}), and the inverse of an index expression for scatter-to-gather ({@link
 * #invert}).
 *
 * <p>All of it works on {@code int32} expressions in which the variable occurs linearly, found with
 * {@link LinearForm} after {@link Simplifier simplification}: {@code int32} is assumed not to
 * overflow, so linear algebra over it is exact (the other integer types wrap, where {@code 2x == 2}
 * has two solutions, and are left alone). Answers are simplified and never mention the variable.
 */
public final class Solver {
  private Solver() {}

  /**
   * A solution of an equation for a variable: it holds exactly when {@code condition} holds and the
   * variable equals {@code value}.
   */
  public record Solution(Expr value, Expr condition) {}

  /**
   * Solves {@code equation} (an {@code int32} equality {@code lhs == rhs}, or an {@code int32}
   * expression {@code e} read as {@code e == 0}) for {@code var}. With {@code c*var + r == 0} the
   * answer is {@code var == -r / c} under the condition {@code -r % c == 0} (just {@code true} for
   * {@code c == ±1}).
   *
   * @return empty when the variable does not occur, occurs other than linearly, or the type is not int32
   */
  public static Optional<Solution> solve(Expr equation, String var) {
    Expr diff;
    if (equation instanceof EQ(Expr a, Expr b)) diff = new Sub(a, b);
    else if (equation.type().isIntOrUInt()) diff = equation;
    else return Optional.empty();
    if (!diff.type().equals(Type.I32)) return Optional.empty();
    Linear l = linear(Simplifier.simplify(diff), var);
    if (l == null || !l.isVar(var) || l.coefficient == 0) return Optional.empty();
    long m = Math.abs(l.coefficient);
    // c*x == -r; for c < 0, |c|*x == r.
    Expr num = l.coefficient > 0 ? Ends.neg(l.rest) : l.rest;
    if (m == 1) return Optional.of(new Solution(Simplifier.simplify(num), Consts.bool(true, 1)));
    Expr k = Ends.constant(Type.I32, m);
    return Optional.of(new Solution(Simplifier.simplify(new Div(num, k)), Simplifier.simplify(new EQ(new Mod(num, k), Ends.zero(Type.I32)))));
  }

  /**
   * The smallest interval of {@code var} found outside which {@code condition} is false, whatever
   * the other variables are (Halide's {@code solve_for_outer_interval}): {@code x < 10 && x >= y}
   * gives {@code [y, 9]}. Conjunctions intersect, disjunctions unite, negations are pushed inwards,
   * comparisons of min and max split, and linear {@code int32} comparisons are solved; anything
   * else about {@code var} gives the unbounded interval. A condition that is provably false gives
   * an empty interval.
   */
  public static Interval solveForOuterInterval(Expr condition, String var) {
    checkCondition(condition);
    return new IntervalSolve(var, varType(condition, var), true).solve(condition).simplified();
  }

  /**
   * An interval of {@code var} inside which {@code condition} is true whatever the other variables
   * are (a cheap under-approximation of the largest such interval; empty when none is found).
   */
  public static Interval solveForInnerInterval(Expr condition, String var) {
    checkCondition(condition);
    return new IntervalSolve(var, varType(condition, var), false).solve(condition).simplified();
  }

  private static void checkCondition(Expr condition) {
    if (!condition.type().equals(Type.BOOL)) throw new IllegalArgumentException("condition to solve must be a scalar bool, got " + condition.type());
  }

  /** The type of {@code var} where it occurs in {@code e}, int32 when it does not. */
  private static Type varType(Expr e, String var) {
    Type[] found = {Type.I32};
    new dev.halogen.ir.IrWalker() {
      @Override
      protected void visit(Expr n, Scope scope, Path path) {
        if (n instanceof Var v && v.name().equals(var) && !scope.contains(var)) found[0] = v.type().element();
      }
    }.walk(e);
    return found[0];
  }

  // ------------------------------------------------------------------ linear decomposition

  /** {@code e == coefficient * atom + rest}, where {@code atom} is the one term mentioning the variable. */
  private record Linear(Expr atom, long coefficient, Expr rest) {
    boolean isVar(String var) {
      return atom instanceof Var v && v.name().equals(var);
    }
  }

  /**
   * The decomposition of an {@code int32} expression around the single term that mentions {@code
   * var}; null when the type is not int32, no term or several terms mention it, or the rest leaves
   * the int32 range.
   */
  private static @Nullable Linear linear(Expr e, String var) {
    if (!e.type().equals(Type.I32)) return null;
    ExprTable table = new ExprTable();
    LinearForm f = linearForm(e, table);
    if (f == null) return null;
    Expr atom = null;
    long coefficient = 0;
    List<Expr> others = new ArrayList<>();
    List<Long> otherCoeffs = new ArrayList<>();
    for (int i = 0; i < f.atoms.size(); i++) {
      Expr a = f.atoms.get(i);
      if (IrQueries.freeVars(a).contains(var)) {
        if (atom != null) return null;
        atom = a;
        coefficient = f.coeffs[i];
      } else {
        others.add(a);
        otherCoeffs.add(f.coeffs[i]);
      }
    }
    if (atom == null) return null;
    long[] cs = otherCoeffs.stream().mapToLong(Long::longValue).toArray();
    LinearForm rest = LinearForm.build(e.type(), others, cs, f.constant, table);
    Expr restExpr = rest == null ? null : rest.toExpr(table);
    return restExpr == null ? null : new Linear(atom, coefficient, restExpr);
  }

  /** The linear form of {@code e}, each shared subterm's form computed once. */
  private static @Nullable LinearForm linearForm(Expr e, ExprTable table) {
    return new Forms(table).apply(e);
  }

  /** Memoized linear forms of the subterms of one expression, as {@link LinearForm#of} asks for. */
  private static final class Forms implements java.util.function.Function<Expr, LinearForm> {
    private final ExprTable table;
    private final java.util.IdentityHashMap<Expr, LinearForm> memo = new java.util.IdentityHashMap<>();

    Forms(ExprTable table) {
      this.table = table;
    }

    @Override
    public LinearForm apply(Expr e) {
      if (memo.containsKey(e)) return memo.get(e);
      LinearForm f = LinearForm.of(e, table, this);
      memo.put(e, f);
      return f;
    }
  }

  // ------------------------------------------------------------------ intervals

  /** One outer or inner interval computation for one variable. */
  private record IntervalSolve(String var, Type type, boolean outer) {
    Interval solve(Expr c) {
      if (!IrQueries.freeVars(c).contains(var)) return independent(c);
      if (c instanceof And(Expr a, Expr b)) return solve(a).intersect(solve(b));
      if (c instanceof Or(Expr a, Expr b)) return outer ? solve(a).union(solve(b)) : innerUnion(solve(a), solve(b));
      if (c instanceof Not(Expr a)) {
        Expr pushed = negate(a);
        return pushed == null ? unknown() : solve(pushed);
      }
      if (c instanceof LT(Expr a, Expr b)) return compare(a, b, true);
      if (c instanceof LE(Expr a, Expr b)) return compare(a, b, false);
      if (c instanceof GT(Expr a, Expr b)) return compare(b, a, true);
      if (c instanceof GE(Expr a, Expr b)) return compare(b, a, false);
      if (c instanceof EQ(Expr a, Expr b)) return equal(a, b);
      return unknown();
    }

    /** A condition not mentioning the variable holds everywhere or nowhere. */
    private Interval independent(Expr c) {
      if (outer) return Simplifier.canProve(new Not(c)) ? Interval.nothing(type) : Interval.EVERYTHING;
      return Simplifier.canProve(c) ? Interval.EVERYTHING : Interval.nothing(type);
    }

    /** Nothing is known: the outer interval is everything, the inner one empty. */
    private Interval unknown() {
      return outer ? Interval.EVERYTHING : Interval.nothing(type);
    }

    /** {@code a < b} ({@code strict}) or {@code a <= b}. */
    private Interval compare(Expr a, Expr b, boolean strict) {
      // min(p, q) <= b is p <= b || q <= b; max(p, q) <= b is p <= b && q <= b; and mirrored.
      if (mentions(a) && a instanceof Min(Expr p, Expr q)) return solve(new Or(cmp(p, b, strict), cmp(q, b, strict)));
      if (mentions(a) && a instanceof Max(Expr p, Expr q)) return solve(new And(cmp(p, b, strict), cmp(q, b, strict)));
      if (mentions(b) && b instanceof Min(Expr p, Expr q)) return solve(new And(cmp(a, p, strict), cmp(a, q, strict)));
      if (mentions(b) && b instanceof Max(Expr p, Expr q)) return solve(new Or(cmp(a, p, strict), cmp(a, q, strict)));
      if (!a.type().equals(Type.I32)) return unknown();
      // a < b is a - b + 1 <= 0 for integers.
      Expr diff = strict ? new Add(new Sub(a, b), Ends.constant(Type.I32, 1)) : new Sub(a, b);
      Linear l = linear(Simplifier.simplify(diff), var);
      if (l == null || !l.isVar(var)) return unknown();
      return atMostZero(l);
    }

    private static Expr cmp(Expr a, Expr b, boolean strict) {
      return strict ? new LT(a, b) : new LE(a, b);
    }

    private boolean mentions(Expr e) {
      return IrQueries.freeVars(e).contains(var);
    }

    /** {@code c*x + r <= 0}: {@code x <= floor(-r / c)} for {@code c > 0}, {@code x >= ceil(r / -c)} for {@code c < 0}. */
    private static Interval atMostZero(Linear l) {
      long c = l.coefficient;
      if (c == 0) return Interval.EVERYTHING;
      Expr m = Ends.constant(Type.I32, Math.abs(c));
      if (c > 0) return Interval.atMost(new Div(Ends.neg(l.rest), m));
      return Interval.atLeast(ceilDiv(l.rest, m));
    }

    /** {@code ceil(n / m)} for a positive constant {@code m}: {@code (n + m - 1) / m} with rounding down. */
    private static Expr ceilDiv(Expr n, Expr m) {
      return new Div(new Add(n, Ends.sub(m, Ends.constant(Type.I32, 1))), m);
    }

    private Interval equal(Expr a, Expr b) {
      if (!a.type().equals(Type.I32)) return unknown();
      Linear l = linear(Simplifier.simplify(new Sub(a, b)), var);
      if (l == null || !l.isVar(var) || l.coefficient == 0) return unknown();
      // c*x == -r: x in [ceil(n / m), floor(n / m)], with n = -r for c > 0 and r for c < 0, m = |c|;
      // the interval is empty when m does not divide n, so it is both the outer and the inner one.
      Expr num = l.coefficient > 0 ? Ends.neg(l.rest) : l.rest;
      Expr m = Ends.constant(Type.I32, Math.abs(l.coefficient));
      return new Interval(ceilDiv(num, m), new Div(num, m));
    }

    /**
     * The inner interval of a disjunction: the hull of the two inner intervals when they overlap or
     * touch (every point of the hull then satisfies one side), else one of them.
     */
    private Interval innerUnion(Interval a, Interval b) {
      if (a.isEmpty()) return b;
      if (b.isEmpty()) return a;
      Expr one = Ends.constant(type, 1);
      boolean touch = (a.min() == null || b.max() == null || Ends.provablyLE(a.min(), Ends.add(b.max(), one)))
          && (b.min() == null || a.max() == null || Ends.provablyLE(b.min(), Ends.add(a.max(), one)));
      return touch ? a.union(b) : a;
    }
  }

  /** {@code !e} pushed one level down (De Morgan, flipped comparisons of integers), or null. */
  private static @Nullable Expr negate(Expr e) {
    if (e instanceof Not(Expr a)) return a;
    if (e instanceof And(Expr a, Expr b)) return new Or(new Not(a), new Not(b));
    if (e instanceof Or(Expr a, Expr b)) return new And(new Not(a), new Not(b));
    // Flipping a float comparison is wrong for NaN; those comparisons are not solved anyway.
    if (e instanceof LT(Expr a, Expr b) && a.type().isIntOrUInt()) return new GE(a, b);
    if (e instanceof LE(Expr a, Expr b) && a.type().isIntOrUInt()) return new GT(a, b);
    if (e instanceof GT(Expr a, Expr b) && a.type().isIntOrUInt()) return new LE(a, b);
    if (e instanceof GE(Expr a, Expr b) && a.type().isIntOrUInt()) return new LT(a, b);
    if (e instanceof EQ(Expr a, Expr b) && a.type().isIntOrUInt()) return new NE(a, b);
    if (e instanceof NE(Expr a, Expr b) && a.type().isIntOrUInt()) return new EQ(a, b);
    return null;
  }

  // ------------------------------------------------------------------ inversion

  /** The largest preimage extent {@link #invert} reports; larger ones are not worth a gather loop. */
  static final long MAX_EXTENT = 1 << 16;

  /**
   * The points {@code var} that {@code arg} maps to the value of the variable {@code u}, for
   * turning a scatter ({@code g(arg(x)) += ...}) into a gather: {@code u == x - r} gives {@code x
   * = u + r}; {@code u == x / 4} gives {@code x in [4u, 4u + 3]}; {@code u == 2x + 1} gives {@code x
   * = (u - 1) / 2} when {@code (u - 1) % 2 == 0}; nested divisions and offsets compose ({@code (x /
   * 2) / 3} gives {@code [6u, 6u + 5]}). Other variables of {@code arg} stay symbolic.
   *
   * @return the {@link Inversion.Inverse}, or {@link Inversion.NotInvertible} with a reason (a clamp,
   *     a remainder, a product of variables, a data-dependent index, a non-int32 type, ...)
   * @throws IllegalArgumentException when {@code arg} already mentions {@code u}
   */
  public static Inversion invert(Expr arg, String var, String u) {
    if (IrQueries.freeVars(arg).contains(u)) {
      throw new IllegalArgumentException("inverting " + Ends.text(arg) + " for '" + var + "': it already uses the name '" + u + "' of the value");
    }
    if (!arg.type().equals(Type.I32)) return new Inversion.NotInvertible("only int32 indices are inverted; the index has type " + arg.type());
    if (!IrQueries.freeVars(arg).contains(var)) return new Inversion.NotInvertible("the index does not depend on " + var + ": every " + var + " maps to the same value");
    return preimage(Simplifier.simplify(arg), var, Var.of(u), 1, Consts.bool(true, 1));
  }

  /** The {@code var} for which {@code e} lies in {@code [lo, lo + extent - 1]}, given {@code predicate}. */
  private static Inversion preimage(Expr e, String var, Expr lo, long extent, Expr predicate) {
    if (e instanceof Var v && v.name().equals(var)) {
      return new Inversion.Inverse(Simplifier.simplify(lo), (int) extent, Simplifier.simplify(predicate));
    }
    Linear l = linear(e, var);
    if (l == null) return notLinear(e, var);
    long a = l.coefficient;
    // a*atom + rest in [lo, lo + extent - 1]  <=>  a*atom in [lo - rest, ...].
    Expr shifted = Ends.sub(lo, l.rest);
    Expr atomLo;
    long atomExtent;
    if (a == 1) {
      atomLo = shifted;
      atomExtent = extent;
    } else if (a == -1) {
      atomLo = Ends.sub(Ends.neg(shifted), Ends.constant(Type.I32, extent - 1));
      atomExtent = extent;
    } else {
      long m = Math.abs(a);
      Expr mm = Ends.constant(Type.I32, m);
      // With a < 0, a*atom in [L, L + n - 1] is |a|*(-atom) in the same range.
      if (extent == 1) {
        Expr n = a > 0 ? shifted : Ends.neg(shifted);
        predicate = new And(predicate, new EQ(new Mod(n, mm), Ends.zero(Type.I32)));
        atomLo = new Div(n, mm);
        atomExtent = 1;
      } else if (extent % m == 0) {
        // Exactly extent / m multiples of m lie in any extent consecutive integers, from ceil(L / m);
        // for a < 0 they are the values of -atom.
        Expr first = new Div(Ends.add(shifted, Ends.constant(Type.I32, m - 1)), mm);
        atomExtent = extent / m;
        atomLo = a > 0 ? first : Ends.sub(Ends.neg(first), Ends.constant(Type.I32, atomExtent - 1));
      } else if (extent < m) {
        // At most one multiple of m lies in [L, L + n - 1] (n < m): floor((L + n - 1) / m) * m,
        // when (L + n - 1) % m < n.
        Expr last = Ends.add(shifted, Ends.constant(Type.I32, extent - 1));
        predicate = new And(predicate, new LT(new Mod(last, mm), Ends.constant(Type.I32, extent)));
        Expr multiple = new Div(last, mm);
        atomLo = a > 0 ? multiple : Ends.neg(multiple);
        atomExtent = 1;
      } else {
        return new Inversion.NotInvertible("the preimage of " + extent + " consecutive values under multiplication by " + a
            + " holds a varying number of points, so it has no constant extent");
      }
    }
    Expr atom = l.atom;
    if (atom instanceof Var) return preimage(atom, var, atomLo, atomExtent, predicate);
    if (atom instanceof Div(Expr inner, Expr divisor) && Ends.intValue(divisor) != null) {
      long k = Ends.intValue(divisor);
      if (k == 0) return new Inversion.NotInvertible("division by zero in " + Ends.text(atom) + " maps every " + var + " to 0");
      long m = Math.abs(k);
      if (atomExtent > MAX_EXTENT / m) return new Inversion.NotInvertible("the preimage under " + Ends.text(atom) + " is larger than " + MAX_EXTENT + " points");
      Expr mm = Ends.constant(Type.I32, m);
      // inner / k in [L, L + n - 1]; for k < 0, inner / |k| in [-(L + n - 1), -L].
      Expr q = k > 0 ? atomLo : Ends.neg(Ends.add(atomLo, Ends.constant(Type.I32, atomExtent - 1)));
      return preimage(inner, var, new Mul(q, mm), atomExtent * m, predicate);
    }
    return notLinear(atom, var);
  }

  /** Why {@code e}, in which {@code var} occurs in a way the inversion does not handle, is not invertible. */
  private static Inversion notLinear(Expr e, String var) {
    List<Expr> terms = termsMentioning(e, var);
    if (terms.size() > 1) {
      return new Inversion.NotInvertible(var + " occurs in " + terms.size() + " terms of " + Ends.text(e) + ", not as one linear term");
    }
    Expr culprit = terms.isEmpty() ? e : terms.get(0);
    if (culprit instanceof Div(Expr inner, Expr d) && Ends.intValue(d) != null && IrQueries.freeVars(inner).contains(var)) {
      return notLinear(inner, var);
    }
    String what = Ends.text(culprit);
    String reason;
    if (isClamp(culprit)) reason = "no finite inverse: clamp maps many points to its bounds (" + var + " in " + what + ")";
    else if (culprit instanceof Min || culprit instanceof Max) reason = "no finite inverse: min/max maps many points to one bound (" + var + " in " + what + ")";
    else if (culprit instanceof Mod) reason = "the remainder in " + what + " is periodic: each value comes from infinitely many " + var;
    else if (culprit instanceof Mul) reason = var + " is multiplied by a non-constant in " + what + ", which is not linear";
    else if (culprit instanceof Div) reason = var + " is divided by a non-constant in " + what;
    else if (culprit instanceof Call c && (c.kind() == CallKind.FUNC || c.kind() == CallKind.IMAGE)) {
      reason = "data-dependent: " + var + " occurs inside the call to " + c.name() + ", whose values are unknown";
    } else if (culprit instanceof Call c) reason = var + " occurs inside the call to " + c.name() + ", which is not inverted";
    else reason = var + " occurs inside a " + culprit.getClass().getSimpleName() + " node (" + what + "), which is not inverted";
    return new Inversion.NotInvertible(reason);
  }

  /** The terms of {@code e} (as a linear form) that mention {@code var}; {@code e} itself when it has no linear form. */
  private static List<Expr> termsMentioning(Expr e, String var) {
    LinearForm f = e.type().isIntOrUInt() ? linearForm(e, new ExprTable()) : null;
    if (f == null) return List.of(e);
    List<Expr> out = new ArrayList<>();
    for (Expr a : f.atoms) if (IrQueries.freeVars(a).contains(var)) out.add(a);
    return out;
  }

  /** {@code max(min(x, hi), lo)} or {@code min(max(x, lo), hi)} with constant or variable-free bounds. */
  private static boolean isClamp(Expr e) {
    if (e instanceof Max(Expr a, Expr lo) && a instanceof Min) return true;
    return e instanceof Min(Expr a, Expr hi) && a instanceof Max;
  }
}
