package dev.halogen.ir.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.ir.Bound;
import dev.halogen.ir.Buffer;
import dev.halogen.ir.Definition;
import dev.halogen.ir.DeviceApi;
import dev.halogen.ir.Dim;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.ForKind;
import dev.halogen.ir.FuncSchedule;
import dev.halogen.ir.Function;
import dev.halogen.ir.IrSamples;
import dev.halogen.ir.LoopLevel;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.MemoryType;
import dev.halogen.ir.Parameter;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.RFactor;
import dev.halogen.ir.ReductionDomain;
import dev.halogen.ir.Split;
import dev.halogen.ir.StageSchedule;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.Stmt.*;
import dev.halogen.ir.TailStrategy;
import dev.halogen.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** parse(print(x)) equals x, and printing the parsed node gives the same text again. */
class IrTextRoundTripTest {
  static final Var X = Var.of("x");
  static final Var Y = Var.of("y");
  static final Var GAIN = new Var(Type.F32, "gain");
  static final Expr TRUE = new UIntImm(Type.BOOL, 1);

  static IntImm i32(long v) {
    return new IntImm(Type.I32, v);
  }

  static FloatImm f32(double v) {
    return new FloatImm(Type.F32, v);
  }

  static void roundTrip(Expr e) {
    String text = IrPrinter.print(e);
    Expr back = IrParser.parseExpr(text);
    assertEquals(e, back, () -> "text:\n" + text);
    assertEquals(text, IrPrinter.print(back));
  }

  static void roundTrip(Stmt s) {
    String text = IrPrinter.print(s);
    Stmt back = IrParser.parseStmt(text);
    assertEquals(s, back, () -> "text:\n" + text);
    assertEquals(text, IrPrinter.print(back));
  }

  static void roundTrip(Function f) {
    String text = IrPrinter.print(f);
    Function back = IrParser.parseFunction(text);
    assertEquals(f, back, () -> "text:\n" + text);
    assertEquals(text, IrPrinter.print(back));
  }

  static void roundTrip(Pipeline p) {
    String text = IrPrinter.print(p);
    Pipeline back = IrParser.parsePipeline(text);
    assertEquals(p, back, () -> "text:\n" + text);
    assertEquals(text, IrPrinter.print(back));
  }

  static void roundTrip(LoweredModule m) {
    String text = IrPrinter.print(m);
    LoweredModule back = IrParser.parseModule(text);
    assertEquals(m, back, () -> "text:\n" + text);
    assertEquals(text, IrPrinter.print(back));
  }

  // ------------------------------------------------------------------ the samples

  @Test
  void everySampleExpression() {
    for (Expr e : IrSamples.exprs()) roundTrip(e);
  }

  @Test
  void everySampleStatement() {
    for (Stmt s : IrSamples.stmts()) roundTrip(s);
  }

  @Test
  void theSamplePipelineAndEachOfItsFuncsAlone() {
    Pipeline p = IrSamples.pipeline();
    roundTrip(p);
    for (Function f : p.functions().values()) roundTrip(f);
  }

  @Test
  void theSampleModule() {
    roundTrip(IrSamples.module());
  }

  // ------------------------------------------------------------------ names and typing

  @Test
  void namesThatAreKeywordsOrUnusual() {
    roundTrip(new Add(Var.of("min"), Var.of("let")));
    roundTrip(new Var(Type.F32, "select"));
    roundTrip(new Call(Type.F32, "for", List.of(X), CallKind.FUNC));
    roundTrip(new Call(Type.F32, "in", List.of(X, Y), CallKind.IMAGE));
    roundTrip(new Load(Type.F32, "if", X, TRUE));
    roundTrip(new Add(Var.of("größe"), Var.of("f$1.s0.x$")));
    roundTrip(new Let("true", i32(1), Var.of("true")));
    roundTrip(new Add(Var.of("in"), Var.of("where")));
    roundTrip(new Provide("parallel", List.of(i32(1)), List.of(Var.of("for"))));
    roundTrip(new Free("allocate"));
    roundTrip(new Atomic("bound", "else", new Evaluate(Var.of("in"))));
    roundTrip(new Realize("in", List.of(Type.F32), MemoryType.AUTO, List.of(), TRUE,
        new Provide("in", List.of(new Call(Type.F32, "in", List.of(), CallKind.FUNC)), List.of())));
  }

  @Test
  void variablesWhoseTypesConflictAreWrittenWithTheirTypes() {
    Var intV = Var.of("v");
    Var floatV = new Var(Type.F32, "v");
    roundTrip(new Add(floatV, new Cast(Type.F32, intV)));
    roundTrip(new Add(new Cast(Type.F32, intV), floatV));
    // A let-bound name used at another type inside its body.
    roundTrip(new Let("t", i32(1), new Add(Var.of("t"), new Cast(Type.I32, new Var(Type.F32, "t")))));
    // Shadowing lets of different types.
    roundTrip(new Let("t", i32(1), new Let("t", f32(2), new Add(new Var(Type.F32, "t"), GAIN))));
    roundTrip(new LetStmt("t", f32(1), new Block(List.of(
        new Store("o", new Var(Type.F32, "t"), X, TRUE),
        new LetStmt("t", i32(2), new Store("o", new Cast(Type.F32, Var.of("t")), X, TRUE))))));
  }

  @Test
  void callsOfEveryKindAndTheirFallbacks() {
    roundTrip(new Call(Type.U32, "abs", List.of(X), CallKind.INTRINSIC));
    roundTrip(new Call(Type.F32, "abs", List.of(GAIN), CallKind.INTRINSIC));
    roundTrip(new Call(Type.I32, "abs", List.of(X), CallKind.INTRINSIC));
    roundTrip(new Call(Type.U32, "reinterpret", List.of(GAIN), CallKind.INTRINSIC));
    roundTrip(new Call(Type.BOOL, "is_nan", List.of(GAIN), CallKind.INTRINSIC));
    roundTrip(new Call(Type.BOOL, "is_nan", List.of(GAIN), CallKind.MATH));
    // Written plainly, is_nan is the intrinsic the front end and the evaluator use.
    org.junit.jupiter.api.Assertions.assertEquals(new Call(Type.BOOL, "is_nan", List.of(GAIN), CallKind.INTRINSIC),
        IrParser.parseExpr("var gain: float32\nis_nan(gain)"));
    roundTrip(new Call(Type.F64, "sin", List.of(GAIN), CallKind.MATH));
    roundTrip(new Call(Type.F32, "sin", List.of(), CallKind.MATH));
    roundTrip(new Call(Type.F32, "lerp", List.of(GAIN, GAIN, GAIN), CallKind.INTRINSIC));
    roundTrip(new Call(Type.F32, "sin", List.of(GAIN), CallKind.EXTERN));
    // A Func named like a math function shadows it; the math call is then written explicitly.
    roundTrip(new Add(new Call(Type.F32, "sin", List.of(X), CallKind.FUNC), new Call(Type.F32, "sin", List.of(GAIN), CallKind.MATH)));
    // The same name as a Func and as an image.
    roundTrip(new Add(new Call(Type.F32, "f", List.of(X), CallKind.FUNC), new Call(Type.F32, "f", List.of(X), CallKind.IMAGE)));
    roundTrip(new Add(new Call(Type.F32, "f", List.of(X), CallKind.IMAGE), new Call(Type.F32, "f", List.of(X), CallKind.FUNC)));
    // A tuple Func whose used values are 0..n-1 is declared; one used at other types is explicit.
    roundTrip(new Add(new Call(Type.I32, "t", List.of(X), CallKind.FUNC, 0),
        new Cast(Type.I32, new Call(Type.F32, "t", List.of(X), CallKind.FUNC, 1))));
    roundTrip(new Add(new Call(Type.I32, "t", List.of(X), CallKind.FUNC, 0), new Call(Type.I32, "t", List.of(Y), CallKind.FUNC, 2)));
    roundTrip(new Add(new Call(Type.I32, "g", List.of(X), CallKind.FUNC), new Cast(Type.I32, new Call(Type.F32, "g", List.of(Y), CallKind.FUNC))));
    roundTrip(new Call(Type.F32, "noargs", List.of(), CallKind.FUNC));
  }

  @Test
  void loadsAndStores() {
    Expr ramp = new Ramp(X, i32(1), 4);
    roundTrip(new Add(new Load(Type.F32, "b", X, TRUE), new Cast(Type.F32, new Load(Type.I32, "b", Y, TRUE))));
    // A predicate equal to true but not in the canonical form is written out.
    roundTrip(new Load(Type.F32.withLanes(8), "b", new Ramp(X, i32(1), 8),
        new Broadcast(new Broadcast(TRUE, 2), 4)));
    roundTrip(new Load(Type.F32, "b", X, new UIntImm(Type.BOOL, 0)));
    // An allocation of vector elements: a load takes the lanes of its index.
    Type f32x4 = Type.F32.withLanes(4);
    Expr ramp16 = new Ramp(X, i32(1), 16);
    roundTrip(new Allocate("v", f32x4, MemoryType.REGISTER, List.of(i32(4)), TRUE, new Block(List.of(
        new Store("v", new Broadcast(GAIN, 4), ramp, new Broadcast(TRUE, 4)),
        new Store("out", new Load(Type.F32.withLanes(16), "v", ramp16, new Broadcast(TRUE, 16)), ramp16, new Broadcast(TRUE, 16)),
        new Store("out", new Load(Type.F32, "v", X, TRUE), X, TRUE)))));
    // Nested allocations of one name with different types.
    roundTrip(new Allocate("a", Type.U8, MemoryType.STACK, List.of(i32(4)), TRUE,
        new Allocate("a", Type.F64, MemoryType.HEAP, List.of(Y, Y, i32(2)), new LT(X, Y),
            new Store("o", new Cast(Type.F32, new Load(Type.F64, "a", X, TRUE)), X, TRUE))));
    roundTrip(new Store("b", new Broadcast(GAIN, 4), ramp, new Broadcast(TRUE, 4)));
    roundTrip(new Store("b", GAIN, X, new LT(X, Y)));
  }

  @Test
  void operatorsLiteralsAndVectors() {
    BoolVars b = new BoolVars();
    roundTrip(new Sub(X, i32(-7)));
    roundTrip(new Mul(i32(-2), new Sub(i32(-1), i32(-1))));
    roundTrip(new EQ(new LT(X, Y), new LT(Y, X)));
    roundTrip(new Not(new Not(new LT(X, Y))));
    roundTrip(new Or(b.a, new Or(b.b, b.c)));
    roundTrip(new And(new Or(b.a, b.b), new Not(new And(b.b, b.c))));
    roundTrip(new Div(X, new Mul(Y, new Mod(X, i32(3)))));
    roundTrip(new Sub(new Sub(X, Y), new Add(X, Y)));
    roundTrip(new Select(new LT(new Ramp(X, i32(1), 4), new Broadcast(Y, 4)), new Broadcast(GAIN, 4), new Broadcast(f32(1), 4)));
    roundTrip(new Cast(Type.F32.withLanes(4), new Ramp(X, i32(2), 4)));
    roundTrip(new Ramp(f32(0), f32(0.5), 4));
    for (VectorReduce.Op op : List.of(VectorReduce.Op.ADD, VectorReduce.Op.MUL, VectorReduce.Op.MIN, VectorReduce.Op.MAX)) {
      roundTrip(new VectorReduce(op, new Ramp(X, i32(1), 8), 4));
    }
    roundTrip(new VectorReduce(VectorReduce.Op.AND, new Broadcast(new LT(X, Y), 4), 1));
    roundTrip(new StringImm("\u0001\u007f é \ud800 漢 \"{}\" \\u0041"));
    roundTrip(new StringImm(""));
    roundTrip(new Let("a", i32(1), new Let("b", new Add(Var.of("a"), i32(1)), new Mul(Var.of("a"), Var.of("b")))));
    roundTrip(new Add(new IntImm(Type.I64, Long.MAX_VALUE), new IntImm(Type.I64, -1)));
    roundTrip(new Add(new UIntImm(Type.U8, 0), new UIntImm(Type.U8, 1)));
  }

  /** Three bool variables, declared by the printer. */
  private static final class BoolVars {
    final Var a = new Var(Type.BOOL, "p");
    final Var b = new Var(Type.BOOL, "q");
    final Var c = new Var(Type.BOOL, "r");
  }

  // ------------------------------------------------------------------ statement structure

  @Test
  void blocksLetsAndBranches() {
    Stmt a = new Evaluate(i32(1));
    Stmt b = new Evaluate(i32(2));
    Stmt c = new Evaluate(i32(3));
    Stmt let = new LetStmt("t", i32(5), new Block(List.of(new Evaluate(Var.of("t")), b)));
    List<Stmt> cases = List.of(
        new Block(List.of(a)),
        new Block(List.of(Stmt.NO_OP)),
        new Block(List.of(new Block(List.of(a, b)))),
        new Block(List.of(new Block(List.of(a, b)), c)),
        new Block(List.of(a, new Block(List.of(b, c)))),
        new Block(List.of(a, Stmt.NO_OP)),
        new Block(List.of(Stmt.NO_OP, Stmt.NO_OP)),
        new Block(List.of(a, let, c)),
        new Block(List.of(let, let)),
        new Block(List.of(a, let)),
        new Block(List.of(new Block(List.of(let)), c)),
        new LetStmt("t", i32(1), Stmt.NO_OP),
        new LetStmt("t", i32(1), new Block(List.of(a))),
        new LetStmt("t", i32(1), new Block(List.of(let))),
        new LetStmt("t", i32(1), new LetStmt("u", Var.of("t"), new Block(List.of(a, new LetStmt("w", i32(0), b))))),
        new IfThenElse(new LT(X, Y), Stmt.NO_OP),
        new IfThenElse(new LT(X, Y), Stmt.NO_OP, a),
        new IfThenElse(new LT(X, Y), a, new IfThenElse(new GT(X, Y), b, new IfThenElse(new EQ(X, i32(0)), c, Stmt.NO_OP))),
        new IfThenElse(new LT(X, Y), a, new IfThenElse(new GT(X, Y), b, c)),
        new IfThenElse(new LT(X, Y), a, new Block(List.of(new IfThenElse(new GT(X, Y), b)))),
        new IfThenElse(new LT(X, Y), new Block(List.of(a, b)), new Block(List.of(c, a))),
        new For("i", i32(0), i32(10), ForKind.SERIAL, Stmt.NO_OP),
        new For("i", i32(0), i32(10), ForKind.SERIAL, DeviceApi.CUDA, a),
        new For("i", i32(0), i32(10), ForKind.PARALLEL, new For("j", Var.of("i"), i32(2), ForKind.VECTORIZED, let)),
        new Realize("f", List.of(Type.F32), MemoryType.REGISTER, List.of(), new LT(X, Y), Stmt.NO_OP),
        new Allocate("buf", Type.BOOL, MemoryType.GPU_TEXTURE, List.of(), TRUE, new Free("buf")),
        new Provide("f", List.of(i32(1)), List.of()),
        new AssertStmt(new UIntImm(Type.BOOL, 0), "a \"{}\" message\n", List.of(new StringImm("s"), GAIN)),
        new Evaluate(new StringImm("side effect")),
        new ProducerConsumer("f", true, Stmt.NO_OP));
    for (Stmt s : cases) roundTrip(s);
  }

  @Test
  void longLetChainsAndDeepExpressions() {
    Stmt s = new Evaluate(Var.of("v0"));
    for (int i = 0; i < 3000; i++) s = new LetStmt("v" + i, i == 0 ? i32(0) : Var.of("v" + (i - 1)), s);
    roundTrip(s);
    Expr e = X;
    for (int i = 0; i < 2000; i++) e = new Add(e, i32(i));
    roundTrip(e);
    Expr nested = X;
    for (int i = 0; i < 300; i++) nested = new Sub(i32(i), nested);
    roundTrip(nested);
  }

  @Test
  void statementTextsMayStartWithDeclarationsOfEveryKind() {
    Stmt s = new Block(List.of(
        new Store("out", new Add(new Call(Type.F32, "f", List.of(X), CallKind.FUNC), new Call(Type.F32, "img", List.of(X), CallKind.IMAGE)), X, TRUE),
        new Store("out", new Load(Type.F32, "in", X, TRUE), Y, new Var(Type.BOOL, "flag")),
        new Evaluate(new Var(Type.HANDLE, "in.buffer"))));
    roundTrip(s);
  }

  // ------------------------------------------------------------------ floats

  @Test
  void floatEdgeCasesAreBitExact() {
    double[] doubles = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE,
        -Double.MAX_VALUE, 1.0, 0.1, 1.0 / 3, 1e-300, 123456789.0, 1e7, 9999999.0, 1e-3, 9.999e-4, 4.9e-324,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    for (double d : doubles) {
      for (Type t : List.of(Type.F16, Type.F32, Type.F64)) assertBitExact(new FloatImm(t, d));
    }
    for (float f : new float[] {Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, 0.1f, 1e-45f,
        16777217f, 3.4028235e38f}) {
      assertBitExact(new FloatImm(Type.F32, f));
    }
    Random rnd = new Random(7);
    for (int i = 0; i < 5000; i++) {
      double d = Double.longBitsToDouble(rnd.nextLong());
      if (!Double.isNaN(d)) assertBitExact(new FloatImm(Type.F64, d));
      float f = Float.intBitsToFloat(rnd.nextInt());
      if (!Float.isNaN(f)) assertBitExact(new FloatImm(Type.F32, f));
      assertBitExact(new FloatImm(Type.F64, rnd.nextDouble() * Math.pow(10, rnd.nextInt(40) - 20)));
    }
  }

  @Test
  void everyFloat16ValueRoundTrips() {
    for (int bits = 0; bits < 1 << 16; bits++) {
      float f = Float.float16ToFloat((short) bits);
      if (!Float.isNaN(f)) assertBitExact(new FloatImm(Type.F16, f));
    }
  }

  @Test
  void nanRoundTripsForEveryWidth() {
    for (Type t : List.of(Type.F16, Type.F32, Type.F64)) {
      FloatImm back = (FloatImm) IrParser.parseExpr(IrPrinter.print(new FloatImm(t, Double.NaN)));
      assertEquals(t, back.type());
      assertTrue(Double.isNaN(back.value()));
    }
  }

  private static void assertBitExact(FloatImm imm) {
    String text = IrPrinter.print(imm);
    FloatImm back = (FloatImm) IrParser.parseExpr(text);
    assertEquals(imm.type(), back.type(), text);
    assertEquals(Double.doubleToRawLongBits(imm.value()), Double.doubleToRawLongBits(back.value()), text);
  }

  // ------------------------------------------------------------------ function graphs

  @Test
  void pipelineCornerCases() {
    Var u = Var.of("u");
    Parameter.Scalar gain = new Parameter.Scalar("gain", Type.F32, f32(0.5));
    // A Func of no arguments, updates with and without domains, a domain on the pure definition.
    Function c = new Function("c", List.of(), List.of(Type.F32),
        new Definition(List.of(), List.of(GAIN), null, StageSchedule.of(List.of())), List.of(), FuncSchedule.INLINE);
    ReductionDomain ru = new ReductionDomain("ru", List.of(new ReductionDomain.ReductionVariable("u", i32(1), new Var(Type.I32, "k"))), TRUE);
    Function f = new Function("f", List.of("x", "gain"), List.of(Type.F32),
        new Definition(List.of(X, Var.of("gain")), List.of(new Cast(Type.F32, new Add(u, Var.of("gain")))), ru,
            StageSchedule.of(List.of(new Dim("u", ForKind.SERIAL, DeviceApi.HOST, true), new Dim("x", ForKind.SERIAL, DeviceApi.HOST, false),
                new Dim("gain", ForKind.SERIAL, DeviceApi.HOST, false)))),
        List.of(
            new Definition(List.of(X, i32(0)), List.of(new Add(new Call(Type.F32, "f", List.of(X, i32(0)), CallKind.FUNC), new Call(Type.F32, "c", List.of(), CallKind.FUNC))),
                null, StageSchedule.of(List.of(new Dim("x", ForKind.SERIAL, DeviceApi.HOST, false)))),
            // Splits but the default loops; then empty loops where the default has some.
            new Definition(List.of(X, Y), List.of(f32(1)), null, new StageSchedule(
                List.of(new Split.SplitVar("x", "xo", "xi", Var.of("k"), TailStrategy.AUTO)),
                List.of(new Dim("x", ForKind.SERIAL, DeviceApi.HOST, false)), List.of(), false, false)),
            new Definition(List.of(X, X), List.of(f32(2)), null, new StageSchedule(List.of(), List.of(), List.of(), false, true))),
        new FuncSchedule(new LoopLevel.At("g", 2, "x.xo"), new LoopLevel.At("g", 0, "x"), List.of(),
            List.of(new Bound("x", Var.of("k"), i32(10)), new Bound("gain", i32(-1), i32(3))), MemoryType.AUTO));
    Function g = new Function("g", List.of("x"), List.of(Type.F32, Type.U8, Type.BOOL),
        new Definition(List.of(X), List.of(new Call(Type.F32, "f", List.of(X, X), CallKind.FUNC), new UIntImm(Type.U8, 7), TRUE), null,
            new StageSchedule(List.of(), List.of(new Dim("x", ForKind.GPU_THREAD, DeviceApi.DEFAULT_GPU, false)),
                List.of(new RFactor("g_intm", List.of())), false, false)),
        List.of(), FuncSchedule.INLINE.withMemoryType(MemoryType.GPU_SHARED));
    Function kw = new Function("bound", List.of("estimate"), List.of(Type.I32),
        new Definition(List.of(Var.of("estimate")), List.of(new Add(Var.of("estimate"), new Cast(Type.I32, new Call(Type.U8, "g", List.of(X), CallKind.FUNC, 1)))), null,
            StageSchedule.of(List.of(new Dim("estimate", ForKind.SERIAL, DeviceApi.HOST, false)))),
        List.of(), FuncSchedule.INLINE.withComputeLevel(LoopLevel.ROOT));
    List<Parameter> params = List.of(gain,
        new Parameter.Scalar("k", Type.I32, null),
        new Parameter.Scalar("flag", Type.BOOL, TRUE),
        new Parameter.Scalar("small", Type.U8, new UIntImm(Type.U8, 3)),
        new Parameter.Scalar("odd", Type.F32, new Var(Type.F32, "q")),
        new Parameter.Image("in", Type.U16, 3),
        new Parameter.Constant("bytes", Buffer.of(Type.U8, new byte[] {1, 2, (byte) 255, 4, 5, 6}, 2, 3).withMins(-5, 7)),
        new Parameter.Constant("flags", Buffer.of(new boolean[] {true, false, true}, 3)),
        new Parameter.Constant("scalar", Buffer.of(new double[] {Math.PI})),
        new Parameter.Constant("wide", Buffer.of(Type.U64, new long[] {-1L, 0L}, 2)),
        new Parameter.Constant("empty", Buffer.allocate(Type.I16, 0, 4)));
    roundTrip(Pipeline.of(List.of("bound", "g"), List.of(c, f, g, kw), params));
    roundTrip(f);
    roundTrip(g);
  }

  @Test
  void moduleCornerCases() {
    LoweredModule.EntryPoint empty = new LoweredModule.EntryPoint("nothing", List.of(), Stmt.NO_OP);
    LoweredModule.EntryPoint handles = new LoweredModule.EntryPoint("h", List.of(
        new LoweredModule.Argument("in", LoweredModule.ArgumentKind.INPUT_BUFFER, Type.F32, 0),
        new LoweredModule.Argument("out", LoweredModule.ArgumentKind.SCALAR, Type.I64, 0)),
        new LetStmt("p", new Var(Type.HANDLE, "in.buffer"), new Block(List.of(
            new Evaluate(new Call(Type.I32, "halide_print", List.of(Var.of("p"), new Load(Type.F32, "in", i32(0), TRUE)), CallKind.EXTERN)),
            new Evaluate(new Call(Type.F32, "in", List.of(), CallKind.IMAGE)),
            new Evaluate(new Var(Type.I64, "out"))))));
    roundTrip(new LoweredModule("mod", List.of(empty, handles), List.of()));
    roundTrip(new LoweredModule("consts", List.of(handles), List.of(
        new Parameter.Constant("c1", Buffer.of(new float[] {1, 2}, 2)), new Parameter.Constant("in.buffer", Buffer.of(new int[] {3}, 1)))));
  }

  @Test
  void randomExpressionsRoundTrip() {
    Random rnd = new Random(11);
    List<Expr> all = new ArrayList<>();
    for (int i = 0; i < 500; i++) all.add(randomInt(rnd, 6));
    for (Expr e : all) roundTrip(e);
  }

  /** A random int32 expression mixing every operator, with bool and float subterms. */
  private static Expr randomInt(Random rnd, int depth) {
    if (depth == 0) {
      return switch (rnd.nextInt(3)) {
        case 0 -> i32(rnd.nextInt(21) - 10);
        case 1 -> X;
        default -> Y;
      };
    }
    Expr a = randomInt(rnd, depth - 1);
    Expr b = randomInt(rnd, depth - 1);
    return switch (rnd.nextInt(10)) {
      case 0 -> new Add(a, b);
      case 1 -> new Sub(a, b);
      case 2 -> new Mul(a, b);
      case 3 -> new Div(a, b);
      case 4 -> new Mod(a, b);
      case 5 -> new Min(a, b);
      case 6 -> new Select(randomBool(rnd, depth - 1), a, b);
      case 7 -> new Cast(Type.I32, new Mul(new Cast(Type.F32, a), GAIN));
      case 8 -> new Let("t" + depth, a, new Add(Var.of("t" + depth), b));
      default -> new Max(a, b);
    };
  }

  private static Expr randomBool(Random rnd, int depth) {
    Expr a = randomInt(rnd, Math.max(0, depth - 1));
    Expr b = randomInt(rnd, Math.max(0, depth - 1));
    return switch (rnd.nextInt(8)) {
      case 0 -> new LT(a, b);
      case 1 -> new LE(a, b);
      case 2 -> new EQ(a, b);
      case 3 -> new NE(a, b);
      case 4 -> new And(new GT(a, b), new GE(b, a));
      case 5 -> new Or(new LT(a, b), new Not(new EQ(a, b)));
      case 6 -> new EQ(new LT(a, b), new GT(a, b));
      default -> new Not(new Or(new LT(a, b), new And(new LT(b, a), new NE(a, b))));
    };
  }
}
