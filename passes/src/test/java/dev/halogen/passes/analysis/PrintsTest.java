package dev.halogen.passes.analysis;

import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.PrintOutput;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The printing intrinsics in the evaluator and the analyses: each evaluation prints its lines;
 * the simplifier neither folds nor drops nor merges a print, CSE does not merge two, and bounds see
 * through one.
 */
class PrintsTest {
  private static Expr parse(String text) {
    return IrParser.parseExpr(text);
  }

  private static List<String> printed(Runnable r) {
    try (PrintOutput.Capture c = PrintOutput.capture()) {
      r.run();
      return c.lines();
    }
  }

  @Test
  void evaluatingPrintsEachLaneAndGivesTheValue() {
    Expr e = parse("print(ramp(x, 2, 3), \"at\", broadcast(x, 3), 1.5f)");
    List<String> lines = printed(() -> {
      Value v = Evaluator.WRAPPING.eval(e, Map.of("x", Value.ofInts(Type.I32, 4)));
      assertEquals(Value.ofInts(Type.I32.withLanes(3), 4, 6, 8), v);
    });
    assertEquals(List.of("4 at 4 1.5", "6 at 4 1.5", "8 at 4 1.5"), lines);
    Expr when = parse("print_when(ramp(x, 1, 4) % broadcast(2, 4) == broadcast(0, 4), ramp(x, 1, 4), \"even\")");
    assertEquals(List.of("4 even", "6 even"), printed(() -> Evaluator.WRAPPING.eval(when, Map.of("x", Value.ofInts(Type.I32, 4)))));
  }

  @Test
  void theSimplifierDoesNotEvaluateDropOrMergePrints() {
    List<String> lines = printed(() -> {
      assertEquals("print(7)", IrPrinter.print(Simplifier.simplify(parse("print(3 + 4)"))));
      assertEquals("print(x) * 0", IrPrinter.print(Simplifier.simplify(parse("print(x) * 0"))));
      assertEquals("print(x) - print(x)", IrPrinter.print(Simplifier.simplify(parse("print(x) - print(x)"))));
      assertEquals("select(true, print(x), print(y))", IrPrinter.print(Simplifier.simplify(parse("select(true, print(x), print(y))"))));
      // the unused let whose value prints stays
      assertEquals("(let t = print(x) in 5)", IrPrinter.print(Simplifier.simplify(parse("(let t = print(x) in 5)"))));
      Stmt s = Simplifier.simplify(IrParser.parseStmt("let t = print_when(x > 0, x)\nevaluate 0"));
      assertEquals("let t = print_when(0 < x, x)\n{}", IrPrinter.print(s).strip());
      // without a print the same rules apply
      assertEquals("0", IrPrinter.print(Simplifier.simplify(parse("x * 0"))));
    });
    assertEquals(List.of(), lines, "the simplifier printed");
  }

  @Test
  void cseKeepsEqualPrintsApartButSharesOneUsedTwice() {
    Expr twice = parse("print(x + 1) + print(x + 1)");
    assertEquals("(let t0 = x + 1 in print(t0) + print(t0))", IrPrinter.print(Cse.cse(twice)));
    Expr shared = parse("(let p = print(x + 1) in p * p)");
    assertEquals("(let t0 = print(x + 1) in t0 * t0)", IrPrinter.print(Cse.cse(shared)));
  }

  @Test
  void theBoundsOfAPrintAreThoseOfItsValue() {
    Expr e = parse("print_when(x > 0, min(max(x, 0), 10), \"clamped\")");
    Interval b = Bounds.boundsOf(e, IntervalScope.of(Map.of("x", new Interval(new IntImm(Type.I32, -5), new IntImm(Type.I32, 20)))));
    assertEquals(new Interval(new IntImm(Type.I32, 0), new IntImm(Type.I32, 10)), b);
    Interval point = Bounds.boundsOf(parse("print(5)"), IntervalScope.empty());
    assertEquals(Interval.point(new IntImm(Type.I32, 5)), point);
  }
}
