package dev.halogen.ir.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Function;
import dev.halogen.ir.IrFormatException;
import dev.halogen.ir.IrSamples;
import dev.halogen.ir.Stmt;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Malformed texts fail with an IrFormatException at the right line:column, and with nothing else. */
class IrParserErrorTest {
  private interface Parse {
    Object parse(String text);
  }

  private static final Parse EXPR = IrParser::parseExpr;
  private static final Parse STMT = IrParser::parseStmt;
  private static final Parse FUNC = IrParser::parseFunction;
  private static final Parse PIPELINE = IrParser::parsePipeline;
  private static final Parse MODULE = IrParser::parseModule;

  private static void fails(Parse parser, String text, String location, String fragment) {
    IrFormatException e = assertThrows(IrFormatException.class, () -> parser.parse(text), text);
    assertEquals(location, e.location(), e.getMessage());
    assertTrue(e.getMessage().startsWith(location + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
  }

  @Test
  void unterminatedStringsAndBadEscapes() {
    fails(STMT, "evaluate \"abc", "1:10", "unterminated string");
    fails(STMT, "evaluate \"abc\nevaluate 1", "1:10", "unterminated string");
    fails(EXPR, "\"a\\qb\"", "1:3", "unknown escape '\\q'");
    fails(EXPR, "\"\\u12g4\"", "1:2", "\\u must be followed by 4 hexadecimal digits");
  }

  @Test
  void missingParentheses() {
    fails(EXPR, "min(x, y", "1:9", "expected ')' after the 2 arguments of 'min', found end of input");
    fails(EXPR, "max(x, y, z)", "1:9", "expected ')' after the 2 arguments of 'max', found ','");
    fails(EXPR, "func f: float32\nf(x y)", "2:5", "expected ')' after call arguments, found 'y'");
    fails(EXPR, "(x + 1", "1:7", "expected ')' to close the '(' at 1:1, found end of input");
    fails(STMT, "if x < y {}", "1:4", "expected '(' after 'if', found 'x'");
  }

  @Test
  void unknownTypes() {
    fails(EXPR, "cast<flaot32>(x)", "1:6", "unknown type 'flaot32'");
    fails(EXPR, "var g: float33\ng", "1:8", "unknown type 'float33'");
    fails(STMT, "allocate b: int32x0 [4] {}", "1:13", "unknown type 'int32x0'");
  }

  @Test
  void badLiterals() {
    fails(EXPR, "x + 3q", "1:5", "unknown literal suffix 'q' in 3q");
    fails(EXPR, "1.5u8", "1:1", "integer suffix 'u8' on the floating-point literal 1.5u8");
    fails(EXPR, "256u8", "1:1", "literal 256u8 is out of range for uint8 (0 to 255)");
    fails(EXPR, "x < -129i8", "1:5", "literal -129i8 is out of range for int8 (-128 to 127)");
    fails(EXPR, "2147483648", "1:1", "out of range for int32");
    fails(EXPR, "-1u32", "1:1", "out of range for uint32");
    fails(EXPR, "18446744073709551616u64", "1:1", "out of range for uint64");
    fails(EXPR, "1e39f", "1:1", "literal 1e39f is out of range for float32");
    fails(EXPR, "1e400", "1:1", "out of range for float64");
    fails(EXPR, "70000.0h", "1:1", "out of range for float16");
    fails(EXPR, "2.5.x", "1:4", "unexpected character '.'");
  }

  @Test
  void typeErrorsFromTheIrConstructorsAreLocated() {
    fails(EXPR, "x + 1.5f", "1:3", "Add operands differ in type: int32 and float32");
    fails(EXPR, "x + 1.5f", "1:3", "'x' is not declared, so it is int32");
    fails(EXPR, "select(x, 1, 2)", "1:1", "Select condition must be bool, got int32");
    fails(STMT, "for (x, 0, 10) {\n  f[x] = 1\n  if (x + 1) {}\n}", "3:3", "IfThenElse condition must be bool, got int32");
    fails(STMT, "for (x, 0, 1.0f) {}", "1:1", "For x bounds must be int32");
    fails(EXPR, "vector_reduce<and>(ramp(x, 1, 4), 2)", "1:1", "VectorReduce AND does not apply to int32x4");
    fails(EXPR, "broadcast(broadcast(x, 65536), 65536)", "1:1", "lanes");
  }

  @Test
  void undeclaredNames() {
    fails(EXPR, "gain * 2.0f", "1:6", "'gain' is not declared, so it is int32; declare it with 'var gain: TYPE'");
    fails(EXPR, "foo(x)", "1:1", "unknown function 'foo'");
    fails(EXPR, "buf[x]", "1:1", "unknown buffer 'buf'");
    fails(EXPR, "image im: float32\nim(x)[0]", "2:1", "selects a value of a tuple func, but 'im' is an image");
    fails(EXPR, "func f: float32\nf(x)[1]", "2:1", "func 'f' has 1 value, so value index 1 is out of range");
    fails(EXPR, "sin()", "1:1", "'sin' needs at least one argument");
    fails(EXPR, "print_when(x > 0)", "1:1", "'print_when' needs at least two arguments");
    fails(EXPR, "var g: float32\nvar g: float64\ng", "2:5", "'g' is declared twice (first at 1:5)");
  }

  @Test
  void badStatements() {
    fails(STMT, "frobnicate x", "1:1", "unknown statement 'frobnicate'");
    fails(STMT, "for (i, 0, 4) {\n  frob(x)\n}", "3:1", "expected '=' after 'frob(...)', found '}'");
    fails(STMT, "else {}", "1:1", "'else' without an 'if' before it");
    fails(STMT, "realize for: float32 {}", "1:9", "found the keyword 'for' (write `for` to use it as a name)");
    fails(STMT, "parallel (x, 0, 4) {}", "1:10", "expected 'for' after the loop kind 'parallel'");
    fails(STMT, "for (x, 0, 4) on gpu {}", "1:18", "expected a device API after 'on' (host, default_gpu, cuda or opencl)");
    fails(STMT, "allocate b: float32 [4] in cache {}", "1:28", "expected a memory type after 'in'");
    fails(STMT, "let t = 1\nevaluate t\n}", "3:1", "expected end of input after the statements, found '}'");
  }

  @Test
  void badVectorForms() {
    fails(EXPR, "ramp(x, 1, 1)", "1:1", "Ramp needs at least 2 lanes, got 1");
    fails(EXPR, "ramp(x, 1, n)", "1:12", "expected the lane count of 'ramp' (an integer literal), found 'n'");
    fails(EXPR, "ramp(x, 1.0f, 4)", "1:1", "Ramp operands differ in type");
    fails(EXPR, "broadcast(x, 99999999999)", "1:14", "out of range");
    fails(EXPR, "vector_reduce<sum>(x, 1)", "1:15", "expected a reduction operator (add, mul, min, max, and or or)");
  }

  @Test
  void badConstants() {
    String bad = "pipeline outputs(f)\nconstant lut: float32 [0, 2] = \"@@@\"\nfunc f(x): float32 {\n  f(x) = lut(x)\n}\n";
    fails(PIPELINE, bad, "2:32", "the data of constant 'lut' is not valid base64");
    String shortData = "pipeline outputs(f)\nconstant lut: float32 [0, 2] = \"AAAA\"\nfunc f(x): float32 {\n  f(x) = lut(x)\n}\n";
    fails(PIPELINE, shortData, "2:32", "needs 8 bytes of data, but the base64 text holds 3");
    fails(MODULE, "module m\nconstant c: handle [0, 1] = \"AAAAAAAAAAA=\"\n", "2:10", "Buffer element type must be a scalar number or bool");
    fails(MODULE, "module m\nconstant c: uint8 [0, 2000000000] [0, 2000000000] = \"\"\n", "2:10", "more than 2^31 elements");
    fails(MODULE, "module m\nentry e() {}\nconstant c: uint8 = \"AA==\"\n", "3:1", "constants must come before the entry points");
  }

  @Test
  void badFuncsAndPipelines() {
    String dup = "pipeline outputs(f)\nfunc f(x): int32 {\n  f(x) = x\n}\nfunc f(x): int32 {\n  f(x) = 1\n}\n";
    fails(PIPELINE, dup, "5:6", "duplicate func 'f' (the name is first declared at 2:6)");
    fails(PIPELINE, "pipeline outputs(f)\nparam n: int32\nparam n: float32\nfunc f(x): int32 {\n  f(x) = x\n}\n", "3:7",
        "duplicate parameter 'n'");
    fails(PIPELINE, "pipeline outputs(g)\nfunc f(x): int32 {\n  f(x) = x\n}\n", "1:18", "pipeline output 'g' is not a func of the pipeline");
    fails(PIPELINE, "pipeline outputs(f)\nfunc f(x): int32 {\n  g(x) = x\n}\n", "3:3", "a definition inside func 'f' must define 'f'");
    fails(PIPELINE, "pipeline outputs(f)\nfunc f(x): int32 {\n  f(x) = x\n", "2:18", "the body of func 'f' is not closed");
    fails(PIPELINE, "pipeline outputs(f)\nfunc f(x): int32 {\n  f(x) = x\n  schedule { vectorize(x) }\n}\n", "4:14",
        "unknown schedule directive 'vectorize'");
    fails(PIPELINE, "pipeline outputs(f)\nfunc f(x): int32 {\n  f(x) = x\n  schedule { loops(x) loops(x) }\n}\n", "4:23",
        "'loops' is given twice");
    fails(PIPELINE, "pipeline outputs(f)\nfunc f(x): int32 {\n  f(x) = x\n  compute_root compute_root\n}\n", "4:16",
        "the compute level is given twice");
    fails(PIPELINE, "pipeline outputs(f)\nwidget w\n", "2:1", "expected 'param', 'image', 'constant' or 'func', found 'widget'");
    fails(FUNC, "func f(x): int32 {}", "1:6", "func 'f' has no definition");
    fails(FUNC, "func f(x): int32 {\n  over r() {\n    f(x) = x\n  }\n}", "2:8", "ReductionDomain r has no variables");
    fails(FUNC, "func f(x): int32 {\n  f(x) = x\n  compute_at(g, -1, x)\n}", "3:17", "expected the stage of the loop level");
    fails(MODULE, "module m\nentry e(in a: float32) {}\n", "2:22", "expected '[' before the dimension count of buffer argument 'a'");
  }

  @Test
  void trailingGarbageAndOtherSyntax() {
    fails(EXPR, "x + 1 )", "1:7", "expected end of input after the expression, found ')'");
    fails(STMT, "evaluate x }", "1:12", "expected end of input after the statements, found '}'");
    fails(EXPR, "x < y < x", "1:7", "comparisons do not chain");
    fails(EXPR, "-x", "1:1", "'-' must be followed by a number");
    fails(EXPR, "let t = 1 in t", "1:1", "a let expression must be in parentheses");
    fails(EXPR, "x +", "1:4", "expected an expression, found end of input");
    fails(EXPR, "x & y", "1:3", "unexpected character '&' (logical and is '&&')");
    fails(EXPR, "`1abc`", "1:1", "'1abc' in backquotes is not a valid name");
    fails(EXPR, "`abc", "1:1", "unterminated quoted name");
    fails(EXPR, "for", "1:1", "the keyword 'for' cannot start an expression");
    fails(EXPR, "", "1:1", "expected an expression, found end of input");
  }

  @Test
  void deepNestingIsAnErrorNotAStackOverflow() {
    int ok = 900;
    IrParser.parseExpr("(".repeat(ok) + "x" + ")".repeat(ok));
    IrParser.parseStmt("for (x, 0, 1) {".repeat(ok) + "}".repeat(ok));
    fails(EXPR, "(".repeat(100_000) + "x" + ")".repeat(100_000), "1:1001", "nested more than 1000 levels deep");
    fails(EXPR, "!".repeat(100_000) + "(x < 1)", "1:1000", "nested more than 1000 levels deep");
    fails(STMT, "{".repeat(100_000), "1:1001", "nested more than 1000 levels deep");
    fails(EXPR, "min(".repeat(50_000), "1:4001", "nested more than 1000 levels deep");
  }

  /**
   * Printed samples with seeded random edits: each parse either succeeds or fails with an
   * IrFormatException carrying a line:column, never with another exception.
   */
  @Test
  void randomlyMutatedTextsOnlyEverFailWithIrFormatException() {
    List<String> texts = new ArrayList<>();
    List<Parse> parsers = new ArrayList<>();
    for (Expr e : IrSamples.exprs()) {
      texts.add(IrPrinter.print(e));
      parsers.add(EXPR);
    }
    for (Stmt s : IrSamples.stmts()) {
      texts.add(IrPrinter.print(s));
      parsers.add(STMT);
    }
    for (Function f : IrSamples.pipeline().functions().values()) {
      texts.add(IrPrinter.print(f));
      parsers.add(FUNC);
    }
    texts.add(IrPrinter.print(IrSamples.pipeline()));
    parsers.add(PIPELINE);
    texts.add(IrPrinter.print(IrSamples.module()));
    parsers.add(MODULE);
    String[] pieces = {"(", ")", "{", "}", "[", "]", ",", ":", "<", ">", "=", "!", "&", "|", "+", "-", "*", "/", "%",
        "\"", "`", "\\", " ", "\n", ".", "0", "9", "e", "f", "h", "u8", "i64", "x", "_", "$", "é", "\u0000", " let ",
        " in ", " if ", "for", "-1", "1e999", "256u8", "nan_f32", " over ", "schedule", "//", "->", "ramp", "block",
        "func<", "var<float32>", "load<", "999999999999", "0.5h", "\"AAAA\"", "compute_at(", "loops(", " else "};
    Random rnd = new Random(1234);
    int parsed = 0;
    for (int round = 0; round < 2000; round++) {
      int which = rnd.nextInt(texts.size());
      StringBuilder sb = new StringBuilder(texts.get(which));
      int edits = 1 + rnd.nextInt(3);
      for (int k = 0; k < edits; k++) {
        int at = rnd.nextInt(sb.length() + 1);
        switch (rnd.nextInt(4)) {
          case 0 -> {
            if (at < sb.length()) sb.deleteCharAt(at);
          }
          case 1 -> sb.insert(at, pieces[rnd.nextInt(pieces.length)]);
          case 2 -> {
            if (at < sb.length()) sb.setCharAt(at, pieces[rnd.nextInt(pieces.length)].charAt(0));
          }
          default -> sb.setLength(at);
        }
      }
      String text = sb.toString();
      try {
        parsers.get(which).parse(text);
        parsed++;
      } catch (IrFormatException e) {
        assertTrue(e.location().matches("\\d+:\\d+"), () -> "bad location " + e.location() + " for:\n" + text);
      } catch (Throwable t) {
        fail("parsing a mutated text threw " + t + " instead of IrFormatException; the text:\n" + text, t);
      }
    }
    // Some edits (in names, numbers or whitespace) leave valid text; most do not.
    assertTrue(parsed > 50 && parsed < 1900, "parsed " + parsed);
  }
}
