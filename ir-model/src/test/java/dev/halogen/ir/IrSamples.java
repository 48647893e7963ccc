package dev.halogen.ir;

import dev.halogen.ir.Expr.*;
import dev.halogen.ir.Stmt.*;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * At least one instance of every IR node type, at both levels, for round-trip tests. {@link
 * IrSamplesTest} checks reflectively that every permitted subclass of every sealed IR interface
 * occurs here, so a new node without a sample fails the build.
 */
public final class IrSamples {
  private IrSamples() {}

  static final Var X = Var.of("x");
  static final Var Y = Var.of("y");
  static final Var RX = Var.of("r.x");
  static final Var GAIN = new Var(Type.F32, "gain");

  static IntImm i32(long v) {
    return new IntImm(Type.I32, v);
  }

  static FloatImm f32(double v) {
    return new FloatImm(Type.F32, v);
  }

  /** Every expression node, including edge-case immediates. */
  public static List<Expr> exprs() {
    List<Expr> out = new ArrayList<>();
    out.add(i32(0));
    out.add(i32(-7));
    out.add(new IntImm(Type.I8, -128));
    out.add(new IntImm(Type.I16, 32767));
    out.add(new IntImm(Type.I64, Long.MIN_VALUE));
    out.add(new UIntImm(Type.U8, 255));
    out.add(new UIntImm(Type.U16, 65535));
    out.add(new UIntImm(Type.U32, 4294967295L));
    out.add(new UIntImm(Type.U64, -1L));
    out.add(new UIntImm(Type.BOOL, 1));
    out.add(new UIntImm(Type.BOOL, 0));
    out.add(f32(1.5));
    out.add(f32(0.1));
    out.add(f32(-0.0));
    out.add(f32(Double.NaN));
    out.add(f32(Double.POSITIVE_INFINITY));
    out.add(new FloatImm(Type.F64, 0.1));
    out.add(new FloatImm(Type.F64, Double.NEGATIVE_INFINITY));
    out.add(new FloatImm(Type.F64, 1e300));
    out.add(new FloatImm(Type.F16, 0.5));
    out.add(new StringImm("a \"quoted\" string\nwith\tescapes and \\ backslash"));
    out.add(new Cast(Type.F32, X));
    out.add(new Cast(Type.U8, new Cast(Type.I16, X)));
    out.add(X);
    out.add(GAIN);
    out.add(new Var(Type.F64.withLanes(4), "v4"));
    out.add(new Add(X, i32(1)));
    out.add(new Sub(X, new Sub(Y, i32(2))));
    out.add(new Mul(new Add(X, Y), i32(3)));
    out.add(new Div(X, i32(4)));
    out.add(new Mod(new Add(X, i32(-3)), i32(5)));
    out.add(new Min(X, Y));
    out.add(new Max(new Min(X, i32(10)), i32(0)));
    out.add(new EQ(X, Y));
    out.add(new NE(X, i32(0)));
    out.add(new LT(GAIN, f32(2)));
    out.add(new LE(X, Y));
    out.add(new GT(X, Y));
    out.add(new GE(new Add(X, Y), i32(0)));
    out.add(new And(new LT(X, Y), new Or(new GT(X, i32(3)), new Not(new EQ(Y, i32(1))))));
    out.add(new Or(new And(new LT(X, Y), new LT(Y, i32(2))), new GE(X, i32(9))));
    out.add(new Not(new LT(X, Y)));
    out.add(new Select(new LT(X, Y), new Mul(GAIN, f32(2)), f32(0)));
    out.add(new Let("t", new Add(X, i32(1)), new Mul(Var.of("t"), Var.of("t"))));
    out.add(new Let("s", f32(3), new Add(new Var(Type.F32, "s"), GAIN)));
    out.add(new Call(Type.F32, "blur_x", List.of(new Sub(X, i32(1)), Y), CallKind.FUNC, 0));
    out.add(new Call(Type.I32, "argmin", List.of(X), CallKind.FUNC, 1));
    out.add(new Call(Type.U16, "input", List.of(X, Y), CallKind.IMAGE));
    out.add(new Call(Type.F32, "sin", List.of(GAIN), CallKind.MATH));
    out.add(new Call(Type.F32, "pow", List.of(GAIN, f32(2)), CallKind.MATH));
    out.add(new Call(Type.I32, "likely", List.of(X), CallKind.INTRINSIC));
    out.add(new Call(Type.F64, "my_extern", List.of(X, new FloatImm(Type.F64, 2)), CallKind.EXTERN));
    Expr ramp = new Ramp(X, i32(1), 8);
    out.add(ramp);
    out.add(new Ramp(new Ramp(X, i32(1), 4), new Broadcast(i32(16), 4), 2));
    out.add(new Broadcast(GAIN, 8));
    Expr all = new Broadcast(new UIntImm(Type.BOOL, 1), 8);
    out.add(new Load(Type.F32.withLanes(8), "buf", ramp, all));
    out.add(new Load(Type.F32, "buf", X, new UIntImm(Type.BOOL, 1)));
    out.add(new Load(Type.F32.withLanes(8), "buf", ramp, new LT(ramp, new Broadcast(Y, 8))));
    out.add(new VectorReduce(VectorReduce.Op.ADD, new Load(Type.F32.withLanes(8), "buf", ramp, all), 2));
    out.add(new VectorReduce(VectorReduce.Op.OR, new LT(ramp, new Broadcast(Y, 8)), 1));
    return out;
  }

  /** Every statement node. */
  public static List<Stmt> stmts() {
    List<Stmt> out = new ArrayList<>();
    Expr one = new UIntImm(Type.BOOL, 1);
    Stmt store = new Store("f", new Cast(Type.F32, X), X, one);
    out.add(store);
    out.add(new Store("f", new Broadcast(GAIN, 4), new Ramp(X, i32(1), 4), new LT(new Ramp(X, i32(1), 4), new Broadcast(Y, 4))));
    out.add(new LetStmt("t", new Mul(X, i32(2)), store));
    out.add(new AssertStmt(new GE(X, i32(0)), "input is accessed at {} which is before its min {}", List.of(X, i32(0))));
    out.add(new AssertStmt(new LT(X, Y), "plain message", List.of()));
    out.add(new ProducerConsumer("f", true, store));
    out.add(new ProducerConsumer("f", false, new Evaluate(i32(0))));
    out.add(new For("f.s0.x", i32(0), Y, ForKind.SERIAL, store));
    out.add(new For("f.s0.y", i32(-2), i32(10), ForKind.PARALLEL, store));
    out.add(new For("f.s0.x.xi", i32(0), i32(8), ForKind.VECTORIZED, store));
    out.add(new For("f.s0.x.xi", i32(0), i32(4), ForKind.UNROLLED, store));
    out.add(new For("blk", i32(0), Y, ForKind.GPU_BLOCK, DeviceApi.CUDA, store));
    out.add(new For("thr", i32(0), i32(32), ForKind.GPU_THREAD, DeviceApi.OPENCL, store));
    out.add(new For("lane", i32(0), i32(32), ForKind.GPU_LANE, DeviceApi.DEFAULT_GPU, store));
    Stmt provide = new Provide("f", List.of(new Cast(Type.F32, X)), List.of(X, Y));
    out.add(provide);
    out.add(new Provide("argmin", List.of(X, f32(1)), List.of(X)));
    out.add(new Realize("f", List.of(Type.F32), MemoryType.AUTO, List.of(new Range(i32(0), i32(10)), new Range(Y, i32(4))), one, provide));
    out.add(new Realize("argmin", List.of(Type.I32, Type.F32), MemoryType.STACK, List.of(new Range(i32(0), X)), new LT(X, Y), provide));
    out.add(new Allocate("f", Type.F32, MemoryType.HEAP, List.of(i32(10), Y), one, store));
    out.add(new Allocate("g", Type.U8, MemoryType.GPU_SHARED, List.of(), new GT(Y, i32(0)), new Block(List.of(store, new Free("g")))));
    out.add(new Free("f"));
    out.add(new Block(List.of(store, new Evaluate(i32(1)), provide)));
    out.add(Stmt.NO_OP);
    out.add(new IfThenElse(new LT(X, Y), store));
    out.add(new IfThenElse(new LT(X, Y), store, new Free("f")));
    out.add(new Evaluate(new Call(Type.I32, "my_extern", List.of(X), CallKind.EXTERN)));
    out.add(new Atomic("hist", "", store));
    out.add(new Atomic("hist", "hist.mutex", store));
    return out;
  }

  /** A pipeline using every function-graph construct: both split kinds, every loop level and parameter kind. */
  public static Pipeline pipeline() {
    Type f32 = Type.F32;
    Var rx = RX;
    Var ry = Var.of("r.y");
    StageSchedule blurSchedule = new StageSchedule(
        List.of(
            new Split.SplitVar("x", "x.xo", "x.xi", i32(8), TailStrategy.GUARD_WITH_IF),
            new Split.SplitVar("y", "y.yo", "y.yi", i32(4), TailStrategy.ROUND_UP),
            new Split.FuseVars("x.xo", "y.yo", "t"),
            new Split.RenameVar("y.yi", "yy"),
            new Split.SplitVar("yy", "yy.o", "yy.i", i32(2), TailStrategy.SHIFT_INWARDS),
            new Split.SplitVar("x.xi", "x.a", "x.b", i32(2), TailStrategy.AUTO)),
        List.of(
            new Dim("x.b", ForKind.VECTORIZED, DeviceApi.HOST, false),
            new Dim("x.a", ForKind.UNROLLED, DeviceApi.HOST, false),
            new Dim("yy.i", ForKind.SERIAL, DeviceApi.HOST, false),
            new Dim("yy.o", ForKind.SERIAL, DeviceApi.HOST, false),
            new Dim("t", ForKind.PARALLEL, DeviceApi.HOST, false)),
        List.of(), false, false);
    Function in = new Function("clamped", List.of("x", "y"), List.of(f32),
        new Definition(List.of(X, Y),
            List.of(new Call(f32, "input", List.of(new Max(new Min(X, i32(99)), i32(0)), Y), CallKind.IMAGE)), null,
            StageSchedule.of(List.of(dim("x"), dim("y")))),
        List.of(), new FuncSchedule(new LoopLevel.At("blur", 0, "t"), LoopLevel.ROOT, List.of(), List.of(), MemoryType.STACK));
    Function blur = new Function("blur", List.of("x", "y"), List.of(f32),
        new Definition(List.of(X, Y),
            List.of(new Mul(new Add(new Call(f32, "clamped", List.of(X, Y), CallKind.FUNC),
                new Call(f32, "lut", List.of(X, Y), CallKind.IMAGE)), GAIN)), null, blurSchedule),
        List.of(), new FuncSchedule(LoopLevel.ROOT, LoopLevel.ROOT,
            List.of(new Bound("x", i32(0), i32(100))), List.of(new Bound("y", i32(0), i32(50))), MemoryType.HEAP));
    ReductionDomain r = new ReductionDomain("r",
        List.of(new ReductionDomain.ReductionVariable("r.x", i32(0), i32(16)),
            new ReductionDomain.ReductionVariable("r.y", i32(0), Var.of("n"))),
        new LT(rx, ry));
    Definition pureHist = new Definition(List.of(X), List.of(i32(0), f32(0)), null, StageSchedule.of(List.of(dim("x"))));
    Expr idx = new Cast(Type.I32, new Call(f32, "blur", List.of(rx, ry), CallKind.FUNC));
    Definition update = new Definition(List.of(idx),
        List.of(new Add(new Call(Type.I32, "hist", List.of(idx), CallKind.FUNC, 0), i32(1)),
            new Call(f32, "hist", List.of(idx), CallKind.FUNC, 1)),
        r,
        new StageSchedule(List.of(),
            List.of(new Dim("r.x", ForKind.SERIAL, DeviceApi.HOST, true), new Dim("r.y", ForKind.SERIAL, DeviceApi.HOST, true)),
            List.of(new RFactor("hist_intm", List.of(new RFactor.Pair("r.y", "v")))), true, true));
    Function hist = new Function("hist", List.of("x"), List.of(Type.I32, f32), pureHist, List.of(update),
        FuncSchedule.INLINE.withComputeLevel(LoopLevel.ROOT).withStoreLevel(LoopLevel.ROOT));
    Function gpu = new Function("gpu_out", List.of("x"), List.of(f32),
        new Definition(List.of(X), List.of(new Call(f32, "blur", List.of(new Call(Type.I32, "offset", List.of(X), CallKind.FUNC), i32(0)), CallKind.FUNC)), null,
            StageSchedule.of(List.of(new Dim("x", ForKind.GPU_BLOCK, DeviceApi.CUDA, false)))),
        List.of(), FuncSchedule.INLINE.withComputeLevel(LoopLevel.ROOT).withStoreLevel(LoopLevel.ROOT));
    Function offset = new Function("offset", List.of("x"), List.of(Type.I32),
        new Definition(List.of(X), List.of(new Add(X, i32(1))), null, StageSchedule.of(List.of(dim("x")))),
        List.of(), FuncSchedule.INLINE);
    Buffer lut = Buffer.of(new float[] {0f, 0.25f, Float.NaN, -1e30f, 7f, 8f}, 3, 2).withMins(-1, 4);
    return Pipeline.of(List.of("hist", "gpu_out"), List.of(in, blur, hist, gpu, offset),
        List.of(new Parameter.Scalar("gain", f32, f32(1)), new Parameter.Scalar("n", Type.I32, null),
            new Parameter.Image("input", f32, 2), new Parameter.Constant("lut", lut)));
  }

  private static Dim dim(String v) {
    return new Dim(v, ForKind.SERIAL, DeviceApi.HOST, false);
  }

  /** A lowered module with every argument kind and a constant. */
  public static LoweredModule module() {
    Stmt body = new Block(stmts());
    return new LoweredModule("m", List.of(
        new LoweredModule.EntryPoint("m", List.of(
            new LoweredModule.Argument("input", LoweredModule.ArgumentKind.INPUT_BUFFER, Type.U16, 2),
            new LoweredModule.Argument("gain", LoweredModule.ArgumentKind.SCALAR, Type.F32, 0),
            new LoweredModule.Argument("out", LoweredModule.ArgumentKind.OUTPUT_BUFFER, Type.F32, 3)), body)),
        List.of(new Parameter.Constant("lut", Buffer.of(new int[] {1, 2, 3}, 3))));
  }

  /** Every record class reachable from the samples, found by walking their components reflectively. */
  public static Set<Class<?>> classesUsed() {
    Set<Class<?>> seen = new HashSet<>();
    List<Object> roots = new ArrayList<>();
    roots.addAll(exprs());
    roots.addAll(stmts());
    roots.add(pipeline());
    roots.add(module());
    for (Object o : roots) walk(o, seen, new java.util.IdentityHashMap<>());
    return seen;
  }

  private static void walk(Object o, Set<Class<?>> seen, java.util.IdentityHashMap<Object, Boolean> visited) {
    if (o == null || visited.put(o, true) != null) return;
    seen.add(o.getClass());
    if (o instanceof Iterable<?> it) {
      for (Object e : it) walk(e, seen, visited);
    } else if (o instanceof java.util.Map<?, ?> m) {
      for (Object e : m.values()) walk(e, seen, visited);
    } else if (o.getClass().isRecord()) {
      for (var c : o.getClass().getRecordComponents()) {
        try {
          walk(c.getAccessor().invoke(o), seen, visited);
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
    }
  }
}
