package dev.halogen;

import static dev.halogen.AdTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Definition;
import dev.halogen.ir.ForKind;
import dev.halogen.ir.Type;
import dev.halogen.passes.Target;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Scatters that autodiff cannot turn into gathers (a data-dependent index) stay updates of the
 * adjoint Func over a reduction domain. They are ordinary associative {@code +=} updates: a schedule
 * makes them parallel or vectorized with {@code atomic()}, naming the reduction loop through {@link
 * Stage#rdom()}, on the interpreter and on LLVM.
 */
class AutodiffScatterScheduleTest {
  private static final int N = 64, BINS = 8;

  /** out(x) = lut(idx(x)) with an adjoint of out; d_lut(j) is the sum of the adjoint over the x with idx(x) = j. */
  private record LookUp(ImageParam lut, Func out, Buffer adjoint, double[] expected) {}

  private static LookUp lookUp() {
    float[] table = new float[BINS], adj = new float[N];
    int[] index = new int[N];
    double[] expected = new double[BINS];
    for (int j = 0; j < BINS; j++) table[j] = 0.5f * j;
    for (int x = 0; x < N; x++) {
      index[x] = (x * 5 + x / 3) % BINS;
      adj[x] = x + 1;
      expected[index[x]] += x + 1;
    }
    ImageParam lut = new ImageParam("lut", Type.F32, 1), idx = new ImageParam("idx", Type.I32, 1);
    lut.set(Buffer.of(table, BINS));
    idx.set(Buffer.of(index, N));
    Var x = new Var("x");
    Func out = new Func("out");
    out.at(x).set(lut.at(Exprs.clamp(idx.at(x), 0, BINS - 1)));
    return new LookUp(lut, out, Buffer.of(adj, N), expected);
  }

  /** d_lut realized on interp and llvm after {@code schedule} is applied to its scatter update. */
  private static void check(Consumer<Stage> schedule, ForKind expectedKind) {
    LookUp l = lookUp();
    Derivative d = Gradients.propagateAdjoints(l.out(), l.adjoint());
    Func dLut = d.of(l.lut());
    assertEquals(1, dLut.updateCount(), "the scatter is one update of " + dLut.name());
    Definition scatter = dLut.function().updates().getFirst();
    assertNotNull(scatter.domain(), "the scatter iterates a reduction domain");
    dLut.computeRoot();
    schedule.accept(dLut.update(0));
    assertTrue(dLut.function().updates().getFirst().schedule().atomic());
    assertTrue(dLut.function().updates().getFirst().schedule().dims().stream().anyMatch(dim -> dim.kind() == expectedKind));
    for (Target t : List.of(INTERP, LLVM)) assertValues(l.expected(), dLut.realize(t, BINS), 0);
  }

  @Test
  void scatterOfADataDependentGatherIsSerialByDefault() {
    LookUp l = lookUp();
    Derivative d = Gradients.propagateAdjoints(l.out(), l.adjoint());
    Func dLut = d.of(l.lut());
    assertFalse(dLut.function().updates().getFirst().schedule().atomic());
    for (Target t : List.of(INTERP, LLVM)) assertValues(l.expected(), dLut.realize(t, BINS), 0);
    // Without atomic() the race check refuses to run the scatter's reduction loop in parallel.
    RVar r = dLut.update(0).rdom().orElseThrow().x();
    HalogenException e = assertThrows(HalogenException.class, () -> dLut.update(0).parallel(r));
    assertTrue(e.getMessage().contains("may race on the same element of " + dLut.name()), e.getMessage());
  }

  @Test
  void scatterUpdateRunsAtomicallyInParallel() {
    check(s -> s.atomic().parallel(s.rdom().orElseThrow().x()), ForKind.PARALLEL);
  }

  @Test
  void scatterUpdateRunsAtomicallyVectorized() {
    check(s -> {
      RVar r = s.rdom().orElseThrow().x();
      s.atomic().split(r, new Var("ro"), new Var("ri"), 8).vectorize(new Var("ri"));
    }, ForKind.VECTORIZED);
  }

  @Test
  void histogramGradientIsAGatherThatParallelizesWithoutAtomic() {
    // out(clamp(in(r), 0, 3)) += k(r): d_k(r) reads d_out at in(r), one point of k per r, so the
    // gradient needs no atomics (the forward histogram does).
    ImageParam in = new ImageParam("in", Type.I32, 1);
    in.set(Buffer.of(new int[] {2, 2, 1, 3}, 4));
    ImageParam k = image("k", 0.5f, 1, 1.5f, 2);
    Var x = new Var("x");
    RDom r = new RDom(in);
    Func out = new Func("out");
    out.at(x).set(0f);
    out.at(Exprs.clamp(in.at(r.x()), 0, 3)).plusAssign(k.at(r.x()));
    Func adjointOfOut = new Func("w");
    adjointOfOut.at(x).set(Exprs.cast(Type.F32, x.plus(1)));
    Derivative d = Gradients.propagateAdjoints(out, adjointOfOut, new int[][] {{0, 4}});
    Func dk = d.of(k);
    AdjointShapes.assertPureLhs(dk);
    dk.computeRoot().parallel(new Var(dk.args().getFirst()));
    for (Target t : List.of(INTERP, LLVM)) assertValues(new double[] {3, 3, 2, 4}, dk.realize(t, 4), 0);
  }
}
