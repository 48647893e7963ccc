package dev.halogen;

import static dev.halogen.IrBuild.i;
import static dev.halogen.IrBuild.v;
import static dev.halogen.Messages.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.halogen.HalogenException.ScheduleException;
import dev.halogen.ir.Bound;
import dev.halogen.ir.DeviceApi;
import dev.halogen.ir.Dim;
import dev.halogen.ir.ForKind;
import dev.halogen.ir.FuncSchedule;
import dev.halogen.ir.LoopLevel;
import dev.halogen.ir.MemoryType;
import dev.halogen.ir.Split;
import dev.halogen.ir.StageSchedule;
import dev.halogen.ir.TailStrategy;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrPrinter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scheduling directives: what they record in the IR, and the mistakes they reject. */
class ScheduleTest {
  private final Var x = new Var("x");
  private final Var y = new Var("y");
  private final Var xo = new Var("xo");
  private final Var xi = new Var("xi");
  private final Var yo = new Var("yo");
  private final Var yi = new Var("yi");
  private final ImageParam in = new ImageParam("in", Type.F32, 2);

  private static Dim serial(String v) {
    return new Dim(v, ForKind.SERIAL, DeviceApi.HOST, false);
  }

  private static Dim rserial(String v) {
    return new Dim(v, ForKind.SERIAL, DeviceApi.HOST, true);
  }

  private static Dim dim(String v, ForKind k) {
    return new Dim(v, k, k.isGpu() ? DeviceApi.DEFAULT_GPU : DeviceApi.HOST, false);
  }

  private Func f2(String name) {
    Func f = new Func(name);
    f.at(x, y).set(in.at(x, y));
    return f;
  }

  private static StageSchedule pure(Func f) {
    return f.function().definition().schedule();
  }

  private static Split.SplitVar split(String old, String outer, String inner, int factor) {
    return new Split.SplitVar(old, outer, inner, i(factor), TailStrategy.AUTO);
  }

  // ------------------------------------------------------------------ loop directives

  @Test
  void splitReplacesTheLoopByInnerThenOuter() {
    Func f = f2("f");
    f.split(x, xo, xi, 8, TailStrategy.GUARD_WITH_IF);
    assertEquals(List.of(new Split.SplitVar("x", "xo", "xi", i(8), TailStrategy.GUARD_WITH_IF)), pure(f).splits());
    assertEquals(List.of(serial("xi"), serial("xo"), serial("y")), pure(f).dims());
  }

  @Test
  void tileSplitsBothAndOrdersInnerLoopsFirst() {
    Func f = f2("f");
    f.tile(x, y, xo, yo, xi, yi, 16, 8);
    assertEquals(List.of(split("x", "xo", "xi", 16), split("y", "yo", "yi", 8)), pure(f).splits());
    assertEquals(List.of(serial("xi"), serial("yi"), serial("xo"), serial("yo")), pure(f).dims());
    Func g = f2("g");
    g.tile(x, y, xi, yi, 4, 4);
    assertEquals(List.of(split("x", "x", "xi", 4), split("y", "y", "yi", 4)), pure(g).splits());
    assertEquals(List.of(serial("xi"), serial("yi"), serial("x"), serial("y")), pure(g).dims());
  }

  @Test
  void reorderPermutesAmongTheGivenLoopsPositions() {
    Func f = f2("f");
    f.split(x, xo, xi, 4).reorder(y, xi);
    assertEquals(List.of(serial("y"), serial("xo"), serial("xi")), pure(f).dims());
    f.reorder(xo, y);
    assertEquals(List.of(serial("xo"), serial("y"), serial("xi")), pure(f).dims());
  }

  @Test
  void fuseReplacesAdjacentLoops() {
    Func f = f2("f");
    Var t = new Var("t");
    f.fuse(x, y, t).parallel(t);
    assertEquals(List.of(new Split.FuseVars("x", "y", "t")), pure(f).splits());
    assertEquals(List.of(dim("t", ForKind.PARALLEL)), pure(f).dims());
  }

  @Test
  void loopKindsAndTheirSplittingForms() {
    Func f = f2("f");
    f.vectorize(x, 8).unroll(y, 2).parallel(y, 4);
    assertEquals(List.of(split("x", "x", "x.v", 8), split("y", "y", "y.u", 2), split("y", "y", "y.p", 4)), pure(f).splits());
    assertEquals(List.of(dim("x.v", ForKind.VECTORIZED), serial("x"), dim("y.u", ForKind.UNROLLED), serial("y.p"),
        dim("y", ForKind.PARALLEL)), pure(f).dims());
    f.serial(y).vectorize(x).unroll(y);
    assertEquals(List.of(dim("x.v", ForKind.VECTORIZED), dim("x", ForKind.VECTORIZED), dim("y.u", ForKind.UNROLLED), serial("y.p"),
        dim("y", ForKind.UNROLLED)), pure(f).dims());
    Var t = new Var("t");
    Func g = f2("g");
    g.rename(x, t);
    assertEquals(List.of(new Split.RenameVar("x", "t")), pure(g).splits());
    assertEquals(List.of(serial("t"), serial("y")), pure(g).dims());
  }

  @Test
  void gpuDirectives() {
    Var bx = new Var("bx");
    Var by = new Var("by");
    Var tx = new Var("tx");
    Var ty = new Var("ty");
    Func f = f2("f");
    f.gpuTile(x, y, bx, by, tx, ty, 16, 8);
    assertEquals(List.of(split("x", "bx", "tx", 16), split("y", "by", "ty", 8)), pure(f).splits());
    assertEquals(List.of(dim("tx", ForKind.GPU_THREAD), dim("ty", ForKind.GPU_THREAD), dim("bx", ForKind.GPU_BLOCK),
        dim("by", ForKind.GPU_BLOCK)), pure(f).dims());
    Func g = f2("g");
    g.gpuBlocks(y).gpuThreads(x);
    assertEquals(List.of(dim("x", ForKind.GPU_THREAD), dim("y", ForKind.GPU_BLOCK)), pure(g).dims());
    Func h = f2("h");
    h.gpuTile(x, bx, tx, 32);
    assertEquals(List.of(dim("tx", ForKind.GPU_THREAD), dim("bx", ForKind.GPU_BLOCK), serial("y")), pure(h).dims());
  }

  @Test
  void updateStagesHaveTheirOwnLoops() {
    Func f = f2("f");
    RDom r = new RDom("r", 0, 10);
    f.at(x, r.x()).set(f.at(x, r.x()).times(2));
    Var rxo = new Var("rxo");
    Var rxi = new Var("rxi");
    f.update(0).split(r.x(), rxo, rxi, 2).reorder(x, rxi).vectorize(x, 4);
    StageSchedule s = f.function().updates().getFirst().schedule();
    assertEquals(List.of(split("r.x", "rxo", "rxi", 2), split("x", "x", "x.v", 4)), s.splits());
    assertEquals(List.of(dim("x.v", ForKind.VECTORIZED), serial("x"), rserial("rxo"), rserial("rxi")), s.dims());
    assertEquals(List.of(serial("x"), serial("y")), pure(f).dims());
  }

  // ------------------------------------------------------------------ Func-level directives

  @Test
  void computeAndStoreLevels() {
    Func f = f2("f");
    Func g = new Func("g");
    g.at(x, y).set(f.at(x, y).plus(f.at(x, y.plus(1))));
    f.computeRoot();
    assertEquals(LoopLevel.ROOT, f.function().schedule().computeLevel());
    assertEquals(LoopLevel.ROOT, f.function().schedule().storeLevel());
    f.computeAt(g, y);
    assertEquals(new LoopLevel.At("g", 0, "y"), f.function().schedule().computeLevel());
    assertEquals(new LoopLevel.At("g", 0, "y"), f.function().schedule().storeLevel());
    f.storeRoot().computeAt(g, x);
    assertEquals(LoopLevel.ROOT, f.function().schedule().storeLevel());
    assertEquals(new LoopLevel.At("g", 0, "x"), f.function().schedule().computeLevel());
    f.storeAt(g, y);
    assertEquals(new LoopLevel.At("g", 0, "y"), f.function().schedule().storeLevel());
    f.computeInline();
    assertEquals(LoopLevel.INLINED, f.function().schedule().computeLevel());
    assertEquals(new LoopLevel.At("g", 0, "y"), f.function().schedule().storeLevel());
  }

  @Test
  void computeAtTheLastStageOrAGivenStage() {
    Func f = f2("f");
    Func g = new Func("g");
    RDom r = new RDom("r", 0, 4);
    g.at(x).set(0f);
    g.at(x).plusAssign(f.at(x, r.x()));
    f.computeAt(g, r.x());
    assertEquals(new LoopLevel.At("g", 1, "r.x"), f.function().schedule().computeLevel());
    f.computeAt(g.update(0), x);
    assertEquals(new LoopLevel.At("g", 1, "x"), f.function().schedule().computeLevel());
    Func h = new Func("h");
    h.at(x).set(g.at(x));
    f.computeAt(h, x);
    assertEquals(new LoopLevel.At("h", 0, "x"), f.function().schedule().computeLevel());
  }

  @Test
  void boundsEstimatesAndMemory() {
    Func f = f2("f");
    Param n = new Param("n", Type.I32);
    f.bound(x, 0, 64).bound(y, Expr.of(0), n).bound(x, 0, 128).estimate(y, 0, 480).storeIn(MemoryType.STACK);
    FuncSchedule s = f.function().schedule();
    assertEquals(List.of(new Bound("y", i(0), v("n")), new Bound("x", i(0), i(128))), s.bounds());
    assertEquals(List.of(new Bound("y", i(0), i(480))), s.estimates());
    assertEquals(MemoryType.STACK, s.memoryType());
  }

  @Test
  void rfactorReturnsTheIntermediateFuncToSchedule() {
    Func hist = new Func("hist");
    Var b = new Var("b");
    ImageParam img = new ImageParam("img", Type.U8, 2);
    RDom r = new RDom("r", img);
    hist.at(b).set(0);
    hist.at(img.at(r.x(), r.y())).plusAssign(1);
    Var u = new Var("u");
    Func intm = hist.update(0).rfactor(r.y(), u);
    assertEquals("hist_intm", intm.name());
    assertEquals(List.of("b", "u"), intm.args());
    // Rows in parallel, each counted into its own histogram; the merge adds the rows bin by bin.
    intm.computeRoot().vectorize(b, 8).update(0).parallel(u);
    assertEquals("""
        pipeline outputs(hist)
        image img: uint8 [2]

        func hist(b): int32 {
          hist(b) = 0
          over r(r.y [img.min.1, img.extent.1]) {
            hist(b) = hist(b) + hist_intm(b, r.y)
          }
        }

        func hist_intm(b, u): int32 {
          hist_intm(b, u) = 0
          schedule {
            split(b, b, b.v, 8)
            loops(b.v vectorized, b, u)
          }
          over r(r.x [img.min.0, img.extent.0]) {
            hist_intm(cast<int32>(img(r.x, u)), u) = hist_intm(cast<int32>(img(r.x, u)), u) + 1
            schedule {
              loops(r.x rvar, u parallel)
            }
          }
          compute_root store_root
        }
        """, IrPrinter.print(new Pipeline(hist).toIr()));
    // The merge is an update over r.y alone now; it can be factored again, under the next name.
    Var w = new Var("w");
    assertFails(ScheduleException.class, () -> hist.update(0).rfactor(r.x(), w),
        "In the schedule of hist.update(0), rfactor(r.x -> w): cannot rfactor: the update has no reduction loop r.x; its"
            + " reduction loops are r.y");
    assertEquals("hist_intm1", hist.update(0).rfactor(r.y(), w).name());
  }

  @Test
  void atomicMarksAnAssociativeUpdate() {
    Func hist = new Func("hist");
    Var b = new Var("b");
    ImageParam img = new ImageParam("img", Type.U8, 2);
    RDom r = new RDom("r", img);
    hist.at(b).set(0);
    hist.at(img.at(r.x(), r.y())).plusAssign(1);
    hist.update(0).atomic().parallel(r.y());
    StageSchedule s = hist.function().updates().getFirst().schedule();
    assertEquals(true, s.atomic());
    assertEquals(false, s.overrideAssociativityTest());
    assertEquals(new Dim("r.y", ForKind.PARALLEL, DeviceApi.HOST, true), s.dims().get(1));
    hist.update(0).atomic(true);
    assertEquals(true, hist.function().updates().getFirst().schedule().overrideAssociativityTest());
  }

  @Test
  void atomicAndRFactorRefuseAnUpdateThatIsNotAssociative() {
    ImageParam img = new ImageParam("img", Type.F32, 1);
    RDom r = new RDom("r", 0, 100);
    Func total = new Func("total");
    total.at().set(0f);
    total.at().minusAssign(img.at(r.x()));
    assertFails(ScheduleException.class, () -> total.update(0).atomic(),
        "In the schedule of total.update(0), atomic(false): atomic() needs an associative update: update of total, value 0:"
            + " subtraction is not associative (a sum of negated terms is written f + (0 - e)) (atomic(true) skips this proof)");
    assertFails(ScheduleException.class, () -> total.update(0).rfactor(r.x(), new Var("u")),
        "In the schedule of total.update(0), rfactor(r.x -> u): cannot rfactor: the update is not associative (update of"
            + " total, value 0: subtraction is not associative (a sum of negated terms is written f + (0 - e)))");
    total.update(0).atomic(true);
    assertEquals(true, total.function().updates().getFirst().schedule().atomic());
  }

  @Test
  void parallelRVarWithoutAtomicOnlyWhenIterationsTouchDistinctElements() {
    RDom r = new RDom("r", 0, 100);
    // f(r) = f(r) * 2 + in(r, 0): each r writes and reads only f(r); parallel is safe.
    Func scale = new Func("scale");
    scale.at(x).set(0f);
    scale.at(r.x()).set(scale.at(r.x()).times(2).plus(in.at(r.x(), 0)));
    scale.update(0).parallel(r.x());
    assertEquals(ForKind.PARALLEL, scale.function().updates().getFirst().schedule().dims().getFirst().kind());
    // A scan reads f(r - 1): iterations race.
    Func scan = new Func("scan");
    scan.at(x).set(in.at(x, 0));
    scan.at(r.x()).set(scan.at(r.x()).plus(scan.at(r.x().minus(1))));
    assertFails(ScheduleException.class, () -> scan.update(0).parallel(r.x()),
        "In the schedule of scan.update(0), parallel(r.x): iterations of the reduction variable r.x may race on the same element of scan",
        "call atomic() first");
    Var ro = new Var("ro");
    Var ri = new Var("ri");
    scan.update(0).split(r.x(), ro, ri, 4);
    assertFails(ScheduleException.class, () -> scan.update(0).vectorize(ri), "reduction variable r.x", "when ri is vectorized");
    // A histogram scatters to data-dependent bins.
    Func hist = new Func("hist");
    ImageParam img = new ImageParam("img", Type.U8, 1);
    hist.at(img.at(r.x())).plusAssign(1);
    assertFails(ScheduleException.class, () -> hist.update(0).gpuBlocks(r.x()), "r.x may race", "when r.x is gpu_block");
    hist.update(0).atomic().vectorize(r.x(), 8);
    assertEquals(ForKind.VECTORIZED, hist.function().updates().getFirst().schedule().dims().getFirst().kind());
  }

  /** {@code f(r) = f(r) + 1} over {@code r} where {@code f(readAt) > 0}. */
  private Func incrementWhere(String name, RDom r, ExprLike readAt) {
    Func f = new Func(name);
    f.at(x).set(in.at(x, 0));
    r.where(f.at(readAt).gt(0f));
    f.at(r.x()).set(f.at(r.x()).plus(1f));
    return f;
  }

  @Test
  void anRDomPredicateThatReadsAnotherElementMakesTheRVarRace() {
    // Iteration r reads, in the predicate, the element iteration r + 1 writes.
    RDom r = new RDom("r", 0, 100);
    Func ahead = incrementWhere("ahead", r, r.x().plus(1));
    assertFails(ScheduleException.class, () -> ahead.update(0).parallel(r.x()),
        "In the schedule of ahead.update(0), parallel(r.x): iterations of the reduction variable r.x may race on the same element of ahead");
    // Reading only the element it writes is race free.
    RDom s = new RDom("s", 0, 100);
    Func own = incrementWhere("own", s, s.x());
    own.update(0).parallel(s.x());
    assertEquals(List.of(new Dim("s.x", ForKind.PARALLEL, DeviceApi.HOST, true)), own.function().updates().getFirst().schedule().dims());
  }

  // ------------------------------------------------------------------ errors

  @Test
  void unknownLoopListsTheCurrentLoops() {
    Func f = f2("f");
    Var z = new Var("z");
    assertFails(ScheduleException.class, () -> f.split(z, xo, xi, 4),
        "In the schedule of f, split(z, xo, xi, 4): f has no loop z; its loops are (innermost first) x, y");
    assertFails(ScheduleException.class, () -> f.vectorize(z), "vectorize(z): f has no loop z; its loops are (innermost first) x, y");
    assertFails(ScheduleException.class, () -> f.reorder(y, z), "reorder(y, z): f has no loop z");
    assertFails(ScheduleException.class, () -> f.parallel(z, 4), "f has no loop z");
    RDom r = new RDom("r", 0, 3);
    assertFails(ScheduleException.class, () -> f.unroll(r.x()), "f has no loop r.x");
  }

  @Test
  void loopThatWasSplitFusedOrRenamedAway() {
    Func f = f2("f");
    f.split(x, xo, xi, 4);
    assertFails(ScheduleException.class, () -> f.vectorize(x),
        "vectorize(x): loop x was already split into xo and xi; its loops are (innermost first) xi, xo, y");
    Var t = new Var("t");
    f.fuse(xo, y, t);
    assertFails(ScheduleException.class, () -> f.parallel(y), "loop y was already fused into t");
    Var s = new Var("s");
    f.rename(t, s);
    assertFails(ScheduleException.class, () -> f.parallel(t), "loop t was already renamed to s");
  }

  @Test
  void splitNamesMustBeNew() {
    Func f = f2("f");
    assertFails(ScheduleException.class, () -> f.split(x, y, xi, 4), "the name y is already a loop of f; its loops are (innermost first) x, y");
    assertFails(ScheduleException.class, () -> f.split(x, xo, xo, 4), "the outer and inner loops are both named xo");
    assertFails(ScheduleException.class, () -> f.split(x, xo, xi, 0), "the split factor must be positive, got 0");
    Var t = new Var("t");
    Var q = new Var("q");
    f.split(x, xo, xi, 4).fuse(xi, xo, t);
    assertFails(ScheduleException.class, () -> f.split(t, xo, q, 2), "the name xo was already used by an earlier split of f");
    assertFails(ScheduleException.class, () -> f.rename(t, y), "rename(t, y): the name y is already a loop of f");
  }

  @Test
  void reorderWithRepeatedLoops() {
    Func f = f2("f");
    assertFails(ScheduleException.class, () -> f.reorder(x, y, x), "In the schedule of f, reorder(x, y, x): the loop x is listed twice");
  }

  @Test
  void fuseNeedsAdjacentLoopsInnerFirst() {
    Func f = f2("f");
    f.split(x, xo, xi, 4);
    assertFails(ScheduleException.class, () -> f.fuse(xi, y, new Var("t")),
        "fuse(xi, y, t): xi must be the loop directly inside y to fuse them; its loops are (innermost first) xi, xo, y");
    assertFails(ScheduleException.class, () -> f.fuse(xo, xi, new Var("t")), "xo must be the loop directly inside xi");
  }

  @Test
  void failingDirectiveChangesNothing() {
    Func f = f2("f");
    StageSchedule before = pure(f);
    assertFails(ScheduleException.class, () -> f.tile(x, y, xo, yo, xi, xi, 4, 4), "the name xi is already a loop of f");
    assertEquals(before, pure(f));
  }

  @Test
  void rvarSplitsMustGuard() {
    Func f = f2("f");
    RDom r = new RDom("r", 0, 10);
    f.at(x, r.x()).set(1f);
    assertFails(ScheduleException.class, () -> f.update(0).split(r.x(), xo, xi, 4, TailStrategy.ROUND_UP),
        "the reduction variable r.x can only be split with GUARD_WITH_IF (or AUTO)");
  }

  @Test
  void computeAtAFuncThatDoesNotConsumeThisOne() {
    Func f = f2("f");
    Func g = f2("g");
    Func h = new Func("h");
    h.at(x, y).set(g.at(x, y));
    assertFails(ScheduleException.class, () -> f.computeAt(h, x),
        "In the schedule of f, computeAt(h, x): Func h does not use f (directly or through other Funcs), so f cannot be placed in its loops");
    assertFails(ScheduleException.class, () -> f.storeAt(g, y), "Func g does not use f");
    assertFails(ScheduleException.class, () -> f.computeAt(f, x), "a Func cannot be computed or stored inside its own loops");
    // Through another Func is fine.
    Func k = new Func("k");
    k.at(x, y).set(h.at(x, y));
    g.computeAt(k, y);
    assertEquals(new LoopLevel.At("k", 0, "y"), g.function().schedule().computeLevel());
  }

  @Test
  void computeAtALoopTheConsumerDoesNotHave() {
    Func f = f2("f");
    Func g = new Func("g");
    g.at(x, y).set(f.at(x, y));
    g.split(y, yo, yi, 8);
    assertFails(ScheduleException.class, () -> f.computeAt(g, y),
        "computeAt(g, y): y is not a loop of g; its loops are (innermost first) x, yi, yo");
    assertFails(ScheduleException.class, () -> f.storeAt(g, xo), "storeAt(g, xo): xo is not a loop of g");
  }

  @Test
  void storeLevelInsideComputeLevel() {
    Func f = f2("f");
    Func g = new Func("g");
    g.at(x, y).set(f.at(x, y));
    f.computeAt(g, y);
    assertFails(ScheduleException.class, () -> f.storeAt(g, x),
        "In the schedule of f, storeAt(g, x): Func f would be stored at g.x, inside the loop where it is computed (g.y)");
    f.storeAt(g, y).computeAt(g, x);
    assertFails(ScheduleException.class, () -> f.computeAt(g, y).storeAt(g, x).computeRoot(), "stored at g.x");
    Func h = f2("h");
    Func k = new Func("k");
    k.at(x, y).set(h.at(x, y));
    h.storeAt(k, y);
    assertFails(ScheduleException.class, h::computeRoot, "computeRoot(): Func h would be stored at k.y, inside the loop where it is computed (root)");
  }

  @Test
  void rfactorErrors() {
    Func f = f2("f");
    RDom r = new RDom("r", 0, 10);
    RDom s = new RDom("s", 0, 10);
    f.at(x, r.x()).set(f.at(x, r.x()).plus(1));
    Var u = new Var("u");
    assertFails(ScheduleException.class, () -> f.update(0).rfactor(s.x(), u),
        "In the schedule of f.update(0), rfactor(s.x -> u): the RVar s.x is not in the reduction domain r of f.update(0)");
    assertFails(ScheduleException.class, () -> f.update(0).rfactor(r.x(), y),
        "In the schedule of f.update(0), rfactor(r.x -> y): cannot rfactor: the Var y is already used (the pure Vars of f and"
            + " the loops of the update are x, y, r.x)");
    assertFails(ScheduleException.class, () -> f.update(0).rfactor(x, u), "cannot rfactor: x is a pure loop, not a reduction variable");
    assertFails(ScheduleException.class, () -> f.update(0).rfactor(List.of(Map.entry(r.x(), u), Map.entry(r.x(), u))),
        "cannot rfactor: the reduction variable r.x is given twice");
    assertFails(ScheduleException.class, () -> f.update(0).rfactor(List.of()), "cannot rfactor: no reduction variables given");
    Func g = f2("g");
    g.at(x, y).set(g.at(x, y).plus(1));
    assertFails(ScheduleException.class, () -> g.update(0).rfactor(r.x(), u),
        "In the schedule of g.update(0), rfactor(r.x -> u): cannot rfactor: the update has no reduction domain");
    // Failed requests change nothing, not even the next intermediate's name.
    assertEquals("f_intm", f.update(0).rfactor(r.x(), u).name());
  }

  @Test
  void schedulingAnUndefinedFunc() {
    Func u = new Func("u");
    assertFails(ScheduleException.class, u::computeRoot, "Func u has no definition yet; define it before calling computeRoot()");
    assertFails(ScheduleException.class, () -> u.split(x, xo, xi, 2), "Func u has no definition yet; define it before calling split(x, xo, xi, 2)");
    assertFails(ScheduleException.class, () -> u.update(0), "Func u has no definition yet");
  }

  @Test
  void updateIndexOutOfRange() {
    Func f = f2("f");
    assertFails(ScheduleException.class, () -> f.update(0), "Func f has 0 update definitions; update(0) is out of range");
    f.at(x, y).set(1f);
    assertFails(ScheduleException.class, () -> f.update(1), "Func f has 1 update definition; update(1) is out of range");
    assertFails(ScheduleException.class, () -> f.update(-1), "update(-1) is out of range");
  }

  @Test
  void otherFuncLevelErrors() {
    Func f = f2("f");
    f.at(x, y).set(1f);
    // A Func with updates may be left inline: it is then computed at the innermost loop of its uses.
    f.computeRoot().computeInline();
    assertEquals(LoopLevel.INLINED, f.function().schedule().computeLevel());
    assertFails(ScheduleException.class, () -> f.bound(new Var("z"), 0, 4), "bound(z): z is not a pure argument of f (x, y)");
    assertFails(ScheduleException.class, () -> f.estimate(x, Expr.of(0), y), "estimate(x): the bounds use the Var y");
    assertFails(ScheduleException.class, () -> f.gpuBlocks(x, y, x, y), "gpuBlocks(x, y, x, y): takes one to three loops, got 4");
    Func g = f2("g");
    assertFails(ScheduleException.class, () -> new Stage(g, 0).atomic(), "atomic() applies to update definitions");
  }
}
