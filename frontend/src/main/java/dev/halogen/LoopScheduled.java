package dev.halogen;

import dev.halogen.ir.DeviceApi;
import dev.halogen.ir.ForKind;
import dev.halogen.ir.TailStrategy;
import java.util.ArrayList;
import java.util.List;

/**
 * The loop-nest directives shared by a {@link Func} (they apply to its pure definition) and a
 * {@link Stage} (any one definition). Each returns its receiver for chaining and records the
 * directive in the stage's {@link dev.halogen.ir.StageSchedule} (splits in order, dims innermost
 * first). New loop names are the names of the Vars given ({@code split(x, xo, xi, 8)} makes loops
 * {@code xo} and {@code xi}); the directives with a factor but no new names ({@code vectorize(x,
 * 8)}, {@code unroll(x, 4)}, {@code parallel(y, 16)}) keep {@code x} as the outer loop and name the
 * inner one {@code x.v}, {@code x.u} or {@code y.p}. A directive that is wrong changes nothing.
 */
public abstract sealed class LoopScheduled<S extends LoopScheduled<S>> permits Func, Stage {
  LoopScheduled() {}

  abstract Func owner();

  abstract int stageIndex();

  abstract S self();

  private LoopEditor edit(String op) {
    owner().requireDefined(op);
    return new LoopEditor(owner(), stageIndex(), op);
  }

  private S commit(LoopEditor e) {
    owner().setStageSchedule(stageIndex(), e.result());
    return self();
  }

  /** Replaces loop {@code old} by {@code outer} and {@code inner}: {@code old = outer * factor + inner}. */
  public S split(VarOrRVar old, VarOrRVar outer, VarOrRVar inner, int factor) {
    return split(old, outer, inner, factor, TailStrategy.AUTO);
  }

  public S split(VarOrRVar old, VarOrRVar outer, VarOrRVar inner, int factor, TailStrategy tail) {
    LoopEditor e = edit("split(" + old.name() + ", " + outer.name() + ", " + inner.name() + ", " + factor + ")");
    e.split(old.name(), outer.name(), inner.name(), factor, tail);
    return commit(e);
  }

  /** Splits {@code x} and {@code y} and orders the loops {@code xi, yi, xo, yo} (innermost first). */
  public S tile(VarOrRVar x, VarOrRVar y, VarOrRVar xo, VarOrRVar yo, VarOrRVar xi, VarOrRVar yi, int xFactor, int yFactor) {
    return tile(x, y, xo, yo, xi, yi, xFactor, yFactor, TailStrategy.AUTO);
  }

  public S tile(VarOrRVar x, VarOrRVar y, VarOrRVar xo, VarOrRVar yo, VarOrRVar xi, VarOrRVar yi, int xFactor, int yFactor,
      TailStrategy tail) {
    LoopEditor e = edit("tile(" + x.name() + ", " + y.name() + ")");
    e.split(x.name(), xo.name(), xi.name(), xFactor, tail);
    e.split(y.name(), yo.name(), yi.name(), yFactor, tail);
    e.reorder(List.of(xi.name(), yi.name(), xo.name(), yo.name()));
    return commit(e);
  }

  /** Tiles with {@code x} and {@code y} as the outer loops: loops {@code xi, yi, x, y}. */
  public S tile(VarOrRVar x, VarOrRVar y, VarOrRVar xi, VarOrRVar yi, int xFactor, int yFactor) {
    return tile(x, y, x, y, xi, yi, xFactor, yFactor, TailStrategy.AUTO);
  }

  public S tile(VarOrRVar x, VarOrRVar y, VarOrRVar xi, VarOrRVar yi, int xFactor, int yFactor, TailStrategy tail) {
    return tile(x, y, x, y, xi, yi, xFactor, yFactor, tail);
  }

  /** Orders the given loops, innermost first, among the positions they occupy now. */
  public S reorder(VarOrRVar... innermostFirst) {
    List<String> names = new ArrayList<>();
    for (VarOrRVar v : innermostFirst) names.add(v.name());
    LoopEditor e = edit("reorder(" + String.join(", ", names) + ")");
    e.reorder(names);
    return commit(e);
  }

  /** Replaces {@code inner} and the loop {@code outer} directly around it by one loop {@code fused}. */
  public S fuse(VarOrRVar inner, VarOrRVar outer, VarOrRVar fused) {
    LoopEditor e = edit("fuse(" + inner.name() + ", " + outer.name() + ", " + fused.name() + ")");
    e.fuse(inner.name(), outer.name(), fused.name());
    return commit(e);
  }

  public S rename(VarOrRVar old, VarOrRVar renamed) {
    LoopEditor e = edit("rename(" + old.name() + ", " + renamed.name() + ")");
    e.rename(old.name(), renamed.name());
    return commit(e);
  }

  public S serial(VarOrRVar v) {
    return loopKind("serial", v, ForKind.SERIAL, DeviceApi.HOST);
  }

  public S parallel(VarOrRVar v) {
    return loopKind("parallel", v, ForKind.PARALLEL, DeviceApi.HOST);
  }

  /** Splits {@code v} into tasks of {@code taskSize} iterations and runs the tasks in parallel. */
  public S parallel(VarOrRVar v, int taskSize) {
    return parallel(v, taskSize, TailStrategy.AUTO);
  }

  public S parallel(VarOrRVar v, int taskSize, TailStrategy tail) {
    return splitAndMark("parallel", v, ".p", taskSize, tail, true, ForKind.PARALLEL);
  }

  public S vectorize(VarOrRVar v) {
    return loopKind("vectorize", v, ForKind.VECTORIZED, DeviceApi.HOST);
  }

  /** Splits off an inner loop of {@code factor} iterations and vectorizes it. */
  public S vectorize(VarOrRVar v, int factor) {
    return vectorize(v, factor, TailStrategy.AUTO);
  }

  public S vectorize(VarOrRVar v, int factor, TailStrategy tail) {
    return splitAndMark("vectorize", v, ".v", factor, tail, false, ForKind.VECTORIZED);
  }

  public S unroll(VarOrRVar v) {
    return loopKind("unroll", v, ForKind.UNROLLED, DeviceApi.HOST);
  }

  /** Splits off an inner loop of {@code factor} iterations and unrolls it. */
  public S unroll(VarOrRVar v, int factor) {
    return unroll(v, factor, TailStrategy.AUTO);
  }

  public S unroll(VarOrRVar v, int factor, TailStrategy tail) {
    return splitAndMark("unroll", v, ".u", factor, tail, false, ForKind.UNROLLED);
  }

  /** Maps the given loops (innermost first, at most three) to GPU blocks. */
  public S gpuBlocks(VarOrRVar... vars) {
    return gpu("gpuBlocks", ForKind.GPU_BLOCK, vars);
  }

  /** Maps the given loops (innermost first, at most three) to GPU threads within a block. */
  public S gpuThreads(VarOrRVar... vars) {
    return gpu("gpuThreads", ForKind.GPU_THREAD, vars);
  }

  /** Splits {@code x} by {@code xSize} into blocks {@code bx} of threads {@code tx}. */
  public S gpuTile(VarOrRVar x, VarOrRVar bx, VarOrRVar tx, int xSize) {
    LoopEditor e = edit("gpuTile(" + x.name() + ")");
    e.split(x.name(), bx.name(), tx.name(), xSize, TailStrategy.AUTO);
    e.kind(bx.name(), ForKind.GPU_BLOCK, DeviceApi.DEFAULT_GPU);
    e.kind(tx.name(), ForKind.GPU_THREAD, DeviceApi.DEFAULT_GPU);
    return commit(e);
  }

  /** Tiles {@code x, y} by {@code xSize, ySize}: blocks {@code bx, by} of threads {@code tx, ty}. */
  public S gpuTile(VarOrRVar x, VarOrRVar y, VarOrRVar bx, VarOrRVar by, VarOrRVar tx, VarOrRVar ty, int xSize, int ySize) {
    LoopEditor e = edit("gpuTile(" + x.name() + ", " + y.name() + ")");
    e.split(x.name(), bx.name(), tx.name(), xSize, TailStrategy.AUTO);
    e.split(y.name(), by.name(), ty.name(), ySize, TailStrategy.AUTO);
    e.reorder(List.of(tx.name(), ty.name(), bx.name(), by.name()));
    for (VarOrRVar v : List.of(bx, by)) e.kind(v.name(), ForKind.GPU_BLOCK, DeviceApi.DEFAULT_GPU);
    for (VarOrRVar v : List.of(tx, ty)) e.kind(v.name(), ForKind.GPU_THREAD, DeviceApi.DEFAULT_GPU);
    return commit(e);
  }

  private S gpu(String op, ForKind kind, VarOrRVar[] vars) {
    List<String> names = new ArrayList<>();
    for (VarOrRVar v : vars) names.add(v.name());
    LoopEditor e = edit(op + "(" + String.join(", ", names) + ")");
    if (vars.length < 1 || vars.length > 3) throw e.error("takes one to three loops, got " + vars.length);
    for (String n : names) e.kind(n, kind, DeviceApi.DEFAULT_GPU);
    return commit(e);
  }

  private S loopKind(String op, VarOrRVar v, ForKind kind, DeviceApi api) {
    LoopEditor e = edit(op + "(" + v.name() + ")");
    e.kind(v.name(), kind, api);
    return commit(e);
  }

  private S splitAndMark(String op, VarOrRVar v, String suffix, int factor, TailStrategy tail, boolean markOuter, ForKind kind) {
    LoopEditor e = edit(op + "(" + v.name() + ", " + factor + ")");
    String inner = v.name() + suffix;
    e.split(v.name(), v.name(), inner, factor, tail);
    e.kind(markOuter ? v.name() : inner, kind, DeviceApi.HOST);
    return commit(e);
  }
}
