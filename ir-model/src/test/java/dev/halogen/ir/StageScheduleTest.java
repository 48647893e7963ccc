package dev.halogen.ir;

import static dev.halogen.ir.IrSamples.X;
import static dev.halogen.ir.IrSamples.Y;
import static dev.halogen.ir.IrSamples.i32;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.halogen.ir.Expr.Add;
import dev.halogen.ir.Expr.Call;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.Expr.Var;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default loop nest of a stage ({@link StageSchedule#defaultFor}), as Halide builds it. */
class StageScheduleTest {
  static final List<String> XYZ = List.of("x", "y", "z");
  static final Var Z = Var.of("z");

  static Dim pure(String v) {
    return new Dim(v, ForKind.SERIAL, DeviceApi.HOST, false);
  }

  static Dim rvar(String v) {
    return new Dim(v, ForKind.SERIAL, DeviceApi.HOST, true);
  }

  @Test
  void thePureDefinitionLoopsOverItsArgumentsInnermostFirst() {
    assertEquals(StageSchedule.of(List.of(pure("x"), pure("y"), pure("z"))),
        StageSchedule.defaultFor(XYZ, List.of(X, Y, Z), null));
  }

  @Test
  void reductionVariablesAreInnermostThenTheKeptPureVariables() {
    ReductionDomain r = new ReductionDomain("r", List.of(new ReductionDomain.ReductionVariable("r.x", i32(0), i32(4)),
        new ReductionDomain.ReductionVariable("r.y", i32(0), i32(3))), new Expr.UIntImm(Type.BOOL, 1));
    StageSchedule s = StageSchedule.defaultFor(XYZ, List.of(Var.of("r.x"), Y, Var.of("r.y")), r);
    assertEquals(List.of(rvar("r.x"), rvar("r.y"), pure("y")), s.dims());
    assertEquals(List.of(), s.splits());
  }

  @Test
  void aPureVariableMakesALoopOnlyAtItsOwnPosition() {
    // f(z, y, z): z in argument 0 is an index expression; the loops are y and z (argument order),
    // as in Halide's Function::define_update, not z then y (order of first occurrence).
    assertEquals(List.of(pure("y"), pure("z")), StageSchedule.defaultFor(XYZ, List.of(Z, Y, Z), null).dims());
    // f(y, x, z): neither x nor y is at its own position.
    assertEquals(List.of(pure("z")), StageSchedule.defaultFor(XYZ, List.of(Y, X, Z), null).dims());
  }

  @Test
  void onlyTheUnadornedInt32VarCounts() {
    List<Expr> lhs = List.of(new Add(X, i32(1)), new Var(Type.I16, "y"), Z);
    assertEquals(List.of(pure("z")), StageSchedule.defaultFor(XYZ, lhs, null).dims());
  }

  @Test
  void anUpdateWithTheDefaultLoopsPrintsWithoutAScheduleAndReadsBack() {
    Call self = new Call(Type.I32, "f", List.of(Z, Y, Z), CallKind.FUNC);
    Definition update = new Definition(List.of(Z, Y, Z), List.of(new Add(self, i32(1))), null,
        StageSchedule.of(List.of(pure("y"), pure("z"))));
    Function f = new Function("f", XYZ, List.of(Type.I32),
        new Definition(List.of(X, Y, Z), List.of(new Add(X, Y)), null, StageSchedule.of(List.of(pure("x"), pure("y"), pure("z")))),
        List.of(update), FuncSchedule.INLINE.withComputeLevel(LoopLevel.ROOT).withStoreLevel(LoopLevel.ROOT));
    Pipeline p = Pipeline.of(List.of("f"), List.of(f), List.of());
    String text = """
        pipeline outputs(f)

        func f(x, y, z): int32 {
          f(x, y, z) = x + y
          f(z, y, z) = f(z, y, z) + 1
          compute_root store_root
        }
        """;
    assertEquals(text, IrPrinter.print(p));
    assertEquals(p, IrParser.parsePipeline(text));
  }
}
