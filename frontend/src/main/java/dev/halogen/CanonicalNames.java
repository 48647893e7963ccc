package dev.halogen;

import dev.halogen.ir.Bound;
import dev.halogen.ir.Dim;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Expr.Let;
import dev.halogen.ir.Expr.Load;
import dev.halogen.ir.Expr.Var;
import dev.halogen.ir.FuncSchedule;
import dev.halogen.ir.Function;
import dev.halogen.ir.IrRewriter;
import dev.halogen.ir.LoopLevel;
import dev.halogen.ir.RFactor;
import dev.halogen.ir.ReductionDomain;
import dev.halogen.ir.Split;
import dev.halogen.ir.StageSchedule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renumbers generated names ({@code sum$1234}, {@code v$17.v}, {@code r$5.x}) in order of first
 * appearance ({@code sum$0}, {@code v$0.v}, {@code r$0.x}), so that the IR of a pipeline does not
 * depend on how many names the process generated before it. Names without {@code '$'} are kept.
 * One instance renames one pipeline consistently. The traversal is {@link IrRewriter}'s; this class
 * renames the names that nodes and schedules hold, each node's own name before its children, so the
 * numbering follows the order of the arguments and record components and is deterministic.
 */
final class CanonicalNames extends IrRewriter {
  private static final Pattern GENERATED = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\$([0-9]+)(.*)");

  private final Map<String, String> renamed = new HashMap<>();
  private final Map<String, Integer> perBase = new HashMap<>();

  String name(String n) {
    Matcher m = GENERATED.matcher(n);
    if (!m.matches()) return n;
    String token = m.group(1) + "$" + m.group(2);
    String canonical = renamed.computeIfAbsent(token, t -> {
      int k = perBase.merge(m.group(1), 1, Integer::sum) - 1;
      return m.group(1) + "$" + k;
    });
    return canonical + m.group(3);
  }

  // Only the nodes that hold a name are handled here, so these are instanceof tests rather than a
  // switch over every node; the rest is IrRewriter's exhaustive rewriteChildren.
  @Override
  public Expr rewrite(Expr e) {
    if (e instanceof Var(var t, String n)) return new Var(t, name(n));
    if (e instanceof Call c) {
      String n = name(c.name());
      Call r = (Call) rewriteChildren(c);
      return new Call(r.type(), n, r.args(), r.kind(), r.valueIndex());
    }
    if (e instanceof Let l) {
      String n = name(l.name());
      Let r = (Let) rewriteChildren(l);
      return new Let(n, r.value(), r.body());
    }
    if (e instanceof Load l) {
      String n = name(l.name());
      Load r = (Load) rewriteChildren(l);
      return new Load(r.type(), n, r.index(), r.predicate());
    }
    return rewriteChildren(e);
  }

  /** The Func's name and pure arguments, then (by {@link IrRewriter}) its definitions and schedule. */
  @Override
  public Function rewrite(Function f) {
    String name = name(f.name());
    List<String> args = map(f.args(), this::name);
    Function r = super.rewrite(f);
    return new Function(name, args, r.outputTypes(), r.definition(), r.updates(), r.schedule());
  }

  @Override
  public ReductionDomain rewrite(ReductionDomain rd) {
    String name = name(rd.name());
    List<ReductionDomain.ReductionVariable> vars = map(rd.variables(),
        v -> new ReductionDomain.ReductionVariable(name(v.name()), rewrite(v.min()), rewrite(v.extent())));
    return new ReductionDomain(name, vars, rewrite(rd.predicate()));
  }

  @Override
  public StageSchedule rewrite(StageSchedule s) {
    List<Split> splits = map(s.splits(), sp -> switch (sp) {
      case Split.SplitVar(String old, String outer, String inner, Expr factor, var tail) ->
          new Split.SplitVar(name(old), name(outer), name(inner), rewrite(factor), tail);
      case Split.FuseVars(String inner, String outer, String fused) -> new Split.FuseVars(name(inner), name(outer), name(fused));
      case Split.RenameVar(String old, String to) -> new Split.RenameVar(name(old), name(to));
    });
    List<Dim> dims = map(s.dims(), d -> new Dim(name(d.var()), d.kind(), d.deviceApi(), d.isRVar()));
    List<RFactor> rfactors = map(s.rfactors(), r -> new RFactor(name(r.intermediate()),
        map(r.pairs(), p -> new RFactor.Pair(name(p.rvar()), name(p.var())))));
    return new StageSchedule(splits, dims, rfactors, s.atomic(), s.overrideAssociativityTest());
  }

  @Override
  public FuncSchedule rewrite(FuncSchedule s) {
    UnaryOperator<Bound> bound = b -> new Bound(name(b.var()), rewrite(b.min()), rewrite(b.extent()));
    return new FuncSchedule(level(s.computeLevel()), level(s.storeLevel()), map(s.bounds(), bound), map(s.estimates(), bound),
        s.memoryType());
  }

  private LoopLevel level(LoopLevel l) {
    return switch (l) {
      case LoopLevel.Inlined i -> i;
      case LoopLevel.Root r -> r;
      case LoopLevel.At(String func, int stage, String var) -> new LoopLevel.At(name(func), stage, name(var));
    };
  }

  private static <T, R> List<R> map(List<T> in, java.util.function.Function<T, R> f) {
    List<R> out = new ArrayList<>(in.size());
    for (T t : in) out.add(f.apply(t));
    return out;
  }
}
