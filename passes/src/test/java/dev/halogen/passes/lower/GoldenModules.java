package dev.halogen.passes.lower;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.ir.IrVerifier;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.text.Golden;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Golden tests of a pass on module text: {@code golden/<pass>/NAME.hir} is the input and {@code
 * NAME.expected.hir} the output the pass must print, written by hand ({@code -Dgolden.bless=true}
 * rewrites the expected files; check the diff before committing it).
 */
final class GoldenModules {
  private GoldenModules() {}

  static final String EXPECTED = ".expected.hir";

  /** The inputs of {@code pass}'s golden tests, sorted by name. */
  static List<Path> inputs(String pass) {
    Path dir = Path.of("src/test/resources/golden", pass);
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".hir") && !p.toString().endsWith(EXPECTED)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list golden directory " + dir, e);
    }
  }

  /** One test per input of {@code pass}: the output of {@code run} on it, verified and compared with the expected text. */
  static Stream<DynamicTest> tests(String pass, UnaryOperator<LoweredModule> run) {
    List<Path> inputs = inputs(pass);
    assertTrue(inputs.size() >= 3, "pass " + pass + " has " + inputs.size() + " golden tests");
    return inputs.stream().map(in -> DynamicTest.dynamicTest(in.getFileName().toString(), () -> {
      LoweredModule out = run.apply(parse(in));
      IrVerifier.verify(out, false);
      String name = in.getFileName().toString();
      Golden.assertMatches(in.resolveSibling(name.substring(0, name.length() - ".hir".length()) + EXPECTED), IrPrinter.print(out));
    }));
  }

  static LoweredModule parse(Path file) {
    try {
      return IrParser.parseModule(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static LoweredModule golden(String pass, String name) {
    return parse(Path.of("src/test/resources/golden", pass, name + ".hir"));
  }
}
