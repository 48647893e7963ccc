package dev.halogen;

import static dev.halogen.Messages.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import dev.halogen.passes.HalogenRuntimeException;
import dev.halogen.passes.Target;
import dev.halogen.passes.UnknownBackendException;
import java.lang.foreign.Arena;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Running pipelines from the front end: realize, compile, parameters, caching and errors. Every
 * test that runs a pipeline runs it on both backends, the interpreter and llvm, and expects the
 * same results and the same failure messages.
 */
class RealizeTest {
  private final Var x = new Var("x");
  private final Var y = new Var("y");

  /** {@code f(x, y) = in(x, y) * 3 + k * x - y} over an int32 image {@code pixels} and an int32 Param {@code k}. */
  private record Affine(ImageParam in, Param k, Func f) {}

  private Affine affine() {
    ImageParam in = new ImageParam("pixels", Type.I32, 2);
    Param k = new Param("k", Type.I32);
    Func f = new Func("f");
    f.at(x, y).set(in.at(x, y).times(3).plus(k.times(x)).minus(y));
    return new Affine(in, k, f);
  }

  /** An int32 image over {@code [0, w) x [0, h)} holding {@code (x * 7 + y * 13) % 10 - 4}. */
  private static Buffer image(int w, int h) {
    Buffer b = Buffer.allocate(Type.I32, w, h);
    for (int j = 0; j < h; j++) for (int i = 0; i < w; i++) b.setInt(pixel(i, j), i, j);
    return b;
  }

  private static int pixel(int i, int j) {
    return (i * 7 + j * 13) % 10 - 4;
  }

  @ParameterizedTest
  @ValueSource(strings = {"interp", "llvm"})
  void realizeComputesTheFuncOverTheExtentsFromZero(String backend) {
    Target target = Target.of(backend);
    Affine a = affine();
    a.in().set(image(6, 4));
    a.k().set(5);
    Buffer out = a.f().realize(target, 6, 4);
    assertEquals(Type.I32, out.type());
    assertEquals(List.of(0, 0), List.of(out.min(0), out.min(1)));
    assertEquals(List.of(6, 4), List.of(out.extent(0), out.extent(1)));
    for (int j = 0; j < 4; j++) {
      for (int i = 0; i < 6; i++) assertEquals(pixel(i, j) * 3 + 5 * i - j, out.getInt(i, j), "at " + i + ", " + j);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"interp", "llvm"})
  void realizeIntoABufferWithNonzeroMinsComputesItsOwnRegion(String backend) {
    Target target = Target.of(backend);
    Affine a = affine();
    Buffer data = Buffer.allocate(Arena.ofAuto(), Type.I32, new int[] {-2, 3}, new int[] {5, 3});
    data.forEachCoordinate(c -> data.setInt(c[0] * 10 + c[1], c));
    a.in().set(data);
    a.k().set(-2);
    Buffer out = Buffer.allocate(Arena.ofAuto(), Type.I32, new int[] {-1, 4}, new int[] {3, 2});
    a.f().realize(target, out);
    for (int j = 4; j < 6; j++) {
      for (int i = -1; i < 2; i++) assertEquals((i * 10 + j) * 3 - 2 * i - j, out.getInt(i, j), "at " + i + ", " + j);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"interp", "llvm"})
  void aParamsDefaultIsUsedUntilItIsSet(String backend) {
    Target target = Target.of(backend);
    Param gain = new Param("gain", Type.I32, 4L);
    Func f = new Func("f");
    f.at(x).set(x.times(gain));
    assertEquals(12, f.realize(target, 5).getInt(3));
    gain.set(-3L);
    assertEquals(-9, f.realize(target, 5).getInt(3));
  }

  @Test
  void repeatedRealizeReusesTheCompiledPipelineUntilTheIrChanges() {
    Affine a = affine();
    a.in().set(image(8, 8));
    a.k().set(1);
    Func f = a.f();
    Buffer first = f.realize(8, 8);
    assertEquals(1, f.pipeline().compilations());
    // New parameter values and input buffers are arguments of the same compiled code.
    a.k().set(2);
    a.in().set(image(9, 9));
    Buffer second = f.realize(8, 8);
    assertEquals(1, f.pipeline().compilations());
    assertEquals(first.getInt(3, 2) + 3, second.getInt(3, 2));
    // A schedule is part of the IR: changing it compiles again, once.
    f.split(x, new Var("xo"), new Var("xi"), 3);
    assertEquals(second, f.realize(8, 8));
    assertEquals(2, f.pipeline().compilations());
    f.realize(8, 8);
    assertEquals(2, f.pipeline().compilations());
    // Another target is compiled separately; going back to the first (the default, llvm) reuses its code.
    Target checking = Target.of("interp", "check_int32_overflow");
    assertEquals(second, f.realize(checking, 8, 8));
    assertEquals(3, f.pipeline().compilations());
    f.realize(Target.of("llvm"), 8, 8);
    f.realize(checking, 8, 8);
    assertEquals(3, f.pipeline().compilations());
  }

  @ParameterizedTest
  @ValueSource(strings = {"interp", "llvm"})
  void aCompiledPipelineRunsWithTheParameterValuesAndBuffersOfEachCall(String backend) {
    Target target = Target.of(backend);
    Affine a = affine();
    Pipeline p = new Pipeline(a.f());
    CompiledPipeline compiled = p.compile(target);
    assertEquals(target, compiled.target());
    assertEquals(p.toIr(), compiled.ir());
    assertEquals("f", compiled.lowered().name());
    for (int k = -1; k <= 1; k++) {
      a.k().set(k);
      a.in().set(image(3 + k + 1, 2));
      Buffer out = compiled.realize(3, 2).getFirst();
      for (int i = 0; i < 3; i++) assertEquals(pixel(i, 1) * 3 + k * i - 1, out.getInt(i, 1));
    }
    assertEquals(1, p.compilations());
    assertSame(compiled.lowered(), p.compile(target).lowered());
  }

  @Test
  void thePipelineOfAFuncIsKeptAndARealizeWithAnUnchangedIrDoesNotCompile() {
    Func f = new Func("f");
    f.at(x).set(x.plus(1));
    assertSame(f.pipeline(), f.pipeline());
    f.realize(4);
    f.realize(6);
    assertEquals(1, f.pipeline().compilations());
    // Another Pipeline object has its own cache.
    Pipeline other = new Pipeline(f);
    assertNotSame(f.pipeline(), other);
    other.realize(4);
    assertEquals(1, other.compilations());
  }

  @ParameterizedTest
  @ValueSource(strings = {"interp", "llvm"})
  void aPipelineWithTwoOutputsRealizesBothOverTheSameExtents(String backend) {
    Target target = Target.of(backend);
    ImageParam in = new ImageParam("in", Type.I32, 1);
    Func twice = new Func("twice");
    twice.at(x).set(in.at(x).times(2));
    Func square = new Func("square");
    square.at(x).set(twice.at(x).times(twice.at(x)));
    in.set(Buffer.of(new int[] {3, -1, 4, 1, -5}, 5));
    List<Buffer> out = new Pipeline(twice, square).realize(target, 5);
    assertEquals(2, out.size());
    int[] data = {3, -1, 4, 1, -5};
    for (int i = 0; i < 5; i++) {
      assertEquals(2 * data[i], out.get(0).getInt(i));
      assertEquals(4 * data[i] * data[i], out.get(1).getInt(i));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"interp", "llvm"})
  void aTupleValuedFuncIsRealizedIntoOneBufferPerElement(String backend) {
    Target target = Target.of(backend);
    Func f = new Func("f");
    f.at(x).set(Tuple.of(x.times(2), Exprs.cast(Type.F32, x).div(4f)));
    List<Buffer> out = f.realizeTuple(target, 3);
    assertEquals(List.of(Type.I32, Type.F32), List.of(out.get(0).type(), out.get(1).type()));
    for (int i = 0; i < 3; i++) {
      assertEquals(2 * i, out.get(0).getInt(i));
      assertEquals(i / 4f, out.get(1).getFloat(i));
    }
    Buffer a = Buffer.allocate(Arena.ofAuto(), Type.I32, new int[] {10}, new int[] {2});
    Buffer b = Buffer.allocate(Arena.ofAuto(), Type.F32, new int[] {10}, new int[] {2});
    f.realize(target, a, b);
    assertEquals(22, a.getInt(11));
    assertEquals(2.75f, b.getFloat(11));
    assertFails(HalogenException.class, () -> f.realize(target, 3), "Func f has a Tuple of 2 values; realize it with realizeTuple");
  }

  @ParameterizedTest
  @ValueSource(strings = {"interp", "llvm"})
  void aFuncWithoutDimensionsIsRealizedWithoutExtents(String backend) {
    Target target = Target.of(backend);
    Param p = new Param("p", Type.F32, 1.5);
    Func f = new Func("f");
    f.at().set(p.times(2f));
    Buffer out = f.realize(target);
    assertEquals(0, out.dimensions());
    assertEquals(3f, out.getFloat());
  }

  @Test
  void theDefaultTargetIsLlvmWhenItIsOnTheClassPath() {
    // The tests have both backends; llvm is preferred.
    assertEquals(Target.of("llvm"), Pipeline.defaultTarget());
    Func f = new Func("f");
    f.at(x).set(x);
    assertEquals(Target.of("llvm"), f.pipeline().compile().target());
    assertEquals(3, f.realize(5).getInt(3));
  }

  // ------------------------------------------------------------------ errors

  @ParameterizedTest
  @ValueSource(strings = {"interp", "llvm"})
  void aParamWithoutAValueIsNamed(String backend) {
    Target target = Target.of(backend);
    Affine a = affine();
    a.in().set(image(2, 2));
    assertFails(HalogenException.class, () -> a.f().realize(target, 2, 2),
        "Param k has no value and no default; give it one with k.set(...) before realizing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"interp", "llvm"})
  void anImageParamWithoutABufferIsNamed(String backend) {
    Target target = Target.of(backend);
    Affine a = affine();
    a.k().set(1);
    assertFails(HalogenException.class, () -> a.f().realize(target, 2, 2),
        "ImageParam pixels has no buffer; bind the 2-D int32 input with pixels.set(buffer) before realizing");
  }

  @Test
  void aBufferOfTheWrongTypeOrDimensionsForAnImageParamIsRejected() {
    ImageParam in = new ImageParam("pixels", Type.I32, 2);
    assertFails(HalogenException.class, () -> in.set(Buffer.allocate(Type.F32, 2, 2)),
        "ImageParam pixels takes 2-dimensional int32 data, got a 2-dimensional float32 buffer");
    assertFails(HalogenException.class, () -> in.set(Buffer.allocate(Type.I32, 2, 2, 2)),
        "ImageParam pixels takes 2-dimensional int32 data, got a 3-dimensional int32 buffer");
  }

  @ParameterizedTest
  @ValueSource(strings = {"interp", "llvm"})
  void wrongExtentsAndOutputBuffersAreRejectedBeforeRunning(String backend) {
    Target target = Target.of(backend);
    Func f = new Func("f");
    f.at(x, y).set(x.plus(y));
    assertFails(HalogenException.class, () -> f.realize(target, 4), "Func f has 2 dimensions, but realize got 1 extent [4]");
    assertFails(HalogenException.class, () -> f.realize(target, Buffer.allocate(Type.I32, 2, 2), Buffer.allocate(Type.I32, 2, 2)),
        "realize needs 1 output buffer (f: 2-D int32), got 2");
    assertFails(HalogenException.class, () -> f.realize(target, Buffer.allocate(Type.I16, 2, 2)),
        "realize: output buffer 0 is for f: 2-D int32, got a 2-D int16 buffer");
    assertFails(HalogenException.class, () -> f.realize(target, Buffer.allocate(Type.I32, 2)),
        "realize: output buffer 0 is for f: 2-D int32, got a 1-D int32 buffer");
  }

  @Test
  void aScheduleLoweringCannotDoIsAScheduleExceptionNamingTheFunc() {
    // lut is computed at the root but read at data-dependent coordinates: its region has no bound.
    ImageParam in = new ImageParam("in", Type.I32, 1);
    Var i = new Var("i");
    Func lut = new Func("lut");
    lut.at(i).set(i.times(i));
    Func f = new Func("f");
    f.at(x).set(lut.at(in.at(x)));
    lut.computeRoot();
    HalogenException.ScheduleException e = assertFails(HalogenException.ScheduleException.class, () -> f.realize(4),
        "The schedule cannot be lowered: ", "Func lut");
    assertInstanceOf(dev.halogen.passes.lower.ScheduleException.class, e.getCause());
  }

  @Test
  void anUnknownBackendIsNamed() {
    Func f = new Func("f");
    f.at(x).set(x);
    assertFails(UnknownBackendException.class, () -> f.realize(Target.of("nosuch"), 2),
        "unknown backend 'nosuch'; the available backends are: interp, llvm");
  }

  @ParameterizedTest
  @ValueSource(strings = {"interp", "llvm"})
  void anInputTooSmallForTheOutputFailsAtRunTimeNamingTheBuffer(String backend) {
    Target target = Target.of(backend);
    Affine a = affine();
    a.k().set(0);
    a.in().set(image(3, 3));
    Buffer out = Buffer.allocate(Type.I32, 4, 3);
    out.forEachCoordinate(c -> out.setInt(-7, c));
    HalogenRuntimeException e = assertThrows(HalogenRuntimeException.class, () -> a.f().realize(target, out));
    assertEquals("Input buffer pixels is accessed at dimension 0 over [0, 3], but the buffer holds [0, 2]", e.getMessage());
    // The check comes before any work: nothing was written.
    out.forEachCoordinate(c -> assertEquals(-7, out.getInt(c)));
  }
}
