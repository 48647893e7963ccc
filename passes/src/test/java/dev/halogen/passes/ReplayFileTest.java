package dev.halogen.passes;

import static dev.halogen.passes.IrProperty.FUNCTION_GRAPH;
import static dev.halogen.passes.IrProperty.GRAPH_VERIFIED;
import static dev.halogen.passes.IrProperty.LOOPS_BUILT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.ir.IrFormatException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplayFileTest {
  private static final IrUnit.Loops LOOPS =
      new IrUnit.Loops(TestPasses.module(TestPasses.MODULE), TestPasses.pipeline(TestPasses.STRIPPED));

  @Test
  void loopNestsAreWrittenAsTwoSections() {
    ReplayFile r = new ReplayFile(LOOPS, Set.of(LOOPS_BUILT, GRAPH_VERIFIED), List.of("flatten", "cse"), "");
    // Properties in declaration order; no failure line when there is none.
    assertEquals("// halogen replay 1\n"
        + "// properties: GRAPH_VERIFIED LOOPS_BUILT\n"
        + "// passes: flatten cse\n"
        + "// section: source\n" + TestPasses.STRIPPED
        + "// section: module\n" + TestPasses.MODULE, r.text());
    assertEquals(r, ReplayFile.parse(r.text(), "r.replay"));
  }

  @Test
  void theFunctionGraphRoundTrips() {
    ReplayFile r = new ReplayFile(IrUnit.of(TestPasses.pipeline(TestPasses.PIPELINE)), Set.of(FUNCTION_GRAPH),
        List.of(), "pass 'x' (1 of 1) threw java.lang.RuntimeException: boom");
    assertEquals(r, ReplayFile.parse(r.text(), "r.replay"));
    assertEquals(r, ReplayFile.parse(r.text().replace("\n", "\r\n"), "r.replay"));
  }

  private static IrFormatException bad(String text) {
    return assertThrows(IrFormatException.class, () -> ReplayFile.parse(text, "bad.replay"));
  }

  @Test
  void errorsNameTheFileAndLine() {
    assertEquals("bad.replay:1: not a replay file: the first line must be '// halogen replay 1'",
        bad("pipeline outputs(f)\n").getMessage());
    assertEquals("bad.replay:2: expected a header line '// key: value' or '// section: NAME', got 'passes: a'",
        bad("// halogen replay 1\npasses: a\n").getMessage());
    assertEquals("bad.replay: the replay file has no '// passes:' line",
        bad("// halogen replay 1\n// properties: FUNCTION_GRAPH\n// section: pipeline\n" + TestPasses.PIPELINE).getMessage());
    IrFormatException e = bad("// halogen replay 1\n// properties: FUNCTION_GRAPH SORTED\n// passes:\n");
    assertEquals("bad.replay:2", e.location());
    assertTrue(e.getMessage().startsWith("bad.replay:2: unknown IR property 'SORTED'; the properties are [FUNCTION_GRAPH,"),
        e.getMessage());
    assertEquals("bad.replay: a replay file has the section 'pipeline', or 'source' and 'module'; found module",
        bad("// halogen replay 1\n// properties: LOOPS_BUILT\n// passes: a\n// section: module\n" + TestPasses.MODULE)
            .getMessage());
    assertEquals("bad.replay:5: section 'pipeline' appears twice", bad("// halogen replay 1\n// properties: FUNCTION_GRAPH\n"
        + "// passes: a\n// section: pipeline\n// section: pipeline\n" + TestPasses.PIPELINE).getMessage());
    assertEquals("bad.replay: a replay file has the section 'pipeline', or 'source' and 'module'; found none",
        bad("// halogen replay 1\n// properties: LOOPS_BUILT\n// passes: a\n").getMessage());
  }

  @Test
  void anIrErrorInASectionIsReportedAtItsLineInTheFile() {
    String text = new ReplayFile(LOOPS, Set.of(LOOPS_BUILT), List.of("a"), "").text()
        .replace("g(x) = in(x) * k + 0", "g(x) = in(x) * * k");
    // Blank lines in the header are allowed.
    assertEquals(LOOPS, ReplayFile.parse(text.replace("// passes: a\n", "\n// passes: a\n\n")
        .replace("* * k", "* k + 0"), "ok.replay").input());
    // Line 1-4 header and source marker, 16 lines of pipeline, the module marker on 21, the module
    // from line 22: "module m" 22, blank 23, entry 24, realize 25, for 26, the provide 27.
    IrFormatException e = bad(text);
    assertEquals("bad.replay:27:", e.location().substring(0, "bad.replay:27:".length()));
  }
}
