package dev.halogen.passes.lower;

import dev.halogen.ir.text.Golden;
import dev.halogen.ir.text.IrParser;
import dev.halogen.passes.IrUnit;
import dev.halogen.passes.Pass;
import dev.halogen.passes.PassRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden text tests of the lowering passes: {@code golden/PASS-NAME/CASE.hir} is the input of the
 * pass named by its directory, {@code CASE.expected.hir} the text of its output ({@code
 * -Dgolden.bless=true} rewrites the expectations; a mismatch shows a unified diff). The pass runs
 * alone, so each file pins exactly what that pass does.
 */
class LoweringGoldenTest {
  static final Path ROOT = Path.of("src/test/resources/golden");

  static Stream<Arguments> cases() throws IOException {
    List<Arguments> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(ROOT)) {
      for (Path dir : dirs.sorted().toList()) {
        try (Stream<Path> files = Files.list(dir)) {
          for (Path f : files.sorted().toList()) {
            String name = f.getFileName().toString();
            if (!name.endsWith(".hir") || name.endsWith(".expected.hir")) continue;
            String label = dir.getFileName() + "/" + name;
            out.add(Arguments.of(Named.of(label, dir.getFileName().toString()), f));
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void passOutputMatchesItsGolden(String passName, Path input) throws IOException {
    Pass pass = PassRegistry.standard().get(passName);
    IrUnit result = pass.run(IrUnit.of(IrParser.parsePipeline(Files.readString(input))));
    String name = input.getFileName().toString();
    Path expected = input.resolveSibling(name.substring(0, name.length() - ".hir".length()) + ".expected.hir");
    Golden.assertMatches(expected, result.text());
  }
}
