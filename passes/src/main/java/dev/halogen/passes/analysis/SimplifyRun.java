package dev.halogen.passes.analysis;

import dev.halogen.ir.IrNodes;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Add;
import dev.halogen.ir.Expr.And;
import dev.halogen.ir.Expr.Broadcast;
import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Expr.Cast;
import dev.halogen.ir.Expr.Div;
import dev.halogen.ir.Expr.EQ;
import dev.halogen.ir.Expr.FloatImm;
import dev.halogen.ir.Expr.GE;
import dev.halogen.ir.Expr.GT;
import dev.halogen.ir.Expr.IntImm;
import dev.halogen.ir.Expr.LE;
import dev.halogen.ir.Expr.LT;
import dev.halogen.ir.Expr.Let;
import dev.halogen.ir.Expr.Load;
import dev.halogen.ir.Expr.Max;
import dev.halogen.ir.Expr.Min;
import dev.halogen.ir.Expr.Mod;
import dev.halogen.ir.Expr.Mul;
import dev.halogen.ir.Expr.NE;
import dev.halogen.ir.Expr.Not;
import dev.halogen.ir.Expr.Or;
import dev.halogen.ir.Expr.Ramp;
import dev.halogen.ir.Expr.Select;
import dev.halogen.ir.Expr.StringImm;
import dev.halogen.ir.Expr.Sub;
import dev.halogen.ir.Expr.UIntImm;
import dev.halogen.ir.Expr.Var;
import dev.halogen.ir.Expr.VectorReduce;
import dev.halogen.ir.ForKind;
import dev.halogen.ir.DeviceApi;
import dev.halogen.ir.Range;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.Stmt.Allocate;
import dev.halogen.ir.Stmt.AssertStmt;
import dev.halogen.ir.Stmt.Atomic;
import dev.halogen.ir.Stmt.Block;
import dev.halogen.ir.Stmt.Evaluate;
import dev.halogen.ir.Stmt.For;
import dev.halogen.ir.Stmt.Free;
import dev.halogen.ir.Stmt.IfThenElse;
import dev.halogen.ir.Stmt.LetStmt;
import dev.halogen.ir.Stmt.ProducerConsumer;
import dev.halogen.ir.Stmt.Provide;
import dev.halogen.ir.Stmt.Realize;
import dev.halogen.ir.Stmt.Store;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The state of one simplification: the node table, the linear forms, and a stack of frames, one per
 * binder being simplified under (a let, a loop, a branch that refines a variable's bounds).
 *
 * <p>Memoization is by node identity, per frame: the result for a node is stored in the innermost
 * frame that binds one of its free variables (its "home"), so a node shared between the bodies of
 * different lets is simplified once as long as it does not mention their variables, and never reuses
 * a result computed under facts that do not hold where it is used.
 */
final class SimplifyRun {
  /** What a frame knows of its variable: a replacement (substitution or renaming) and facts. */
  record Binding(Expr replacement, ConstBounds bounds, Alignment alignment) {}

  private static final class Frame {
    final Frame parent;
    final int index; // tracked index of the bound name; -1 for the root
    final Binding binding;
    final IdentityHashMap<Expr, Expr> simplified = new IdentityHashMap<>();
    final IdentityHashMap<Expr, ConstBounds> bounds = new IdentityHashMap<>();
    final IdentityHashMap<Expr, Alignment> alignment = new IdentityHashMap<>();
    final IdentityHashMap<Expr, Boolean> inputValues = new IdentityHashMap<>();

    Frame(Frame parent, int index, Binding binding) {
      this.parent = parent;
      this.index = index;
      this.binding = binding;
    }
  }

  final ExprTable table = new ExprTable();
  final ExprRules rules = new ExprRules(this);
  private final Scope scope;
  private final Frame root = new Frame(null, -1, null);
  private Frame current = root;
  private final IdentityHashMap<Expr, LinearForm> linear = new IdentityHashMap<>();
  private final IdentityHashMap<Stmt, int[]> stmtFree = new IdentityHashMap<>();
  private int freshCounter;

  SimplifyRun(Scope scope) {
    this.scope = scope;
  }

  // ---------------------------------------------------------------- entry points

  /**
   * Registers every name a binder in {@code e} binds, before any free-variable set is computed, and
   * returns the height of {@code e}, which tells how much stack simplifying it needs.
   */
  int prepare(Expr e) {
    return scan(e, false, new IdentityHashMap<>());
  }

  /** Like {@link #prepare(Expr)}, also registering the variables of branch conditions (whose bounds branches refine). */
  int prepare(Stmt s) {
    IdentityHashMap<Expr, Integer> heights = new IdentityHashMap<>();
    Parts p = parts(s);
    if (p.binds() != null) table.track(p.binds());
    int h = 0;
    for (Expr e : p.exprs()) h = Math.max(h, scan(e, false, heights));
    if (s instanceof IfThenElse ite) scan(ite.condition(), true, new IdentityHashMap<>());
    for (Stmt x : p.stmts()) h = Math.max(h, prepare(x));
    return h + 1;
  }

  /**
   * Tracks the let names (and with {@code allVars} every variable) of {@code root}, and returns its
   * height; iterative, so that a deep expression does not overflow the stack here.
   */
  private int scan(Expr root, boolean allVars, IdentityHashMap<Expr, Integer> heights) {
    if (heights.containsKey(root)) return heights.get(root);
    List<Expr> stack = new ArrayList<>(List.of(root));
    while (!stack.isEmpty()) {
      Expr e = stack.getLast();
      if (heights.containsKey(e)) {
        stack.removeLast();
        continue;
      }
      List<Expr> kids = IrNodes.children(e);
      int h = 0;
      boolean ready = true;
      for (Expr k : kids) {
        Integer kh = heights.get(k);
        if (kh == null) {
          ready = false;
          stack.add(k);
        } else {
          h = Math.max(h, kh);
        }
      }
      if (!ready) continue;
      stack.removeLast();
      if (e instanceof Let let) table.track(let.name());
      if (allVars && e instanceof Var v) table.track(v.name());
      heights.put(e, h + 1);
    }
    return heights.get(root);
  }

  /** The type of {@code e}, in O(1) ({@link Expr#type()} walks down left operands). */
  Type type(Expr e) {
    return table.type(e);
  }

  // ---------------------------------------------------------------- frames

  private Frame home(Expr e) {
    int[] free = table.free(e);
    if (free.length == 0) return root;
    for (Frame f = current; f != root; f = f.parent) {
      if (Arrays.binarySearch(free, f.index) >= 0) return f;
    }
    return root;
  }

  /** Runs {@code body} with {@code name} bound as {@code binding}. */
  private <T> T under(String name, Binding binding, Supplier<T> body) {
    Frame saved = current;
    current = new Frame(saved, table.index(name), binding);
    try {
      return body.get();
    } finally {
      current = saved;
    }
  }

  /** The binding visible for {@code name}, or null. */
  private Binding binding(String name) {
    int i = table.index(name);
    if (i >= 0) {
      for (Frame f = current; f != root; f = f.parent) if (f.index == i) return f.binding;
    }
    Scope.Fact fact = scope.fact(name);
    return fact == null ? null : new Binding(null, fact.bounds(), fact.alignment());
  }

  /**
   * The name to bind a value to: {@code name} itself, or a fresh one when {@code name} occurs free in
   * a replacement that is being substituted (binding it as is would capture that occurrence).
   */
  private String bindable(String name, Expr scopeBody, Stmt scopeStmt) {
    int i = table.index(name);
    boolean captures = false;
    for (Frame f = current; f != root && !captures; f = f.parent) {
      Expr r = f.binding.replacement();
      if (r != null && table.isFree(i, r)) captures = true;
    }
    if (!captures) return name;
    while (true) {
      String fresh = name + "$" + (++freshCounter);
      if (table.isTracked(fresh) || scope.fact(fresh) != null) continue;
      // The fresh name must not occur free in the body (it would then refer to an outer variable).
      if (occursAnywhere(fresh, scopeBody, scopeStmt)) continue;
      table.track(fresh);
      return fresh;
    }
  }

  private boolean occursAnywhere(String name, Expr e, Stmt s) {
    IdentityHashMap<Expr, Boolean> seen = new IdentityHashMap<>();
    if (e != null) return mentions(name, e, seen);
    boolean[] found = {false};
    forEachExpr(s, x -> found[0] |= mentions(name, x, seen));
    return found[0];
  }

  private static boolean mentions(String name, Expr e, IdentityHashMap<Expr, Boolean> seen) {
    if (seen.put(e, Boolean.TRUE) != null) return false;
    if (e instanceof Var v && v.name().equals(name)) return true;
    if (e instanceof Let l && l.name().equals(name)) return true;
    for (Expr k : IrNodes.children(e)) if (mentions(name, k, seen)) return true;
    return false;
  }

  // ---------------------------------------------------------------- expressions

  Expr simplify(Expr e) {
    Frame h = home(e);
    Expr r = h.simplified.get(e);
    if (r != null) return r;
    r = visit(e);
    if (r != e && !(e instanceof Let) && prints(r) != prints(e)) {
      // A rule dropped or duplicated a print (x * 0, select(true, ..), a distribution): each print
      // must run as written, so the node stays, over its simplified operands.
      List<Expr> kids = IrNodes.children(e);
      r = IrNodes.withChildren(e, mapAll(kids));
    }
    if (r != e && table.same(r, e)) r = e;
    h.simplified.put(e, r);
    home(r).inputValues.put(r, Boolean.TRUE);
    return r;
  }

  /** How many print calls evaluating {@code e} makes (the same node used twice counts twice), memoized by node. */
  private long prints(Expr e) {
    Long known = printCounts.get(e);
    if (known != null) return known;
    long n = Prints.isPrint(e) ? 1 : 0;
    for (Expr k : IrNodes.children(e)) n += prints(k);
    printCounts.put(e, n);
    return n;
  }

  private final Map<Expr, Long> printCounts = new IdentityHashMap<>();

  /**
   * Whether {@code e} is the simplified form of a node of the input: then its value is that node's
   * value, which (the input being free of int32 overflow) fits in its type, so int32 rules may treat
   * it as a mathematical value. Expressions that rules build (sums of ramp bases, remainders of
   * divisions) are not, and may only be treated so when their bounds fit.
   */
  boolean isInputValue(Expr e) {
    // kept in the frame of its variables: the same node under other bindings is another value
    return home(e).inputValues.containsKey(e);
  }

  private Expr visit(Expr e) {
    return switch (e) {
      case IntImm i -> i;
      case UIntImm u -> u;
      case FloatImm f -> f;
      case StringImm s -> s;
      case Var v -> {
        Binding b = binding(v.name());
        Expr r = b == null ? null : b.replacement();
        yield r != null && type(r).equals(type(v)) ? r : v;
      }
      case Cast(Type t, Expr v) -> rules.cast(t, simplify(v));
      case Add(Expr a, Expr b) -> rules.add(simplify(a), simplify(b));
      case Sub(Expr a, Expr b) -> rules.sub(simplify(a), simplify(b));
      case Mul(Expr a, Expr b) -> rules.mul(simplify(a), simplify(b));
      case Div(Expr a, Expr b) -> rules.div(simplify(a), simplify(b));
      case Mod(Expr a, Expr b) -> rules.mod(simplify(a), simplify(b));
      case Min(Expr a, Expr b) -> rules.min(simplify(a), simplify(b));
      case Max(Expr a, Expr b) -> rules.max(simplify(a), simplify(b));
      case EQ(Expr a, Expr b) -> rules.eq(simplify(a), simplify(b));
      case NE(Expr a, Expr b) -> rules.ne(simplify(a), simplify(b));
      case LT(Expr a, Expr b) -> rules.lt(simplify(a), simplify(b));
      case LE(Expr a, Expr b) -> rules.le(simplify(a), simplify(b));
      // a > b is b < a, also for floats (both are false on NaN): one canonical direction
      case GT(Expr a, Expr b) -> rules.lt(simplify(b), simplify(a));
      case GE(Expr a, Expr b) -> rules.le(simplify(b), simplify(a));
      case And(Expr a, Expr b) -> rules.and(simplify(a), simplify(b));
      case Or(Expr a, Expr b) -> rules.or(simplify(a), simplify(b));
      case Not(Expr a) -> rules.not(simplify(a));
      case Select(Expr c, Expr t, Expr f) -> rules.select(simplify(c), simplify(t), simplify(f));
      case Let let -> visitLet(let);
      case Call c -> rules.call(c, mapAll(c.args()));
      case Load(Type t, String name, Expr index, Expr pred) -> {
        Expr i = simplify(index), p = simplify(pred);
        yield i == index && p == pred ? e : new Load(t, name, i, p);
      }
      case Ramp(Expr base, Expr stride, int lanes) -> rules.ramp(simplify(base), simplify(stride), lanes);
      case Broadcast(Expr value, int lanes) -> rules.broadcast(simplify(value), lanes);
      case VectorReduce(VectorReduce.Op op, Expr value, int lanes) -> rules.vectorReduce(op, simplify(value), lanes);
    };
  }

  private List<Expr> mapAll(List<Expr> es) {
    List<Expr> out = null;
    for (int i = 0; i < es.size(); i++) {
      Expr s = simplify(es.get(i));
      if (s != es.get(i) && out == null) out = new ArrayList<>(es.subList(0, i));
      if (out != null) out.add(s);
    }
    return out == null ? es : out;
  }

  /**
   * Values cheap enough to substitute into every use: constants, variables, a variable plus or minus a
   * constant, and broadcasts or constant-stride ramps of those.
   */
  static boolean isTrivial(Expr v) {
    return switch (v) {
      case IntImm i -> true;
      case UIntImm u -> true;
      case FloatImm f -> true;
      case StringImm s -> true;
      case Var x -> true;
      case Add(Var x, Expr c) -> Consts.isIntConst(c);
      case Sub(Var x, Expr c) -> Consts.isIntConst(c);
      case Broadcast(Expr x, int l) -> isTrivial(x);
      case Ramp(Expr b, Expr s, int l) -> isTrivial(b) && Consts.isConst(s);
      default -> false;
    };
  }

  private Expr visitLet(Let let) {
    Expr value = simplify(let.value());
    if (isTrivial(value)) {
      return under(let.name(), new Binding(value, null, null), () -> simplify(let.body()));
    }
    String name = bindable(let.name(), let.body(), null);
    Expr renamed = name.equals(let.name()) ? null : new Var(type(value), name);
    Binding b = new Binding(renamed, boundsOrNull(value), alignment(value));
    Expr body = under(let.name(), b, () -> simplify(let.body()));
    // A let whose variable the simplified body no longer uses is dead, unless its value prints.
    if (!table.isFree(table.index(name), body) && !Prints.hasPrint(value)) return body;
    if (value == let.value() && body == let.body() && name.equals(let.name())) return let;
    return new Let(name, value, body);
  }

  // ---------------------------------------------------------------- analyses

  /** Bounds of an integer expression's value, or null for other types. */
  private ConstBounds boundsOrNull(Expr e) {
    Type t = type(e);
    return t.isIntOrUInt() || t.isBool() ? bounds(e) : null;
  }

  /**
   * Constant bounds on the value of an integer or bool expression. For int32 (assumed not to
   * overflow) these bound the mathematical value; for wrapping types, the wrapped value.
   */
  ConstBounds bounds(Expr e) {
    Type t = type(e);
    if (!(t.isIntOrUInt() || t.isBool())) return ConstBounds.UNBOUNDED;
    Frame h = home(e);
    ConstBounds b = h.bounds.get(e);
    if (b == null) {
      b = computeBounds(e);
      h.bounds.put(e, b);
    }
    return b;
  }

  /** Math bounds of an arithmetic result of type {@code t}: kept for int32, else only if nothing wraps. */
  private static ConstBounds arith(Type t, ConstBounds math) {
    if (LinearForm.exact(t)) return math;
    return math.fitsIn(t) ? math : ConstBounds.ofType(t);
  }

  /** Bounds of a result that wraps for every type (division, casts): kept only if nothing wraps. */
  private static ConstBounds wrapping(Type t, ConstBounds b) {
    return b.fitsIn(t) ? b : ConstBounds.ofType(t);
  }

  private ConstBounds computeBounds(Expr e) {
    Type t = type(e);
    ConstBounds full = ConstBounds.ofType(t.element());
    return switch (e) {
      case IntImm i -> ConstBounds.point(i.value());
      case UIntImm u -> t.bits() == 64 && u.value() < 0 ? ConstBounds.atLeast(Long.MAX_VALUE) : ConstBounds.point(u.value());
      case Var v -> {
        Binding b = binding(v.name());
        yield b == null || b.bounds() == null ? full : b.bounds().intersect(full);
      }
      case Add(Expr a, Expr b) -> arith(t, bounds(a).add(bounds(b)));
      case Sub(Expr a, Expr b) -> arith(t, bounds(a).sub(bounds(b)));
      case Mul(Expr a, Expr b) -> arith(t, bounds(a).mul(bounds(b)));
      case Div(Expr a, Expr b) -> divBounds(t, bounds(a), b);
      case Mod(Expr a, Expr b) -> modBounds(t, bounds(a), bounds(b));
      case Min(Expr a, Expr b) -> bounds(a).min(bounds(b));
      case Max(Expr a, Expr b) -> bounds(a).max(bounds(b));
      case Select(Expr c, Expr x, Expr y) -> bounds(x).hull(bounds(y));
      case Cast(Type to, Expr v) -> {
        Type from = type(v);
        if (to.isBool()) yield ConstBounds.of(0, 1);
        if (!(from.isIntOrUInt() || from.isBool())) yield full;
        ConstBounds src = bounds(v).intersect(ConstBounds.ofType(from.element()));
        yield wrapping(to.element(), src);
      }
      case Call c when c.name().equals(ExprRules.LIKELY) && c.args().size() == 1 -> bounds(c.args().get(0));
      case Call c when c.name().equals(ExprRules.ABS) && c.args().size() == 1 && type(c.args().get(0)).isIntOrUInt() -> {
        ConstBounds a = bounds(c.args().get(0));
        ConstBounds abs = a.hasLo() && a.lo() >= 0 ? a : a.hasHi() && a.hi() <= 0 ? a.negate() : a.negate().max(a).max(ConstBounds.point(0));
        yield wrapping(t.element(), abs.hasLo() && abs.lo() >= 0 ? abs : abs.max(ConstBounds.point(0)));
      }
      case Ramp(Expr base, Expr stride, int lanes) -> {
        ConstBounds b = bounds(base);
        yield arith(t, b.hull(b.add(bounds(stride).scale(lanes - 1))));
      }
      case Broadcast(Expr v, int lanes) -> bounds(v);
      case VectorReduce(VectorReduce.Op op, Expr v, int lanes) -> switch (op) {
        case MIN, MAX, AND, OR -> bounds(v);
        case ADD -> arith(t, bounds(v).scale(type(v).lanes() / lanes));
        case MUL -> full;
      };
      case EQ x -> ConstBounds.of(0, 1);
      case NE x -> ConstBounds.of(0, 1);
      case LT x -> ConstBounds.of(0, 1);
      case LE x -> ConstBounds.of(0, 1);
      case GT x -> ConstBounds.of(0, 1);
      case GE x -> ConstBounds.of(0, 1);
      case And x -> ConstBounds.of(0, 1);
      case Or x -> ConstBounds.of(0, 1);
      case Not x -> ConstBounds.of(0, 1);
      case Call c -> full;
      case Load l -> full;
      case Let l -> full;
      case FloatImm f -> full;
      case StringImm s -> full;
    };
  }

  private ConstBounds divBounds(Type t, ConstBounds a, Expr divisor) {
    Type et = t.element();
    Long c = Consts.mathValue(divisor);
    if (c != null) {
      if (c == 0) return ConstBounds.point(0);
      long m = Math.abs(c);
      if (c == Long.MIN_VALUE) return ConstBounds.ofType(et);
      // Euclidean division: floor(a / m) for a positive divisor, its negation for a negative one.
      ConstBounds q = new ConstBounds(
          a.hasLo() ? Math.floorDiv(a.lo(), m) : 0, a.hasHi() ? Math.floorDiv(a.hi(), m) : 0, a.hasLo(), a.hasHi());
      return wrapping(et, c > 0 ? q : q.negate());
    }
    if (et.isUInt()) return a.hasHi() ? ConstBounds.of(0, a.hi()) : ConstBounds.ofType(et);
    ConstBounds b = bounds(divisor);
    if (a.hasLo() && a.lo() >= 0 && b.hasLo() && b.lo() >= 0) return a.hasHi() ? ConstBounds.of(0, a.hi()) : ConstBounds.atLeast(0);
    long m = a.maxAbs();
    return m < 0 ? ConstBounds.ofType(et) : wrapping(et, ConstBounds.of(-m, m));
  }

  private static ConstBounds modBounds(Type t, ConstBounds a, ConstBounds b) {
    Type et = t.element();
    long m = b.maxAbs();
    ConstBounds r = m < 0 ? ConstBounds.atLeast(0) : ConstBounds.of(0, Math.max(m - 1, 0));
    // the remainder of a non-negative value is at most the value (and mod by zero gives zero)
    if (a.hasLo() && a.lo() >= 0 && a.hasHi()) {
      r = r.intersect(ConstBounds.atMost(a.hi()));
      if (m > 0 && a.within(ConstBounds.of(0, m - 1)) && b.hasLo() && b.lo() > a.hi()) r = a;
    }
    return r.intersect(ConstBounds.ofType(et));
  }

  /** What is known of the remainders of an integer expression's value. */
  Alignment alignment(Expr e) {
    Type t = type(e);
    if (!t.isIntOrUInt()) return Alignment.UNKNOWN;
    Frame h = home(e);
    Alignment a = h.alignment.get(e);
    if (a == null) {
      a = computeAlignment(e);
      if (!LinearForm.exact(t)) a = a.wrapped(t.element());
      h.alignment.put(e, a);
    }
    return a;
  }

  private Alignment computeAlignment(Expr e) {
    return switch (e) {
      case IntImm i -> Alignment.constant(i.value());
      case UIntImm u -> u.value() < 0 ? Alignment.UNKNOWN : Alignment.constant(u.value());
      case Var v -> {
        Binding b = binding(v.name());
        yield b == null || b.alignment() == null ? Alignment.UNKNOWN : b.alignment();
      }
      case Add(Expr a, Expr b) -> alignment(a).add(alignment(b));
      case Sub(Expr a, Expr b) -> alignment(a).sub(alignment(b));
      case Mul(Expr a, Expr b) -> alignment(a).mul(alignment(b));
      case Div(Expr a, Expr b) -> {
        Long c = Consts.mathValue(b);
        yield c != null && c > 0 ? alignment(a).divide(c) : Alignment.UNKNOWN;
      }
      case Mod(Expr a, Expr b) -> {
        Long c = Consts.mathValue(b);
        yield c != null && c != 0 ? alignment(a).mod(c) : Alignment.UNKNOWN;
      }
      case Min(Expr a, Expr b) -> alignment(a).union(alignment(b));
      case Max(Expr a, Expr b) -> alignment(a).union(alignment(b));
      case Select(Expr c, Expr x, Expr y) -> alignment(x).union(alignment(y));
      case Cast(Type to, Expr v) -> {
        Type from = type(v);
        if (!from.isIntOrUInt()) yield Alignment.UNKNOWN;
        Alignment a = alignment(v);
        // a value that fits is unchanged; otherwise the cast wraps it (wrapped() is applied by the caller)
        yield LinearForm.exact(to) && !bounds(v).fitsIn(to) ? Alignment.UNKNOWN : a;
      }
      case Call c when c.name().equals(ExprRules.LIKELY) && c.args().size() == 1 -> alignment(c.args().get(0));
      case Ramp(Expr base, Expr stride, int lanes) -> alignment(base).add(alignment(stride).mul(Alignment.UNKNOWN));
      case Broadcast(Expr v, int lanes) -> alignment(v);
      case VectorReduce(VectorReduce.Op op, Expr v, int lanes) ->
          op == VectorReduce.Op.MIN || op == VectorReduce.Op.MAX ? alignment(v) : Alignment.UNKNOWN;
      case Call c -> Alignment.UNKNOWN;
      case Load l -> Alignment.UNKNOWN;
      case Let l -> Alignment.UNKNOWN;
      case FloatImm f -> Alignment.UNKNOWN;
      case StringImm s -> Alignment.UNKNOWN;
      case EQ x -> Alignment.UNKNOWN;
      case NE x -> Alignment.UNKNOWN;
      case LT x -> Alignment.UNKNOWN;
      case LE x -> Alignment.UNKNOWN;
      case GT x -> Alignment.UNKNOWN;
      case GE x -> Alignment.UNKNOWN;
      case And x -> Alignment.UNKNOWN;
      case Or x -> Alignment.UNKNOWN;
      case Not x -> Alignment.UNKNOWN;
    };
  }

  /** The linear form of a simplified integer expression, or null when it is too big to normalize. */
  LinearForm linear(Expr e) {
    if (linear.containsKey(e)) return linear.get(e);
    LinearForm f = LinearForm.of(e, table, this::linear);
    linear.put(e, f);
    return f;
  }

  // ---------------------------------------------------------------- statements

  Stmt simplify(Stmt s) {
    return switch (s) {
      case LetStmt let -> visitLetStmt(let);
      case AssertStmt(Expr cond, String message, List<Expr> args) -> {
        Expr c = simplify(cond);
        if (Consts.isTrue(c)) yield Stmt.NO_OP;
        List<Expr> a = mapAll(args);
        yield c == cond && a == args ? s : new AssertStmt(c, message, a);
      }
      case ProducerConsumer(String name, boolean isProducer, Stmt body) -> {
        Stmt b = simplify(body);
        yield isNoOp(b) ? Stmt.NO_OP : b == body ? s : new ProducerConsumer(name, isProducer, b);
      }
      case For f -> visitFor(f);
      case Provide(String name, List<Expr> values, List<Expr> args) -> {
        List<Expr> v = mapAll(values), a = mapAll(args);
        yield v == values && a == args ? s : new Provide(name, v, a);
      }
      case Realize(String name, List<Type> types, var memory, List<Range> bounds, Expr cond, Stmt body) -> {
        List<Range> r = new ArrayList<>();
        boolean same = true;
        for (Range range : bounds) {
          Expr min = simplify(range.min()), extent = simplify(range.extent());
          same &= min == range.min() && extent == range.extent();
          r.add(same ? range : new Range(min, extent));
        }
        Expr c = simplify(cond);
        Stmt b = simplify(body);
        if (isNoOp(b)) yield Stmt.NO_OP;
        yield same && c == cond && b == body ? s : new Realize(name, types, memory, same ? bounds : r, c, b);
      }
      case Store(String name, Expr value, Expr index, Expr pred) -> {
        Expr p = simplify(pred);
        if (Consts.isFalse(p)) yield Stmt.NO_OP;
        Expr v = simplify(value), i = simplify(index);
        yield v == value && i == index && p == pred ? s : new Store(name, v, i, p);
      }
      case Allocate(String name, Type type, var memory, List<Expr> extents, Expr cond, Stmt body) -> {
        List<Expr> x = mapAll(extents);
        Expr c = simplify(cond);
        Stmt b = simplify(body);
        if (isNoOp(b)) yield Stmt.NO_OP;
        yield x == extents && c == cond && b == body ? s : new Allocate(name, type, memory, x, c, b);
      }
      case Free f -> f;
      case Block(List<Stmt> stmts) -> visitBlock(s, stmts);
      case IfThenElse ite -> visitIf(ite);
      case Evaluate(Expr value) -> {
        Expr v = simplify(value);
        // evaluating a constant or a variable has no effect
        if (Consts.isConst(v) || v instanceof Var || v instanceof StringImm) yield Stmt.NO_OP;
        yield v == value ? s : new Evaluate(v);
      }
      case Atomic(String producer, String mutex, Stmt body) -> {
        Stmt b = simplify(body);
        yield isNoOp(b) ? Stmt.NO_OP : b == body ? s : new Atomic(producer, mutex, b);
      }
    };
  }

  static boolean isNoOp(Stmt s) {
    return s instanceof Block(List<Stmt> stmts) && stmts.isEmpty();
  }

  private Stmt visitBlock(Stmt s, List<Stmt> stmts) {
    List<Stmt> out = new ArrayList<>(stmts.size());
    boolean changed = false;
    for (Stmt x : stmts) {
      Stmt y = simplify(x);
      changed |= y != x;
      if (y instanceof Block(List<Stmt> inner)) {
        // nested blocks flatten; empty ones disappear
        out.addAll(inner);
        changed = true;
      } else {
        out.add(y);
      }
    }
    if (out.size() == 1) return out.get(0);
    if (!changed) return s;
    return out.isEmpty() ? Stmt.NO_OP : new Block(out);
  }

  private Stmt visitLetStmt(LetStmt let) {
    Expr value = simplify(let.value());
    if (isTrivial(value)) {
      return under(let.name(), new Binding(value, null, null), () -> simplify(let.body()));
    }
    String name = bindable(let.name(), null, let.body());
    Expr renamed = name.equals(let.name()) ? null : new Var(type(value), name);
    Binding b = new Binding(renamed, boundsOrNull(value), alignment(value));
    Stmt body = under(let.name(), b, () -> simplify(let.body()));
    if (!isFree(table.index(name), body) && !Prints.hasPrint(value)) return body;
    if (value == let.value() && body == let.body() && name.equals(let.name())) return let;
    return new LetStmt(name, value, body);
  }

  private Stmt visitFor(For f) {
    Expr min = simplify(f.min());
    Expr extent = simplify(f.extent());
    Long n = Consts.mathValue(extent);
    if (n != null && n <= 0) return Stmt.NO_OP;
    // A loop of one iteration is its body at the min, unless it marks GPU or device work.
    if (n != null && n == 1 && !f.kind().isGpu() && f.deviceApi() == DeviceApi.HOST) {
      return under(f.name(), new Binding(min, null, null), () -> simplify(f.body()));
    }
    String name = bindable(f.name(), null, f.body());
    Expr renamed = name.equals(f.name()) ? null : Var.of(name);
    ConstBounds range = bounds(min).hull(bounds(min).add(bounds(extent)).add(ConstBounds.point(-1)));
    Stmt body = under(f.name(), new Binding(renamed, range, null), () -> simplify(f.body()));
    if (isNoOp(body)) return Stmt.NO_OP;
    if (min == f.min() && extent == f.extent() && body == f.body() && name.equals(f.name())) return f;
    return new For(name, min, extent, f.kind(), f.deviceApi(), body);
  }

  private Stmt visitIf(IfThenElse ite) {
    Expr c = simplify(ite.condition());
    if (Consts.isTrue(c)) return simplify(ite.thenCase());
    if (Consts.isFalse(c)) return simplify(ite.elseCase());
    Stmt t = underFacts(c, () -> simplify(ite.thenCase()));
    Stmt e = underFacts(rules.not(c), () -> simplify(ite.elseCase()));
    if (isNoOp(t) && isNoOp(e)) return Stmt.NO_OP;
    if (isNoOp(t)) return new IfThenElse(rules.not(c), e, Stmt.NO_OP);
    if (c == ite.condition() && t == ite.thenCase() && e == ite.elseCase()) return ite;
    return new IfThenElse(c, t, e);
  }

  /**
   * Runs {@code body} knowing that {@code cond} holds: each conjunct that bounds a variable by a
   * constant narrows that variable's bounds.
   */
  private <T> T underFacts(Expr cond, Supplier<T> body) {
    List<ExprRules.Constraint> facts = new ArrayList<>();
    collectFacts(cond, facts);
    return underFacts(facts, 0, body);
  }

  private void collectFacts(Expr cond, List<ExprRules.Constraint> out) {
    if (cond instanceof And(Expr a, Expr b)) {
      collectFacts(a, out);
      collectFacts(b, out);
      return;
    }
    Expr c = ExprRules.stripLikely(cond);
    ExprRules.Constraint k = rules.constraint(c);
    if (k != null && k.atom() instanceof Var v && table.isTracked(v.name())) out.add(k);
  }

  private <T> T underFacts(List<ExprRules.Constraint> facts, int i, Supplier<T> body) {
    if (i == facts.size()) return body.get();
    ExprRules.Constraint k = facts.get(i);
    Var v = (Var) k.atom();
    Binding old = binding(v.name());
    ConstBounds b = old == null || old.bounds() == null ? k.range() : old.bounds().intersect(k.range());
    Binding refined = new Binding(old == null ? null : old.replacement(), b, old == null ? null : old.alignment());
    return under(v.name(), refined, () -> underFacts(facts, i + 1, body));
  }

  /** Whether tracked name {@code i} occurs free in {@code s}. */
  private boolean isFree(int i, Stmt s) {
    return i >= 0 && Arrays.binarySearch(free(s), i) >= 0;
  }

  /** The tracked names free in {@code s}: those of its parts, less the name it binds in them. */
  private int[] free(Stmt s) {
    int[] f = stmtFree.get(s);
    if (f != null) return f;
    TreeSet<Integer> set = new TreeSet<>();
    Parts p = parts(s);
    for (Stmt x : p.stmts()) for (int i : free(x)) set.add(i);
    if (p.binds() != null) set.remove(table.index(p.binds()));
    for (Expr e : p.exprs()) for (int i : table.free(e)) set.add(i);
    f = set.stream().mapToInt(Integer::intValue).toArray();
    stmtFree.put(s, f);
    return f;
  }

  /** Calls {@code f} on every expression held by {@code s} or its sub-statements. */
  private static void forEachExpr(Stmt s, Consumer<Expr> f) {
    Parts p = parts(s);
    p.exprs().forEach(f);
    for (Stmt x : p.stmts()) forEachExpr(x, f);
  }

  /**
   * The direct parts of a statement: its expressions, its sub-statements, and the name it binds in
   * the sub-statements (a let or loop variable), or null.
   */
  record Parts(List<Expr> exprs, List<Stmt> stmts, String binds) {}

  static Parts parts(Stmt s) {
    return switch (s) {
      case LetStmt(String name, Expr value, Stmt body) -> new Parts(List.of(value), List.of(body), name);
      case AssertStmt(Expr c, String m, List<Expr> args) -> new Parts(concat(List.of(c), args), List.of(), null);
      case ProducerConsumer(String n, boolean p, Stmt body) -> new Parts(List.of(), List.of(body), null);
      case For(String name, Expr min, Expr extent, ForKind k, DeviceApi d, Stmt body) ->
          new Parts(List.of(min, extent), List.of(body), name);
      case Provide(String n, List<Expr> values, List<Expr> args) -> new Parts(concat(values, args), List.of(), null);
      case Realize(String n, List<Type> t, var m, List<Range> bounds, Expr cond, Stmt body) -> {
        List<Expr> es = new ArrayList<>();
        for (Range r : bounds) {
          es.add(r.min());
          es.add(r.extent());
        }
        es.add(cond);
        yield new Parts(es, List.of(body), null);
      }
      case Store(String n, Expr value, Expr index, Expr pred) -> new Parts(List.of(value, index, pred), List.of(), null);
      case Allocate(String n, Type t, var m, List<Expr> extents, Expr cond, Stmt body) ->
          new Parts(concat(extents, List.of(cond)), List.of(body), null);
      case Free f -> new Parts(List.of(), List.of(), null);
      case Block(List<Stmt> stmts) -> new Parts(List.of(), stmts, null);
      case IfThenElse(Expr cond, Stmt t, Stmt e) -> new Parts(List.of(cond), List.of(t, e), null);
      case Evaluate(Expr v) -> new Parts(List.of(v), List.of(), null);
      case Atomic(String p, String m, Stmt body) -> new Parts(List.of(), List.of(body), null);
    };
  }

  private static List<Expr> concat(List<Expr> a, List<Expr> b) {
    List<Expr> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
