package dev.halogen.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.ir.Expr.*;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.LoweredModule.ArgumentKind;
import dev.halogen.ir.Stmt.*;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IrVerifierTest {
  static final Type F32 = Type.F32;
  static final Type I32 = Type.I32;
  static final Var X = Var.of("x");
  static final Var Y = Var.of("y");
  static final Var RX = Var.of("r.x");
  static final Var K = Var.of("k");
  static final Var GAIN = new Var(F32, "gain");
  static final Expr TRUE = new UIntImm(Type.BOOL, 1);

  static IntImm i32(long v) {
    return new IntImm(I32, v);
  }

  static FloatImm f32(double v) {
    return new FloatImm(F32, v);
  }

  static Expr in(Expr... args) {
    return new Call(F32, "in", List.of(args), CallKind.IMAGE);
  }

  static Expr f(Expr... args) {
    return new Call(F32, "f", List.of(args), CallKind.FUNC);
  }

  static Expr g(Expr... args) {
    return new Call(F32, "g", List.of(args), CallKind.FUNC);
  }

  static Dim dim(String var) {
    return new Dim(var, ForKind.SERIAL, DeviceApi.HOST, var.startsWith("r."));
  }

  static StageSchedule dims(String... vars) {
    return StageSchedule.of(Arrays.stream(vars).map(IrVerifierTest::dim).toList());
  }

  static final FuncSchedule ROOT = FuncSchedule.INLINE.withComputeLevel(LoopLevel.ROOT).withStoreLevel(LoopLevel.ROOT);

  // ---------------------------------------------------------------- a small valid pipeline and its parts
  //   f(x, y) = in(x, y) * gain
  //   g(x) = f(x, 0)
  //   g(x) = g(x) + f(x, r.x)     for r.x in [0, k)

  static Function fWith(List<Expr> args, Expr value, StageSchedule s, FuncSchedule fs) {
    return new Function("f", List.of("x", "y"), List.of(F32), new Definition(args, List.of(value), null, s), List.of(), fs);
  }

  static Function fWithValue(Expr value) {
    return fWith(List.of(X, Y), value, dims("x", "y"), ROOT);
  }

  static Function fWithSchedule(StageSchedule s) {
    return fWith(List.of(X, Y), new Mul(in(X, Y), GAIN), s, ROOT);
  }

  static Function fWithFuncSchedule(FuncSchedule fs) {
    return fWith(List.of(X, Y), new Mul(in(X, Y), GAIN), dims("x", "y"), fs);
  }

  static ReductionDomain domain(Expr min, Expr extent) {
    return new ReductionDomain("r", List.of(new ReductionDomain.ReductionVariable("r.x", min, extent)), TRUE);
  }

  static Definition gPure(Expr... values) {
    return new Definition(List.of(X), List.of(values), null, dims("x"));
  }

  static Definition gUpdate(List<Expr> args, Expr value, ReductionDomain r, StageSchedule s) {
    return new Definition(args, List.of(value), r, s);
  }

  static final Definition G_PURE = gPure(f(X, i32(0)));
  static final Definition G_UPDATE = gUpdate(List.of(X), new Add(g(X), f(X, RX)), domain(i32(0), K), dims("r.x", "x"));

  static Function gWith(Definition pure, Definition update, FuncSchedule fs) {
    return new Function("g", List.of("x"), List.of(F32), pure, List.of(update), fs);
  }

  static Pipeline pipeline(Function f, Function g, Parameter... extra) {
    List<Parameter> params = new java.util.ArrayList<>(List.of(
        new Parameter.Scalar("k", I32, null), new Parameter.Scalar("gain", F32, null), new Parameter.Image("in", F32, 2)));
    params.addAll(List.of(extra));
    return Pipeline.of(List.of("g"), List.of(f, g), params);
  }

  static Pipeline withF(Function f) {
    return pipeline(f, gWith(G_PURE, G_UPDATE, ROOT));
  }

  static Pipeline withG(Definition pure, Definition update) {
    return pipeline(fWithValue(new Mul(in(X, Y), GAIN)), gWith(pure, update, ROOT));
  }

  static Pipeline base() {
    return withG(G_PURE, G_UPDATE);
  }

  static void assertProblems(Pipeline p, String... expected) {
    assertEquals(List.of(expected), IrVerifier.problems(p).stream().map(Object::toString).toList());
  }

  // ---------------------------------------------------------------- valid pipelines

  @Test
  void theSamplePipelineIsValid() {
    assertEquals(List.of(), IrVerifier.problems(IrSamples.pipeline()));
    IrVerifier.verify(IrSamples.pipeline());
  }

  @Test
  void theSmallPipelineIsValid() {
    assertEquals(List.of(), IrVerifier.problems(base()));
  }

  @Test
  void letBoundVariablesAreBound() {
    Expr value = new Let("t", f32(1), new Add(f(X, i32(0)), new Var(F32, "t")));
    assertEquals(List.of(), IrVerifier.problems(withG(gPure(value), G_UPDATE)));
  }

  // ---------------------------------------------------------------- variables

  @Test
  void anUnboundVariable() {
    Definition u = gUpdate(List.of(X), new Add(g(X), f(X, Var.of("q"))), domain(i32(0), K), dims("r.x", "x"));
    assertProblems(withG(G_PURE, u),
        "Func g, update 0, value 0: variable q is not bound (not a pure variable, reduction variable, parameter or let)");
  }

  @Test
  void theBoundsOfAnImageAreInt32VariablesOfThePipeline() {
    Parameter.Image in = new Parameter.Image("in", F32, 2);
    Expr clampedX = new Max(new Min(X, new Add(in.min(0), new Sub(in.extent(0), i32(1)))), in.min(0));
    assertProblems(withF(fWithValue(new Mul(in(clampedX, Y), GAIN))));
    assertProblems(withF(fWithValue(new Mul(in(new Add(X, Var.of("in.min.2")), Y), GAIN))),
        "Func f, pure definition, value 0: variable in.min.2 is not bound (not a pure variable, reduction variable, parameter or let)");
    assertProblems(withF(fWithValue(new Mul(in(X, Y), new Cast(F32, new Var(F32, "in.extent.0"))))),
        "Func f, pure definition, value 0: variable in.extent.0 has type float32 but parameter in.extent.0 has type int32");
  }

  @Test
  void aParameterReadWithTheWrongType() {
    assertProblems(withF(fWithValue(new Mul(in(X, Y), new Cast(F32, new Var(I32, "gain"))))),
        "Func f, pure definition, value 0: variable gain has type int32 but parameter gain has type float32");
  }

  @Test
  void aLetBoundVariableReadWithTheWrongType() {
    Expr value = new Let("t", f32(1), new Add(f(X, i32(0)), new Cast(F32, new Var(I32, "t"))));
    assertProblems(withG(gPure(value), G_UPDATE),
        "Func g, pure definition, value 0: variable t has type int32 but its let binds a float32 value");
  }

  @Test
  void aReductionVariableInThePureDefinition() {
    assertProblems(withG(gPure(f(X, RX)), G_UPDATE),
        "Func g, pure definition, value 0: variable r.x is a reduction variable of Func g, update 0, not of this definition");
  }

  @Test
  void aPureVariableThatIsNotAnUnadornedArgumentOfTheUpdate() {
    Expr xp1 = new Add(X, i32(1));
    Definition u = gUpdate(List.of(xp1), new Add(g(xp1), f(X, RX)), domain(i32(0), K), dims("r.x", "x"));
    String notUnadorned = "variable x is a pure variable of Func g but not an unadorned argument at its own position in this update";
    assertProblems(withG(G_PURE, u),
        "Func g, update 0, argument 0: " + notUnadorned,
        "Func g, update 0, value 0: " + notUnadorned,
        "Func g, update 0, schedule, dim 1: x is not a loop variable after the splits (loop variables: r.x)");
  }

  // ---------------------------------------------------------------- definitions

  @Test
  void pureArgumentsOutOfOrder() {
    assertProblems(withF(fWith(List.of(Y, X), new Mul(in(X, Y), GAIN), dims("x", "y"), ROOT)),
        "Func f, pure definition, argument 0: must be the int32 pure variable x",
        "Func f, pure definition, argument 1: must be the int32 pure variable y");
  }

  @Test
  void moreValuesThanOutputTypes() {
    assertProblems(withG(gPure(f(X, i32(0)), f(X, i32(1))), G_UPDATE),
        "Func g, pure definition: has 2 value(s) but Func g has 1 output type(s)");
  }

  @Test
  void aValueOfTheWrongType() {
    assertProblems(withF(fWithValue(new Cast(I32, in(X, Y)))),
        "Func f, pure definition, value 0: has type int32 but output 0 of Func f has type float32");
  }

  @Test
  void anUpdateWithTooManyArguments() {
    Definition u = gUpdate(List.of(X, i32(0)), new Add(g(X), f(X, RX)), domain(i32(0), K), dims("r.x", "x"));
    assertProblems(withG(G_PURE, u), "Func g, update 0: has 2 argument(s) but Func g has 1 dimension(s)");
  }

  @Test
  void anUpdateArgumentThatIsNotInt32() {
    Definition u = gUpdate(List.of(new Cast(Type.I16, RX)), new Add(g(RX), f(RX, i32(0))), domain(i32(0), K), dims("r.x"));
    assertProblems(withG(G_PURE, u), "Func g, update 0, argument 0: has type int16, expected int32");
  }

  @Test
  void reductionDomainBoundsMustBeInt32Parameters() {
    Definition u = gUpdate(List.of(X), new Add(g(X), f(X, RX)), domain(new IntImm(Type.I64, 0), X), dims("r.x", "x"));
    assertProblems(withG(G_PURE, u),
        "Func g, update 0, reduction domain r, variable r.x min: has type int64, expected int32",
        "Func g, update 0, reduction domain r, variable r.x extent: variable x is a pure variable of Func g; only parameters and lets may appear here");
  }

  // ---------------------------------------------------------------- calls

  @Test
  void aCallToAnUndefinedFunc() {
    assertProblems(withG(gPure(new Call(F32, "h", List.of(X), CallKind.FUNC)), G_UPDATE),
        "Func g, pure definition, value 0: calls h, which is not a Func of the pipeline");
  }

  @Test
  void aCallWithTheWrongNumberOfArguments() {
    assertProblems(withG(gPure(f(X)), G_UPDATE),
        "Func g, pure definition, value 0: call to f has 1 argument(s) but Func f has 2 dimension(s)");
  }

  @Test
  void aCallArgumentThatIsNotInt32() {
    assertProblems(withG(gPure(f(X, new IntImm(Type.I64, 0))), G_UPDATE),
        "Func g, pure definition, value 0: call to f, argument 1 has type int64, expected int32");
  }

  @Test
  void aCallToAValueIndexOutOfRange() {
    assertProblems(withG(gPure(new Call(F32, "f", List.of(X, i32(0)), CallKind.FUNC, 1)), G_UPDATE),
        "Func g, pure definition, value 0: call to f reads value 1 but Func f has 1 value(s)");
  }

  @Test
  void aCallOfTheWrongType() {
    assertProblems(withG(gPure(new Cast(F32, new Call(I32, "f", List.of(X, i32(0)), CallKind.FUNC))), G_UPDATE),
        "Func g, pure definition, value 0: call to f has type int32 but value 0 of Func f has type float32");
  }

  @Test
  void anImageCallToAScalarParameter() {
    assertProblems(withF(fWithValue(new Mul(new Call(F32, "k", List.of(X), CallKind.IMAGE), GAIN))),
        "Func f, pure definition, value 0: image call to k, which is not an image or constant parameter");
  }

  @Test
  void anImageCallWithTheWrongShapeAndType() {
    assertProblems(withF(fWithValue(new Mul(new Cast(F32, new Call(Type.U8, "in", List.of(X), CallKind.IMAGE)), GAIN))),
        "Func f, pure definition, value 0: call to in has 1 argument(s) but image in has 2 dimension(s)",
        "Func f, pure definition, value 0: call to in has type uint8 but image in holds float32");
  }

  @Test
  void aPureDefinitionThatCallsItself() {
    assertProblems(withF(fWithValue(new Mul(f(X, Y), GAIN))),
        "Func f, pure definition, value 0: the pure definition calls Func f itself");
  }

  // ---------------------------------------------------------------- schedules

  static Split split(String old, String outer, String inner, int factor) {
    return new Split.SplitVar(old, outer, inner, i32(factor), TailStrategy.AUTO);
  }

  @Test
  void splitsMustConsumeLiveVariablesAndCreateNewNames() {
    StageSchedule s = dims("xi", "xo", "qi", "qo", "yi")
        .withSplits(List.of(split("x", "xo", "xi", 8), split("q", "qo", "qi", 2), split("y", "xo", "yi", 4)));
    assertProblems(withF(fWithSchedule(s)),
        "Func f, pure definition, schedule, split 1: splits q, which is not a loop variable here (loop variables: y, xo, xi)",
        "Func f, pure definition, schedule, split 2: creates xo, which is already a loop variable name of this stage");
  }

  @Test
  void aSplitMayKeepTheNameOfTheLoopItSplitsForTheOuterLoop() {
    StageSchedule s = dims("x.v", "x", "y").withSplits(List.of(split("x", "x", "x.v", 8)));
    assertProblems(withF(fWithSchedule(s)));
    StageSchedule reusesAnotherLoop = dims("x.v", "y", "y").withSplits(List.of(split("x", "y", "x.v", 8)));
    assertProblems(withF(fWithSchedule(reusesAnotherLoop)),
        "Func f, pure definition, schedule, split 0: creates y, which is already a loop variable name of this stage",
        "Func f, pure definition, schedule: loop variable y appears 2 times in dims");
  }

  @Test
  void dimsMustListEveryLoopVariableOnce() {
    StageSchedule s = dims("xi", "xi", "zz", "y").withSplits(List.of(split("x", "xo", "xi", 8)));
    assertProblems(withF(fWithSchedule(s)),
        "Func f, pure definition, schedule, dim 2: zz is not a loop variable after the splits (loop variables: y, xo, xi)",
        "Func f, pure definition, schedule: loop variable xi appears 2 times in dims",
        "Func f, pure definition, schedule: loop variable xo is missing from dims");
  }

  @Test
  void aSplitFactorMustBePositive() {
    StageSchedule s = dims("xi", "xo", "y").withSplits(List.of(split("x", "xo", "xi", 0)));
    assertProblems(withF(fWithSchedule(s)), "Func f, pure definition, schedule, split 0: factor must be positive, got 0");
  }

  @Test
  void fusingAReductionVariableWithAPureOne() {
    StageSchedule s = StageSchedule.of(List.of(new Dim("t", ForKind.SERIAL, DeviceApi.HOST, false)))
        .withSplits(List.of(new Split.FuseVars("r.x", "x", "t")));
    Definition u = gUpdate(List.of(X), new Add(g(X), f(X, RX)), domain(i32(0), K), s);
    assertProblems(withG(G_PURE, u), "Func g, update 0, schedule, split 0: fuses reduction variable r.x with pure variable x");
  }

  @Test
  void aDimMarkedWithTheWrongVariableKind() {
    StageSchedule s = StageSchedule.of(List.of(new Dim("r.x", ForKind.SERIAL, DeviceApi.HOST, false), dim("x")));
    Definition u = gUpdate(List.of(X), new Add(g(X), f(X, RX)), domain(i32(0), K), s);
    assertProblems(withG(G_PURE, u),
        "Func g, update 0, schedule, dim 0: r.x is marked as a pure variable but is a reduction variable");
  }

  @Test
  void loopLevelsMustNameAnExistingLoop() {
    FuncSchedule fs = ROOT.withComputeLevel(new LoopLevel.At("g", 0, "q")).withStoreLevel(new LoopLevel.At("nope", 0, "x"));
    assertProblems(withF(fWithFuncSchedule(fs)),
        "Func f, schedule: compute level names loop q, which is not a dim of Func g, pure definition (dims: x)",
        "Func f, schedule: store level names Func nope, which is not a Func of the pipeline");
    FuncSchedule stage = ROOT.withComputeLevel(new LoopLevel.At("g", 5, "x"));
    assertProblems(withF(fWithFuncSchedule(stage)),
        "Func f, schedule: compute level names stage 5 of Func g, which has 2 stage(s)");
  }

  @Test
  void theStoreLevelMustNotBeInsideTheComputeLevel() {
    FuncSchedule ok = ROOT.withComputeLevel(new LoopLevel.At("g", 1, "r.x")).withStoreLevel(new LoopLevel.At("g", 1, "x"));
    assertProblems(withF(fWithFuncSchedule(ok)));
    FuncSchedule bad = ROOT.withComputeLevel(new LoopLevel.At("g", 1, "x")).withStoreLevel(new LoopLevel.At("g", 1, "r.x"));
    assertProblems(withF(fWithFuncSchedule(bad)),
        "Func f, schedule: store level loop r.x of Func g, update 0 is inside compute level loop x of Func g, update 0");
  }

  @Test
  void aFuncWithUpdatesLeftInlineIsValid() {
    // As in Halide, the default level of a Func that cannot be inlined means "innermost loop of its use".
    Pipeline p = pipeline(fWithValue(new Mul(in(X, Y), GAIN)), gWith(G_PURE, G_UPDATE, FuncSchedule.INLINE));
    assertProblems(p);
  }

  @Test
  void computeAndStoreLevelsAreBothInlineOrNeither() {
    assertProblems(withF(fWithFuncSchedule(FuncSchedule.INLINE.withStoreLevel(LoopLevel.ROOT))),
        "Func f, schedule: is computed inline but stored at root");
  }

  @Test
  void rfactorAndAtomicNeedAReductionStage() {
    StageSchedule s = dims("r.x", "x").withRFactors(List.of(new RFactor("f", List.of(new RFactor.Pair("r.z", "x")))));
    Definition u = gUpdate(List.of(X), new Add(g(X), f(X, RX)), domain(i32(0), K), s);
    assertProblems(withG(G_PURE, u),
        "Func g, update 0, schedule: rfactor intermediate f is the name of an existing Func",
        "Func g, update 0, schedule: rfactor of r.z, which is not a reduction loop variable of this stage",
        "Func g, update 0, schedule: rfactor variable x is already a loop variable name of this stage");
    assertProblems(withF(fWithSchedule(dims("x", "y").withAtomic(true, false))),
        "Func f, pure definition, schedule: the pure definition cannot be atomic");
    assertProblems(withF(fWithSchedule(dims("x", "y").withAtomic(false, true))),
        "Func f, pure definition, schedule: overrides the associativity test but is not atomic");
  }

  @Test
  void funcBoundsNamePureVariablesAndReadOnlyParameters() {
    FuncSchedule fs = ROOT.withBounds(List.of(new Bound("z", i32(0), K))).withEstimates(List.of(new Bound("x", i32(0), Y)));
    assertProblems(withF(fWithFuncSchedule(fs)),
        "Func f, schedule, bound on z: z is not a pure variable of Func f",
        "Func f, schedule, estimate on x extent: variable y is a pure variable of Func f; only parameters and lets may appear here");
  }

  // ---------------------------------------------------------------- parameters

  @Test
  void parameterNamesAreUniqueAndDistinctFromFuncs() {
    Pipeline p = pipeline(fWithValue(new Mul(in(X, Y), GAIN)), gWith(G_PURE, G_UPDATE, ROOT),
        new Parameter.Scalar("k", I32, null), new Parameter.Image("f", F32, 1));
    assertProblems(p, "parameter k: the name is used by 2 parameters", "parameter f: has the name of a Func");
  }

  @Test
  void verifyThrowsWithEveryProblemInTheMessage() {
    Pipeline p = withG(gPure(f(X)), gUpdate(List.of(X), new Add(g(X), f(X, Var.of("q"))), domain(i32(0), K), dims("r.x", "x")));
    IrVerificationException ex = assertThrows(IrVerificationException.class, () -> IrVerifier.verify(p));
    assertEquals("""
        the IR has 2 problems:
          Func g, pure definition, value 0: call to f has 1 argument(s) but Func f has 2 dimension(s)
          Func g, update 0, value 0: variable q is not bound (not a pure variable, reduction variable, parameter or let)""",
        ex.getMessage());
    assertEquals(2, ex.problems().size());
    assertEquals("Func g, update 0, value 0", ex.problems().get(1).location());
  }

  // ---------------------------------------------------------------- lowered IR

  static final Argument IN = new Argument("in", ArgumentKind.INPUT_BUFFER, F32, 1);
  static final Argument OUT = new Argument("out", ArgumentKind.OUTPUT_BUFFER, F32, 1);
  static final Argument N = new Argument("n", ArgumentKind.SCALAR, I32, 0);
  static final Var I = Var.of("i");
  static final Var V = Var.of("v");
  static final Var NV = Var.of("n");

  static Expr load(String buffer, Expr index) {
    return new Load(F32, buffer, index, TRUE);
  }

  static Stmt store(String buffer, Expr value, Expr index) {
    return new Store(buffer, value, index, TRUE);
  }

  /** allocate tmp[n] { for i in [0, n): tmp[i] = in[i] * 2;  for v in [0, 8) vectorized: out[v] = tmp[v];  free tmp } */
  static Stmt body(Stmt first, Stmt second, Stmt third) {
    return new Allocate("tmp", F32, MemoryType.HEAP, List.of(NV), TRUE, new Block(List.of(first, second, third)));
  }

  static final Stmt FIRST = new For("i", i32(0), NV, ForKind.SERIAL, store("tmp", new Mul(load("in", I), f32(2)), I));
  static final Stmt SECOND = new For("v", i32(0), i32(8), ForKind.VECTORIZED, store("out", load("tmp", V), V));
  static final Stmt THIRD = new Free("tmp");

  static LoweredModule module(Stmt body, Argument... args) {
    return new LoweredModule("m", List.of(new LoweredModule.EntryPoint("p", List.of(args), body)), List.of());
  }

  static LoweredModule module(Stmt body) {
    return module(body, IN, OUT, N);
  }

  static void assertProblems(LoweredModule m, boolean flattened, String... expected) {
    assertEquals(List.of(expected), IrVerifier.problems(m, flattened).stream().map(Object::toString).toList());
  }

  @Test
  void aValidLoweredModule() {
    assertProblems(module(body(FIRST, SECOND, THIRD)), true);
  }

  @Test
  void anUnboundVariableIsReportedWithItsPath() {
    Stmt first = new For("i", i32(0), NV, ForKind.SERIAL, store("tmp", new Mul(load("in", Var.of("q")), f32(2)), I));
    assertProblems(module(body(first, SECOND, THIRD)), true,
        "entry point p, body.body.stmts[0].body.value.a.index: variable q is not bound (not a let, loop variable or scalar argument)");
  }

  @Test
  void aScalarArgumentIsBoundOnlyInItsEntryPoint() {
    assertProblems(module(body(FIRST, SECOND, THIRD), IN, OUT), true,
        "entry point p, body.extents[0]: variable n is not bound (not a let, loop variable or scalar argument)",
        "entry point p, body.body.stmts[0].extent: variable n is not bound (not a let, loop variable or scalar argument)");
  }

  @Test
  void aLoadFromAnUndeclaredBuffer() {
    Stmt first = new For("i", i32(0), NV, ForKind.SERIAL, store("tmp", load("nope", I), I));
    assertProblems(module(body(first, SECOND, THIRD)), true,
        "entry point p, body.body.stmts[0].body.value: Load from nope, which is not declared (not a buffer argument, constant, allocation or realization)");
  }

  @Test
  void aStoreOfTheWrongElementType() {
    Stmt first = new For("i", i32(0), NV, ForKind.SERIAL, new Store("tmp", I, I, TRUE));
    assertProblems(module(body(first, SECOND, THIRD)), true,
        "entry point p, body.body.stmts[0].body: Store to tmp accesses int32 elements but tmp holds float32");
  }

  @Test
  void aLoadWithANonInt32Index() {
    Stmt first = new For("i", i32(0), NV, ForKind.SERIAL, store("tmp", new Load(F32, "in", new Cast(Type.I64, I), TRUE), I));
    assertProblems(module(body(first, SECOND, THIRD)), true,
        "entry point p, body.body.stmts[0].body.value: Load from in has an index of type int64, expected int32 lanes");
  }

  /**
   * A vectorized or unrolled loop with a non-constant extent is valid IR: the user asked for it, and
   * vectorize-loops and unroll-loops report it with the Func and what to do about it, which a
   * verifier problem after schedule-functions would pre-empt.
   */
  @Test
  void vectorizedAndUnrolledLoopsMayHaveVariableExtents() {
    Stmt second = new For("v", i32(0), NV, ForKind.VECTORIZED, store("out", load("tmp", V), V));
    assertProblems(module(body(FIRST, second, THIRD)), true);
    Stmt s = new For("u", i32(0), NV, ForKind.UNROLLED, store("out", f32(0), Var.of("u")));
    assertProblems(module(s), true);
  }

  @Test
  void aFreeOutsideItsAllocation() {
    assertProblems(module(new Block(List.of(new Free("in")))), true,
        "entry point p, body.stmts[0]: Free of in, which is not allocated here");
  }

  @Test
  void aBufferIsOnlyDeclaredInsideItsAllocation() {
    Stmt s = new Block(List.of(body(FIRST, SECOND, THIRD), store("tmp", f32(0), i32(0))));
    assertProblems(module(s), true,
        "entry point p, body.stmts[1]: Store to tmp, which is not declared (not a buffer argument, constant, allocation or realization)");
  }

  @Test
  void aLetVariableReadWithTheWrongType() {
    Stmt s = new LetStmt("t", f32(1), store("out", new Cast(F32, new Var(I32, "t")), i32(0)));
    assertProblems(module(s), true, "entry point p, body.body.value.value: variable t has type int32 but is bound to a float32 value");
  }

  @Test
  void multiDimensionalStorageAfterFlattening() {
    Stmt provide = new Provide("h", List.of(f32(1)), List.of(i32(0)));
    Stmt realize = new Realize("h", List.of(F32), MemoryType.AUTO, List.of(new Range(i32(0), i32(4))), TRUE,
        new Block(List.of(provide, new Evaluate(new Call(F32, "h", List.of(i32(0)), CallKind.FUNC)))));
    assertProblems(module(realize), false);
    assertProblems(module(realize), true,
        "entry point p, body: Realize of h after storage flattening",
        "entry point p, body.body.stmts[0]: Provide to h after storage flattening",
        "entry point p, body.body.stmts[1].value: call to Func h after storage flattening");
  }

  @Test
  void aProvideMustMatchItsRealization() {
    Stmt realize = new Realize("h", List.of(F32, I32), MemoryType.AUTO, List.of(new Range(i32(0), new IntImm(Type.I64, 4))),
        TRUE, new Provide("h", List.of(I), List.of(i32(0))));
    assertProblems(module(new For("i", i32(0), i32(4), ForKind.SERIAL, realize)), false,
        "entry point p, body.body: Realize of h, bound 0 extent has type int64, expected int32",
        "entry point p, body.body.body: Provide to h has 1 value(s) but h holds 2",
        "entry point p, body.body.body: Provide to h, value 0 has type int32 but h holds float32");
  }

  @Test
  void argumentAndEntryPointNamesAreUnique() {
    assertProblems(module(Stmt.NO_OP, IN, OUT, N, new Argument("n", ArgumentKind.SCALAR, I32, 0)), true,
        "entry point p: argument n is declared twice");
    LoweredModule.EntryPoint ep = new LoweredModule.EntryPoint("p", List.of(), Stmt.NO_OP);
    assertProblems(new LoweredModule("m", List.of(ep, ep), List.of()), true, "module m: entry point p is declared twice");
  }

  @Test
  void aStatementWithOuterDeclarations() {
    Stmt s = new For("i", i32(0), NV, ForKind.PARALLEL, store("buf", load("buf", I), I));
    assertEquals(List.of(), IrVerifier.problems(s, Map.of("n", I32), Map.of("buf", F32), true));
    assertEquals(List.of("stmt.extent: variable n is not bound (not a let, loop variable or scalar argument)"),
        IrVerifier.problems(s, Map.of(), Map.of("buf", F32), true).stream().map(Object::toString).toList());
    IrVerificationException ex = assertThrows(IrVerificationException.class,
        () -> IrVerifier.verify(s, Map.of("n", I32), Map.of(), true));
    assertEquals("""
        the IR has 2 problems:
          stmt.body: Store to buf, which is not declared (not a buffer argument, constant, allocation or realization)
          stmt.body.value: Load from buf, which is not declared (not a buffer argument, constant, allocation or realization)""",
        ex.getMessage());
  }

  @Test
  void bufferArgumentsAndConstantsBindTheirBoundsVariables() {
    // out[(i - out.min.0) * out.stride.0] = in[(i - in.min.0) * in.stride.0] + lut[lut.stride.0 * (i - lut.min.0)]
    // for i in [out.min.0, out.extent.0): every bounds variable of a buffer argument or constant is bound.
    Expr i = Var.of("i");
    Expr lut = new Load(F32, "lut", new Mul(LoweredModule.strideVar("lut", 0), new Sub(i, LoweredModule.minVar("lut", 0))), TRUE);
    Stmt s = new For("i", LoweredModule.minVar("out", 0), LoweredModule.extentVar("out", 0), ForKind.SERIAL,
        store("out", new Add(load("in", new Mul(new Sub(i, Var.of("in.min.0")), Var.of("in.stride.0"))), lut),
            new Mul(new Sub(i, Var.of("out.min.0")), Var.of("out.stride.0"))));
    LoweredModule m = new LoweredModule("m", List.of(new LoweredModule.EntryPoint("p", List.of(IN, OUT), s)),
        List.of(new Parameter.Constant("lut", Buffer.of(new float[] {1, 2}, 2))));
    assertProblems(m, true);
    // Only dimensions that exist, and only of buffers: in has one dimension, n is a scalar.
    Stmt t = new Block(List.of(store("out", f32(0), Var.of("in.extent.1")), store("out", f32(0), Var.of("n.min.0"))));
    assertProblems(module(t), true,
        "entry point p, body.stmts[0].index: variable in.extent.1 is not bound (not a let, loop variable or scalar argument)",
        "entry point p, body.stmts[1].index: variable n.min.0 is not bound (not a let, loop variable or scalar argument)");
  }

  @Test
  void theBoundsVariablesAreNamedByBufferFieldAndDimension() {
    assertEquals(List.of(Var.of("f.0.min.0"), Var.of("f.0.extent.0"), Var.of("f.0.stride.0"),
        Var.of("f.0.min.1"), Var.of("f.0.extent.1"), Var.of("f.0.stride.1")), LoweredModule.bufferVars("f.0", 2));
    assertThrows(IllegalArgumentException.class, () -> LoweredModule.minVar("b", -1));
  }

  @Test
  void aProvideOutsideARealizationWritesTheOutputBuffersOfItsFunc() {
    Argument f0 = new Argument("f.0", ArgumentKind.OUTPUT_BUFFER, F32, 1);
    Argument f1 = new Argument("f.1", ArgumentKind.OUTPUT_BUFFER, I32, 1);
    Stmt tuple = new Provide("f", List.of(f32(1), i32(2)), List.of(i32(0)));
    assertProblems(module(tuple, f0, f1), false);
    Stmt wrong = new Provide("f", List.of(i32(1)), List.of(i32(0)));
    assertProblems(module(wrong, f0, f1), false,
        "entry point p, body: Provide to f has 1 value(s) but f holds 2",
        "entry point p, body: Provide to f, value 0 has type int32 but f holds float32");
    assertProblems(module(new Provide("out", List.of(i32(1)), List.of(i32(0)))), false,
        "entry point p, body: Provide to out, value 0 has type int32 but out holds float32");
    assertProblems(module(new Provide("g", List.of(f32(1)), List.of(i32(0)))), false,
        "entry point p, body: Provide to g, which is not realized here or a buffer argument");
  }

  @Test
  void theSampleModuleIsSyntaxOnlyAndReportsItsFreeVariables() {
    List<String> problems = IrVerifier.problems(IrSamples.module(), true).stream().map(Object::toString).toList();
    assertTrue(problems.contains(
        "entry point m, body.stmts[0].value.value: variable x is not bound (not a let, loop variable or scalar argument)"), problems::toString);
    assertTrue(problems.contains("entry point m, body.stmts[14]: Provide to f after storage flattening"), problems::toString);
  }
}
