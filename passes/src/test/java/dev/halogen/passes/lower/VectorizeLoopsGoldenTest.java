package dev.halogen.passes.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.ir.ForKind;
import dev.halogen.ir.IrVerifier;
import dev.halogen.ir.IrWalker;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.text.Golden;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden cases of {@code vectorize-loops}: each {@code NAME.hir} under {@link #DIR} is an input
 * module, {@code NAME.expected.hir} the module the pass must make of it (written by hand; rewrite
 * with {@code -Dgolden.bless=true} only after checking the diff). Both must verify as flattened IR,
 * and no vectorized loop may remain. The interpreter checks in backend-interp that each output
 * computes what its input does.
 */
class VectorizeLoopsGoldenTest {
  static final Path DIR = Path.of("src/test/resources/golden/vectorize-loops");

  /** The input files of the golden cases, by name. */
  static List<Path> inputs(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".hir") && !p.getFileName().toString().endsWith(".expected.hir"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Stream<Path> cases() {
    return inputs(DIR).stream();
  }

  @Test
  void theCasesAreThere() {
    assertEquals(List.of("fallback", "guarded_tail", "if_else", "inner_serial", "misc", "pointwise", "stencil", "vector_let"),
        inputs(DIR).stream().map(p -> p.getFileName().toString().replace(".hir", "")).toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void outputMatchesGolden(Path input) throws IOException {
    LoweredModule in = IrParser.parseModule(Files.readString(input));
    IrVerifier.verify(in, true);
    LoweredModule out = VectorizeLoopsPass.vectorize(in);
    String name = input.getFileName().toString().replace(".hir", "");
    Golden.assertMatches(DIR.resolve(name + ".expected.hir"), IrPrinter.print(out));
    IrVerifier.verify(out, true);
    assertEquals(out, IrParser.parseModule(IrPrinter.print(out)), "text round trip");
    for (LoweredModule.EntryPoint ep : out.entryPoints()) assertFalse(hasVectorizedLoop(ep.body()), ep.name());
    assertTrue(out != in, "every case has a vectorized loop to replace");
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
