package dev.halogen;

import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.TailStrategy;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.HalogenRuntimeException;
import dev.halogen.passes.PrintOutput;
import dev.halogen.passes.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link Exprs#print} and {@link Exprs#printWhen} end to end: the lines each backend prints (captured
 * with {@link PrintOutput#capture}), the same on the interpreter and llvm, scalar, parallel and
 * vectorized; prints are neither evaluated at compile time nor merged nor dropped.
 */
class PrintTest {
  private static final List<Target> TARGETS = List.of(Target.of("interp"), Target.of("llvm"));

  /** The lines printed while {@code f} is realized on {@code target} over {@code extents}, and the result. */
  private record Run(List<String> lines, Buffer result) {}

  private static Run run(Func f, Target target, int... extents) {
    try (PrintOutput.Capture c = PrintOutput.capture()) {
      Buffer b = f.realize(target, extents);
      return new Run(c.lines(), b);
    }
  }

  private static List<String> sorted(List<String> lines) {
    List<String> s = new ArrayList<>(lines);
    s.sort(null);
    return s;
  }

  @Test
  void printsOneLinePerEvaluationWithItsArguments() {
    Var x = new Var("x");
    Func f = new Func("f");
    f.at(x).set(Exprs.print(x.times(2), "at", x));
    for (Target t : TARGETS) {
      Run r = run(f, t, 4);
      assertEquals(List.of("0 at 0", "2 at 1", "4 at 2", "6 at 3"), r.lines(), t.toString());
      for (int i = 0; i < 4; i++) assertEquals(2 * i, r.result().getAsLong(i), t + " at " + i);
    }
  }

  @Test
  void valuesAreWrittenAsRuntimeMessagesWriteThem() {
    Var x = new Var("x");
    Func f = new Func("f");
    Expr half = Exprs.cast(Type.F32, x).div(2f);
    f.at(x).set(Exprs.print(half, Exprs.cast(Type.U8, x.minus(1)), x.gt(0), Exprs.cast(Type.F64, x).div(4.0), "done"));
    for (Target t : TARGETS) {
      assertEquals(List.of("0.0 255 false 0.0 done", "0.5 0 true 0.25 done", "1.0 1 true 0.5 done"), run(f, t, 3).lines(), t.toString());
    }
  }

  @Test
  void printWhenPrintsWhereTheConditionHolds() {
    Var x = new Var("x");
    Func f = new Func("f");
    f.at(x).set(Exprs.printWhen(x.rem(3).eq(0), x.plus(100), "is a multiple of 3 plus 100"));
    for (Target t : TARGETS) {
      Run r = run(f, t, 7);
      assertEquals(List.of("100 is a multiple of 3 plus 100", "103 is a multiple of 3 plus 100", "106 is a multiple of 3 plus 100"),
          r.lines(), t.toString());
      assertEquals(104, r.result().getAsLong(4));
    }
  }

  @Test
  void parallelLoopsPrintEveryLineWhole() {
    Var x = new Var("x"), y = new Var("y");
    Func f = new Func("f");
    f.at(x, y).set(Exprs.print(x.plus(y.times(100)), "from", x, y));
    f.parallel(y);
    List<String> expected = new ArrayList<>();
    for (int j = 0; j < 16; j++) for (int i = 0; i < 5; i++) expected.add((i + 100 * j) + " from " + i + " " + j);
    for (Target t : TARGETS) assertEquals(sorted(expected), sorted(run(f, t, 5, 16).lines()), t.toString());
  }

  @Test
  void vectorizedCodePrintsEachLaneAsItsOwnLine() {
    Var x = new Var("x");
    Func f = new Func("f");
    f.at(x).set(Exprs.print(x.times(x), "lane", x));
    f.vectorize(x, 4);
    List<String> expected = IntStream.range(0, 8).mapToObj(i -> (i * i) + " lane " + i).toList();
    for (Target t : TARGETS) assertEquals(expected, run(f, t, 8).lines(), t.toString());
  }

  @Test
  void aGuardedVectorTailPrintsOnlyItsActiveLanes() {
    Var x = new Var("x");
    Func f = new Func("f");
    f.at(x).set(Exprs.printWhen(x.ge(2), x, "of 10"));
    f.vectorize(x, 4, TailStrategy.GUARD_WITH_IF);
    List<String> expected = IntStream.range(2, 10).mapToObj(i -> i + " of 10").toList();
    for (Target t : TARGETS) assertEquals(expected, run(f, t, 10).lines(), t.toString());
  }

  @Test
  void constantArgumentsPrintWhenTheCodeRunsNotWhenItCompiles() {
    Var x = new Var("x");
    Func f = new Func("f");
    f.at(x).set(Exprs.print(Expr.of(7), "seven").plus(x));
    for (Target t : TARGETS) {
      CompiledPipeline compiled;
      try (PrintOutput.Capture c = PrintOutput.capture()) {
        compiled = new Pipeline(f).compile(t);
        assertEquals(List.of(), c.lines(), t + ": compiling printed");
      }
      try (PrintOutput.Capture c = PrintOutput.capture()) {
        Buffer b = compiled.realize(3).getFirst();
        assertEquals(List.of("7 seven", "7 seven", "7 seven"), c.lines(), t.toString());
        assertEquals(9, b.getAsLong(2));
      }
    }
  }

  @Test
  void equalPrintsAreNotMergedAndAnUnusedPrintIsNotDropped() {
    Var x = new Var("x");
    Func f = new Func("f");
    // Two equal prints are two evaluations; the second value is multiplied by zero but still printed.
    f.at(x).set(Exprs.print(x, "a").plus(Exprs.print(x, "a")).plus(Exprs.print(x, "b").times(0)));
    for (Target t : TARGETS) {
      Run r = run(f, t, 2);
      assertEquals(List.of("0 a", "0 a", "0 b", "1 a", "1 a", "1 b"), sorted(r.lines()), t.toString());
      assertEquals(6, r.lines().size());
      assertEquals(2, r.result().getAsLong(1));
    }
  }

  @Test
  void aFuncComputedAtRootPrintsEachPointOnceForAllItsUses() {
    Var x = new Var("x");
    Func g = new Func("g");
    g.at(x).set(Exprs.print(x, "g"));
    Func f = new Func("f");
    f.at(x).set(g.at(x).plus(g.at(x.plus(1))));
    for (Target t : TARGETS) {
      // inline: one print per use
      assertEquals(List.of("0 g", "1 g", "1 g", "2 g"), sorted(run(f, t, 2).lines()), t + " inline");
    }
    g.computeRoot();
    for (Target t : TARGETS) assertEquals(List.of("0 g", "1 g", "2 g"), run(f, t, 2).lines(), t + " root");
  }

  @Test
  void aHandlerThatThrowsFailsTheRun() {
    Var x = new Var("x");
    Func f = new Func("f");
    f.at(x).set(Exprs.print(x));
    Consumer<String> previous = PrintOutput.setHandler(line -> {
      throw new IllegalStateException("no room for " + line);
    });
    try {
      IllegalStateException interp = assertThrows(IllegalStateException.class, () -> f.realize(Target.of("interp"), 2));
      assertEquals("no room for 0", interp.getMessage());
      HalogenRuntimeException llvm = assertThrows(HalogenRuntimeException.class, () -> f.realize(Target.of("llvm"), 2));
      assertEquals("printing a line of entry point f failed: java.lang.IllegalStateException: no room for 0", llvm.getMessage());
    } finally {
      PrintOutput.setHandler(previous);
    }
  }

  @Test
  void theHandlerIsReplacedAndGivenBack() {
    Consumer<String> mine = line -> {};
    Consumer<String> previous = PrintOutput.setHandler(mine);
    try {
      assertSame(mine, PrintOutput.handler());
    } finally {
      assertSame(mine, PrintOutput.setHandler(previous));
    }
    assertSame(PrintOutput.STANDARD_ERROR, PrintOutput.handler());
  }

  @Test
  void theIrIsAnIntrinsicCallOfTheValuesType() {
    Var x = new Var("x");
    Param p = new Param("p", Type.F32, 1.0);
    assertEquals("print(x * 2, \"at\", x)", IrPrinter.print(Exprs.print(x.times(2), "at", x).ir()));
    Expr when = Exprs.printWhen(x.gt(0), p, "p is", p);
    assertEquals(Type.F32, when.type());
    assertEquals("var p: float32\nprint_when(x > 0, p, \"p is\", p)", IrPrinter.print(when.ir()));
  }

  @Test
  void argumentsThatAreNeitherStringsNorExpressionsAreRefused() {
    Var x = new Var("x");
    HalogenException.TypeException e = assertThrows(HalogenException.TypeException.class, () -> Exprs.print(x, "at", 3));
    assertEquals("print: args[1] is a java.lang.Integer; pass a String or an ExprLike (an Expr, Var, Param, ...)", e.getMessage());
    e = assertThrows(HalogenException.TypeException.class, () -> Exprs.printWhen(x, x));
    assertEquals("printWhen's condition must be a bool, got int32", e.getMessage());
  }
}
