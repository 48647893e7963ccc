package dev.halogen.passes.analysis;

import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Stmt;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import org.junit.jupiter.api.Test;

/** Statement simplification, as text in and text out (buffers {@code buf}, {@code out}: int32). */
class SimplifierStmtTest {
  private static final String DECLS = "buffer buf: int32\nbuffer out: int32\n";

  private static void check(String in, String expected) {
    Stmt s = IrParser.parseStmt(DECLS + in);
    Stmt out = Simplifier.simplify(s);
    assertEquals(IrPrinter.print(IrParser.parseStmt(DECLS + expected)), IrPrinter.print(out), "simplify of:\n" + in);
    assertSame(out, Simplifier.simplify(out), "not a fixed point:\n" + IrPrinter.print(out));
  }

  private static void unchanged(String in) {
    Stmt s = IrParser.parseStmt(DECLS + in);
    assertSame(s, Simplifier.simplify(s), () -> "changed:\n" + IrPrinter.print(Simplifier.simplify(s)));
  }

  @Test
  void constantBranchesAreResolved() {
    check("if (true) { buf[0] = 1 } else { buf[1] = 2 }", "buf[0] = 1");
    check("if (false) { buf[0] = 1 } else { buf[1] = 2 }", "buf[1] = 2");
    check("if (false) { buf[0] = 1 }", "{}");
    check("if (x < x + 1) { buf[0] = 1 }", "buf[0] = 1");
    check("if (likely(3 < 5)) { buf[0] = 1 }", "buf[0] = 1");
  }

  @Test
  void emptyBranchesAndBlocksDisappear() {
    check("if (x < 3) {} else {}", "{}");
    check("if (x < 3) {} else { buf[0] = 1 }", "if (2 < x) { buf[0] = 1 }");
    check("{\n buf[0] = 1\n {}\n {\n  buf[1] = 2\n  buf[2] = 3\n }\n}", "buf[0] = 1\nbuf[1] = 2\nbuf[2] = 3");
    check("{\n {}\n buf[0] = 1\n}", "buf[0] = 1");
    check("produce f {\n {}\n}", "{}");
    check("for (i, 0, x) {\n {}\n}", "{}");
    check("allocate tmp: float32 [16] {\n {}\n}", "{}");
    check("evaluate 3", "{}");
    check("buf[x if false] = 1", "{}");
  }

  @Test
  void loopsOfZeroOrOneIterations() {
    check("for (i, 0, 0) { buf[i] = 1 }", "{}");
    check("for (i, 0, -3) { buf[i] = 1 }", "{}");
    check("for (i, 0, 1) { buf[i] = i * 2 }", "buf[0] = 0");
    check("for (i, x, 1) { buf[i] = i * 2 + 1 }", "buf[x] = x * 2 + 1");
    check("for (i, x, 2 - 1) { buf[i] = i }", "buf[x] = x");
    check("parallel for (i, x, 1) { buf[i] = i }", "buf[x] = x");
    // a one-iteration GPU loop still marks a kernel: kept
    unchanged("gpu_block for (i, 0, 1) { buf[i] = i }");
    unchanged("for (i, 0, x) { buf[i] = i }");
  }

  @Test
  void loopBoundsAreFactsInTheBody() {
    check("for (i, 0, 16) { if (i < 16) { buf[i] = 1 } }", "for (i, 0, 16) { buf[i] = 1 }");
    check("for (i, 0, 16) { if (16 <= i) { buf[i] = 1 } else { buf[i] = 2 } }", "for (i, 0, 16) { buf[i] = 2 }");
    check("for (i, 0, 16) { buf[i / 16] = i % 16 }", "for (i, 0, 16) { buf[0] = i }");
    check("for (i, 2, 8) { buf[i] = min(i, 9) + max(i, 1) }", "for (i, 2, 8) { buf[i] = i * 2 }");
    unchanged("for (i, 0, 17) { if (i < 16) { buf[i] = 1 } }");
  }

  @Test
  void branchConditionsAreFactsInTheBranches() {
    check("if (x < 10) { if (x < 20) { buf[0] = 1 } }", "if (x < 10) { buf[0] = 1 }");
    check("if (x < 10) { buf[0] = 1 } else { if (5 < x) { buf[1] = 2 } }", "if (x < 10) { buf[0] = 1 } else { buf[1] = 2 }");
    check("if (0 <= x && x < 8) { buf[x / 8] = x % 8 }", "if (x < 8 && -1 < x) { buf[0] = x }");
    unchanged("if (x < 10) { if (y < 20) { buf[0] = 1 } }");
  }

  @Test
  void letsSubstituteTrivialValuesAndDieWhenUnused() {
    check("let t = x + 1\nbuf[t] = t", "buf[x + 1] = x + 1");
    check("let t = 4\nbuf[t] = t * t", "buf[4] = 16");
    check("let t = x * y\nbuf[0] = 1", "buf[0] = 1");
    unchanged("let t = x * y\nbuf[t] = t");
    check("let t = x % 8\nif (t < 8) { buf[t] = 1 }", "let t = x % 8\nbuf[t] = 1");
  }

  @Test
  void substitutionDoesNotCaptureAVariable() {
    // t is the outer x; the loop's own x must be renamed so that buf[...] = t still reads the outer one
    check("let t = x\nfor (x, 0, 4) { buf[x] = t }", "for (x$1, 0, 4) { buf[x$1] = x }");
    check("let t = y\nlet y = x * x\nbuf[y] = t", "let y$1 = x * x\nbuf[y$1] = y");
  }

  @Test
  void assertsThatHoldDisappear() {
    check("assert(0 <= x % 8, \"x % 8 is {}\", x % 8)", "{}");
    unchanged("assert(x < 3, \"x is {}\", x)");
    check("assert(x + 1 < 4, \"x is {}\", x + 0)", "assert(x < 3, \"x is {}\", x)");
    // a failing assert stays: it fails at run time
    unchanged("assert(false, \"always\")");
  }

  @Test
  void unchangedStatementsAreTheSameInstance() {
    unchanged("for (i, 0, x) {\n  buf[i] = out[i] * 2\n  out[i] = 0\n}");
    unchanged("if (x < 3) { buf[0] = 1 } else { buf[1] = 2 }");
  }
}
