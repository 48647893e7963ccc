package dev.halogen.ad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.halogen.ir.Expr.IntImm;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.Range;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Calls AD has no rule for are refused by name, never differentiated as if they were constants. */
class ExprAdjointsErrorTest {
  private static String refusal(String call) {
    Pipeline p = IrParser.parsePipeline("""
        pipeline outputs(out, seed)
        image in: float32 [1]

        func out(x): float32 {
          out(x) = %s
        }

        func seed(x): float32 {
          seed(x) = 1.0f
        }
        """.formatted(call));
    return assertThrows(AdException.class, () -> ReverseAd.propagate(p, "out", p.function("seed"),
        List.of(new Range(new IntImm(Type.I32, 0), new IntImm(Type.I32, 4))), name -> name)).getMessage();
  }

  @Test
  void anExternCallIsRefusedByName() {
    assertEquals("The extern function warp has no derivative rule; register a custom adjoint for it", refusal("extern<float32> warp(in(x))"));
  }
}
