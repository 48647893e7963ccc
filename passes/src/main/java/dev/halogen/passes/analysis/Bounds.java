package dev.halogen.passes.analysis;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.Type;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Interval analysis: symbolic bounds of expressions given the intervals their variables range over
 * ({@link #boundsOf}), the regions of Funcs and images that code reads ({@link #boxesRequired},
 * Halide's {@code boxes_required}), and the values a pipeline's Funcs can take ({@link
 * #valueBounds}), which bound data-dependent indices.
 *
 * <p>Results are sound for the exact semantics of SEMANTICS.md: every value the expression takes
 * when its variables lie in their intervals lies in the result. Three regimes, by type:
 *
 * <ul>
 *   <li>{@code int32} does not overflow (the rule the simplifier also relies on), so bounds follow
 *       mathematical integer arithmetic; constant ends beyond the int32 range saturate to it.
 *   <li>The other integer types wrap. An addition, subtraction or multiplication (or a negating
 *       division) that might wrap for some values in its operands' intervals is bounded by its
 *       type's whole range ({@link Interval#ofType}); it is bounded tightly when its operands have
 *       constant bounds whose exact results all fit, or when they are single values.
 *   <li>Floats are bounded by the same monotonicity arguments (rounding to the type is monotone);
 *       NaN is outside the algebra (see {@link Interval}), but where a NaN turns back into a
 *       number the bounds hold that number: {@code max(a, b)} is {@code b} when {@code a} is NaN, a
 *       comparison with NaN is false, a NaN converts to the integer 0 and the bool true. Which
 *       float subexpressions may be NaN is tracked ({@code 0 * inf}, {@code inf - inf}, a Func
 *       value, a fixed variable...). A float remainder is unbounded, since rounding of its
 *       quotient can put it anywhere near its dividend's magnitude.
 * </ul>
 *
 * <p>Symbolic ends are expressions over the fixed variables; where such an end itself overflows
 * int32 (or is NaN) for some values of them, it bounds nothing there. Ends larger than {@link
 * Run#MAX_END_SIZE} nodes are dropped to the type's bound.
 *
 * <p>Results are simplified. A variable that the scope does not hold is a fixed unknown and stays
 * in the ends. The value of a {@code select} is bounded with each branch's variables narrowed by
 * the condition where the {@link Solver} can ({@code select(x < 10, x, 10)} is at most 10 for any
 * x); its reads are narrowed so only on request ({@link SelectReads}).
 */
public final class Bounds {
  private Bounds() {}

  /** The bounds of {@code e} when its variables range over {@code scope}, with calls bounded by their type. */
  public static Interval boundsOf(Expr e, IntervalScope scope) {
    return boundsOf(e, scope, FuncValueBounds.empty());
  }

  /**
   * The bounds of {@code e} (over all its lanes) when its variables range over {@code scope}; Func
   * and image calls take the values {@code funcs} gives them, or their type's range.
   */
  public static Interval boundsOf(Expr e, IntervalScope scope, FuncValueBounds funcs) {
    return new Run(funcs, SelectReads.BOTH_BRANCHES).bounds(e, scope);
  }

  /**
   * Which reads of a {@code select} count. SEMANTICS.md evaluates both branches of a select, so by
   * default both read ({@link #BOTH_BRANCHES}: sound for any code that computes both). {@link
   * #TAKEN_BRANCH} counts each branch only where the condition lets it be chosen, narrowing the
   * variables by the condition ({@code select(x < 10, f(x), 0)} reads {@code f} below 10 only); it
   * is for code generated so that an unchosen branch does not read (an {@code if}, or predicated
   * loads). The branches of an {@link Stmt.IfThenElse} are always narrowed: only one runs.
   */
  public enum SelectReads {
    BOTH_BRANCHES,
    TAKEN_BRANCH
  }

  /**
   * For every Func and image called (FUNC and IMAGE calls) in {@code e}, the box of arguments it is
   * called with when the variables range over {@code scope}, united over all calls (Halide's {@code
   * boxes_required}). Calls nested in arguments count too; their values are bounded by {@code
   * funcs}. Both branches of a select read ({@link SelectReads#BOTH_BRANCHES}).
   *
   * @throws IllegalArgumentException when one name is called with different numbers of arguments
   */
  public static Map<String, Box> boxesRequired(Expr e, IntervalScope scope, FuncValueBounds funcs) {
    return boxesRequired(List.of(e), scope, funcs, SelectReads.BOTH_BRANCHES);
  }

  /** {@link #boxesRequired(Expr, IntervalScope, FuncValueBounds)}, counting select reads as {@code selects} says. */
  public static Map<String, Box> boxesRequired(Expr e, IntervalScope scope, FuncValueBounds funcs, SelectReads selects) {
    return boxesRequired(List.of(e), scope, funcs, selects);
  }

  /** {@link #boxesRequired(Expr, IntervalScope, FuncValueBounds)} over several expressions. */
  public static Map<String, Box> boxesRequired(List<Expr> es, IntervalScope scope, FuncValueBounds funcs) {
    return boxesRequired(es, scope, funcs, SelectReads.BOTH_BRANCHES);
  }

  /** {@link #boxesRequired(Expr, IntervalScope, FuncValueBounds, SelectReads)} over several expressions. */
  public static Map<String, Box> boxesRequired(List<Expr> es, IntervalScope scope, FuncValueBounds funcs, SelectReads selects) {
    Run run = new Run(funcs, selects);
    for (Expr e : es) run.boxes(e, scope);
    return run.required;
  }

  /**
   * {@link #boxesRequired(Expr, IntervalScope, FuncValueBounds)} for every expression of a
   * statement: loop variables range over their loops, lets are bound, and the branches of an {@code
   * if} are narrowed by its condition.
   */
  public static Map<String, Box> boxesRequired(Stmt s, IntervalScope scope, FuncValueBounds funcs) {
    return boxesRequired(s, scope, funcs, SelectReads.BOTH_BRANCHES);
  }

  /** {@link #boxesRequired(Stmt, IntervalScope, FuncValueBounds)}, counting select reads as {@code selects} says. */
  public static Map<String, Box> boxesRequired(Stmt s, IntervalScope scope, FuncValueBounds funcs, SelectReads selects) {
    Run run = new Run(funcs, selects);
    run.boxes(s, scope);
    return run.required;
  }

  /**
   * The values that every Func of {@code p} and every image can take, one interval per tuple
   * element: images have their type's range, constant buffers the range of their contents, Funcs
   * the bounds of their definitions (updates applied conservatively: a self-referencing update that
   * does not keep the values in place widens them to what it gives for any value of the Func, which
   * its type or a clamp bounds).
   *
   * @throws IllegalArgumentException when Funcs call each other in a cycle (naming it)
   */
  public static FuncValueBounds valueBounds(Pipeline p) {
    return valueBounds(p, FuncValueBounds.empty());
  }

  /** {@link #valueBounds(Pipeline)}, with the bounds of some images or Funcs given by the caller (taken as they are). */
  public static FuncValueBounds valueBounds(Pipeline p, FuncValueBounds given) {
    return ValueBounds.of(p, given);
  }

  // ------------------------------------------------------------------ regimes

  /** {@code int32}: assumed not to overflow, the simplifier's rule ({@link LinearForm#exact}). */
  static boolean noOverflow(Type t) {
    return LinearForm.exact(t);
  }

  /** The integer types whose arithmetic wraps (every one but int32). */
  static boolean wraps(Type t) {
    return t.isIntOrUInt() && !noOverflow(t);
  }

  private static final Interval TRUE = Interval.point(Consts.bool(true, 1));
  private static final Interval FALSE = Interval.point(Consts.bool(false, 1));
  private static final Interval BOOLS = Interval.ofType(Type.BOOL);

  /** Thrown by {@link Run#exactly} when an exact constant end is not a value of a wrapping type. */
  private static final class Wraps extends RuntimeException {
    Wraps() {
      super(null, null, false, false);
    }
  }

  /** One analysis: the value bounds it uses, memoized results, and the boxes found. */
  static final class Run {
    final FuncValueBounds funcs;
    final SelectReads selects;
    final Map<String, Box> required = new LinkedHashMap<>();
    private final IdentityHashMap<IntervalScope, IdentityHashMap<Expr, Interval>> memo = new IdentityHashMap<>();
    private final IdentityHashMap<IntervalScope, IdentityHashMap<Expr, Boolean>> nanMemo = new IdentityHashMap<>();
    private final IdentityHashMap<IntervalScope, Set<String>> nanVars = new IdentityHashMap<>();

    Run(FuncValueBounds funcs, SelectReads selects) {
      this.funcs = funcs;
      this.selects = selects;
    }

    // ---------------------------------------------------------------- expressions

    Interval bounds(Expr e, IntervalScope scope) {
      IdentityHashMap<Expr, Interval> m = memo.computeIfAbsent(scope, k -> new IdentityHashMap<>());
      Interval r = m.get(e);
      if (r == null) {
        r = capped(compute(e, scope).simplified(), e.type().element());
        m.put(e, r);
      }
      return r;
    }

    /** Largest end, in nodes, kept symbolic; products of symbolic intervals could otherwise grow exponentially. */
    static final int MAX_END_SIZE = 400;

    /**
     * {@code i} with an end larger than {@link #MAX_END_SIZE} nodes replaced by the type's bound
     * (looser, still sound), and a NaN end (a NaN constant, or {@code inf - inf} of infinite ends)
     * replaced by no bound: NaN is outside the algebra, and an operation such as {@code max(NaN, b)}
     * that turns it into a number may give any value of its other operand.
     */
    private static Interval capped(Interval i, Type t) {
      boolean bigMin = i.min() != null && (Ends.larger(i.min(), MAX_END_SIZE) || Ends.isNaN(i.min()));
      boolean bigMax = i.max() != null && (Ends.larger(i.max(), MAX_END_SIZE) || Ends.isNaN(i.max()));
      if (!bigMin && !bigMax) return i;
      Interval range = Interval.ofType(t);
      return new Interval(bigMin ? range.min() : i.min(), bigMax ? range.max() : i.max());
    }

    private Interval compute(Expr e, IntervalScope scope) {
      Type t = e.type().element();
      return switch (e) {
        case IntImm n -> Interval.point(n);
        case UIntImm n -> Interval.point(n);
        case FloatImm n -> Interval.point(n);
        case StringImm n -> Interval.EVERYTHING;
        case Var v -> variable(v, scope);
        case Cast(Type to, Expr value) -> {
          Interval c = cast(to.element(), value.type().element(), bounds(value, scope));
          // A NaN converts to 0, or to true (SEMANTICS.md), which the bounds of the non-NaN values may not hold.
          if (nanFree(value, scope) || to.element().isFloat()) yield c;
          yield c.union(to.element().isBool() ? TRUE : Interval.point(Ends.zero(to.element())));
        }
        case Add(Expr a, Expr b) -> arith(Op.ADD, t, bounds(a, scope), bounds(b, scope));
        case Sub(Expr a, Expr b) -> arith(Op.SUB, t, bounds(a, scope), bounds(b, scope));
        case Mul(Expr a, Expr b) -> arith(Op.MUL, t, bounds(a, scope), bounds(b, scope));
        case Div(Expr a, Expr b) -> arith(Op.DIV, t, bounds(a, scope), bounds(b, scope));
        case Mod(Expr a, Expr b) -> arith(Op.MOD, t, bounds(a, scope), bounds(b, scope));
        case Min(Expr a, Expr b) -> min(bounds(a, scope), bounds(b, scope), nanFree(a, scope));
        case Max(Expr a, Expr b) -> max(bounds(a, scope), bounds(b, scope), nanFree(a, scope));
        case EQ(Expr a, Expr b) -> withNan(equal(bounds(a, scope), bounds(b, scope), false), a, b, FALSE, scope);
        case NE(Expr a, Expr b) -> withNan(equal(bounds(a, scope), bounds(b, scope), true), a, b, TRUE, scope);
        case LT(Expr a, Expr b) -> withNan(less(bounds(a, scope), bounds(b, scope), true), a, b, FALSE, scope);
        case LE(Expr a, Expr b) -> withNan(less(bounds(a, scope), bounds(b, scope), false), a, b, FALSE, scope);
        case GT(Expr a, Expr b) -> withNan(less(bounds(b, scope), bounds(a, scope), true), a, b, FALSE, scope);
        case GE(Expr a, Expr b) -> withNan(less(bounds(b, scope), bounds(a, scope), false), a, b, FALSE, scope);
        case And(Expr a, Expr b) -> logic(bounds(a, scope), bounds(b, scope), true);
        case Or(Expr a, Expr b) -> logic(bounds(a, scope), bounds(b, scope), false);
        case Not(Expr a) -> not(bounds(a, scope));
        case Select(Expr c, Expr tv, Expr fv) -> select(c, tv, fv, scope);
        case Let(String name, Expr value, Expr body) -> bounds(body, bind(scope, name, value));
        case Call c -> call(c, scope);
        case Load l -> Interval.ofType(t);
        case Ramp(Expr base, Expr stride, int lanes) ->
            arith(Op.ADD, t, bounds(base, scope), arith(Op.MUL, t, bounds(stride, scope), Interval.ofConst(t, 0, lanes - 1)));
        case Broadcast(Expr value, int lanes) -> bounds(value, scope);
        case VectorReduce(VectorReduce.Op op, Expr value, int lanes) ->
            vectorReduce(op, t, bounds(value, scope), value.type().lanes() / lanes);
      };
    }

    /** A variable's interval from the scope, its unbounded ends filled from its type's range; a point when it is fixed. */
    private static Interval variable(Var v, IntervalScope scope) {
      Interval i = scope.get(v.name());
      if (i == null) return v.type().isScalar() ? Interval.point(v) : Interval.ofType(v.type());
      Type t = v.type().element();
      if ((i.min() != null && !i.min().type().equals(t)) || (i.max() != null && !i.max().type().equals(t))) {
        throw new IllegalArgumentException("variable '" + v.name() + "' of type " + v.type() + " has an interval of another type: " + i);
      }
      Interval range = Interval.ofType(t);
      return new Interval(i.min() == null ? range.min() : i.min(), i.max() == null ? range.max() : i.max());
    }

    // ---------------------------------------------------------------- NaN

    /**
     * Whether the float expression {@code e} is never NaN when its variables range over {@code
     * scope} (true for every other type). Intervals leave NaN out, but NaN leaves the float world
     * through {@code min}/{@code max} (which then give their other operand), comparisons (false) and
     * conversions to integers (0), where the bounds must account for it. A variable of the scope is
     * not NaN unless it is bound by a let to a value that may be; a fixed variable, a call to a Func,
     * image or extern, and a load may be NaN; arithmetic is NaN-free when its operands are and their
     * intervals rule out {@code inf - inf}, {@code 0 * inf}, {@code 0 / 0}, {@code inf / inf} and a
     * remainder by zero or of infinities.
     */
    boolean nanFree(Expr e, IntervalScope scope) {
      if (!e.type().element().isFloat()) return true;
      IdentityHashMap<Expr, Boolean> m = nanMemo.computeIfAbsent(scope, k -> new IdentityHashMap<>());
      Boolean r = m.get(e);
      if (r == null) {
        r = computeNanFree(e, scope);
        m.put(e, r);
      }
      return r;
    }

    private boolean computeNanFree(Expr e, IntervalScope scope) {
      return switch (e) {
        case IntImm n -> true;
        case UIntImm n -> true;
        case FloatImm n -> !Double.isNaN(n.value());
        case StringImm n -> true;
        case Var v -> scope.contains(v.name()) && !nanVars(scope).contains(v.name());
        case Cast(Type to, Expr value) -> nanFree(value, scope);
        case Add(Expr a, Expr b) -> operandsNanFree(a, b, scope)
            && !(mayBePlusInf(bounds(a, scope)) && mayBeMinusInf(bounds(b, scope)))
            && !(mayBeMinusInf(bounds(a, scope)) && mayBePlusInf(bounds(b, scope)));
        case Sub(Expr a, Expr b) -> operandsNanFree(a, b, scope)
            && !(mayBePlusInf(bounds(a, scope)) && mayBePlusInf(bounds(b, scope)))
            && !(mayBeMinusInf(bounds(a, scope)) && mayBeMinusInf(bounds(b, scope)));
        case Mul(Expr a, Expr b) -> operandsNanFree(a, b, scope)
            && !(mayBeZero(bounds(a, scope)) && mayBeInf(bounds(b, scope)))
            && !(mayBeInf(bounds(a, scope)) && mayBeZero(bounds(b, scope)));
        case Div(Expr a, Expr b) -> operandsNanFree(a, b, scope)
            && !(mayBeZero(bounds(a, scope)) && mayBeZero(bounds(b, scope)))
            && !(mayBeInf(bounds(a, scope)) && mayBeInf(bounds(b, scope)));
        case Mod(Expr a, Expr b) -> operandsNanFree(a, b, scope)
            && !mayBeZero(bounds(b, scope)) && !mayBeInf(bounds(a, scope)) && !mayBeInf(bounds(b, scope));
        // min(a, b) is b when either is NaN and a is not less: NaN only through b.
        case Min(Expr a, Expr b) -> nanFree(b, scope);
        case Max(Expr a, Expr b) -> nanFree(b, scope);
        case EQ n -> true;
        case NE n -> true;
        case LT n -> true;
        case LE n -> true;
        case GT n -> true;
        case GE n -> true;
        case And n -> true;
        case Or n -> true;
        case Not n -> true;
        case Select(Expr c, Expr tv, Expr fv) -> nanFree(tv, scope) && nanFree(fv, scope);
        case Let(String name, Expr value, Expr body) -> nanFree(body, bind(scope, name, value));
        case Call c -> callNanFree(c, scope);
        case Load l -> false;
        case Ramp(Expr base, Expr stride, int lanes) -> operandsNanFree(base, stride, scope)
            && !mayBeInf(bounds(base, scope)) && !mayBeInf(bounds(stride, scope));
        case Broadcast(Expr value, int lanes) -> nanFree(value, scope);
        case VectorReduce(VectorReduce.Op op, Expr value, int lanes) -> {
          Interval v = bounds(value, scope);
          yield nanFree(value, scope) && switch (op) {
            case ADD -> !(mayBePlusInf(v) && mayBeMinusInf(v));
            case MUL -> !(mayBeZero(v) && mayBeInf(v));
            case MIN, MAX, AND, OR -> true;
          };
        }
      };
    }

    private boolean operandsNanFree(Expr a, Expr b, IntervalScope scope) {
      return nanFree(a, scope) && nanFree(b, scope);
    }

    /** Math functions are NaN-free on NaN-free arguments inside their domains; Func, image and extern values may be NaN. */
    private boolean callNanFree(Call c, IntervalScope scope) {
      if (c.kind() == CallKind.FUNC || c.kind() == CallKind.IMAGE || c.kind() == CallKind.EXTERN || c.args().isEmpty()) return false;
      for (Expr arg : c.args()) if (!nanFree(arg, scope)) return false;
      if (Prints.isPrint(c)) return true; // its value, which the loop above found NaN-free (the other arguments print only)
      if (c.kind() == CallKind.INTRINSIC) return c.name().equals("likely") || c.name().equals("abs");
      Expr arg = c.args().get(0);
      if (!arg.type().element().isFloat()) return false;
      Interval a = bounds(arg, scope);
      Expr one = Consts.makeFloat(arg.type().element(), 1);
      return switch (c.name()) {
        case "exp", "floor", "ceil", "round", "trunc", "tanh", "atan", "sinh", "cosh", "asinh", "erf", "atan2", "hypot" -> true;
        case "sin", "cos", "tan", "fract" -> !mayBeInf(a);
        case "sqrt", "log" -> a.hasMin() && Ends.nonNegative(a.min());
        case "asin", "acos", "atanh" -> a.isBounded() && Ends.provablyLE(Ends.neg(one), a.min()) && Ends.provablyLE(a.max(), one);
        case "acosh" -> a.hasMin() && Ends.provablyLE(one, a.min());
        case "pow" -> a.hasMin() && Ends.positive(a.min());
        default -> false;
      };
    }

    private static boolean mayBePlusInf(Interval i) {
      return i.max() == null || !(Consts.isFloatConst(i.max()) && Consts.floatValue(i.max()) != Double.POSITIVE_INFINITY);
    }

    private static boolean mayBeMinusInf(Interval i) {
      return i.min() == null || !(Consts.isFloatConst(i.min()) && Consts.floatValue(i.min()) != Double.NEGATIVE_INFINITY);
    }

    private static boolean mayBeInf(Interval i) {
      return mayBePlusInf(i) || mayBeMinusInf(i);
    }

    private static boolean mayBeZero(Interval i) {
      return !((i.hasMin() && Ends.positive(i.min())) || (i.hasMax() && Ends.negative(i.max())));
    }

    /** Let-bound float variables that may be NaN, for the scopes this run made (a caller's scope holds none). */
    private Set<String> nanVars(IntervalScope scope) {
      return nanVars.getOrDefault(scope, Set.of());
    }

    /** {@code scope} with {@code name} bound to the bounds of {@code value}, remembering whether it may be NaN. */
    IntervalScope bind(IntervalScope scope, String name, Expr value) {
      IntervalScope inner = scope.with(name, bounds(value, scope));
      Set<String> nan = new HashSet<>(nanVars(scope));
      if (nanFree(value, scope)) nan.remove(name);
      else nan.add(name);
      nanVars.put(inner, nan);
      return inner;
    }

    /** {@code child}, a scope made from {@code parent} by narrowing or binding an integer, with the parent's NaN facts. */
    private IntervalScope derived(IntervalScope parent, IntervalScope child) {
      if (child != parent) nanVars.put(child, nanVars(parent));
      return child;
    }

    // ---------------------------------------------------------------- arithmetic

    enum Op {
      ADD,
      SUB,
      MUL,
      DIV,
      MOD;

      Expr node(Expr a, Expr b) {
        return switch (this) {
          case ADD -> new Add(a, b);
          case SUB -> new Sub(a, b);
          case MUL -> new Mul(a, b);
          case DIV -> new Div(a, b);
          case MOD -> new Mod(a, b);
        };
      }
    }

    /**
     * The bounds of {@code a op b} of element type {@code t}. For a wrapping type the mathematical
     * rule is used only where the operation cannot wrap: for single values (then the result is the
     * single value of the operation itself), for divisions by a constant other than -1 and remainders
     * (which never leave the operand's range), and for constant operands whose exact results all fit.
     */
    static Interval arith(Op op, Type t, Interval a, Interval b) {
      // Single values give the single value of the operation itself: 1 / r for a parameter r of
      // unknown sign is one value, though an interval rule could not bound it. For floats only with
      // a symbolic right operand: a constant one may stand for a range (0.0 for [-0.0, 0.0]), and
      // dividing by it is then no single value.
      if (a.isPoint() && b.isPoint() && (wraps(t) || !Ends.isConst(b.min()))) {
        return Interval.point(Ends.simplify(op.node(a.min(), b.min())));
      }
      if (!wraps(t)) return math(op, t, a, b);
      boolean safe = op == Op.MOD || (op == Op.DIV && (t.isUInt() || nonMinusOneConstant(b)));
      if (safe || (constEnds(a) && constEnds(b))) {
        try {
          return exactly(() -> math(op, t, a, b));
        } catch (Wraps w) {
          return Interval.ofType(t);
        }
      }
      return Interval.ofType(t);
    }

    private static boolean nonMinusOneConstant(Interval b) {
      Long k = b.isPoint() ? Ends.intValue(b.min()) : null;
      return k != null && k != -1;
    }

    private static boolean constEnds(Interval i) {
      return i.isBounded() && Ends.intValue(i.min()) != null && Ends.intValue(i.max()) != null;
    }

    /** Runs a rule on constant ends of a wrapping type, turning an end it cannot represent into {@link Wraps}. */
    private static Interval exactly(java.util.function.Supplier<Interval> rule) {
      try {
        return rule.get();
      } catch (IllegalStateException unrepresentable) {
        // Ends reports a constant end outside the type: the operation wraps for some operands.
        throw new Wraps();
      }
    }

    /** The mathematical rule (int32, floats, and wrap-free uses for other integer types). */
    static Interval math(Op op, Type t, Interval a, Interval b) {
      return switch (op) {
        case ADD -> new Interval(both(a.min(), b.min(), Ends::add), both(a.max(), b.max(), Ends::add));
        case SUB -> new Interval(both(a.min(), b.max(), Ends::sub), both(a.max(), b.min(), Ends::sub));
        case MUL -> mul(a, b);
        case DIV -> t.isFloat() ? floatDiv(a, b) : intDiv(t, a, b);
        case MOD -> t.isFloat() ? Interval.EVERYTHING : intMod(t, a, b);
      };
    }

    private static @Nullable Expr both(@Nullable Expr x, @Nullable Expr y, java.util.function.BinaryOperator<Expr> f) {
      return x == null || y == null ? null : f.apply(x, y);
    }

    private static Interval negate(Interval a) {
      return new Interval(a.max() == null ? null : Ends.neg(a.max()), a.min() == null ? null : Ends.neg(a.min()));
    }

    private static Interval mul(Interval a, Interval b) {
      if (a.isPoint() && b.isPoint()) return Interval.point(Ends.mul(a.min(), b.min()));
      if (b.isPoint()) return scale(a, b.min());
      if (a.isPoint()) return scale(b, a.min());
      if (a.hasMin() && b.hasMin() && Ends.nonNegative(a.min()) && Ends.nonNegative(b.min())) {
        return new Interval(Ends.mul(a.min(), b.min()), both(a.max(), b.max(), Ends::mul));
      }
      if (a.isBounded() && b.isBounded()) {
        return corners(true, Ends.mul(a.min(), b.min()), Ends.mul(a.min(), b.max()), Ends.mul(a.max(), b.min()), Ends.mul(a.max(), b.max()));
      }
      return Interval.EVERYTHING;
    }

    /** The bounds of {@code a * k} for a single value {@code k}, by its sign where it is known. */
    private static Interval scale(Interval a, Expr k) {
      if (Ends.isConst(k) && Ends.provablyLE(k, Ends.zero(k.type())) && Ends.provablyLE(Ends.zero(k.type()), k)) {
        return Interval.point(Ends.zero(k.type()));
      }
      if (Ends.nonNegative(k)) return new Interval(a.min() == null ? null : Ends.mul(a.min(), k), a.max() == null ? null : Ends.mul(a.max(), k));
      if (Ends.nonPositive(k)) return new Interval(a.max() == null ? null : Ends.mul(a.max(), k), a.min() == null ? null : Ends.mul(a.min(), k));
      if (a.isBounded()) return corners(true, Ends.mul(a.min(), k), Ends.mul(a.max(), k));
      return Interval.EVERYTHING;
    }

    /**
     * The hull of the values of a bilinear operation at the corners of its operands' box. For floats
     * only constant corners are combined (see {@link Ends#hullMin}); a NaN corner of a {@code
     * product} is {@code 0 * inf}, near which the products take the other corners' values and 0, so
     * it counts as 0; a NaN corner of a quotient ({@code inf / inf}) leaves the quotient unbounded.
     */
    private static Interval corners(boolean product, Expr... values) {
      Expr[] vs = values.clone();
      for (int i = 0; i < vs.length; i++) {
        if (Ends.isNaN(vs[i])) {
          if (!product) return Interval.EVERYTHING;
          vs[i] = Ends.zero(vs[i].type());
        }
      }
      Expr lo = vs[0], hi = vs[0];
      for (int i = 1; i < vs.length; i++) {
        lo = lo == null ? null : Ends.hullMin(lo, vs[i]);
        hi = hi == null ? null : Ends.hullMax(hi, vs[i]);
      }
      return new Interval(lo, hi);
    }

    /**
     * Integer division, which rounds down for a positive divisor and satisfies {@code a / b == -(a /
     * -b)}, and gives 0 for a zero divisor.
     */
    private static Interval intDiv(Type t, Interval a, Interval b) {
      if (b.isPoint()) {
        Expr k = b.min();
        if (Ends.isConst(k) && Ends.intValue(k) != null && Ends.intValue(k) == 0) return Interval.point(Ends.zero(t));
        if (Ends.positive(k)) return new Interval(a.min() == null ? null : Ends.div(a.min(), k), a.max() == null ? null : Ends.div(a.max(), k));
        if (Ends.negative(k)) return new Interval(a.max() == null ? null : Ends.div(a.max(), k), a.min() == null ? null : Ends.div(a.min(), k));
        if (a.isBounded() && (noOverflow(t) || t.isUInt())) {
          // Whatever the sign of a fixed divisor, the quotient is monotone in a (rising for k > 0,
          // falling for k < 0, 0 for k == 0), so its extremes are at a's ends: a / extent over
          // [0, extent * n - 1] is [0, n - 1] at run time. (A wrapping signed type is left out:
          // MIN / -1 wraps to MIN.)
          Expr p = Ends.div(a.min(), k), q = Ends.div(a.max(), k);
          return new Interval(Ends.min(p, q), Ends.max(p, q));
        }
      }
      if (b.hasMin() && Ends.positive(b.min())) return positiveDivisor(t, a, b);
      if (t.isInt() && b.hasMax() && Ends.negative(b.max())) {
        // a / b == -(a / -b). An int32 divisor of MIN has no int32 negation (ends saturate), so it
        // is set apart: a / MIN is 0 for a >= 0 and 1 for a < 0.
        boolean minDivisor = noOverflow(t) && b.hasMin() && Ends.intValue(b.min()) != null && Ends.intValue(b.min()) == t.minInt();
        if (!minDivisor) return negate(positiveDivisor(t, a, negate(b)));
        Interval rest = new Interval(Ends.constant(t, t.minInt() + 1), b.max());
        Interval q = rest.isEmpty() ? Interval.nothing(t) : negate(positiveDivisor(t, a, negate(rest)));
        boolean nonNegative = a.hasMin() && Ends.nonNegative(a.min()), negative = a.hasMax() && Ends.negative(a.max());
        return q.union(Interval.ofConst(t, negative ? 1 : 0, nonNegative ? 0 : 1));
      }
      // A divisor that may be zero but has a known sign: 0 for zero, else as for b in [1, max(b, 1)]
      // (the simplifier knows max(x / y, 0) is x / y for x, y >= 0; bounds must see it too).
      if (b.hasMin() && Ends.nonNegative(b.min()) && !t.isUInt()) {
        Expr one = Ends.constant(t, 1);
        Interval q = positiveDivisor(t, a, new Interval(one, b.hasMax() ? Ends.max(b.max(), one) : null));
        return q.union(Interval.point(Ends.zero(t)));
      }
      // The divisor may be zero or of either sign: |a / b| <= |a|.
      if (t.isUInt()) return new Interval(Ends.zero(t), a.max());
      if (a.isBounded()) return new Interval(Ends.min(a.min(), Ends.neg(a.max())), Ends.max(a.max(), Ends.neg(a.min())));
      return Interval.EVERYTHING;
    }

    /**
     * {@code a / b} with {@code b >= 1}: increasing in {@code a}; in {@code b} decreasing for {@code
     * a >= 0} and increasing (towards -1) for {@code a < 0}. An unbounded divisor brings the quotient
     * to 0 or -1.
     */
    private static Interval positiveDivisor(Type t, Interval a, Interval b) {
      Expr lo = null, hi = null;
      if (a.hasMin()) {
        Expr byMin = Ends.div(a.min(), b.min());
        if (Ends.negative(a.min())) lo = byMin;
        else if (Ends.nonNegative(a.min())) lo = b.hasMax() ? Ends.div(a.min(), b.max()) : Ends.zero(t);
        else lo = Ends.min(byMin, b.hasMax() ? Ends.div(a.min(), b.max()) : Ends.zero(t));
      }
      if (a.hasMax()) {
        Expr byMin = Ends.div(a.max(), b.min());
        if (Ends.nonNegative(a.max())) hi = byMin;
        else if (Ends.negative(a.max())) hi = b.hasMax() ? Ends.div(a.max(), b.max()) : Ends.constant(t, -1);
        else hi = Ends.max(byMin, b.hasMax() ? Ends.div(a.max(), b.max()) : Ends.constant(t, -1));
      }
      return new Interval(lo, hi);
    }

    private static Interval floatDiv(Interval a, Interval b) {
      if (b.isPoint()) {
        Expr k = b.min();
        if (Ends.positive(k)) return new Interval(a.min() == null ? null : Ends.div(a.min(), k), a.max() == null ? null : Ends.div(a.max(), k));
        if (Ends.negative(k)) return new Interval(a.max() == null ? null : Ends.div(a.max(), k), a.min() == null ? null : Ends.div(a.min(), k));
        return Interval.EVERYTHING;
      }
      boolean signed = (b.hasMin() && Ends.positive(b.min())) || (b.hasMax() && Ends.negative(b.max()));
      if (signed && a.isBounded() && b.isBounded()) {
        return corners(false, Ends.div(a.min(), b.min()), Ends.div(a.min(), b.max()), Ends.div(a.max(), b.min()), Ends.div(a.max(), b.max()));
      }
      return Interval.EVERYTHING;
    }

    /** The remainder: in {@code [0, |b| - 1]} (0 for {@code b == 0}), and at most {@code a} when {@code a >= 0}. */
    private static Interval intMod(Type t, Interval a, Interval b) {
      Expr zero = Ends.zero(t);
      Long k = b.isPoint() ? Ends.intValue(b.min()) : null;
      if (k != null) {
        if (k == 0) return Interval.point(zero);
        if (k == Long.MIN_VALUE) return new Interval(zero, Ends.constant(t, Long.MAX_VALUE));
        long m = Math.abs(k);
        Long lo = a.hasMin() ? Ends.intValue(a.min()) : null, hi = a.hasMax() ? Ends.intValue(a.max()) : null;
        if (lo != null && hi != null && Ends.euclidDiv(lo, m) == Ends.euclidDiv(hi, m)) {
          return Interval.ofConst(t, Ends.euclidMod(lo, m), Ends.euclidMod(hi, m));
        }
        Expr top = Ends.constant(t, m - 1);
        if (a.isBounded() && Ends.nonNegative(a.min()) && Ends.provablyLE(a.max(), top)) return a;
        return new Interval(zero, top);
      }
      Expr hi = null;
      if (b.isBounded()) {
        if (Ends.positive(b.min())) {
          hi = Ends.sub(b.max(), Ends.constant(t, 1));
        } else if (constEnds(b)) {
          // |b| - 1 computed without overflow, even for b == Long.MIN_VALUE.
          long lo = Ends.intValue(b.min()), top = Ends.intValue(b.max());
          hi = Ends.constant(t, Math.max(Math.max(-(lo + 1), top == Long.MIN_VALUE ? 0 : top - 1), 0));
        } else if (t.isUInt()) {
          hi = b.max();
        } else if (noOverflow(t)) {
          hi = Ends.max(Ends.sub(Ends.max(b.max(), Ends.neg(b.min())), Ends.constant(t, 1)), zero);
        }
      }
      if (a.isBounded() && Ends.nonNegative(a.min())) hi = hi == null ? a.max() : Ends.min(hi, a.max());
      if (hi == null) return new Interval(zero, Interval.ofType(t).max());
      return new Interval(zero, hi);
    }

    /**
     * {@code min(a, b)}, which is {@code a < b ? a : b}: when {@code a} is NaN it is {@code b}, so
     * {@code a}'s upper bound only counts when {@code a} is never NaN ({@code aNanFree}).
     */
    static Interval min(Interval a, Interval b, boolean aNanFree) {
      Expr lo = both(a.min(), b.min(), Ends::hullMin);
      Expr hi = !aNanFree || a.max() == null ? b.max() : b.max() == null ? a.max() : Ends.tighterMin(a.max(), b.max());
      return new Interval(lo, hi);
    }

    /** {@code max(a, b)}, which is {@code a > b ? a : b}: as {@link #min}, mirrored. */
    static Interval max(Interval a, Interval b, boolean aNanFree) {
      Expr lo = !aNanFree || a.min() == null ? b.min() : b.min() == null ? a.min() : Ends.tighterMax(a.min(), b.min());
      Expr hi = both(a.max(), b.max(), Ends::hullMax);
      return new Interval(lo, hi);
    }

    // ---------------------------------------------------------------- casts

    /**
     * A cast is monotone (non-decreasing) when it cannot wrap: widening between integers, anything
     * to float, float to integer (truncation that saturates at the target's range), bool to number.
     * A narrowing integer cast keeps the bounds only when they provably fit the target.
     */
    static Interval cast(Type to, Type from, Interval a) {
      if (a.isPoint()) return Interval.point(Ends.simplify(new Cast(to, a.min())));
      if (to.isBool()) {
        if (from.isBool()) return a;
        boolean nonZero = (a.hasMin() && Ends.positive(a.min())) || (a.hasMax() && Ends.negative(a.max()));
        return nonZero ? TRUE : BOOLS;
      }
      if (to.isFloat() || from.isBool() || holds(to, from)) return castEnds(to, a, Interval.EVERYTHING);
      if (from.isFloat()) return castEnds(to, a, Interval.ofType(to));
      if (!from.isIntOrUInt() || !to.isIntOrUInt()) return Interval.ofType(to);
      long lo = Math.max(to.minInt(), from.minInt());
      long hi = Math.min(mathMax(to), mathMax(from));
      if (a.isBounded() && Ends.provablyLE(Ends.constant(from, lo), a.min()) && Ends.provablyLE(a.max(), Ends.constant(from, hi))) {
        return castEnds(to, a, Interval.EVERYTHING);
      }
      return Interval.ofType(to);
    }

    /** The ends cast; an unbounded end becomes the corresponding end of {@code open}. */
    private static Interval castEnds(Type to, Interval a, Interval open) {
      Expr lo = a.min() == null ? open.min() : Ends.simplify(new Cast(to, a.min()));
      Expr hi = a.max() == null ? open.max() : Ends.simplify(new Cast(to, a.max()));
      return new Interval(lo, hi);
    }

    /** Whether every value of integer type {@code from} is a value of integer type {@code to}. */
    private static boolean holds(Type to, Type from) {
      if (!to.isIntOrUInt() || !from.isIntOrUInt()) return false;
      if (to.isInt() == from.isInt()) return to.bits() >= from.bits();
      return to.isInt() && to.bits() > from.bits();
    }

    /** The largest value of an integer type as a long; uint64's, which no long holds, is capped at Long.MAX_VALUE. */
    private static long mathMax(Type t) {
      return t.isUInt() && t.bits() == 64 ? Long.MAX_VALUE : t.maxInt();
    }

    // ---------------------------------------------------------------- comparisons and logic

    /**
     * A comparison's bounds from its operands' (which leave NaN out) with the outcome of a NaN
     * operand, {@code false} ({@code true} for {@code !=}), added where one may be NaN.
     */
    private Interval withNan(Interval cmp, Expr a, Expr b, Interval nanOutcome, IntervalScope scope) {
      return nanFree(a, scope) && nanFree(b, scope) ? cmp : cmp.union(nanOutcome);
    }

    /** {@code a < b} ({@code strict}) or {@code a <= b}. */
    private static Interval less(Interval a, Interval b, boolean strict) {
      if (a.isPoint() && b.isPoint()) {
        Expr c = strict ? new LT(a.min(), b.min()) : new LE(a.min(), b.min());
        return Interval.point(Ends.simplify(c));
      }
      if (a.hasMax() && b.hasMin() && (strict ? Ends.provablyLT(a.max(), b.min()) : Ends.provablyLE(a.max(), b.min()))) return TRUE;
      if (a.hasMin() && b.hasMax() && (strict ? Ends.provablyLE(b.max(), a.min()) : Ends.provablyLT(b.max(), a.min()))) return FALSE;
      return BOOLS;
    }

    /** {@code a == b}, or {@code a != b} when {@code negated}. */
    private static Interval equal(Interval a, Interval b, boolean negated) {
      if (a.isPoint() && b.isPoint()) {
        Expr c = negated ? new NE(a.min(), b.min()) : new EQ(a.min(), b.min());
        return Interval.point(Ends.simplify(c));
      }
      boolean disjoint = (a.hasMax() && b.hasMin() && Ends.provablyLT(a.max(), b.min()))
          || (b.hasMax() && a.hasMin() && Ends.provablyLT(b.max(), a.min()));
      if (disjoint) return negated ? TRUE : FALSE;
      return BOOLS;
    }

    /** {@code and} ({@code isAnd}) or {@code or}: monotone in both operands. */
    private static Interval logic(Interval a, Interval b, boolean isAnd) {
      Interval x = boolEnds(a), y = boolEnds(b);
      Expr lo = Ends.simplify(isAnd ? new And(x.min(), y.min()) : new Or(x.min(), y.min()));
      Expr hi = Ends.simplify(isAnd ? new And(x.max(), y.max()) : new Or(x.max(), y.max()));
      return new Interval(lo, hi);
    }

    private static Interval not(Interval a) {
      Interval x = boolEnds(a);
      return new Interval(Ends.simplify(new Not(x.max())), Ends.simplify(new Not(x.min())));
    }

    /** A bool interval with both ends present (an open end is false below, true above). */
    private static Interval boolEnds(Interval a) {
      return new Interval(a.min() == null ? BOOLS.min() : a.min(), a.max() == null ? BOOLS.max() : a.max());
    }

    // ---------------------------------------------------------------- select, calls, vectors

    private Interval select(Expr c, Expr tv, Expr fv, IntervalScope scope) {
      Interval cond = bounds(c, scope);
      if (cond.hasMin() && Consts.isTrue(cond.min())) return bounds(tv, scope);
      if (cond.hasMax() && Consts.isFalse(cond.max())) return bounds(fv, scope);
      return bounds(tv, narrow(scope, c, true)).union(bounds(fv, narrow(scope, c, false)));
    }

    /**
     * {@code scope} with each of its variables that {@code cond} constrains cut to where {@code cond}
     * (or its negation, when not {@code holds}) can be true, by {@link Solver#solveForOuterInterval}.
     * The solver's interval may mention other variables of the scope; its ends are replaced by their
     * own outer bounds so that the new interval mentions fixed variables only.
     */
    IntervalScope narrow(IntervalScope scope, Expr cond, boolean holds) {
      if (!cond.type().isScalar()) return scope;
      Expr c = holds ? cond : new Not(cond);
      IntervalScope out = scope;
      for (String name : dev.halogen.ir.IrQueries.freeVars(cond)) {
        Interval current = scope.get(name);
        if (current == null) continue;
        Interval solved = Solver.solveForOuterInterval(c, name);
        if (solved.isEverything()) continue;
        Expr lo = solved.min() == null ? null : bounds(solved.min(), scope).min();
        Expr hi = solved.max() == null ? null : bounds(solved.max(), scope).max();
        out = out.with(name, current.intersect(new Interval(lo, hi)));
      }
      return derived(scope, out);
    }

    private Interval call(Call c, IntervalScope scope) {
      Type t = c.type().element();
      List<Interval> args = c.args().stream().map(a -> bounds(a, scope)).toList();
      // A single value of a float argument is its only non-NaN value; the call is that value's only
      // when the argument is never NaN.
      boolean points = args.stream().allMatch(Interval::isPoint) && c.args().stream().allMatch(a -> nanFree(a, scope));
      return switch (c.kind()) {
        case FUNC, IMAGE -> {
          Interval given = funcs.get(c.name(), c.valueIndex());
          if (given != null) {
            checkType(given, t, c);
            yield given;
          }
          yield points && c.type().isScalar() ? Interval.point(pointCall(c, args)) : Interval.ofType(t);
        }
        case EXTERN -> points && c.type().isScalar() ? Interval.point(pointCall(c, args)) : Interval.ofType(t);
        case MATH -> points && c.type().isScalar() ? Interval.point(Ends.simplify(pointCall(c, args))) : MathBounds.of(c, args);
        case INTRINSIC -> intrinsic(c, args, points);
      };
    }

    private static void checkType(Interval given, Type t, Call c) {
      if ((given.min() != null && !given.min().type().equals(t)) || (given.max() != null && !given.max().type().equals(t))) {
        throw new IllegalArgumentException("value bounds " + given + " of " + c.kind().name().toLowerCase() + " '" + c.name()
            + "' (element " + c.valueIndex() + ") do not have its type " + t);
      }
    }

    /** The call with each argument replaced by its single value. */
    private static Expr pointCall(Call c, List<Interval> args) {
      return new Call(c.type(), c.name(), args.stream().map(Interval::min).toList(), c.kind(), c.valueIndex());
    }

    private Interval intrinsic(Call c, List<Interval> args, boolean points) {
      Type t = c.type().element();
      switch (c.name()) {
        case "likely" -> {
          if (args.size() == 1) return args.get(0);
        }
        // A print gives its value (and must not be evaluated here as a point).
        case Prints.PRINT, Prints.PRINT_WHEN -> {
          int v = Prints.valueIndex(c);
          return v < args.size() ? args.get(v) : Interval.ofType(t);
        }
        case "abs" -> {
          if (args.size() == 1) return abs(t, c.args().get(0).type().element(), args.get(0));
        }
        case "lerp" -> {
          if (args.size() == 3) return lerp(t, c.args().get(2).type().element(), args.get(0), args.get(1), args.get(2));
        }
        default -> {}
      }
      if (points && c.type().isScalar()) return Interval.point(Ends.simplify(pointCall(c, args)));
      if (Bitwise.isBitwise(c.name()) && t.isIntOrUInt()) return bitwise(c.name(), t, args);
      return Interval.ofType(t);
    }

    /**
     * The bitwise intrinsics on integers (see {@link Intrinsics}), where cheap: {@code and} with an
     * operand in {@code [0, c]} lies in {@code [0, c]}; {@code or} and {@code xor} of non-negative
     * constant-bounded operands stay below the next power of two; {@code not} reverses constant
     * ends; a right shift by a non-negative constant is monotone, and a left one too while no
     * value leaves the type; a right shift of a non-negative value by a non-negative amount only
     * shrinks it. Otherwise the type's range.
     */
    private static Interval bitwise(String name, Type t, List<Interval> args) {
      Interval all = Interval.ofType(t);
      Interval a = args.get(0);
      if (name.equals("bitwise_not")) {
        Long lo = constEnd(t, a.min()), hi = constEnd(t, a.max());
        // ~v is -1 - v for signed and max - v for unsigned types: decreasing either way.
        return lo != null && hi != null ? Interval.ofConst(t, Arith.wrap(t, ~hi), Arith.wrap(t, ~lo)) : all;
      }
      if (args.size() != 2) return all;
      Interval b = args.get(1);
      boolean aNonNeg = t.isUInt() || (a.hasMin() && Ends.nonNegative(a.min()));
      boolean bNonNeg = t.isUInt() || (b.hasMin() && Ends.nonNegative(b.min()));
      return switch (name) {
        case "bitwise_and" -> {
          // The result's bits are a subset of each operand's bits: at most a non-negative operand.
          Expr hi = aNonNeg && a.hasMax() ? (bNonNeg && b.hasMax() ? Ends.min(a.max(), b.max()) : a.max())
              : bNonNeg && b.hasMax() ? b.max() : null;
          if (hi != null) yield new Interval(Ends.zero(t), hi);
          yield aNonNeg || bNonNeg ? new Interval(Ends.zero(t), all.max()) : all;
        }
        case "bitwise_or", "bitwise_xor" -> {
          Long ha = aNonNeg ? constEnd(t, a.max()) : null, hb = bNonNeg ? constEnd(t, b.max()) : null;
          if (ha == null || hb == null) yield all;
          // Below the next power of two above both: no bit higher than the operands' highest can be set.
          long top = Long.highestOneBit(Math.max(ha, hb));
          long hi = top == 0 ? 0 : Math.min(top - 1 + top, t.isInt() ? t.maxInt() : Long.MAX_VALUE);
          if (name.equals("bitwise_xor")) yield Interval.ofConst(t, 0, hi);
          Long la = constEnd(t, a.min()), lb = constEnd(t, b.min());
          yield Interval.ofConst(t, la != null && lb != null ? Math.max(la, lb) : 0, hi);
        }
        case "shift_left", "shift_right" -> {
          Long k = b.isPoint() ? Ends.intValue(b.min()) : null;
          boolean right = name.equals("shift_right");
          Long lo = constEnd(t, a.min()), hi = constEnd(t, a.max());
          if (k != null && k >= 0 && lo != null && hi != null) {
            Type kt = b.min().type().element();
            long l = Bitwise.shift(t, lo, kt, k, !right), h = Bitwise.shift(t, hi, kt, k, !right);
            // A left shift is monotone only while no bit is shifted out (shifting back recovers the value).
            boolean exact = right || (Bitwise.shift(t, l, kt, k, false) == lo && Bitwise.shift(t, h, kt, k, false) == hi
                && (t.isUInt() || (Long.signum(l) == Long.signum(lo) && Long.signum(h) == Long.signum(hi))));
            if (exact && l <= h) yield Interval.ofConst(t, l, h);
          }
          if (right && aNonNeg && bNonNeg && a.hasMax()) yield new Interval(Ends.zero(t), a.max());
          yield all;
        }
        default -> all;
      };
    }

    /** A constant end as a long, or null; unsigned 64-bit values past {@code Long.MAX_VALUE} count as unknown. */
    private static @Nullable Long constEnd(Type t, @Nullable Expr e) {
      Long v = e == null ? null : Ends.intValue(e);
      return v != null && t.isUInt() && v < 0 ? null : v;
    }

    /**
     * {@code lerp(zero, one, w)} as the evaluator computes it (Halide's lowering). For integers and
     * bools the weight, float or unsigned, becomes a fraction in {@code [0, 1]} (a float weight
     * saturates), and the result lies between the two values. For floats, {@code zero * (1 - w) +
     * one * w} with {@code w} in {@code [0, 1]} (an unsigned weight, or a float one provably so): each
     * rounded product lies between 0 and its value, but the rounded sum may step an ulp past the two
     * values, so the bound is the sum of the products' ranges. A float weight outside {@code [0, 1]}
     * extrapolates without bound.
     */
    private static Interval lerp(Type t, Type weightType, Interval zero, Interval one, Interval w) {
      if (!t.isFloat()) return zero.union(one);
      boolean unit = weightType.isUInt()
          || (w.isBounded() && Ends.nonNegative(w.min()) && Ends.provablyLE(w.max(), Consts.makeFloat(weightType, 1)));
      if (!unit) return Interval.EVERYTHING;
      Expr z = Ends.zero(t);
      Expr lo = zero.hasMin() && one.hasMin() ? both(Ends.hullMin(zero.min(), z), Ends.hullMin(one.min(), z), Ends::add) : null;
      Expr hi = zero.hasMax() && one.hasMax() ? both(Ends.hullMax(zero.max(), z), Ends.hullMax(one.max(), z), Ends::add) : null;
      return new Interval(lo, hi);
    }

    /**
     * {@code abs(a)}: for integers a value of the unsigned type of {@code a}'s width (so {@code
     * |MIN|} is representable), for floats of {@code a}'s type.
     */
    private static Interval abs(Type t, Type from, Interval a) {
      if (a.isPoint()) return Interval.point(Ends.simplify(new Call(t, "abs", List.of(a.min()), CallKind.INTRINSIC)));
      if (from.isUInt()) return a;
      Interval open = new Interval(Ends.zero(t), Interval.ofType(t).max());
      if (a.hasMin() && Ends.nonNegative(a.min())) return castEnds(t, a, open);
      if (from.isFloat()) {
        // Floats negate exactly.
        if (a.hasMax() && Ends.nonPositive(a.max())) return negate(a);
        if (a.isBounded()) return new Interval(Ends.zero(t), Ends.hullMax(Ends.neg(a.min()), a.max()));
        return open;
      }
      if (constEnds(a)) {
        // Magnitudes in long: |MIN| of int8..int32 fits; only int64's does not.
        long lo = Ends.intValue(a.min()), hi = Ends.intValue(a.max());
        if (lo != Long.MIN_VALUE) {
          long top = Math.max(Math.abs(lo), Math.abs(hi));
          long bottom = lo <= 0 && hi >= 0 ? 0 : Math.min(Math.abs(lo), Math.abs(hi));
          return Interval.ofConst(t, bottom, top);
        }
        return open;
      }
      // Symbolic ends: negate in the unsigned type, where 0 - uint(v) is |v| for v <= 0 (even MIN).
      if (a.hasMax() && Ends.nonPositive(a.max())) {
        return new Interval(unsignedMagnitude(t, a.max()), a.hasMin() ? unsignedMagnitude(t, a.min()) : open.max());
      }
      if (a.isBounded()) return new Interval(Ends.zero(t), Ends.max(unsignedMagnitude(t, a.min()), Ends.simplify(new Cast(t, a.max()))));
      return open;
    }

    /** {@code |v|} for a non-positive signed {@code v}, as a value of the unsigned type {@code t}. */
    private static Expr unsignedMagnitude(Type t, Expr v) {
      return Ends.simplify(new Sub(Ends.zero(t), new Cast(t, v)));
    }

    private static Interval vectorReduce(VectorReduce.Op op, Type t, Interval v, int factor) {
      return switch (op) {
        case ADD -> arith(Op.MUL, t, v, Interval.point(Ends.constant(t, factor)));
        case MUL -> {
          Interval r = v;
          for (int i = 1; i < factor; i++) r = arith(Op.MUL, t, r, v);
          yield r;
        }
        case MIN, MAX, AND, OR -> v;
      };
    }

    // ---------------------------------------------------------------- boxes required

    void boxes(Expr e, IntervalScope scope) {
      if (e instanceof Let(String name, Expr value, Expr body)) {
        boxes(value, scope);
        boxes(body, bind(scope, name, value));
        return;
      }
      if (e instanceof Select(Expr c, Expr tv, Expr fv)) {
        boxes(c, scope);
        if (selects == SelectReads.BOTH_BRANCHES) {
          boxes(tv, scope);
          boxes(fv, scope);
          return;
        }
        Interval cond = bounds(c, scope);
        if (!(cond.hasMax() && Consts.isFalse(cond.max()))) boxes(tv, narrow(scope, c, true));
        if (!(cond.hasMin() && Consts.isTrue(cond.min()))) boxes(fv, narrow(scope, c, false));
        return;
      }
      if (e instanceof Call c && (c.kind() == CallKind.FUNC || c.kind() == CallKind.IMAGE)) {
        require(c.name(), new Box(c.args().stream().map(a -> bounds(a, scope)).toList()));
      }
      for (Expr child : dev.halogen.ir.IrNodes.children(e)) boxes(child, scope);
    }

    void boxes(Stmt s, IntervalScope scope) {
      switch (s) {
        case Stmt.LetStmt(String name, Expr value, Stmt body) -> {
          boxes(value, scope);
          boxes(body, bind(scope, name, value));
        }
        case Stmt.For(String name, Expr min, Expr extent, dev.halogen.ir.ForKind k, dev.halogen.ir.DeviceApi d, Stmt body) -> {
          boxes(min, scope);
          boxes(extent, scope);
          // The last iteration is bounded as one expression: a loop over a region that depends on
          // outer loops (min m, extent M - m + 1) ends at M, which is bounded far more tightly than
          // the largest m plus the largest extent.
          Interval lo = bounds(min, scope);
          Interval last = bounds(Ends.simplify(new Sub(new Add(min, extent), Ends.constant(Type.I32, 1))), scope);
          boxes(body, derived(scope, scope.with(name, new Interval(lo.min(), last.max()).simplified())));
        }
        case Stmt.IfThenElse(Expr c, Stmt thenCase, Stmt elseCase) -> {
          boxes(c, scope);
          boxes(thenCase, narrow(scope, c, true));
          boxes(elseCase, narrow(scope, c, false));
        }
        case Stmt.AssertStmt a -> children(s, scope);
        case Stmt.ProducerConsumer p -> children(s, scope);
        case Stmt.Provide p -> children(s, scope);
        case Stmt.Realize r -> children(s, scope);
        case Stmt.Store st -> children(s, scope);
        case Stmt.Allocate a -> children(s, scope);
        case Stmt.Free f -> children(s, scope);
        case Stmt.Block b -> children(s, scope);
        case Stmt.Evaluate ev -> children(s, scope);
        case Stmt.Atomic at -> children(s, scope);
      }
    }

    /** The expressions and statements of a node that binds nothing, in the same scope. */
    private void children(Stmt s, IntervalScope scope) {
      for (Expr e : dev.halogen.ir.IrNodes.exprChildren(s)) boxes(e, scope);
      for (Stmt c : dev.halogen.ir.IrNodes.stmtChildren(s)) boxes(c, scope);
    }

    private void require(String name, Box box) {
      Box old = required.get(name);
      if (old != null && old.dimensions() != box.dimensions()) {
        throw new IllegalArgumentException("'" + name + "' is called with " + old.dimensions() + " and with " + box.dimensions() + " arguments");
      }
      required.put(name, old == null ? box : old.union(box));
    }
  }
}
