package dev.halogen.passes.lower;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.IrQueries;
import dev.halogen.ir.IrRewriter;
import dev.halogen.ir.IrWalker;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.LoweredModule.EntryPoint;
import dev.halogen.ir.Parameter;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.Type;
import dev.halogen.passes.IrProperty;
import dev.halogen.passes.IrUnit;
import dev.halogen.passes.LoopsPass;
import dev.halogen.passes.analysis.Bounds;
import dev.halogen.passes.analysis.Box;
import dev.halogen.passes.analysis.FuncValueBounds;
import dev.halogen.passes.analysis.Interval;
import dev.halogen.passes.analysis.IntervalScope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code add-image-checks}: at the top of every entry point, before any work, asserts that each
 * buffer the body touches holds the region it touches, so that a buffer too small fails the run
 * with a message naming it before anything is written (Halide's {@code add_image_checks}).
 *
 * <p>Which accesses: the reads of every input image and constant buffer ({@code Call(IMAGE)}), and
 * the writes and reads of every output buffer: the {@code Provide}s and {@code Call(FUNC)}s of an
 * output Func outside any {@code Realize} of it (an update may scatter outside the output's region,
 * as a histogram does, and read outside it). The region is {@link Bounds#boxesRequired} of the
 * body: loop variables range over their loops, {@code if} branches are narrowed by their
 * conditions, both branches of a {@code select} count (both are evaluated), and data-dependent
 * coordinates are bounded by the values of the Funcs and images they read (the source pipeline's
 * {@link Bounds#valueBounds}). A tuple-valued output Func {@code f} has the same region in each of its
 * buffers {@code f.0, f.1, ...}.
 *
 * <p>One assertion per buffer and dimension, inputs in argument order, then outputs, then constants:
 * <pre>
 * assert(hi &lt; lo || b.min.d &lt;= lo &amp;&amp; hi &lt;= b.min.d + b.extent.d - 1,
 *        "Input buffer b is accessed at dimension d over [{}, {}], but the buffer holds [{}, {}]", lo, hi, b.min.d, b.min.d + b.extent.d - 1)
 * </pre>
 * ("Output buffer", "Constant buffer" for the others; a constant's bounds are its literal min and
 * max). {@code [lo, hi]} contains every coordinate accessed, so when it is empty ({@code hi < lo},
 * as for a read at {@code x + 1} over an output of extent 0) nothing is accessed and nothing is
 * asserted of the buffer. (The hull of several reads, at {@code x + 1} and {@code x + 2} say, can
 * be non-empty although each read's region is empty; the check then asks a little more than
 * needed.) Extents are not asserted non-negative: a {@link Buffer} cannot have a negative extent.
 *
 * <p>A coordinate with no finite bound (a data-dependent index into a Func or image whose values are
 * not bounded) cannot be checked, and the pass fails with a {@link ScheduleException} naming the
 * buffer and dimension.
 *
 * <p>It runs on loop nests with multi-dimensional {@code Realize}/{@code Provide}/{@code Call}
 * storage, right after {@code schedule-functions}: after storage flattening the region a load reads
 * is no longer visible per dimension.
 */
public final class AddImageChecksPass extends LoopsPass {
  public static final String NAME = "add-image-checks";

  /** A buffer that holds one element of a tuple-valued Func: {@code f.0}, {@code f.1}, ... (LoweredModule.Argument's convention). */
  private static final Pattern TUPLE_ELEMENT = Pattern.compile("(.+)\\.(0|[1-9][0-9]*)");

  public AddImageChecksPass() {
    super(NAME, "assert at the top of each entry point that every input, output and constant buffer holds the region accessed",
        Set.of(IrProperty.LOOPS_BUILT, IrProperty.BOUNDS_INFERRED), // requires
        Set.of(IrProperty.INPUTS_CHECKED), // establishes
        Set.of(IrProperty.SIMPLIFIED, IrProperty.CSE_APPLIED)); // invalidates
  }

  @Override
  protected LoweredModule transform(IrUnit.Loops loops) {
    return addChecks(loops.module(), Bounds.valueBounds(loops.source()));
  }

  /**
   * {@code m} with the checks at the top of each entry point; data-dependent coordinates are
   * bounded by {@code values}. {@code m} itself when no entry point touches a buffer.
   *
   * @throws IllegalArgumentException when {@code m} is flattened (holds a {@code Load}, {@code Store} or {@code Allocate})
   * @throws ScheduleException naming the buffer and dimension when a coordinate has no finite bound
   */
  public static LoweredModule addChecks(LoweredModule m, FuncValueBounds values) {
    return m.withBodies(ep -> checked(m, ep, values));
  }

  private static Stmt checked(LoweredModule m, EntryPoint ep, FuncValueBounds values) {
    Set<String> outputFuncs = new HashSet<>();
    for (Argument a : ep.arguments()) {
      if (a.kind() == LoweredModule.ArgumentKind.OUTPUT_BUFFER) {
        // Buffer f.0 belongs to the tuple-valued Func f, or to a single-valued Func named f.0: probe both.
        outputFuncs.add(a.name());
        outputFuncs.add(funcOf(a.name()));
      }
    }
    requireUnflattened(ep);
    Set<String> taken = new HashSet<>(IrQueries.allVarNames(ep.body()));
    taken.addAll(IrQueries.calls(ep.body(), CallKind.FUNC));
    taken.addAll(IrQueries.calls(ep.body(), CallKind.IMAGE));
    Probe probe = new Probe(outputFuncs, taken, values);
    Stmt body = probe.rewrite(ep.body());
    Map<String, Box> boxes = Bounds.boxesRequired(body, IntervalScope.empty(), probe.values);
    List<Stmt> asserts = new ArrayList<>();
    for (Argument a : ep.arguments()) {
      switch (a.kind()) {
        case INPUT_BUFFER -> check("Input", a.name(), boxes.get(a.name()), null, asserts);
        case OUTPUT_BUFFER -> {
          // A single-valued Func f writes buffer f; a tuple element f.i is in f's region, unless a Func is named f.i.
          @Nullable Box box = boxes.containsKey(a.name()) ? boxes.get(a.name()) : boxes.get(funcOf(a.name()));
          check("Output", a.name(), box, null, asserts);
        }
        case SCALAR -> {}
      }
    }
    for (Parameter.Constant c : m.constants()) check("Constant", c.name(), boxes.get(c.name()), c.buffer(), asserts);
    if (asserts.isEmpty()) return ep.body();
    // The schedule's own checks at the top (an output's buffer must be exactly its bound()) come
    // first: they say what is wrong in the user's terms, where an access check would only show
    // the consequence.
    List<Stmt> all = new ArrayList<>();
    List<Stmt> rest = ep.body() instanceof Stmt.Block(List<Stmt> stmts) ? stmts : List.of(ep.body());
    int lead = 0;
    while (lead < rest.size() - 1 && rest.get(lead) instanceof Stmt.AssertStmt) lead++;
    all.addAll(rest.subList(0, lead));
    all.addAll(asserts);
    all.addAll(rest.subList(lead, rest.size()));
    return new Stmt.Block(all);
  }

  /** Fails for a flattened body: a Load of an image shows no per-dimension region to check. */
  private static void requireUnflattened(EntryPoint ep) {
    new IrWalker() {
      @Override
      protected void visit(Expr e, Scope scope, Path path) {
        if (e instanceof Expr.Load l) fail("loads " + l.name());
      }

      @Override
      protected void enter(Stmt s, Scope scope, Path path) {
        if (s instanceof Stmt.Store st) fail("stores to " + st.name());
        if (s instanceof Stmt.Allocate a) fail("allocates " + a.name());
      }

      private void fail(String what) {
        throw new IllegalArgumentException("pass " + NAME + " needs loop nests before storage flattening, but entry point "
            + ep.name() + " " + what + ": run it right after " + ScheduleFunctionsPass.NAME);
      }
    }.walk(ep.body());
  }

  /** The Func whose output buffer {@code buffer} is: {@code f} for {@code f.i}, else the buffer's own name. */
  private static String funcOf(String buffer) {
    Matcher t = TUPLE_ELEMENT.matcher(buffer);
    return t.matches() ? t.group(1) : buffer;
  }

  /**
   * Adds to {@code out} one assertion per dimension of {@code box}, the region of buffer {@code name}
   * accessed (nothing when it is not accessed); {@code constant} is the buffer of a constant, whose
   * bounds are known, or null for an argument, whose bounds are its variables.
   */
  private static void check(String role, String name, @Nullable Box box, @Nullable Buffer constant, List<Stmt> out) {
    if (box == null) return;
    for (int d = 0; d < box.dimensions(); d++) {
      Interval i = box.get(d);
      if (!i.isBounded()) {
        throw new ScheduleException(role + " buffer " + name + " is accessed at dimension " + d + " over an unbounded range ("
            + i + "); clamp the coordinates or use a boundary condition");
      }
      Expr lo = i.min(), hi = i.max();
      Expr min, max;
      if (constant != null) {
        min = i32(constant.min(d));
        max = i32((long) constant.min(d) + constant.extent(d) - 1);
      } else {
        min = LoweredModule.minVar(name, d);
        max = new Expr.Sub(new Expr.Add(min, LoweredModule.extentVar(name, d)), i32(1));
      }
      Expr inside = new Expr.And(new Expr.LE(min, lo), new Expr.LE(hi, max));
      Expr condition = new Expr.Or(new Expr.LT(hi, lo), inside);
      out.add(new Stmt.AssertStmt(condition, role + " buffer " + name + " is accessed at dimension " + d
          + " over [{}, {}], but the buffer holds [{}, {}]", List.of(lo, hi, min, max)));
    }
  }

  private static Expr i32(long v) {
    return new Expr.IntImm(Type.I32, v);
  }

  /**
   * The body made ready for {@link Bounds#boxesRequired}, which finds the region of each Func and
   * image called: each {@code Provide} of an output Func also calls it at the coordinates it writes,
   * so writes count with reads. A {@code Realize} of an output Func's name hides the output buffer
   * inside it: its accesses there go to the realization, so they are renamed away (with the same
   * value bounds). Analysis only; the result is never run.
   */
  private static final class Probe extends IrRewriter {
    private final Set<String> outputs;
    private final Set<String> taken;
    /** The value bounds, with those of the renamed Funcs. */
    FuncValueBounds values;
    /** Output Funcs hidden by an enclosing Realize, with the name their accesses get inside it. */
    private final Map<String, String> hidden;

    /** {@code taken}: the names a renamed Func must not have; the probe adds the names it makes. */
    Probe(Set<String> outputs, Set<String> taken, FuncValueBounds values) {
      this(outputs, taken, values, Map.of());
    }

    private Probe(Set<String> outputs, Set<String> taken, FuncValueBounds values, Map<String, String> hidden) {
      this.outputs = outputs;
      this.taken = taken;
      this.values = values;
      this.hidden = hidden;
    }

    private String name(String func) {
      return hidden.getOrDefault(func, func);
    }

    @Override
    public Expr rewrite(Expr e) {
      Expr r = rewriteChildren(e);
      if (r instanceof Call c && c.kind() == CallKind.FUNC && hidden.containsKey(c.name())) {
        return new Call(c.type(), name(c.name()), c.args(), c.kind(), c.valueIndex());
      }
      return r;
    }

    @Override
    public Stmt rewrite(Stmt s) {
      if (s instanceof Stmt.Realize r && outputs.contains(r.name())) {
        String renamed = IrQueries.freshName(r.name(), taken);
        taken.add(renamed);
        List<Interval> known = values.get(r.name());
        if (known != null) values = values.with(renamed, known);
        Map<String, String> inner = new HashMap<>(hidden);
        inner.put(r.name(), renamed);
        Probe in = new Probe(outputs, taken, values, Map.copyOf(inner));
        Stmt body = in.rewrite(r.body());
        values = in.values;
        // Bounds and condition are outside the realization: the outer names apply there.
        Stmt.Realize outer = (Stmt.Realize) rewriteChildren(
            new Stmt.Realize(r.name(), r.types(), r.memoryType(), r.bounds(), r.condition(), Stmt.NO_OP));
        return new Stmt.Realize(r.name(), r.types(), r.memoryType(), outer.bounds(), outer.condition(), body);
      }
      Stmt out = rewriteChildren(s);
      if (out instanceof Stmt.Provide p && outputs.contains(p.name())) {
        if (hidden.containsKey(p.name())) return new Stmt.Provide(name(p.name()), p.values(), p.args());
        Expr write = new Call(p.values().getFirst().type(), p.name(), p.args(), CallKind.FUNC, 0);
        return new Stmt.Block(List.of(new Stmt.Evaluate(write), p));
      }
      return out;
    }
  }
}
