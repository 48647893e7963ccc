package dev.halogen.ir;

import dev.halogen.ir.Expr.*;
import dev.halogen.ir.Stmt.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The one generic rewriter of the IR. A subclass overrides {@link #rewrite(Expr)} and/or {@link
 * #rewrite(Stmt)} for the nodes it cares about and calls {@link #rewriteChildren(Expr)} / {@link
 * #rewriteChildren(Stmt)} for the rest (the default). A node is rebuilt only when one of its
 * children changed; otherwise the same instance is returned, so "nothing changed" is {@code result
 * == input} at every level, lists included (compared element-wise by identity).
 *
 * <p>Variables bound by {@link Let}, {@link LetStmt} and {@link For} are announced through {@link
 * #enterScope}, which may rename the binder and pick the rewriter for its body; this is how
 * scope-aware rewrites (substitution) reuse the traversal.
 *
 * <p>The function-graph overloads rewrite every expression a pipeline holds: definition arguments
 * and values, reduction-domain bounds and predicates, split factors, and Func bounds and estimates.
 * Parameters (whose defaults are constants) and constant buffers are left alone.
 */
public abstract class IrRewriter {
  /**
   * How a binder's scope is rewritten: the binder's (possibly new) name and the rewriter applied to
   * the body it scopes over.
   */
  public record Binder(String name, IrRewriter body) {}

  /** Rewrites {@code e}; the default rewrites its children. */
  public Expr rewrite(Expr e) {
    return rewriteChildren(e);
  }

  /** Rewrites {@code s}; the default rewrites its children. */
  public Stmt rewrite(Stmt s) {
    return rewriteChildren(s);
  }

  /**
   * Called when the traversal enters the body of a binder of {@code name} (of {@code type}, the
   * type of the rewritten value; int32 for loops). The default keeps the name and this rewriter.
   */
  protected Binder enterScope(String name, Type type, Expr body) {
    return new Binder(name, this);
  }

  /** As {@link #enterScope(String, Type, Expr)} for a statement body ({@link LetStmt}, {@link For}). */
  protected Binder enterScope(String name, Type type, Stmt body) {
    return new Binder(name, this);
  }

  /** {@code e} with each child rewritten by {@link #rewrite(Expr)}; {@code e} itself when none changed. */
  public final Expr rewriteChildren(Expr e) {
    return switch (e) {
      case IntImm n -> n;
      case UIntImm n -> n;
      case FloatImm n -> n;
      case StringImm n -> n;
      case Var n -> n;
      case Cast(Type t, Expr v) -> {
        Expr nv = rewrite(v);
        yield nv == v ? e : new Cast(t, nv);
      }
      case Add(Expr a, Expr b) -> {
        Expr na = rewrite(a), nb = rewrite(b);
        yield na == a && nb == b ? e : new Add(na, nb);
      }
      case Sub(Expr a, Expr b) -> {
        Expr na = rewrite(a), nb = rewrite(b);
        yield na == a && nb == b ? e : new Sub(na, nb);
      }
      case Mul(Expr a, Expr b) -> {
        Expr na = rewrite(a), nb = rewrite(b);
        yield na == a && nb == b ? e : new Mul(na, nb);
      }
      case Div(Expr a, Expr b) -> {
        Expr na = rewrite(a), nb = rewrite(b);
        yield na == a && nb == b ? e : new Div(na, nb);
      }
      case Mod(Expr a, Expr b) -> {
        Expr na = rewrite(a), nb = rewrite(b);
        yield na == a && nb == b ? e : new Mod(na, nb);
      }
      case Min(Expr a, Expr b) -> {
        Expr na = rewrite(a), nb = rewrite(b);
        yield na == a && nb == b ? e : new Min(na, nb);
      }
      case Max(Expr a, Expr b) -> {
        Expr na = rewrite(a), nb = rewrite(b);
        yield na == a && nb == b ? e : new Max(na, nb);
      }
      case EQ(Expr a, Expr b) -> {
        Expr na = rewrite(a), nb = rewrite(b);
        yield na == a && nb == b ? e : new EQ(na, nb);
      }
      case NE(Expr a, Expr b) -> {
        Expr na = rewrite(a), nb = rewrite(b);
        yield na == a && nb == b ? e : new NE(na, nb);
      }
      case LT(Expr a, Expr b) -> {
        Expr na = rewrite(a), nb = rewrite(b);
        yield na == a && nb == b ? e : new LT(na, nb);
      }
      case LE(Expr a, Expr b) -> {
        Expr na = rewrite(a), nb = rewrite(b);
        yield na == a && nb == b ? e : new LE(na, nb);
      }
      case GT(Expr a, Expr b) -> {
        Expr na = rewrite(a), nb = rewrite(b);
        yield na == a && nb == b ? e : new GT(na, nb);
      }
      case GE(Expr a, Expr b) -> {
        Expr na = rewrite(a), nb = rewrite(b);
        yield na == a && nb == b ? e : new GE(na, nb);
      }
      case And(Expr a, Expr b) -> {
        Expr na = rewrite(a), nb = rewrite(b);
        yield na == a && nb == b ? e : new And(na, nb);
      }
      case Or(Expr a, Expr b) -> {
        Expr na = rewrite(a), nb = rewrite(b);
        yield na == a && nb == b ? e : new Or(na, nb);
      }
      case Not(Expr a) -> {
        Expr na = rewrite(a);
        yield na == a ? e : new Not(na);
      }
      case Select(Expr c, Expr t, Expr f) -> {
        Expr nc = rewrite(c), nt = rewrite(t), nf = rewrite(f);
        yield nc == c && nt == t && nf == f ? e : new Select(nc, nt, nf);
      }
      case Let(String name, Expr value, Expr body) -> {
        Expr nv = rewrite(value);
        Binder b = enterScope(name, nv.type(), body);
        Expr nb = b.body().rewrite(body);
        yield nv == value && nb == body && b.name().equals(name) ? e : new Let(b.name(), nv, nb);
      }
      case Call(Type t, String name, List<Expr> args, CallKind kind, int valueIndex) -> {
        List<Expr> na = rewriteAll(args);
        yield na == args ? e : new Call(t, name, na, kind, valueIndex);
      }
      case Load(Type t, String name, Expr index, Expr predicate) -> {
        Expr ni = rewrite(index), np = rewrite(predicate);
        yield ni == index && np == predicate ? e : new Load(t, name, ni, np);
      }
      case Ramp(Expr base, Expr stride, int lanes) -> {
        Expr nb = rewrite(base), ns = rewrite(stride);
        yield nb == base && ns == stride ? e : new Ramp(nb, ns, lanes);
      }
      case Broadcast(Expr v, int lanes) -> {
        Expr nv = rewrite(v);
        yield nv == v ? e : new Broadcast(nv, lanes);
      }
      case VectorReduce(VectorReduce.Op op, Expr v, int lanes) -> {
        Expr nv = rewrite(v);
        yield nv == v ? e : new VectorReduce(op, nv, lanes);
      }
    };
  }

  /** {@code s} with each child rewritten by {@link #rewrite(Expr)} / {@link #rewrite(Stmt)}; {@code s} itself when none changed. */
  public final Stmt rewriteChildren(Stmt s) {
    return switch (s) {
      case LetStmt(String name, Expr value, Stmt body) -> {
        Expr nv = rewrite(value);
        Binder b = enterScope(name, nv.type(), body);
        Stmt nb = b.body().rewrite(body);
        yield nv == value && nb == body && b.name().equals(name) ? s : new LetStmt(b.name(), nv, nb);
      }
      case AssertStmt(Expr condition, String message, List<Expr> args) -> {
        Expr nc = rewrite(condition);
        List<Expr> na = rewriteAll(args);
        yield nc == condition && na == args ? s : new AssertStmt(nc, message, na);
      }
      case ProducerConsumer(String name, boolean isProducer, Stmt body) -> {
        Stmt nb = rewrite(body);
        yield nb == body ? s : new ProducerConsumer(name, isProducer, nb);
      }
      case For(String name, Expr min, Expr extent, ForKind kind, DeviceApi api, Stmt body) -> {
        Expr nm = rewrite(min), ne = rewrite(extent);
        Binder b = enterScope(name, Type.I32, body);
        Stmt nb = b.body().rewrite(body);
        yield nm == min && ne == extent && nb == body && b.name().equals(name)
            ? s
            : new For(b.name(), nm, ne, kind, api, nb);
      }
      case Provide(String name, List<Expr> values, List<Expr> args) -> {
        List<Expr> nv = rewriteAll(values), na = rewriteAll(args);
        yield nv == values && na == args ? s : new Provide(name, nv, na);
      }
      case Realize(String name, List<Type> types, MemoryType mt, List<Range> bounds, Expr condition, Stmt body) -> {
        List<Range> nr = rewriteRanges(bounds);
        Expr nc = rewrite(condition);
        Stmt nb = rewrite(body);
        yield nr == bounds && nc == condition && nb == body ? s : new Realize(name, types, mt, nr, nc, nb);
      }
      case Store(String name, Expr value, Expr index, Expr predicate) -> {
        Expr nv = rewrite(value), ni = rewrite(index), np = rewrite(predicate);
        yield nv == value && ni == index && np == predicate ? s : new Store(name, nv, ni, np);
      }
      case Allocate(String name, Type t, MemoryType mt, List<Expr> extents, Expr condition, Stmt body) -> {
        List<Expr> ne = rewriteAll(extents);
        Expr nc = rewrite(condition);
        Stmt nb = rewrite(body);
        yield ne == extents && nc == condition && nb == body ? s : new Allocate(name, t, mt, ne, nc, nb);
      }
      case Free f -> f;
      case Block(List<Stmt> stmts) -> {
        List<Stmt> ns = rewriteStmts(stmts);
        yield ns == stmts ? s : new Block(ns);
      }
      case IfThenElse(Expr condition, Stmt thenCase, Stmt elseCase) -> {
        Expr nc = rewrite(condition);
        Stmt nt = rewrite(thenCase), ne = rewrite(elseCase);
        yield nc == condition && nt == thenCase && ne == elseCase ? s : new IfThenElse(nc, nt, ne);
      }
      case Evaluate(Expr v) -> {
        Expr nv = rewrite(v);
        yield nv == v ? s : new Evaluate(nv);
      }
      case Atomic(String producer, String mutex, Stmt body) -> {
        Stmt nb = rewrite(body);
        yield nb == body ? s : new Atomic(producer, mutex, nb);
      }
    };
  }

  // ------------------------------------------------------------------ function graph

  /** Rewrites the arguments, values, reduction domain and schedule of a definition. */
  public Definition rewrite(Definition d) {
    List<Expr> args = rewriteAll(d.args());
    List<Expr> values = rewriteAll(d.values());
    ReductionDomain domain = d.domain() == null ? null : rewrite(d.domain());
    StageSchedule schedule = rewrite(d.schedule());
    return args == d.args() && values == d.values() && domain == d.domain() && schedule == d.schedule()
        ? d
        : new Definition(args, values, domain, schedule);
  }

  /** Rewrites the bounds of each reduction variable and the predicate. */
  public ReductionDomain rewrite(ReductionDomain r) {
    List<ReductionDomain.ReductionVariable> vars = rewriteEach(r.variables(), v -> {
      Expr min = rewrite(v.min()), extent = rewrite(v.extent());
      return min == v.min() && extent == v.extent() ? v : new ReductionDomain.ReductionVariable(v.name(), min, extent);
    });
    Expr predicate = rewrite(r.predicate());
    return vars == r.variables() && predicate == r.predicate() ? r : new ReductionDomain(r.name(), vars, predicate);
  }

  /** Rewrites the split factors of a stage schedule. */
  public StageSchedule rewrite(StageSchedule s) {
    List<Split> splits = rewriteEach(s.splits(), split -> switch (split) {
      case Split.SplitVar v -> {
        Expr f = rewrite(v.factor());
        yield f == v.factor() ? v : new Split.SplitVar(v.old(), v.outer(), v.inner(), f, v.tail());
      }
      case Split.FuseVars f -> f;
      case Split.RenameVar r -> r;
    });
    return splits == s.splits() ? s : s.withSplits(splits);
  }

  /** Rewrites the bounds and estimates of a Func schedule. */
  public FuncSchedule rewrite(FuncSchedule s) {
    List<Bound> bounds = rewriteBounds(s.bounds());
    List<Bound> estimates = rewriteBounds(s.estimates());
    return bounds == s.bounds() && estimates == s.estimates() ? s : s.withBounds(bounds).withEstimates(estimates);
  }

  /** Rewrites every definition and the schedule of a Func. */
  public Function rewrite(Function f) {
    Definition d = rewrite(f.definition());
    List<Definition> updates = rewriteEach(f.updates(), this::rewrite);
    FuncSchedule schedule = rewrite(f.schedule());
    return d == f.definition() && updates == f.updates() && schedule == f.schedule()
        ? f
        : new Function(f.name(), f.args(), f.outputTypes(), d, updates, schedule);
  }

  /** Rewrites every Func of a pipeline. */
  public Pipeline rewrite(Pipeline p) {
    TreeMap<String, Function> functions = new TreeMap<>();
    boolean changed = false;
    for (Map.Entry<String, Function> e : p.functions().entrySet()) {
      Function f = rewrite(e.getValue());
      changed |= f != e.getValue();
      functions.put(e.getKey(), f);
    }
    return changed ? new Pipeline(p.outputs(), functions, p.parameters()) : p;
  }

  /** Rewrites the body of every entry point of a lowered module. */
  public LoweredModule rewrite(LoweredModule m) {
    return m.withBodies(ep -> rewrite(ep.body()));
  }

  // ------------------------------------------------------------------ lists

  /** The list with each expression rewritten; {@code list} itself when no element changed. */
  public final List<Expr> rewriteAll(List<Expr> list) {
    return rewriteEach(list, this::rewrite);
  }

  /** The list with each statement rewritten; {@code list} itself when no element changed. */
  public final List<Stmt> rewriteStmts(List<Stmt> list) {
    return rewriteEach(list, this::rewrite);
  }

  private List<Range> rewriteRanges(List<Range> list) {
    return rewriteEach(list, r -> {
      Expr min = rewrite(r.min()), extent = rewrite(r.extent());
      return min == r.min() && extent == r.extent() ? r : new Range(min, extent);
    });
  }

  private List<Bound> rewriteBounds(List<Bound> list) {
    return rewriteEach(list, b -> {
      Expr min = rewrite(b.min()), extent = rewrite(b.extent());
      return min == b.min() && extent == b.extent() ? b : new Bound(b.var(), min, extent);
    });
  }

  /**
   * Applies {@code f} to each element; returns {@code list} itself when every result is the same
   * instance as its input, so unchanged lists keep their identity.
   */
  private static <T> List<T> rewriteEach(List<T> list, java.util.function.Function<T, T> f) {
    @Nullable List<T> out = null;
    for (int i = 0; i < list.size(); i++) {
      T old = list.get(i);
      T now = f.apply(old);
      if (out == null && now != old) {
        out = new ArrayList<>(list.size());
        out.addAll(list.subList(0, i));
      }
      if (out != null) out.add(now);
    }
    return out == null ? list : List.copyOf(out);
  }
}
