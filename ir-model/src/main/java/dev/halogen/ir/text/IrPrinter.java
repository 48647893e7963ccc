package dev.halogen.ir.text;

import dev.halogen.ir.Bound;
import dev.halogen.ir.Buffer;
import dev.halogen.ir.Definition;
import dev.halogen.ir.DeviceApi;
import dev.halogen.ir.Dim;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Add;
import dev.halogen.ir.Expr.And;
import dev.halogen.ir.Expr.Broadcast;
import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Expr.CallKind;
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
import dev.halogen.ir.FuncSchedule;
import dev.halogen.ir.Function;
import dev.halogen.ir.LoopLevel;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.MemoryType;
import dev.halogen.ir.Parameter;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.RFactor;
import dev.halogen.ir.Range;
import dev.halogen.ir.ReductionDomain;
import dev.halogen.ir.Split;
import dev.halogen.ir.StageSchedule;
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
import dev.halogen.ir.TailStrategy;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Writes the canonical text form of the IR, which {@link IrParser} reads back into equal records.
 * The syntax is described in the {@linkplain dev.halogen.ir.text package documentation}.
 *
 * <p>The output is deterministic: Funcs in name order, parameters and statements in IR order,
 * declarations sorted by name, two-space indentation. Texts of statements, Funcs, pipelines and
 * modules end with a newline; the text of an expression does not.
 */
public final class IrPrinter {
  // Operator precedences, loosest first; an operand looser than its context is parenthesized.
  private static final int OR = 1;
  private static final int AND = 2;
  private static final int CMP = 3;
  private static final int ADD = 4;
  private static final int MUL = 5;
  private static final int UNARY = 6;

  private final StringBuilder out = new StringBuilder();
  private final Env env;
  /** Set on the first of the two passes over a text unit, which only collects its free names. */
  private final @Nullable FreeNames free;
  private int indent;

  private IrPrinter(Env env, @Nullable FreeNames free, int indent) {
    this.env = env;
    this.free = free;
    this.indent = indent;
  }

  // ------------------------------------------------------------------ public API

  /** An expression, preceded by declaration lines for the free names whose type is not implied. */
  public static String print(Expr e) {
    return unit(new Env(), 0, p -> p.expr(e, 0));
  }

  /** A statement, preceded by declaration lines for its free names whose type is not implied. */
  public static String print(Stmt s) {
    return unit(new Env(), 0, p -> p.stmtList(s));
  }

  /** A Func, preceded by declaration lines for the Funcs, images and non-int32 variables it uses. */
  public static String print(Function f) {
    return unit(new Env(), 0, p -> p.function(f));
  }

  /** A whole pipeline: its outputs, parameters and Funcs; self-contained. */
  public static String print(Pipeline pipeline) {
    IrPrinter p = new IrPrinter(new Env(), null, 0);
    p.pipeline(pipeline);
    return p.out.toString();
  }

  /** A lowered module: its constants and entry points; self-contained. */
  public static String print(LoweredModule module) {
    IrPrinter p = new IrPrinter(new Env(), null, 0);
    p.module(module);
    return p.out.toString();
  }

  // ------------------------------------------------------------------ text units and declarations

  /**
   * Prints a unit (an expression, statement, Func or entry-point body) with declarations of its
   * free names. The first pass runs the same printer to find the names no scope binds, so that
   * the declarations agree with the scoping the printer itself applies.
   */
  private static String unit(Env env, int indent, Consumer<IrPrinter> body) {
    FreeNames free = new FreeNames();
    body.accept(new IrPrinter(env, free, indent));
    IrPrinter p = new IrPrinter(env, null, indent);
    int mark = env.mark();
    p.declare(free);
    body.accept(p);
    env.reset(mark);
    return p.out.toString();
  }

  /** Names used but bound by no scope, each with the meaning of its first use. */
  private static final class FreeNames {
    final Map<String, Type> vars = new TreeMap<>();
    final Map<String, TreeMap<Integer, Type>> funcs = new TreeMap<>();
    final Map<String, Type> images = new TreeMap<>();
    final Map<String, Type> buffers = new TreeMap<>();

    void call(Call c) {
      String n = c.name();
      switch (c.kind()) {
        case FUNC -> {
          if (!images.containsKey(n)) funcs.computeIfAbsent(n, k -> new TreeMap<>()).putIfAbsent(c.valueIndex(), c.type());
        }
        case IMAGE -> {
          if (!funcs.containsKey(n)) images.putIfAbsent(n, c.type());
        }
        case MATH, INTRINSIC, EXTERN -> {
          // Named by the call tables or written with an explicit kind: nothing to declare.
        }
      }
    }
  }

  /**
   * Declares the free names: non-int32 variables, Funcs whose used value indices are 0..n-1,
   * images and buffers. Uses that disagree with a declaration are printed with an explicit type.
   */
  private void declare(FreeNames f) {
    f.vars.forEach((n, t) -> {
      if (!t.equals(Type.I32)) {
        line("var " + Syntax.name(n) + ": " + t);
        env.bindVar(n, t);
      }
    });
    f.funcs.forEach((n, values) -> {
      if (values.lastKey() == values.size() - 1) {
        List<Type> types = List.copyOf(values.values());
        line("func " + Syntax.name(n) + ": " + Syntax.types(types));
        env.bindCallable(n, new Env.Callee.Func(types));
      }
    });
    f.images.forEach((n, t) -> {
      line("image " + Syntax.name(n) + ": " + t);
      env.bindCallable(n, new Env.Callee.Image(t));
    });
    f.buffers.forEach((n, t) -> {
      line("buffer " + Syntax.name(n) + ": " + t);
      env.bindBuffer(n, t);
    });
  }

  // ------------------------------------------------------------------ output helpers

  private void startLine() {
    out.append("  ".repeat(indent));
  }

  private void endLine() {
    out.append('\n');
  }

  private void line(String s) {
    startLine();
    out.append(s);
    endLine();
  }

  private void name(String n) {
    out.append(Syntax.name(n));
  }

  private void names(List<String> ns) {
    for (int i = 0; i < ns.size(); i++) {
      if (i > 0) out.append(", ");
      name(ns.get(i));
    }
  }

  private void exprs(List<Expr> es) {
    for (int i = 0; i < es.size(); i++) {
      if (i > 0) out.append(", ");
      expr(es.get(i), 0);
    }
  }

  /** {@code [min, extent]}. */
  private void range(Expr min, Expr extent) {
    out.append('[');
    expr(min, 0);
    out.append(", ");
    expr(extent, 0);
    out.append(']');
  }

  // ------------------------------------------------------------------ expressions

  /** Prints {@code e}, in parentheses when its operator binds more loosely than {@code min}. */
  private void expr(Expr e, int min) {
    switch (e) {
      case IntImm(Type t, long v) -> out.append(v).append(t.equals(Type.I32) ? "" : Syntax.intSuffix(t));
      case UIntImm(Type t, long v) ->
          out.append(t.isBool() ? (v != 0 ? "true" : "false") : Long.toUnsignedString(v) + Syntax.intSuffix(t));
      case FloatImm(Type t, double v) -> out.append(Syntax.floatLiteral(t.bits(), v));
      case StringImm(String s) -> out.append(Syntax.quote(s));
      case Cast(Type t, Expr v) -> {
        out.append("cast<").append(t).append(">(");
        expr(v, 0);
        out.append(')');
      }
      case Var(Type t, String n) -> variable(t, n);
      case Add(Expr a, Expr b) -> binary(a, "+", b, ADD, min, true);
      case Sub(Expr a, Expr b) -> binary(a, "-", b, ADD, min, true);
      case Mul(Expr a, Expr b) -> binary(a, "*", b, MUL, min, true);
      case Div(Expr a, Expr b) -> binary(a, "/", b, MUL, min, true);
      case Mod(Expr a, Expr b) -> binary(a, "%", b, MUL, min, true);
      case Min(Expr a, Expr b) -> builtin("min", List.of(a, b));
      case Max(Expr a, Expr b) -> builtin("max", List.of(a, b));
      case EQ(Expr a, Expr b) -> binary(a, "==", b, CMP, min, false);
      case NE(Expr a, Expr b) -> binary(a, "!=", b, CMP, min, false);
      case LT(Expr a, Expr b) -> binary(a, "<", b, CMP, min, false);
      case LE(Expr a, Expr b) -> binary(a, "<=", b, CMP, min, false);
      case GT(Expr a, Expr b) -> binary(a, ">", b, CMP, min, false);
      case GE(Expr a, Expr b) -> binary(a, ">=", b, CMP, min, false);
      case And(Expr a, Expr b) -> binary(a, "&&", b, AND, min, true);
      case Or(Expr a, Expr b) -> binary(a, "||", b, OR, min, true);
      case Not(Expr a) -> {
        out.append('!');
        expr(a, UNARY);
      }
      case Select(Expr c, Expr t, Expr f) -> builtin("select", List.of(c, t, f));
      case Let(String n, Expr v, Expr body) -> {
        out.append("(let ");
        name(n);
        out.append(" = ");
        expr(v, 0);
        out.append(" in ");
        int mark = env.mark();
        env.bindVar(n, v.type());
        expr(body, 0);
        env.reset(mark);
        out.append(')');
      }
      case Call c -> call(c);
      case Load l -> load(l);
      case Ramp(Expr base, Expr stride, int lanes) -> {
        out.append("ramp(");
        exprs(List.of(base, stride));
        out.append(", ").append(lanes).append(')');
      }
      case Broadcast(Expr v, int lanes) -> {
        out.append("broadcast(");
        expr(v, 0);
        out.append(", ").append(lanes).append(')');
      }
      case VectorReduce(VectorReduce.Op op, Expr v, int lanes) -> {
        out.append("vector_reduce<").append(Syntax.spell(op)).append(">(");
        expr(v, 0);
        out.append(", ").append(lanes).append(')');
      }
    }
  }

  /**
   * {@code a op b}. Operators of one level are left-associative, so a right operand of the same
   * level is parenthesized; comparisons do not associate at all, so neither operand may be one.
   */
  private void binary(Expr a, String op, Expr b, int prec, int min, boolean associative) {
    boolean paren = prec < min;
    if (paren) out.append('(');
    expr(a, associative ? prec : prec + 1);
    out.append(' ').append(op).append(' ');
    expr(b, prec + 1);
    if (paren) out.append(')');
  }

  private void builtin(String fn, List<Expr> args) {
    out.append(fn).append('(');
    exprs(args);
    out.append(')');
  }

  private void variable(Type t, String n) {
    if (free != null && !env.isBound(Env.Namespace.VAR, n)) free.vars.putIfAbsent(n, t);
    if (!env.varType(n).equals(t)) out.append("var<").append(t).append("> ");
    name(n);
  }

  private void call(Call c) {
    String n = c.name();
    if (free != null && !env.isBound(Env.Namespace.CALLABLE, n)) free.call(c);
    List<Type> argTypes = new ArrayList<>();
    for (Expr a : c.args()) argTypes.add(a.type());
    int index = c.valueIndex();
    boolean plain = c.kind() != CallKind.EXTERN
        && env.resolveCall(n, argTypes, index, index != 0).equals(new Env.Resolution.Resolved(c.type(), c.kind()));
    boolean showIndex = index != 0;
    if (plain) {
      showIndex |= env.callable(n) instanceof Env.Callee.Func(List<Type> types) && types.size() > 1;
    } else {
      out.append(Syntax.spell(c.kind())).append('<').append(c.type()).append("> ");
    }
    name(n);
    out.append('(');
    exprs(c.args());
    out.append(')');
    if (showIndex) out.append('[').append(index).append(']');
  }

  private void load(Load l) {
    String n = l.name();
    if (free != null && !env.isBound(Env.Namespace.BUFFER, n)) free.buffers.putIfAbsent(n, l.type().element());
    Type bound = env.buffer(n);
    if (bound == null || !bound.withLanes(l.index().type().lanes()).equals(l.type())) {
      out.append("load<").append(l.type()).append("> ");
    }
    access(n, l.index(), l.predicate(), l.type().lanes());
  }

  /** {@code buf[index]}, or {@code buf[index if predicate]} when the predicate is not all true. */
  private void access(String buffer, Expr index, Expr predicate, int lanes) {
    name(buffer);
    out.append('[');
    expr(index, 0);
    if (!predicate.equals(Syntax.truePredicate(lanes))) {
      out.append(" if ");
      expr(predicate, 0);
    }
    out.append(']');
  }

  // ------------------------------------------------------------------ statements

  /**
   * Prints {@code s} as a statement list: a Block of two or more statements as its statements one
   * per line, anything else as one statement. A {@code let} line scopes over the rest of its list,
   * so a chain of lets is printed as a loop rather than by recursion.
   */
  private void stmtList(Stmt s) {
    int mark = env.mark();
    Stmt rest = s;
    while (true) {
      Stmt last = rest;
      if (rest instanceof Block(List<Stmt> items) && items.size() >= 2) {
        for (int i = 0; i < items.size() - 1; i++) item(items.get(i), false);
        last = items.getLast();
      }
      if (!(last instanceof LetStmt(String n, Expr v, Stmt body))) {
        item(last, true);
        break;
      }
      startLine();
      out.append("let ");
      name(n);
      out.append(" = ");
      expr(v, 0);
      endLine();
      env.bindVar(n, v.type());
      rest = body;
    }
    env.reset(mark);
  }

  /** One statement of a list; {@code last} when nothing follows it in the list. */
  private void item(Stmt s, boolean last) {
    switch (s) {
      case LetStmt l -> {
        if (last) {
          stmtList(l);
        } else {
          // A let takes the rest of its list as its body, so one in the middle is put in braces.
          line("{");
          indent++;
          stmtList(l);
          indent--;
          line("}");
        }
      }
      case Block(List<Stmt> items) -> {
        if (items.isEmpty()) {
          line("{}");
        } else if (items.size() == 1) {
          // Braces around one statement mean just that statement; 'block' keeps the Block.
          line("block {");
          indent++;
          item(items.getFirst(), true);
          indent--;
          line("}");
        } else {
          line("{");
          indent++;
          stmtList(s);
          indent--;
          line("}");
        }
      }
      case AssertStmt(Expr cond, String message, List<Expr> args) -> {
        startLine();
        out.append("assert(");
        expr(cond, 0);
        out.append(", ").append(Syntax.quote(message));
        for (Expr a : args) {
          out.append(", ");
          expr(a, 0);
        }
        out.append(')');
        endLine();
      }
      case ProducerConsumer(String n, boolean isProducer, Stmt body) -> {
        startLine();
        out.append(isProducer ? "produce " : "consume ");
        name(n);
        body(body);
      }
      case For(String n, Expr min, Expr extent, ForKind kind, DeviceApi device, Stmt body) -> {
        startLine();
        if (kind != ForKind.SERIAL) out.append(Syntax.spell(kind)).append(' ');
        out.append("for (");
        name(n);
        out.append(", ");
        exprs(List.of(min, extent));
        out.append(')');
        if (device != DeviceApi.HOST) out.append(" on ").append(Syntax.spell(device));
        int mark = env.mark();
        env.bindVar(n, Type.I32);
        body(body);
        env.reset(mark);
      }
      case Provide(String n, List<Expr> values, List<Expr> args) -> {
        startLine();
        definition(n, args, values);
        endLine();
      }
      case Realize(String n, List<Type> types, MemoryType memory, List<Range> bounds, Expr cond, Stmt body) -> {
        startLine();
        out.append("realize ");
        name(n);
        out.append(": ").append(Syntax.types(types));
        for (Range r : bounds) {
          out.append(' ');
          range(r.min(), r.extent());
        }
        memoryAndCondition(memory, cond);
        int mark = env.mark();
        env.bindCallable(n, new Env.Callee.Func(types));
        body(body);
        env.reset(mark);
      }
      case Store(String n, Expr value, Expr index, Expr predicate) -> {
        startLine();
        access(n, index, predicate, value.type().lanes());
        out.append(" = ");
        expr(value, 0);
        endLine();
      }
      case Allocate(String n, Type type, MemoryType memory, List<Expr> extents, Expr cond, Stmt body) -> {
        startLine();
        out.append("allocate ");
        name(n);
        out.append(": ").append(type).append(" [");
        exprs(extents);
        out.append(']');
        memoryAndCondition(memory, cond);
        int mark = env.mark();
        env.bindBuffer(n, type);
        body(body);
        env.reset(mark);
      }
      case Free(String n) -> line("free " + Syntax.name(n));
      case IfThenElse ite -> {
        startLine();
        ifThenElse(ite);
      }
      case Evaluate(Expr v) -> {
        startLine();
        out.append("evaluate ");
        expr(v, 0);
        endLine();
      }
      case Atomic(String producer, String mutex, Stmt body) -> {
        startLine();
        out.append("atomic ");
        name(producer);
        if (!mutex.isEmpty()) out.append(" mutex ").append(Syntax.name(mutex));
        body(body);
      }
    }
  }

  /** {@code if (c) {...} else if (d) {...} else {...}}, continuing the current line. */
  private void ifThenElse(IfThenElse ite) {
    out.append("if (");
    expr(ite.condition(), 0);
    out.append(')');
    bodyInline(ite.thenCase());
    Stmt otherwise = ite.elseCase();
    if (otherwise.equals(Stmt.NO_OP)) {
      endLine();
    } else if (otherwise instanceof IfThenElse elseIf) {
      out.append(" else ");
      ifThenElse(elseIf);
    } else {
      out.append(" else");
      body(otherwise);
    }
  }

  /** {@code in MEMORY} unless auto, then {@code if CONDITION} unless true. */
  private void memoryAndCondition(MemoryType memory, Expr cond) {
    if (memory != MemoryType.AUTO) out.append(" in ").append(Syntax.spell(memory));
    if (!cond.equals(Syntax.TRUE)) {
      out.append(" if ");
      expr(cond, 0);
    }
  }

  /** A braced body ending the current line. */
  private void body(Stmt s) {
    bodyInline(s);
    endLine();
  }

  /** {@code {}} or {@code {}, the statements, and the closing brace, leaving the line open after it. */
  private void bodyInline(Stmt s) {
    if (s.equals(Stmt.NO_OP)) {
      out.append(" {}");
      return;
    }
    out.append(" {");
    endLine();
    indent++;
    stmtList(s);
    indent--;
    startLine();
    out.append('}');
  }

  /** {@code f(args) = value} or {@code f(args) = {v0, v1}}: a Provide or a Func definition. */
  private void definition(String func, List<Expr> args, List<Expr> values) {
    name(func);
    out.append('(');
    exprs(args);
    out.append(") = ");
    if (values.size() == 1) {
      expr(values.getFirst(), 0);
    } else {
      out.append('{');
      exprs(values);
      out.append('}');
    }
  }

  // ------------------------------------------------------------------ functions

  private void function(Function f) {
    int mark = env.mark();
    env.bindCallable(f.name(), new Env.Callee.Func(f.outputTypes()));
    startLine();
    out.append("func ");
    name(f.name());
    out.append('(');
    names(f.args());
    out.append("): ").append(Syntax.types(f.outputTypes())).append(" {");
    endLine();
    indent++;
    for (String a : f.args()) env.bindVar(a, Type.I32);
    for (int i = 0; i < f.stageCount(); i++) stage(f, f.stage(i));
    funcSchedule(f.schedule());
    indent--;
    line("}");
    env.reset(mark);
  }

  /** A definition, inside {@code over r(...) {...}} when it has a reduction domain, then its schedule. */
  private void stage(Function f, Definition d) {
    int mark = env.mark();
    ReductionDomain domain = d.domain();
    if (domain != null) {
      startLine();
      out.append("over ");
      name(domain.name());
      out.append('(');
      List<ReductionDomain.ReductionVariable> vars = domain.variables();
      for (int i = 0; i < vars.size(); i++) {
        if (i > 0) out.append(", ");
        name(vars.get(i).name());
        out.append(' ');
        range(vars.get(i).min(), vars.get(i).extent());
      }
      out.append(')');
      for (ReductionDomain.ReductionVariable v : vars) env.bindVar(v.name(), Type.I32);
      if (!domain.predicate().equals(Syntax.TRUE)) {
        out.append(" where ");
        expr(domain.predicate(), 0);
      }
      out.append(" {");
      endLine();
      indent++;
    }
    startLine();
    definition(f.name(), d.args(), d.values());
    endLine();
    StageSchedule implicit = StageSchedule.defaultFor(f.args(), d.args(), domain);
    if (!d.schedule().equals(implicit)) stageSchedule(d.schedule(), implicit.dims());
    if (domain != null) {
      indent--;
      line("}");
    }
    env.reset(mark);
  }

  private void stageSchedule(StageSchedule s, List<Dim> implicitDims) {
    line("schedule {");
    indent++;
    for (Split split : s.splits()) {
      startLine();
      switch (split) {
        case Split.SplitVar(String old, String outer, String inner, Expr factor, TailStrategy tail) -> {
          out.append("split(");
          names(List.of(old, outer, inner));
          out.append(", ");
          expr(factor, 0);
          if (tail != TailStrategy.AUTO) out.append(", ").append(Syntax.spell(tail));
        }
        case Split.FuseVars(String inner, String outer, String fused) -> {
          out.append("fuse(");
          names(List.of(inner, outer, fused));
        }
        case Split.RenameVar(String old, String renamed) -> {
          out.append("rename(");
          names(List.of(old, renamed));
        }
      }
      out.append(')');
      endLine();
    }
    if (!s.dims().equals(implicitDims)) {
      startLine();
      out.append("loops(");
      for (int i = 0; i < s.dims().size(); i++) {
        Dim d = s.dims().get(i);
        if (i > 0) out.append(", ");
        name(d.var());
        if (d.isRVar()) out.append(" rvar");
        if (d.kind() != ForKind.SERIAL) out.append(' ').append(Syntax.spell(d.kind()));
        if (d.deviceApi() != DeviceApi.HOST) out.append(" on ").append(Syntax.spell(d.deviceApi()));
      }
      out.append(')');
      endLine();
    }
    for (RFactor rf : s.rfactors()) {
      startLine();
      out.append("rfactor(");
      name(rf.intermediate());
      for (RFactor.Pair pair : rf.pairs()) {
        out.append(", ");
        name(pair.rvar());
        out.append(" -> ");
        name(pair.var());
      }
      out.append(')');
      endLine();
    }
    if (s.atomic()) line("atomic");
    if (s.overrideAssociativityTest()) line("override_associativity_test");
    indent--;
    line("}");
  }

  /** One line of the non-default parts: compute and store levels, bounds, estimates, memory type. */
  private void funcSchedule(FuncSchedule fs) {
    if (fs.equals(FuncSchedule.INLINE)) return;
    startLine();
    int start = out.length();
    loopLevel("compute", fs.computeLevel(), start);
    loopLevel("store", fs.storeLevel(), start);
    bounds("bound", fs.bounds(), start);
    bounds("estimate", fs.estimates(), start);
    if (fs.memoryType() != MemoryType.AUTO) {
      separate(start);
      out.append("store_in(").append(Syntax.spell(fs.memoryType())).append(')');
    }
    endLine();
  }

  /** A space before every item of the line but the first. */
  private void separate(int lineStart) {
    if (out.length() > lineStart) out.append(' ');
  }

  private void loopLevel(String what, LoopLevel level, int lineStart) {
    switch (level) {
      case LoopLevel.Inlined() -> {
        // the default
      }
      case LoopLevel.Root() -> {
        separate(lineStart);
        out.append(what).append("_root");
      }
      case LoopLevel.At(String func, int stage, String var) -> {
        separate(lineStart);
        out.append(what).append("_at(");
        name(func);
        out.append(", ").append(stage).append(", ");
        name(var);
        out.append(')');
      }
    }
  }

  private void bounds(String what, List<Bound> bounds, int lineStart) {
    for (Bound b : bounds) {
      separate(lineStart);
      out.append(what).append('(');
      name(b.var());
      out.append(", ");
      exprs(List.of(b.min(), b.extent()));
      out.append(')');
    }
  }

  // ------------------------------------------------------------------ pipelines and modules

  private void pipeline(Pipeline p) {
    startLine();
    out.append("pipeline outputs(");
    names(p.outputs());
    out.append(')');
    endLine();
    for (Parameter param : p.parameters()) {
      switch (param) {
        case Parameter.Scalar(String n, Type t, Expr defaultValue) -> {
          startLine();
          out.append("param ");
          name(n);
          out.append(": ").append(t);
          if (defaultValue != null) {
            // Defaults are read in an empty scope, so they are printed in one.
            IrPrinter sub = new IrPrinter(new Env(), null, 0);
            sub.expr(defaultValue, 0);
            out.append(" = ").append(sub.out);
          }
          endLine();
          env.bindVar(n, t);
        }
        case Parameter.Image(String n, Type t, int dims) -> {
          line("image " + Syntax.name(n) + ": " + t + " [" + dims + "]");
          env.bindCallable(n, new Env.Callee.Image(t));
        }
        case Parameter.Constant c -> {
          constant(c);
          env.bindCallable(c.name(), new Env.Callee.Image(c.type()));
        }
      }
    }
    for (Function f : p.functions().values()) env.bindCallable(f.name(), new Env.Callee.Func(f.outputTypes()));
    for (Function f : p.functions().values()) {
      endLine();
      function(f);
    }
  }

  /** {@code constant lut: float32 [min, extent]... = "base64 of the little-endian elements"}. */
  private void constant(Parameter.Constant c) {
    Buffer b = c.buffer();
    StringBuilder dims = new StringBuilder();
    for (int d = 0; d < b.dimensions(); d++) dims.append(" [").append(b.min(d)).append(", ").append(b.extent(d)).append(']');
    line("constant " + Syntax.name(c.name()) + ": " + b.type() + dims + " = \""
        + Base64.getEncoder().encodeToString(b.toLittleEndianBytes()) + "\"");
  }

  private void module(LoweredModule m) {
    line("module " + Syntax.name(m.name()));
    for (Parameter.Constant c : m.constants()) {
      constant(c);
      env.bindBuffer(c.name(), c.type());
      env.bindCallable(c.name(), new Env.Callee.Image(c.type()));
    }
    for (LoweredModule.EntryPoint e : m.entryPoints()) {
      endLine();
      int mark = env.mark();
      startLine();
      out.append("entry ");
      name(e.name());
      out.append('(');
      for (int i = 0; i < e.arguments().size(); i++) {
        LoweredModule.Argument a = e.arguments().get(i);
        if (i > 0) out.append(", ");
        switch (a.kind()) {
          case INPUT_BUFFER -> out.append("in ");
          case OUTPUT_BUFFER -> out.append("out ");
          case SCALAR -> {
            // no qualifier
          }
        }
        name(a.name());
        out.append(": ").append(a.type());
        if (a.kind() == LoweredModule.ArgumentKind.SCALAR) {
          env.bindVar(a.name(), a.type());
        } else {
          out.append(" [").append(a.dimensions()).append(']');
          env.bindBuffer(a.name(), a.type());
          env.bindCallable(a.name(), new Env.Callee.Image(a.type()));
        }
      }
      out.append(") {");
      endLine();
      out.append(unit(env, indent + 1, p -> p.stmtList(e.body())));
      line("}");
      env.reset(mark);
    }
  }
}
