package dev.halogen.passes.analysis;

import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Expr;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The rule table {@code simplify-rules.txt}: one rule per line, {@code input => expected}, both in
 * the IR text form, grouped by family under {@code #} comments. {@code => unchanged} means the
 * simplifier must return the very input instance (the negative rows: a rule that would be wrong
 * there). {@code @decl} lines declare the typed variables every row may use (int32 variables need
 * no declaration).
 */
class SimplifierRulesTest {
  private static final String TABLE = "simplify-rules.txt";

  record Row(int line, String input, String expected) {
    boolean unchanged() {
      return expected.equals("unchanged");
    }
  }

  static List<Row> rows(List<String> decls) throws IOException {
    List<Row> rows = new ArrayList<>();
    try (InputStream in = SimplifierRulesTest.class.getResourceAsStream(TABLE)) {
      assertNotNull(in, TABLE + " is missing");
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        String s = line.strip();
        if (s.isEmpty() || s.startsWith("#")) continue;
        if (s.startsWith("@decl ")) {
          decls.add(s.substring(6).strip());
          continue;
        }
        int arrow = s.indexOf("=>");
        assertTrue(arrow > 0, TABLE + ":" + n + ": no '=>' in: " + s);
        rows.add(new Row(n, s.substring(0, arrow).strip(), s.substring(arrow + 2).strip()));
      }
    }
    return rows;
  }

  /** The printed expression without its declaration lines, on one line. */
  static String body(String printed) {
    StringBuilder sb = new StringBuilder();
    for (String l : printed.split("\n")) {
      if (l.startsWith("var ")) continue;
      if (!sb.isEmpty()) sb.append(' ');
      sb.append(l.strip());
    }
    return sb.toString();
  }

  @TestFactory
  Stream<DynamicTest> rules() throws IOException {
    List<String> decls = new ArrayList<>();
    List<Row> rows = rows(decls);
    String prelude = String.join(" ", decls) + " ";
    return rows.stream().map(row -> DynamicTest.dynamicTest(TABLE + ":" + row.line() + ": " + row.input(), () -> {
      Expr in = IrParser.parseExpr(prelude + row.input());
      Expr out = Simplifier.simplify(in);
      String got = body(IrPrinter.print(out));
      if (row.unchanged()) {
        assertSame(in, out, () -> "must stay unchanged, became: " + got);
        return;
      }
      assertEquals(row.expected(), got, "simplify(" + row.input() + ")");
      // the expected text has the same types as the result
      assertEquals(IrParser.parseExpr(prelude + row.expected()), out);
      // a simplified expression is a fixed point, and simplifying it again gives the same instance
      assertSame(out, Simplifier.simplify(out), "second simplification changed " + got);
    }));
  }

  @Test
  void tableHasEnoughRulesAndNegativeRows() throws IOException {
    List<Row> rows = rows(new ArrayList<>());
    long negative = rows.stream().filter(Row::unchanged).count();
    System.out.printf("%s: %d rules, %d of them negative%n", TABLE, rows.size(), negative);
    assertTrue(rows.size() >= 150, "only " + rows.size() + " rules");
    assertTrue(negative >= 20, "only " + negative + " negative rules");
  }
}
