package dev.halogen.passes.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.halogen.passes.lower.LoopNames.LoopName;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoopNamesTest {
  @Test
  void aLoopNameIsFuncStageAndVariable() {
    assertEquals("blur.s0.x", LoopNames.of("blur", 0, "x"));
    assertEquals(Optional.of(new LoopName("blur", 0, "x")), LoopNames.parse("blur.s0.x"));
    assertEquals(Optional.of(new LoopName("hist", 12, "r.x")), LoopNames.parse("hist.s12.r.x"));
    assertEquals("Func hist stage 12", LoopNames.describe("hist.s12.r.x"));
    assertEquals("hist.s12.r.x", new LoopName("hist", 12, "r.x").loop());
  }

  @Test
  void splitVariablesWithDotsStayInTheVariable() {
    assertEquals(Optional.of(new LoopName("blur", 1, "x.xi.s2.v")), LoopNames.parse("blur.s1.x.xi.s2.v"));
  }

  @Test
  void theFuncsOfThePipelineDecideBetweenSeparators() {
    // "a.s1.b.s0.x" is Func a stage 1 (variable b.s0.x) or Func a.s1.b stage 0 (variable x).
    assertEquals(Optional.of(new LoopName("a", 1, "b.s0.x")), LoopNames.parse("a.s1.b.s0.x"));
    assertEquals(Optional.of(new LoopName("a.s1.b", 0, "x")), LoopNames.parse("a.s1.b.s0.x", Set.of("a.s1.b", "c")));
    assertEquals(Optional.of(new LoopName("a", 1, "b.s0.x")), LoopNames.parse("a.s1.b.s0.x", Set.of("c")));
    assertEquals("Func a.s1.b stage 0", LoopNames.describe("a.s1.b.s0.x", Set.of("a.s1.b")));
  }

  @Test
  void otherNamesAreNoLoopsOfAStage() {
    for (String name : new String[] {"x", "f.x", "f.s0", ".s0.x", "f.s0.", "f.s01.x", "f.sx.y", "f.s9999999999.x"}) {
      assertEquals(Optional.empty(), LoopNames.parse(name), name);
    }
    assertEquals("loop f.x", LoopNames.describe("f.x"));
  }
}
