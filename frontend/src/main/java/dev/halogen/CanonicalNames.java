package dev.halogen;

import dev.halogen.ir.Bound;
import dev.halogen.ir.Definition;
import dev.halogen.ir.Dim;
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
import dev.halogen.ir.FuncSchedule;
import dev.halogen.ir.Function;
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
import org.jspecify.annotations.Nullable;

/**
 * Renumbers generated names ({@code sum$1234}, {@code v$17.v}, {@code r$5.x}) in order of first
 * appearance ({@code sum$0}, {@code v$0.v}, {@code r$0.x}), so that the IR of a pipeline does not
 * depend on how many names the process generated before it. Names without {@code '$'} are kept.
 * One instance renames one pipeline consistently; visiting order is the order of the arguments and
 * of the record components, so it is deterministic.
 */
final class CanonicalNames {
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

  Function function(Function f) {
    String name = name(f.name());
    List<String> args = map(f.args(), this::name);
    Definition def = definition(f.definition());
    List<Definition> updates = map(f.updates(), this::definition);
    return new Function(name, args, f.outputTypes(), def, updates, schedule(f.schedule()));
  }

  private Definition definition(Definition d) {
    List<Expr> args = map(d.args(), this::expr);
    List<Expr> values = map(d.values(), this::expr);
    ReductionDomain rd = d.domain();
    @Nullable ReductionDomain domain = rd == null ? null : new ReductionDomain(name(rd.name()),
        map(rd.variables(), v -> new ReductionDomain.ReductionVariable(name(v.name()), expr(v.min()), expr(v.extent()))),
        expr(rd.predicate()));
    return new Definition(args, values, domain, stage(d.schedule()));
  }

  private StageSchedule stage(StageSchedule s) {
    List<Split> splits = map(s.splits(), sp -> switch (sp) {
      case Split.SplitVar(String old, String outer, String inner, Expr factor, var tail) ->
          new Split.SplitVar(name(old), name(outer), name(inner), expr(factor), tail);
      case Split.FuseVars(String inner, String outer, String fused) -> new Split.FuseVars(name(inner), name(outer), name(fused));
      case Split.RenameVar(String old, String to) -> new Split.RenameVar(name(old), name(to));
    });
    List<Dim> dims = map(s.dims(), d -> new Dim(name(d.var()), d.kind(), d.deviceApi(), d.isRVar()));
    List<RFactor> rfactors = map(s.rfactors(), r -> new RFactor(name(r.intermediate()),
        map(r.pairs(), p -> new RFactor.Pair(name(p.rvar()), name(p.var())))));
    return new StageSchedule(splits, dims, rfactors, s.atomic(), s.overrideAssociativityTest());
  }

  private FuncSchedule schedule(FuncSchedule s) {
    UnaryOperator<Bound> bound = b -> new Bound(name(b.var()), expr(b.min()), expr(b.extent()));
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

  Expr expr(Expr e) {
    return switch (e) {
      case IntImm x -> x;
      case UIntImm x -> x;
      case FloatImm x -> x;
      case StringImm x -> x;
      case Var(var t, String n) -> new Var(t, name(n));
      case Cast(var t, Expr v) -> new Cast(t, expr(v));
      case Add(Expr a, Expr b) -> new Add(expr(a), expr(b));
      case Sub(Expr a, Expr b) -> new Sub(expr(a), expr(b));
      case Mul(Expr a, Expr b) -> new Mul(expr(a), expr(b));
      case Div(Expr a, Expr b) -> new Div(expr(a), expr(b));
      case Mod(Expr a, Expr b) -> new Mod(expr(a), expr(b));
      case Min(Expr a, Expr b) -> new Min(expr(a), expr(b));
      case Max(Expr a, Expr b) -> new Max(expr(a), expr(b));
      case EQ(Expr a, Expr b) -> new EQ(expr(a), expr(b));
      case NE(Expr a, Expr b) -> new NE(expr(a), expr(b));
      case LT(Expr a, Expr b) -> new LT(expr(a), expr(b));
      case LE(Expr a, Expr b) -> new LE(expr(a), expr(b));
      case GT(Expr a, Expr b) -> new GT(expr(a), expr(b));
      case GE(Expr a, Expr b) -> new GE(expr(a), expr(b));
      case And(Expr a, Expr b) -> new And(expr(a), expr(b));
      case Or(Expr a, Expr b) -> new Or(expr(a), expr(b));
      case Not(Expr a) -> new Not(expr(a));
      case Select(Expr c, Expr t, Expr f) -> new Select(expr(c), expr(t), expr(f));
      case Let(String n, Expr v, Expr b) -> new Let(name(n), expr(v), expr(b));
      case Call(var t, String n, List<Expr> args, var kind, int index) -> new Call(t, name(n), map(args, this::expr), kind, index);
      case Load(var t, String n, Expr index, Expr predicate) -> new Load(t, name(n), expr(index), expr(predicate));
      case Ramp(Expr base, Expr stride, int lanes) -> new Ramp(expr(base), expr(stride), lanes);
      case Broadcast(Expr v, int lanes) -> new Broadcast(expr(v), lanes);
      case VectorReduce(var op, Expr v, int lanes) -> new VectorReduce(op, expr(v), lanes);
    };
  }

  private static <T, R> List<R> map(List<T> in, java.util.function.Function<T, R> f) {
    List<R> out = new ArrayList<>(in.size());
    for (T t : in) out.add(f.apply(t));
    return out;
  }
}
