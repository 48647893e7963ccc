package dev.halogen.passes.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.ir.IrVerifier;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.text.Golden;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The golden text cases of a lowering pass: each {@code NAME.hir} under {@code
 * src/test/resources/golden/<pass-name>/} is an input module (a pipeline for {@code
 * schedule-functions}), and {@code NAME.expected.hir} the text the pass must print for it, written
 * by hand ({@code -Dgolden.bless=true} rewrites them; check the diff before committing it). The
 * pass runs alone, so each file pins exactly what it does. The output must also verify and read
 * back from its text.
 */
final class GoldenCases {
  private GoldenCases() {}

  private static final Path ROOT = Path.of("src/test/resources/golden");
  private static final String INPUT = ".hir";
  private static final String EXPECTED = ".expected.hir";

  /** The names of the cases of {@code pass}, sorted. */
  static List<String> names(String pass) {
    try (Stream<Path> files = Files.list(ROOT.resolve(pass))) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(INPUT) && !n.endsWith(EXPECTED))
          .map(n -> n.substring(0, n.length() - INPUT.length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the golden cases of " + pass, e);
    }
  }

  /** The input module of case {@code name} of {@code pass}. */
  static LoweredModule input(String pass, String name) {
    return read(pass, name, IrParser::parseModule);
  }

  /** One test per case of {@code pass} (there are at least 3), each {@link #check}ing {@code transform}. */
  static Stream<DynamicTest> tests(String pass, UnaryOperator<LoweredModule> transform) {
    List<String> names = names(pass);
    assertTrue(names.size() >= 3, "pass " + pass + " has " + names.size() + " golden cases");
    return names.stream().map(name -> DynamicTest.dynamicTest(name, () -> check(pass, name, transform)));
  }

  /**
   * Applies {@code transform} to the input module of case {@code name} of {@code pass}, checks the
   * printed result against the expected text, that it verifies (in either storage form) and that
   * the text reads back to it, and returns the result.
   */
  static LoweredModule check(String pass, String name, UnaryOperator<LoweredModule> transform) {
    return checkFrom(pass, name, IrParser::parseModule, transform);
  }

  /** {@link #check} for a pass whose input is a pipeline. */
  static LoweredModule checkPipeline(String pass, String name, Function<Pipeline, LoweredModule> transform) {
    return checkFrom(pass, name, IrParser::parsePipeline, transform);
  }

  private static <T> LoweredModule checkFrom(String pass, String name, Function<String, T> parse,
      Function<T, LoweredModule> transform) {
    LoweredModule out = transform.apply(read(pass, name, parse));
    String text = IrPrinter.print(out);
    Golden.assertMatches(ROOT.resolve(pass).resolve(name + EXPECTED), text);
    IrVerifier.verify(out, false);
    assertEquals(out, IrParser.parseModule(text), "text round trip of " + name);
    return out;
  }

  private static <T> T read(String pass, String name, Function<String, T> parse) {
    Path file = ROOT.resolve(pass).resolve(name + INPUT);
    try {
      return parse.apply(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read golden input " + file, e);
    }
  }
}
