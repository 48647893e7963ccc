package dev.halogen;

import static dev.halogen.AdTestSupport.INTERP;
import static dev.halogen.AdTestSupport.LLVM;
import static org.junit.jupiter.api.Assertions.*;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import dev.halogen.ir.json.IrJson;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.Target;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Gradient pipelines are ordinary pipelines: for the gradients of a blur behind a boundary
 * condition, a convolution whose weights are an input, and a histogram-like scatter, the IR of the
 * gradient Funcs prints and parses back, goes to JSON and back unchanged, takes a schedule
 * (compute_root, vectorize, parallel; atomic and parallel reduction loops where the update allows
 * it), and gives the same values on the interpreter and on llvm as with the default schedule.
 */
class AutodiffPipelinesTest {

  private static ImageParam image(String name, SplittableRandom rnd, int... extents) {
    ImageParam p = new ImageParam(name, Type.F32, extents.length);
    Buffer b = Buffer.allocate(Type.F32, extents);
    b.forEachCoordinate(c -> b.setFloat((float) (rnd.nextDouble() * 2 - 1), c));
    p.set(b);
    return p;
  }

  private static Func sumOfSquares(String name, Func f, int... extents) {
    RDom r = extents.length == 1 ? new RDom(0, extents[0]) : new RDom(0, extents[0], 0, extents[1]);
    Func loss = new Func(name);
    loss.at().set(0f);
    ExprLike v = extents.length == 1 ? f.at(r.x()) : f.at(r.x(), r.y());
    loss.at().plusAssign(v.times(v));
    return loss;
  }

  @Test
  void blurWithBoundaryCondition() {
    SplittableRandom rnd = new SplittableRandom(11);
    ImageParam in = image("in", rnd, 12, 10);
    Var x = new Var("x"), y = new Var("y");
    Func clamped = BoundaryConditions.repeatEdge(in);
    Func bx = new Func("bx");
    bx.at(x, y).set(clamped.at(x.minus(1), y).plus(clamped.at(x, y)).plus(clamped.at(x.plus(1), y)).times(1f / 3));
    Func by = new Func("by");
    by.at(x, y).set(bx.at(x, y.minus(1)).plus(bx.at(x, y)).plus(bx.at(x, y.plus(1))).times(1f / 3));
    Func loss = sumOfSquares("loss", by, 12, 10);
    Derivative d = Gradients.propagateAdjoints(loss);
    // The adjoint of the repeat_edge adds what falls outside the image onto its edges: several
    // points of the padded region reach one edge pixel, so its loop runs in parallel only atomically.
    int atomics = check(loss, d, List.of(in), List.of());
    assertTrue(atomics >= 1, "the adjoint of the boundary condition is an update that can be made atomic");
  }

  @Test
  void convolutionWithWeightsAsAnInput() {
    SplittableRandom rnd = new SplittableRandom(12);
    ImageParam in = image("in", rnd, 10, 9);
    ImageParam w = image("w", rnd, 3, 3);
    Var x = new Var("x"), y = new Var("y");
    Func padded = BoundaryConditions.constantExterior(in, Expr.of(0f));
    RDom r = new RDom("r", 0, 3, 0, 3);
    Func conv = new Func("conv");
    conv.at(x, y).set(0f);
    conv.at(x, y).plusAssign(w.at(r.x(), r.y()).times(padded.at(x.plus(r.x()).minus(1), y.plus(r.y()).minus(1))));
    Func loss = sumOfSquares("loss", conv, 10, 9);
    Derivative d = Gradients.propagateAdjoints(loss);
    // The weights' adjoint sums over every output point for each weight: a scatter whose
    // reduction loops over the points run in parallel only with atomic updates.
    int atomics = check(loss, d, List.of(in, w), List.of());
    assertTrue(atomics >= 1, "the adjoint of the weights is an update that can be made atomic");
  }

  @Test
  void histogramLikeScatter() {
    SplittableRandom rnd = new SplittableRandom(13);
    ImageParam in = image("in", rnd, 16);
    ImageParam weight = image("weight", rnd, 16);
    Param gain = new Param("gain", Type.F32, 0.75);
    Var x = new Var("x");
    RDom r = new RDom("r", 0, 16);
    // bin(v) = clamp(int((v + 1) * 4 + 0.5), 0, 7): eight bins over [-1, 1].
    Func hist = new Func("hist");
    hist.at(x).set(0f);
    hist.at(bin(in.at(r.x()))).plusAssign(weight.at(r.x()).times(in.at(r.x())));
    // Each point reads its own bin back: the adjoint of the bins is a scatter again.
    Func equalized = new Func("equalized");
    equalized.at(x).set(hist.at(bin(in.at(x))).times(gain).plus(in.at(x)));
    Func loss = sumOfSquares("loss", equalized, 16);
    Derivative d = Gradients.propagateAdjoints(loss);
    int atomics = check(loss, d, List.of(in, weight), List.of(gain));
    assertTrue(atomics >= 1, "the adjoint of the bins is a scatter that can be made atomic");
  }

  private static Expr bin(ExprLike v) {
    return Exprs.clamp(Exprs.cast(Type.I32, v.plus(1f).times(4f).plus(0.5f)), 0, 7);
  }

  /**
   * The whole round of the class comment for the gradients of {@code loss} with respect to {@code
   * images} and {@code params}; returns how many updates were scheduled atomic.
   */
  private static int check(Func loss, Derivative d, List<ImageParam> images, List<Param> params) {
    List<Func> gradients = new ArrayList<>();
    for (ImageParam p : images) gradients.add(d.of(p));
    for (Param p : params) gradients.add(d.of(p));
    Pipeline pipeline = new Pipeline(gradients);

    // The IR prints, parses back and goes through JSON unchanged.
    dev.halogen.ir.Pipeline ir = pipeline.toIr();
    String text = IrPrinter.print(ir);
    System.out.println("Gradients of " + loss.name() + " with respect to " + names(images, params) + ":\n" + text);
    assertEquals(ir, IrParser.parsePipeline(text), "the printed IR parses back to the same IR");
    assertEquals(ir, IrJson.pipelineFromJson(IrJson.toJson(ir)), "the IR goes to JSON and back unchanged");
    assertEquals(text, IrPrinter.print(IrJson.pipelineFromJson(IrJson.toJson(ir))));

    // The values with the default schedule are the true gradient (float64 central differences).
    for (GradientCheck.Result r : GradientCheck.checkFloat64(loss, d, INTERP, 1e-6, images, params)) {
      assertTrue(r.maxRelativeError() < 1e-5, r.toString());
    }
    List<Buffer> reference = realize(pipeline, INTERP, images, params);

    Set<Func> atomic = schedule(gradients);
    assertNotEquals(ir, pipeline.toIr(), "the schedule changed the IR");
    for (Target t : List.of(INTERP, LLVM)) {
      List<Buffer> got = realize(pipeline, t, images, params);
      for (int i = 0; i < got.size(); i++) {
        // Atomic updates add in any order; everything else keeps the order of the default schedule.
        double tolerance = reachable(List.of(gradients.get(i))).stream().anyMatch(atomic::contains) ? 1e-5 : 0;
        assertClose(reference.get(i), got.get(i), tolerance, gradients.get(i).name() + " on " + t);
      }
    }
    return atomic.size();
  }

  private static String names(List<ImageParam> images, List<Param> params) {
    List<String> out = new ArrayList<>();
    for (ImageParam p : images) out.add(p.name());
    for (Param p : params) out.add(p.name());
    return String.join(", ", out);
  }

  /** One buffer per gradient: an image's over the image's region, a Param's without dimensions. */
  private static List<Buffer> realize(Pipeline p, Target t, List<ImageParam> images, List<Param> params) {
    List<Buffer> out = new ArrayList<>();
    for (ImageParam i : images) out.add(Buffer.allocate(Type.F32, i.get().extents()));
    for (int k = 0; k < params.size(); k++) out.add(Buffer.allocate(Type.F32));
    p.realize(t, out.toArray(Buffer[]::new));
    return out;
  }

  private static void assertClose(Buffer expected, Buffer actual, double relative, String what) {
    expected.forEachCoordinate(c -> {
      double e = expected.getAsDouble(c), a = actual.getAsDouble(c);
      if (relative == 0) {
        assertEquals(Float.floatToIntBits((float) e), Float.floatToIntBits((float) a), what + " at " + java.util.Arrays.toString(c)
            + ": " + e + " vs " + a);
      } else {
        assertEquals(e, a, relative * Math.max(1, Math.abs(e)), what + " at " + java.util.Arrays.toString(c));
      }
    });
  }

  /** {@code outputs} and every Func they read, directly or not. */
  private static Set<Func> reachable(List<Func> outputs) {
    Deque<Func> work = new ArrayDeque<>(outputs);
    Set<Func> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    while (!work.isEmpty()) {
      Func f = work.pop();
      if (seen.add(f)) for (Ref r : f.refs()) if (r instanceof Func g) work.push(g);
    }
    return seen;
  }

  /**
   * Every Func the gradients reach (adjoints and the forward Funcs they read) at the root, its
   * pure definition vectorized along its first variable and parallel along its last; every
   * update over a reduction domain that may be atomic is, with its outermost reduction loop
   * parallel. Returns the Funcs with an atomic update.
   */
  private static Set<Func> schedule(List<Func> outputs) {
    Set<Func> atomic = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Func f : reachable(outputs)) {
      f.computeRoot();
      if (f.dimensions() >= 1) f.vectorize(new Var(f.args().getFirst()), 4);
      if (f.dimensions() >= 2) f.parallel(new Var(f.args().getLast()));
      for (int u = 0; u < f.updateCount(); u++) {
        Stage s = f.update(u);
        if (s.rdom().isEmpty()) continue;
        try {
          s.atomic();
        } catch (HalogenException.ScheduleException e) {
          continue;  // not provably associative: the update stays serial
        }
        s.parallel(s.rdom().orElseThrow().vars().getLast());
        atomic.add(f);
      }
    }
    return atomic;
  }
}
