package dev.halogen.ad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.Expr.IntImm;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.Range;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bitwise intrinsics are integer operations: no derivative, and no refusal either. */
class BitwisePartialsTest {
  @Test
  void bitwiseCallsHaveNoPartials() {
    Partials rules = new Partials(Map.of());
    Expr x = Expr.Var.of("x");
    for (String name : List.of("bitwise_and", "bitwise_or", "bitwise_xor", "shift_left", "shift_right")) {
      assertEquals(List.of(), rules.of(new Call(Type.I32, name, List.of(x, new IntImm(Type.I32, 3)), CallKind.INTRINSIC)), name);
    }
    assertEquals(List.of(), rules.of(new Call(Type.I32, "bitwise_not", List.of(x), CallKind.INTRINSIC)));
  }

  @Test
  void aGradientThroughIntegerBitwiseIndexingAndWeights() {
    Pipeline p = IrParser.parsePipeline("""
        pipeline outputs(out, seed)
        image in: float32 [1]

        func out(x): float32 {
          out(x) = in(bitwise_and(x, 3)) * cast<float32>(shift_right(bitwise_xor(x, 5), 1))
        }

        func seed(x): float32 {
          seed(x) = 1.0f
        }
        """);
    ReverseAd.Gradient g = ReverseAd.propagate(p, "out", p.function("seed"),
        List.of(new Range(new IntImm(Type.I32, 0), new IntImm(Type.I32, 8))), name -> name);
    assertTrue(g.inputs().containsKey("in"), () -> "the gradient reaches in: " + g.inputs());
  }
}
