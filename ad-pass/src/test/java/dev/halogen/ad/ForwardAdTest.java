package dev.halogen.ad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.halogen.ir.Function;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tangent Funcs forward mode builds, on IR text. */
class ForwardAdTest {
  private static final Pipeline SCAN = IrParser.parsePipeline("""
      pipeline outputs(out, seed)
      image in: float32 [1]

      func out(x): float32 {
        out(x) = in(x)
        out(x) = out(x) * out(x)
      }

      func seed(i): float32 {
        seed(i) = 1.0f
      }
      """);

  private static ForwardAd.Result tangent(Pipeline p, Map<String, Function> seeds) {
    return ForwardAd.propagate(p, "out", seeds, n -> n, CustomRules.NONE);
  }

  /**
   * The update reads out's own value, so the tangent Func is dual: out's values, then their
   * tangents, stage by stage (d(f * f) = df f + df f); the tangent alone is a Func of its own.
   */
  @Test
  void anUpdateReadingItsOwnValueGivesADualTangentFunc() {
    ForwardAd.Result r = tangent(SCAN, Map.of("in", SCAN.function("seed")));
    assertEquals(2, r.functions().size());
    assertEquals("""
        func seed: float32
        image in: float32
        func out_t(x): (float32, float32) {
          out_t(x) = {in(x), seed(x)}
          out_t(x) = {out_t(x)[0] * out_t(x)[0], out_t(x)[1] * out_t(x)[0] + out_t(x)[1] * out_t(x)[0]}
        }
        """, IrPrinter.print(r.functions().get(0)));
    assertEquals("out_tangent", r.tangent().name());
    assertEquals("""
        func out_tangent(x): float32 {
          out_tangent(x) = func<float32> out_t(x)[1]
        }
        """, IrPrinter.print(r.tangent()));
  }

  @Test
  void aSeedForSomethingThatIsNoInputIsRefusedByName() {
    AdException e = assertThrows(AdException.class, () -> tangent(SCAN, Map.of("nope", SCAN.function("seed"))));
    assertEquals("The tangent seed names nope, which is not an input image or scalar parameter of the pipeline", e.getMessage());
  }
}
