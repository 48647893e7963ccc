package dev.halogen.passes.lower;

import dev.halogen.ir.DeviceApi;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.ForKind;
import dev.halogen.ir.IrQueries;
import dev.halogen.ir.IrWalker;
import dev.halogen.ir.MemoryType;
import dev.halogen.ir.Range;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.Stmt.*;
import dev.halogen.ir.Type;
import dev.halogen.passes.analysis.Prints;
import dev.halogen.passes.analysis.Simplifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Turns the body of one vectorized loop into vector code; see {@link VectorizeLoopsPass} for the
 * rules. One instance per loop.
 *
 * <p>Every expression is <em>widened</em>: the result is the input (the same instance) when it does
 * not depend on the lane, else an expression with {@link #lanes} lanes whose lane {@code i} is the
 * input's value in iteration {@code min + i}. Variables that depend on the lane are replaced through
 * {@link #replacements}: the loop variable by a {@link Ramp}, a let bound to an affine value by a
 * Ramp of its (scalar) lane-0 value, a let bound to any other vector by a variable of the vector
 * type. When the loop cannot be vectorized exactly, {@link CannotVectorize} says why and the pass
 * keeps the loop serial.
 */
final class LoopVectorizer {
  /** Why a loop cannot be vectorized exactly; the pass catches it and keeps the loop serial. */
  static final class CannotVectorize extends RuntimeException {
    CannotVectorize(String why) {
      // Control flow inside the pass, never seen by a user: no stack trace.
      super(why, null, false, false);
    }
  }

  private static final Expr ZERO = new IntImm(Type.I32, 0);
  private static final Expr ONE = new IntImm(Type.I32, 1);

  private final String loop;
  private final int lanes;
  /** The lane-dependent variables in scope, each with its widened replacement. */
  private final Map<String, Expr> replacements = new HashMap<>();
  /** Names a new binder must avoid: every name of the loop and of the replacements. */
  private final Set<String> taken = new HashSet<>();
  /**
   * The lanes that run the statement being vectorized: null when all do, else a bool vector. Loads
   * and stores whose index depends on the lane are predicated with it.
   */
  private @Nullable Expr active;
  /**
   * What is known in every active lane: the conditions of the lane-dependent {@code if}s around the
   * statement being vectorized that compare affine values, each as {@code d(lane) <= 0}.
   */
  private final List<Affine> facts = new ArrayList<>();

  private LoopVectorizer(String loop, int lanes) {
    this.loop = loop;
    this.lanes = lanes;
  }

  /**
   * The vector code of loop {@code f}, which runs {@code lanes >= 2} iterations.
   *
   * @throws CannotVectorize when that cannot be done exactly
   */
  static Stmt vectorize(For f, int lanes) {
    LoopVectorizer v = new LoopVectorizer(f.name(), lanes);
    v.taken.addAll(IrQueries.allVarNames(f.body()));
    v.taken.addAll(IrQueries.freeVars(f.min()));
    v.taken.add(f.name());
    // A min that is not a variable or constant is computed once, in a scalar let of the loop's name.
    boolean simple = f.min() instanceof Var || f.min() instanceof IntImm;
    Expr base = simple ? f.min() : Var.of(f.name());
    v.replacements.put(f.name(), new Ramp(base, ONE, lanes));
    Stmt body = v.stmt(f.body());
    return simple ? body : new LetStmt(f.name(), f.min(), body);
  }

  // ------------------------------------------------------------------ scopes

  /**
   * The name a binder of {@code name} gets: {@code name} itself, or a fresh name when something moved
   * into the binder's body mentions {@code name} and would be captured: a replacement, the active
   * lanes' predicate, a fact.
   */
  private String binderName(String name) {
    boolean captures = active != null && IrQueries.freeVars(active).contains(name);
    for (Map.Entry<String, Expr> e : replacements.entrySet()) {
      captures |= !e.getKey().equals(name) && IrQueries.freeVars(e.getValue()).contains(name);
    }
    for (Affine f : facts) {
      captures |= IrQueries.freeVars(f.base()).contains(name) || IrQueries.freeVars(f.stride()).contains(name);
    }
    return captures ? fresh(name) : name;
  }

  /** {@code base} when no name in the loop has it, else {@code base$k}; the result is taken from then on. */
  private String fresh(String base) {
    String name = taken.contains(base) ? IrQueries.freshName(base, taken) : base;
    taken.add(name);
    return name;
  }

  /** Runs {@code body} with {@code name} replaced by {@code replacement}, or not replaced at all (shadowed) when it is null. */
  private <T> T within(String name, @Nullable Expr replacement, Supplier<T> body) {
    Expr saved = replacement == null ? replacements.remove(name) : replacements.put(name, replacement);
    try {
      return body.get();
    } finally {
      if (saved == null) replacements.remove(name);
      else replacements.put(name, saved);
    }
  }

  /** A let binding: what to bind (under which name) and what replaces the let's variable in its body. */
  private record Binding(String name, Expr value, @Nullable Expr replacement) {}

  /**
   * How a let of {@code name} to the widened {@code value} is bound. An affine value (a Ramp whose
   * stride reads no memory) keeps a scalar let of its lane-0 value and the variable becomes a Ramp of
   * it, so indices computed from it stay visibly affine (dense loads, injective stores); any other
   * vector becomes a vector let, whose variable changes type with it; a scalar stays as it was.
   */
  private Binding bind(String name, Expr value) {
    String out = binderName(name);
    if (value instanceof Ramp(Expr base, Expr stride, int n) && readsNothing(stride)) {
      return new Binding(out, base, new Ramp(new Var(base.type(), out), stride, n));
    }
    if (value.type().isVector()) return new Binding(out, value, new Var(value.type(), out));
    return new Binding(out, value, out.equals(name) ? null : new Var(value.type(), out));
  }

  // ------------------------------------------------------------------ statements

  private Stmt stmt(Stmt s) {
    return switch (s) {
      case LetStmt(String name, Expr value, Stmt body) -> {
        Binding b = bind(name, widen(value));
        yield new LetStmt(b.name(), b.value(), within(name, b.replacement(), () -> stmt(body)));
      }
      case AssertStmt(Expr condition, String message, List<Expr> args) -> {
        Expr c = widen(condition);
        List<Expr> a = widenAll(args);
        if (c.type().isVector() || a.stream().anyMatch(e -> e.type().isVector())) {
          throw new CannotVectorize("an assertion depends on the lane (it must fail at the first failing iteration)");
        }
        yield new AssertStmt(c, message, a);
      }
      case ProducerConsumer(String name, boolean isProducer, Stmt body) -> new ProducerConsumer(name, isProducer, stmt(body));
      case For(String name, Expr min, Expr extent, ForKind kind, DeviceApi api, Stmt body) -> {
        Expr m = widen(min);
        Expr e = widen(extent);
        if (m.type().isVector() || e.type().isVector()) {
          throw new CannotVectorize("the bounds of the inner loop " + name + " depend on the lane");
        }
        String out = binderName(name);
        Stmt b = within(name, out.equals(name) ? null : Var.of(out), () -> stmt(body));
        yield new For(out, m, e, kind, api, b);
      }
      case Provide p -> throw new CannotVectorize("Provide to " + p.name() + ": storage is not flattened");
      case Realize r -> throw new CannotVectorize("Realize of " + r.name() + ": storage is not flattened");
      case Store(String name, Expr value, Expr index, Expr predicate) -> store(name, value, index, predicate);
      case Allocate(String name, Type t, MemoryType mt, List<Expr> extents, Expr condition, Stmt body) ->
          throw new CannotVectorize("allocation " + name + " inside the loop would need one copy per lane");
      case Free(String name) -> throw new CannotVectorize("Free of " + name + " would run once instead of once per iteration");
      case Block(List<Stmt> stmts) -> {
        // A lane-dependent if with both branches becomes two statements: spliced in, not nested.
        List<Stmt> out = new ArrayList<>(stmts.size());
        for (Stmt t : stmts) {
          Stmt v = stmt(t);
          if (v instanceof Block(List<Stmt> inner)) out.addAll(inner);
          else out.add(v);
        }
        yield new Block(out);
      }
      case IfThenElse(Expr condition, Stmt thenCase, Stmt elseCase) -> {
        Expr c = widen(condition);
        yield c.type().isVector() ? laneIf(c, thenCase, elseCase) : new IfThenElse(c, stmt(thenCase), stmt(elseCase));
      }
      case Evaluate(Expr value) -> {
        if (!IrQueries.calls(value, CallKind.EXTERN).isEmpty()) {
          throw new CannotVectorize("an extern call evaluated for its effect must run once per iteration");
        }
        yield new Evaluate(widen(value));
      }
      case Atomic a -> throw new CannotVectorize("atomic update of " + a.producerName() + " needs one read-modify-write per lane");
    };
  }

  /**
   * A store. An index that depends on the lane must be affine in it (a Ramp) with a stride that is
   * not the constant zero, so that no two lanes write one element: lanes of one vector store happen
   * at once, so a read-modify-write would lose all but one update (a histogram), and which value wins
   * is not the serial loop's. A symbolic stride (a buffer stride) is taken to be non-zero. A store at
   * an index that does not depend on the lane may only store a value that does not either.
   */
  private Stmt store(String name, Expr value, Expr index, Expr predicate) {
    Expr v = widen(value);
    Expr i = widen(index);
    Expr p = widen(predicate);
    if (!v.type().isVector() && !i.type().isVector() && !p.type().isVector()) return new Store(name, v, i, p);
    if (!i.type().isVector()) {
      throw new CannotVectorize("every lane stores to the same element of " + name);
    }
    if (!(i instanceof Ramp r) || IrQueries.isConst(Simplifier.simplify(r.stride()), 0)) {
      throw new CannotVectorize("two lanes may store to the same element of " + name + " (a scatter)");
    }
    return new Store(name, wide(v), i, masked(wide(p)));
  }

  /**
   * An {@code if} whose condition {@code c} depends on the lane: each branch runs with the lanes
   * where it holds (or fails) active. A condition that reads memory is bound to a let first, since
   * the branches may write what it reads.
   */
  private Stmt laneIf(Expr c, Stmt thenCase, Stmt elseCase) {
    String bound = readsNothing(c) ? null : fresh(loop + ".cond");
    Expr cond = bound == null ? c : new Var(c.type(), bound);
    List<Stmt> parts = new ArrayList<>(2);
    if (!isEmpty(thenCase)) parts.add(branch(thenCase, cond));
    if (!isEmpty(elseCase)) parts.add(branch(elseCase, negate(cond)));
    Stmt out = parts.size() == 1 ? parts.getFirst() : new Block(parts);
    return bound == null ? out : new LetStmt(bound, c, out);
  }

  /**
   * {@code s} run by the active lanes where {@code q} holds. With every lane active: {@code if (all
   * lanes of q) dense s else s with its loads and stores predicated by q}; inside a predicated
   * branch, the predicate becomes the conjunction.
   */
  private Stmt branch(Stmt s, Expr q) {
    if (active == null) {
      Stmt dense = knowing(q, () -> stmt(s));
      return new IfThenElse(allLanes(q), dense, predicated(s, q));
    }
    return predicated(s, new And(active, q));
  }

  /**
   * {@code s} with the lanes of {@code q} active. Work that does not depend on the lane (a scalar load
   * or store, an assertion, a loop) runs once for all lanes; with no lane active the serial loop
   * would not have done it at all, so then the branch is guarded by {@code if (some lane of q)}.
   */
  private Stmt predicated(Stmt s, Expr q) {
    Expr saved = active;
    active = q;
    try {
      Stmt out = knowing(q, () -> stmt(s));
      return hasScalarWork(out) ? new IfThenElse(new VectorReduce(VectorReduce.Op.OR, q, 1), out) : out;
    } finally {
      active = saved;
    }
  }

  private static boolean isEmpty(Stmt s) {
    return s instanceof Block(List<Stmt> stmts) && stmts.isEmpty();
  }

  /** Whether {@code s} does something that is not predicated lane by lane: a scalar load or store, an assertion or a loop. */
  private static boolean hasScalarWork(Stmt s) {
    boolean[] found = {false};
    new IrWalker() {
      @Override
      protected void visit(Expr e, Scope scope, Path path) {
        if (e instanceof Load l && l.type().isScalar()) found[0] = true;
      }

      @Override
      protected void enter(Stmt t, Scope scope, Path path) {
        if (t instanceof Store st && st.value().type().isScalar() || t instanceof AssertStmt || t instanceof For) found[0] = true;
      }
    }.walk(s);
    return found[0];
  }

  // ------------------------------------------------------------------ conditions

  /** An int32 vector affine in the lane: lane {@code i} is {@code base + i * stride}. */
  private record Affine(Expr base, Expr stride) {
    /** The affine form of a Ramp or a Broadcast of int32; null for anything else. */
    static @Nullable Affine of(Expr e) {
      if (!e.type().element().equals(Type.I32)) return null;
      if (e instanceof Ramp(Expr base, Expr stride, int n)) return new Affine(base, stride);
      if (e instanceof Broadcast(Expr value, int n)) return new Affine(value, ZERO);
      return null;
    }

    /** {@code this - o + k}. */
    Affine minus(Affine o, long k) {
      return new Affine(plus(LoopVectorizer.minus(base, o.base), int32(k)), LoopVectorizer.minus(stride, o.stride));
    }

    Expr lane(int i) {
      return plus(base, times(stride, int32(i)));
    }
  }

  /**
   * For a comparison of affine int32 vectors, {@code d} such that lane {@code i} of {@code q} holds
   * iff {@code d(i) <= 0} (int32 arithmetic being assumed not to overflow); null for anything else.
   */
  private static @Nullable Affine asAtMostZero(Expr q) {
    if (!(q instanceof Comparison cmp)) return null;
    Affine a = Affine.of(cmp.a()), b = Affine.of(cmp.b());
    if (a == null || b == null) return null;
    return switch (cmp) {
      case LT lt -> a.minus(b, 1);
      case LE le -> a.minus(b, 0);
      case GT gt -> b.minus(a, 1);
      case GE ge -> b.minus(a, 0);
      case EQ eq -> null;
      case NE ne -> null;
    };
  }

  /** Runs {@code body} knowing that {@code q} holds in every active lane. */
  private <T> T knowing(Expr q, Supplier<T> body) {
    int mark = facts.size();
    learn(q);
    try {
      return body.get();
    } finally {
      facts.subList(mark, facts.size()).clear();
    }
  }

  private void learn(Expr q) {
    if (q instanceof And(Expr a, Expr b)) {
      learn(a);
      learn(b);
      return;
    }
    Expr hinted = likelyArgument(q);
    if (hinted != null) {
      learn(hinted);
      return;
    }
    Affine d = asAtMostZero(q);
    if (d != null) facts.add(d);
  }

  /**
   * Whether {@code d(i) <= 0} in every active lane: {@code d} is a non-positive constant at both ends,
   * or it exceeds a known fact {@code f} by such a constant ({@code d - f} is affine, so its ends
   * bound it).
   */
  private boolean proven(Affine d) {
    if (atMostZero(d.base(), d.stride())) return true;
    for (Affine f : facts) {
      if (atMostZero(new Sub(d.base(), f.base()), new Sub(d.stride(), f.stride()))) return true;
    }
    return false;
  }

  /** Whether {@code base + i * stride <= 0} for every lane {@code i}, both simplifying to constants. */
  private boolean atMostZero(Expr base, Expr stride) {
    OptionalLong b = IrQueries.asConstInt(Simplifier.simplify(base));
    OptionalLong s = IrQueries.asConstInt(Simplifier.simplify(stride));
    return b.isPresent() && s.isPresent() && b.getAsLong() <= 0 && b.getAsLong() + (lanes - 1) * s.getAsLong() <= 0;
  }

  /**
   * A scalar condition that holds iff every lane of {@code q} does. A comparison of two int32 values
   * affine in the lane (Ramps and Broadcasts) holds on a prefix or a suffix of the lanes, so it holds
   * on all lanes iff it holds on the first and the last; when the sign of the stride of the difference
   * of its sides is known, the one where the difference is largest is enough. A conjunction holds on
   * every lane iff each side does, a Broadcast iff its value does; {@code likely(c)} gives {@code
   * likely} of the condition for {@code c}, keeping the hint. Otherwise, {@code vector_reduce<and>}.
   */
  private Expr allLanes(Expr q) {
    if (q instanceof And(Expr a, Expr b)) return new And(allLanes(a), allLanes(b));
    if (q instanceof Broadcast(Expr value, int n)) return value;
    Expr hinted = likelyArgument(q);
    if (hinted != null) return new Call(Type.BOOL, "likely", List.of(allLanes(hinted)), CallKind.INTRINSIC);
    Affine d = asAtMostZero(q);
    if (d == null || !(q instanceof Comparison cmp)) return new VectorReduce(VectorReduce.Op.AND, q, 1);
    Expr first = atLane(cmp, 0);
    Expr last = atLane(cmp, lanes - 1);
    OptionalLong growth = IrQueries.asConstInt(Simplifier.simplify(d.stride()));
    if (growth.isEmpty()) return new And(first, last);
    return growth.getAsLong() > 0 ? last : first;
  }

  /** Lane {@code i} of a comparison of affine values, as a scalar comparison. */
  private static Expr atLane(Comparison cmp, int i) {
    Expr a = Objects.requireNonNull(Affine.of(cmp.a())).lane(i);
    Expr b = Objects.requireNonNull(Affine.of(cmp.b())).lane(i);
    return switch (cmp) {
      case LT lt -> new LT(a, b);
      case LE le -> new LE(a, b);
      case GT gt -> new GT(a, b);
      case GE ge -> new GE(a, b);
      case EQ eq -> new EQ(a, b);
      case NE ne -> new NE(a, b);
    };
  }

  /** The argument of {@code likely(e)}, a hint with the value of {@code e}; null for any other expression. */
  private static @Nullable Expr likelyArgument(Expr e) {
    return e instanceof Call(Type t, String name, List<Expr> args, CallKind kind, int index)
        && kind == CallKind.INTRINSIC && name.equals("likely") && args.size() == 1 ? args.getFirst() : null;
  }

  /** The lane-wise negation of a bool vector; integer comparisons flip (float ones do not, for NaN). */
  private static Expr negate(Expr q) {
    if (q instanceof Not(Expr a)) return a;
    if (!(q instanceof Binary bin) || bin.a().type().isFloat()) return new Not(q);
    Expr a = bin.a(), b = bin.b();
    if (q instanceof LT) return new GE(a, b);
    if (q instanceof LE) return new GT(a, b);
    if (q instanceof GT) return new LE(a, b);
    if (q instanceof GE) return new LT(a, b);
    if (q instanceof EQ) return new NE(a, b);
    if (q instanceof NE) return new EQ(a, b);
    return new Not(q);
  }

  // ------------------------------------------------------------------ expressions

  private List<Expr> widenAll(List<Expr> es) {
    List<Expr> out = new ArrayList<>(es.size());
    for (Expr e : es) out.add(widen(e));
    return out;
  }

  /** {@code e} as a vector: a scalar is broadcast. */
  private Expr wide(Expr e) {
    return e.type().isVector() ? e : new Broadcast(e, lanes);
  }

  /** {@code p}, a predicate of all lanes, restricted to the active lanes. */
  private Expr masked(Expr p) {
    if (active == null) return p;
    return IrQueries.isConst(p, 1) ? active : new And(p, active);
  }

  /**
   * {@code e} widened: {@code e} itself when it does not depend on the lane, else its value in every
   * lane.
   */
  private Expr widen(Expr e) {
    return switch (e) {
      case IntImm n -> n;
      case UIntImm n -> n;
      case FloatImm n -> n;
      case StringImm n -> n;
      case Var v -> {
        Expr r = replacements.get(v.name());
        if (r != null) yield r;
        if (v.type().isVector()) throw new CannotVectorize("the body is vector code already (a vectorized loop inside)");
        yield v;
      }
      case Cast(Type t, Expr value) -> {
        Expr w = widen(value);
        yield w == value ? e : new Cast(t.withLanes(w.type().lanes()), w);
      }
      case Add(Expr a, Expr b) -> add(e, a, b);
      case Sub(Expr a, Expr b) -> sub(e, a, b);
      case Mul(Expr a, Expr b) -> mul(e, a, b);
      case Div(Expr a, Expr b) -> binary(e, a, b, Div::new);
      case Mod(Expr a, Expr b) -> binary(e, a, b, Mod::new);
      case Min(Expr a, Expr b) -> minMax(e, a, b, true);
      case Max(Expr a, Expr b) -> minMax(e, a, b, false);
      case EQ(Expr a, Expr b) -> binary(e, a, b, EQ::new);
      case NE(Expr a, Expr b) -> binary(e, a, b, NE::new);
      case LT(Expr a, Expr b) -> binary(e, a, b, LT::new);
      case LE(Expr a, Expr b) -> binary(e, a, b, LE::new);
      case GT(Expr a, Expr b) -> binary(e, a, b, GT::new);
      case GE(Expr a, Expr b) -> binary(e, a, b, GE::new);
      case And(Expr a, Expr b) -> binary(e, a, b, And::new);
      case Or(Expr a, Expr b) -> binary(e, a, b, Or::new);
      case Not(Expr a) -> {
        Expr w = widen(a);
        yield w == a ? e : new Not(w);
      }
      case Select(Expr c, Expr t, Expr f) -> {
        Expr wc = widen(c), wt = widen(t), wf = widen(f);
        if (wc == c && wt == t && wf == f) yield e;
        boolean vector = wt.type().isVector() || wf.type().isVector();
        // A scalar condition may pick between vectors as it is; a vector one needs vector values.
        yield vector || wc.type().isVector() ? new Select(wc, wide(wt), wide(wf)) : new Select(wc, wt, wf);
      }
      case Let(String name, Expr value, Expr body) -> {
        Binding b = bind(name, widen(value));
        Expr w = within(name, b.replacement(), () -> widen(body));
        yield b.value() == value && w == body && b.name().equals(name) ? e : new Let(b.name(), b.value(), w);
      }
      case Call c -> call(c);
      case Load(Type t, String name, Expr index, Expr predicate) -> {
        Expr i = widen(index), p = widen(predicate);
        if (!i.type().isVector() && !p.type().isVector()) yield i == index && p == predicate ? e : new Load(t, name, i, p);
        yield new Load(t.withLanes(lanes), name, wide(i), masked(wide(p)));
      }
      case Ramp r -> throw new CannotVectorize("the body is vector code already (a vectorized loop inside)");
      case Broadcast b -> throw new CannotVectorize("the body is vector code already (a vectorized loop inside)");
      case VectorReduce r -> throw new CannotVectorize("the body is vector code already (a vectorized loop inside)");
    };
  }

  /** A call with an argument that depends on the lane: math functions and intrinsics apply lane by lane. */
  private Expr call(Call c) {
    List<Expr> args = widenAll(c.args());
    boolean vector = args.stream().anyMatch(a -> a.type().isVector());
    if (!vector) return args.equals(c.args()) ? c : new Call(c.type(), c.name(), args, c.kind(), c.valueIndex());
    return switch (c.kind()) {
      case MATH, INTRINSIC -> Prints.isPrint(c) ? print(c, args)
          : new Call(c.type().withLanes(lanes), c.name(), args.stream().map(this::wide).toList(), c.kind(), 0);
      case EXTERN -> throw new CannotVectorize("extern function " + c.name() + " takes scalars and is called with an argument that depends on the lane");
      case FUNC, IMAGE -> throw new CannotVectorize("call to " + c.name() + ": storage is not flattened");
    };
  }

  /**
   * A print over all lanes: its strings stay scalar (they are no lane's value), and only the active
   * lanes print (a print becomes {@code print_when} of the active lanes).
   */
  private Expr print(Call c, List<Expr> widened) {
    List<Expr> args = new ArrayList<>();
    for (Expr a : widened) args.add(a instanceof StringImm ? a : wide(a));
    Type t = c.type().withLanes(lanes);
    if (c.name().equals(Prints.PRINT_WHEN)) {
      args.set(0, masked(args.getFirst()));
      return new Call(t, Prints.PRINT_WHEN, args, CallKind.INTRINSIC);
    }
    if (active != null) args.addFirst(active);
    return new Call(t, active != null ? Prints.PRINT_WHEN : Prints.PRINT, args, CallKind.INTRINSIC);
  }

  private Expr binary(Expr e, Expr a, Expr b, BinaryOperator<Expr> make) {
    return rebuilt(e, a, b, widen(a), widen(b), make);
  }

  // Affine arithmetic: a Ramp combined with a scalar or another Ramp stays a Ramp. Lane i of
  // ramp(b, s) + c is b + i*s + c, which is lane i of ramp(b + c, s) in wrapping arithmetic too.

  private Expr add(Expr e, Expr a, Expr b) {
    Expr wa = widen(a), wb = widen(b);
    if (wa instanceof Ramp(Expr ba, Expr sa, int n) && !wb.type().isVector()) return new Ramp(plus(ba, wb), sa, n);
    if (wb instanceof Ramp(Expr bb, Expr sb, int n) && !wa.type().isVector()) return new Ramp(plus(wa, bb), sb, n);
    if (wa instanceof Ramp(Expr ba, Expr sa, int n) && wb instanceof Ramp(Expr bb, Expr sb, int m)) {
      return new Ramp(plus(ba, bb), plus(sa, sb), n);
    }
    return rebuilt(e, a, b, wa, wb, Add::new);
  }

  private Expr sub(Expr e, Expr a, Expr b) {
    Expr wa = widen(a), wb = widen(b);
    if (wa instanceof Ramp(Expr ba, Expr sa, int n) && !wb.type().isVector()) return new Ramp(minus(ba, wb), sa, n);
    if (wb instanceof Ramp(Expr bb, Expr sb, int n) && !wa.type().isVector()) return new Ramp(minus(wa, bb), minus(ZERO, sb), n);
    if (wa instanceof Ramp(Expr ba, Expr sa, int n) && wb instanceof Ramp(Expr bb, Expr sb, int m)) {
      return new Ramp(minus(ba, bb), minus(sa, sb), n);
    }
    return rebuilt(e, a, b, wa, wb, Sub::new);
  }

  private Expr mul(Expr e, Expr a, Expr b) {
    Expr wa = widen(a), wb = widen(b);
    if (wa instanceof Ramp(Expr ba, Expr sa, int n) && !wb.type().isVector()) return new Ramp(times(ba, wb), times(sa, wb), n);
    if (wb instanceof Ramp(Expr bb, Expr sb, int n) && !wa.type().isVector()) return new Ramp(times(wa, bb), times(wa, sb), n);
    return rebuilt(e, a, b, wa, wb, Mul::new);
  }

  /**
   * {@code min(a, b)} or {@code max(a, b)}. Of affine operands, the one known to be the smaller (or
   * larger) in every active lane is the result: a clamp that the {@code if} around it makes
   * redundant, as GUARD_WITH_IF tails have, disappears, and the index stays affine. Values of
   * inactive lanes are never observed (their loads and stores are masked), so the result only has to
   * be right in the active lanes.
   */
  private Expr minMax(Expr e, Expr a, Expr b, boolean isMin) {
    Expr wa = widen(a), wb = widen(b);
    if (wa.type().isVector() || wb.type().isVector()) {
      Affine x = Affine.of(wide(wa)), y = Affine.of(wide(wb));
      if (x != null && y != null) {
        if (proven(x.minus(y, 0))) return wide(isMin ? wa : wb);
        if (proven(y.minus(x, 0))) return wide(isMin ? wb : wa);
      }
    }
    return rebuilt(e, a, b, wa, wb, isMin ? Min::new : Max::new);
  }

  /** The binary node of widened operands {@code wa}, {@code wb} (of {@code a}, {@code b} of {@code e}). */
  private Expr rebuilt(Expr e, Expr a, Expr b, Expr wa, Expr wb, BinaryOperator<Expr> make) {
    if (!wa.type().isVector() && !wb.type().isVector()) return wa == a && wb == b ? e : make.apply(wa, wb);
    return make.apply(wide(wa), wide(wb));
  }

  // Scalar int32 arithmetic for Ramp bases and strides, folding constants (wrapping, as int32 does
  // when it is defined) and the identities x + 0, x * 1, x * 0 (of an x that reads no memory), so
  // that the vector code stays readable.

  private static Expr plus(Expr a, Expr b) {
    if (a instanceof IntImm(Type t, long x) && b instanceof IntImm(Type u, long y) && t.equals(Type.I32)) return int32(x + y);
    if (IrQueries.isConst(a, 0)) return b;
    if (IrQueries.isConst(b, 0)) return a;
    return new Add(a, b);
  }

  private static Expr minus(Expr a, Expr b) {
    if (a instanceof IntImm(Type t, long x) && b instanceof IntImm(Type u, long y) && t.equals(Type.I32)) return int32(x - y);
    if (IrQueries.isConst(b, 0)) return a;
    return new Sub(a, b);
  }

  private static Expr times(Expr a, Expr b) {
    if (a instanceof IntImm(Type t, long x) && b instanceof IntImm(Type u, long y) && t.equals(Type.I32)) return int32(x * y);
    if (IrQueries.isConst(a, 0) && readsNothing(b) || IrQueries.isConst(b, 0) && readsNothing(a)) return ZERO;
    if (IrQueries.isConst(a, 1)) return b;
    if (IrQueries.isConst(b, 1)) return a;
    return new Mul(a, b);
  }

  private static Expr int32(long v) {
    return new IntImm(Type.I32, (int) v);
  }

  /** Whether {@code e} reads no memory (no load, no call of a Func, image or extern): it may be evaluated anywhere, any number of times. */
  private static boolean readsNothing(Expr e) {
    boolean[] reads = {false};
    new IrWalker() {
      @Override
      protected void visit(Expr x, Scope scope, Path path) {
        if (x instanceof Load || x instanceof Call c && (c.kind() == CallKind.FUNC || c.kind() == CallKind.IMAGE || c.kind() == CallKind.EXTERN)) {
          reads[0] = true;
        }
      }
    }.walk(e);
    return reads[0] == false;
  }
}
