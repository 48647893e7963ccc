package dev.halogen.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Type;
import dev.halogen.passes.analysis.Evaluator;
import dev.halogen.passes.analysis.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

class HalogenRuntimeExceptionTest {
  static Value i32(int v) {
    return new Value.IntScalar(Type.I32, v);
  }

  @Test
  void placeholdersAreFilledInOrder() {
    assertEquals("x = 3 is not below 2", HalogenRuntimeException.assertionFailed("x = {} is not below {}", List.of(i32(3), i32(2))).getMessage());
    assertEquals("no placeholders", HalogenRuntimeException.formatMessage("no placeholders", List.of()));
  }

  @Test
  void extraPlaceholdersStayAndExtraArgumentsAreAppended() {
    assertEquals("a 1, b {}", HalogenRuntimeException.formatMessage("a {}, b {}", List.of(i32(1))));
    assertEquals("a 1 (2, -3)", HalogenRuntimeException.formatMessage("a {}", List.of(i32(1), i32(2), i32(-3))));
  }

  @Test
  void valuesAreShownWithoutTheirTypes() {
    assertEquals("255", HalogenRuntimeException.valueText(new Value.IntScalar(Type.U8, 255)));
    assertEquals("-128", HalogenRuntimeException.valueText(new Value.IntScalar(Type.I8, -128)));
    assertEquals("18446744073709551615", HalogenRuntimeException.valueText(new Value.IntScalar(Type.U64, -1)));
    assertEquals("true", HalogenRuntimeException.valueText(new Value.IntScalar(Type.BOOL, 1)));
    assertEquals("0.1", HalogenRuntimeException.valueText(new Value.FloatScalar(Type.F32, (double) 0.1f)));
    assertEquals("0.1", HalogenRuntimeException.valueText(new Value.FloatScalar(Type.F64, 0.1)));
    assertEquals("in", HalogenRuntimeException.valueText(new Value.Handle("in")));
    Value ramp = Evaluator.WRAPPING.eval(new Expr.Ramp(new Expr.IntImm(Type.I32, 5), new Expr.IntImm(Type.I32, -2), 3), java.util.Map.of());
    assertEquals("[5, 3, 1]", HalogenRuntimeException.valueText(ramp));
  }

  @Test
  void storageAndLoopFailuresHaveOneWordingForEveryBackend() {
    assertEquals("loop f.s0.x from 2147483600 with extent 100 goes beyond the int32 range",
        HalogenRuntimeException.loopBeyondInt32("f.s0.x", 2147483600, 100).getMessage());
    assertEquals("Allocate of tmp: extent -3 of dimension 1 is negative",
        HalogenRuntimeException.negativeExtent("Allocate of tmp", -3, 1).getMessage());
    assertEquals("Realize of f: the extents [65536, 65536] give more than 2147483647 elements, more than int32 flat indices address",
        HalogenRuntimeException.tooManyElements("Realize of f", new int[] {65536, 65536}).getMessage());
  }
}
