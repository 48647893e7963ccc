package dev.halogen.passes;

import static dev.halogen.passes.IrProperty.FUNCTION_GRAPH;
import static dev.halogen.passes.IrProperty.GRAPH_VERIFIED;
import static dev.halogen.passes.IrProperty.LOOPS_BUILT;

import dev.halogen.ir.Expr;
import dev.halogen.ir.FuncSchedule;
import dev.halogen.ir.Function;
import dev.halogen.ir.IrRewriter;
import dev.halogen.ir.LoopLevel;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.text.IrParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Small real passes and IR texts shared by the pass-manager tests. */
final class TestPasses {
  private TestPasses() {}

  /** A pipeline with two {@code + 0} to strip, and a Func g that other Funcs call. */
  static final String PIPELINE = """
      pipeline outputs(out)
      image in: int32 [1]
      param k: int32

      func f(x): int32 {
        f(x) = in(x + 0) * k
      }

      func g(x): int32 {
        g(x) = f(x - 1) + f(x + 1)
        compute_root store_root
      }

      func out(x): int32 {
        out(x) = g(x) + 0
      }
      """;

  /** {@link #PIPELINE} without its {@code + 0}. */
  static final String STRIPPED = """
      pipeline outputs(out)
      image in: int32 [1]
      param k: int32

      func f(x): int32 {
        f(x) = in(x) * k
      }

      func g(x): int32 {
        g(x) = f(x - 1) + f(x + 1)
        compute_root store_root
      }

      func out(x): int32 {
        out(x) = g(x)
      }
      """;

  /** {@link #STRIPPED} with g renamed to h. */
  static final String RENAMED = """
      pipeline outputs(out)
      image in: int32 [1]
      param k: int32

      func f(x): int32 {
        f(x) = in(x) * k
      }

      func h(x): int32 {
        h(x) = f(x - 1) + f(x + 1)
        compute_root store_root
      }

      func out(x): int32 {
        out(x) = h(x)
      }
      """;

  /** Loop nests for {@link #PIPELINE} (unflattened: Realize and Provide), with a {@code + 0} to strip. */
  static final String MODULE = """
      module m

      entry m(in in: int32 [1], k: int32, out out: int32 [1]) {
        realize g: int32 [0, 10] {
          for (x, 0, 10) {
            g(x) = in(x) * k + 0
          }
          for (x, 0, 10) {
            out(x) = g(x)
          }
        }
      }
      """;

  static Pipeline pipeline(String text) {
    return IrParser.parsePipeline(text);
  }

  static LoweredModule module(String text) {
    return IrParser.parseModule(text);
  }

  /** A pass given by its contract and a body. */
  record FnPass(String name, String summary, Set<IrProperty> requires, Set<IrProperty> establishes,
      Set<IrProperty> invalidates, UnaryOperator<IrUnit> body) implements Pass {
    @Override
    public IrUnit run(IrUnit in) {
      return body.apply(in);
    }
  }

  static Pass pass(String name, Set<IrProperty> requires, Set<IrProperty> establishes, Set<IrProperty> invalidates,
      UnaryOperator<IrUnit> body) {
    return new FnPass(name, "test pass " + name, requires, establishes, invalidates, body);
  }

  /** Replaces {@code e + 0} by {@code e} (int32), bottom-up, in either form. */
  static final IrRewriter ADD_ZERO = new IrRewriter() {
    @Override
    public Expr rewrite(Expr e) {
      Expr r = rewriteChildren(e);
      return r instanceof Expr.Add(Expr a, Expr.IntImm(var t, long v)) && v == 0 ? a : r;
    }
  };

  static IrUnit stripAddZero(IrUnit in) {
    return switch (in) {
      case IrUnit.Graph g -> g.withPipeline(ADD_ZERO.rewrite(g.pipeline()));
      case IrUnit.Loops l -> l.withModule(ADD_ZERO.rewrite(l.module()));
    };
  }

  /** strip-add-zero on a verified function graph. */
  static Pass strip() {
    return pass("strip-add-zero", Set.of(FUNCTION_GRAPH, GRAPH_VERIFIED), Set.of(), Set.of(), TestPasses::stripAddZero);
  }

  /** strip-add-zero on loop nests. */
  static Pass stripLoops() {
    return pass("strip-add-zero", Set.of(LOOPS_BUILT), Set.of(), Set.of(), TestPasses::stripAddZero);
  }

  static Pass doNothing() {
    return pass("do-nothing", Set.of(), Set.of(), Set.of(), in -> in);
  }

  /** Renames Func {@code from} to {@code to}; with {@code callers}, also the calls and loop levels that name it. */
  static Pass rename(String from, String to, boolean callers) {
    return pass("rename-func", Set.of(FUNCTION_GRAPH), Set.of(), Set.of(GRAPH_VERIFIED),
        in -> {
          IrUnit.Graph g = in.asGraph("rename-func");
          return g.withPipeline(rename(g.pipeline(), from, to, callers));
        });
  }

  static Pipeline rename(Pipeline p, String from, String to, boolean callers) {
    if (!p.functions().containsKey(from)) return p;
    IrRewriter calls = new IrRewriter() {
      @Override
      public Expr rewrite(Expr e) {
        Expr r = rewriteChildren(e);
        return r instanceof Expr.Call c && c.kind() == Expr.CallKind.FUNC && c.name().equals(from)
            ? new Expr.Call(c.type(), to, c.args(), c.kind(), c.valueIndex())
            : r;
      }
    };
    Pipeline q = callers ? calls.rewrite(p) : p;
    List<Function> functions = new ArrayList<>();
    for (Function f : q.functions().values()) {
      FuncSchedule s = f.schedule();
      if (callers) s = s.withComputeLevel(rename(s.computeLevel(), from, to)).withStoreLevel(rename(s.storeLevel(), from, to));
      String name = f.name().equals(from) ? to : f.name();
      functions.add(new Function(name, f.args(), f.outputTypes(), f.definition(), f.updates(), s));
    }
    List<String> outputs = q.outputs().stream().map(o -> o.equals(from) ? to : o).toList();
    return Pipeline.of(outputs, functions, q.parameters());
  }

  private static LoopLevel rename(LoopLevel l, String from, String to) {
    return l instanceof LoopLevel.At(String func, int stage, String var) && func.equals(from)
        ? new LoopLevel.At(to, stage, var)
        : l;
  }

  /** Lowers to the fixed loop nests of {@link #MODULE}, keeping the pipeline as the source. */
  static Pass toLoops() {
    return pass("to-loops", Set.of(FUNCTION_GRAPH), Set.of(LOOPS_BUILT), Set.of(FUNCTION_GRAPH),
        in -> new IrUnit.Loops(module(MODULE), in.asGraph("to-loops").pipeline()));
  }

  /** Throws {@code e} whatever it gets. */
  static Pass throwing(String name, RuntimeException e) {
    return pass(name, Set.of(), Set.of(), Set.of(), in -> {
      throw e;
    });
  }
}
