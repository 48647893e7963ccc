package dev.halogen.passes.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.halogen.ir.ForKind;
import dev.halogen.ir.IrVerifier;
import dev.halogen.ir.IrWalker;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Stmt;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden cases of {@code vectorize-loops} ({@link GoldenCases}): input and output must both
 * verify as flattened IR, and no vectorized loop may remain. The interpreter checks in
 * backend-interp that each output computes what its input does.
 */
class VectorizeLoopsGoldenTest {
  static List<String> cases() {
    return GoldenCases.names(VectorizeLoopsPass.NAME);
  }

  @Test
  void theCasesAreThere() {
    assertEquals(List.of("fallback", "guarded_tail", "if_else", "inner_serial", "misc", "pointwise", "stencil", "vector_let"), cases());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void outputMatchesGolden(String name) {
    LoweredModule out = GoldenCases.check(VectorizeLoopsPass.NAME, name, in -> {
      IrVerifier.verify(in, true);
      LoweredModule vectorized = VectorizeLoopsPass.vectorize(in);
      assertNotSame(in, vectorized, "every case has a vectorized loop to replace");
      return vectorized;
    });
    IrVerifier.verify(out, true);
    for (LoweredModule.EntryPoint ep : out.entryPoints()) assertFalse(hasVectorizedLoop(ep.body()), ep.name());
  }

  static boolean hasVectorizedLoop(Stmt s) {
    boolean[] found = {false};
    new IrWalker() {
      @Override
      protected void enter(Stmt t, Scope scope, Path path) {
        if (t instanceof Stmt.For f && f.kind() == ForKind.VECTORIZED) found[0] = true;
      }
    }.walk(s);
    return found[0];
  }
}
