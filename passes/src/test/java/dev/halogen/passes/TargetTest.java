package dev.halogen.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TargetTest {
  @Test
  void aBackendAlone() {
    Target t = Target.of("interp");
    assertEquals("interp", t.backend());
    assertEquals(Set.of(), t.features());
    assertEquals("interp", t.toString());
    assertEquals(t, Target.parse("interp"));
  }

  @Test
  void featuresAreSortedInTheTextAndParsedInAnyOrder() {
    Target t = Target.of("llvm", "debug", "avx2");
    assertEquals("llvm-avx2-debug", t.toString());
    assertEquals(List.of("avx2", "debug"), List.copyOf(t.features()));
    assertEquals(t, Target.parse("llvm-debug-avx2"));
    assertEquals(t, Target.parse(t.toString()));
    assertTrue(t.has("avx2"));
    assertFalse(t.has("sse"));
    assertEquals(Target.parse("llvm-avx2-debug-sse"), t.with("sse"));
    assertEquals(t, t.with("debug"));
  }

  @Test
  void featuresCannotBeChanged() {
    assertThrows(UnsupportedOperationException.class, () -> Target.of("interp", "a").features().add("b"));
  }

  @Test
  void invalidTextsAreNamed() {
    assertEquals("empty target: expected backend[-feature]*, such as interp",
        assertThrows(IllegalArgumentException.class, () -> Target.parse("")).getMessage());
    assertEquals("invalid target 'Interp': backend name 'Interp' is not a lowercase word (letters, digits, _; starting with a letter)",
        assertThrows(IllegalArgumentException.class, () -> Target.parse("Interp")).getMessage());
    assertEquals("invalid target 'llvm--avx2': feature name '' is not a lowercase word (letters, digits, _; starting with a letter)",
        assertThrows(IllegalArgumentException.class, () -> Target.parse("llvm--avx2")).getMessage());
    assertEquals("feature name '2x' is not a lowercase word (letters, digits, _; starting with a letter)",
        assertThrows(IllegalArgumentException.class, () -> Target.of("llvm", "2x")).getMessage());
  }
}
