package dev.halogen.passes.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

/**
 * The golden text cases of a lowering pass: each {@code NAME.hir} under {@code
 * src/test/resources/golden/<pass-name>/} is an input module (a pipeline for {@code
 * schedule-functions}), and {@code NAME.expected.hir} the text the pass must print for it ({@code
 * -Dgolden.bless=true} rewrites them). The pass runs alone, so each file pins exactly what it does.
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

  /**
   * Applies {@code transform} to the input module of case {@code name} of {@code pass}, checks the
   * printed result against the expected text and that the text reads back to it, and returns the
   * result.
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
    Path dir = ROOT.resolve(pass);
    T in;
    try {
      in = parse.apply(Files.readString(dir.resolve(name + INPUT)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read golden input " + name, e);
    }
    LoweredModule out = transform.apply(in);
    String text = IrPrinter.print(out);
    Golden.assertMatches(dir.resolve(name + EXPECTED), text);
    assertEquals(out, IrParser.parseModule(text), "text round trip of " + name);
    return out;
  }
}
