package dev.halogen.ir.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.DeviceApi;
import dev.halogen.ir.Expr;
import dev.halogen.ir.Expr.*;
import dev.halogen.ir.ForKind;
import dev.halogen.ir.IrSamples;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.MemoryType;
import dev.halogen.ir.Parameter;
import dev.halogen.ir.Range;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.Stmt.*;
import dev.halogen.ir.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins the text format with hand-written texts: each is checked in both directions (the printer
 * writes exactly it, the parser reads it as the hand-built node).
 */
class IrTextFormatTest {
  static final Var X = Var.of("x");
  static final Var Y = Var.of("y");
  static final Var Z = Var.of("z");
  static final Var P = new Var(Type.BOOL, "p");
  static final Var Q = new Var(Type.BOOL, "q");
  static final Var R = new Var(Type.BOOL, "r");
  static final Expr TRUE = new UIntImm(Type.BOOL, 1);

  static IntImm i32(long v) {
    return new IntImm(Type.I32, v);
  }

  static void both(String text, Expr e) {
    assertEquals(text, IrPrinter.print(e));
    assertEquals(e, IrParser.parseExpr(text));
  }

  static void both(String text, Stmt s) {
    assertEquals(text, IrPrinter.print(s));
    assertEquals(s, IrParser.parseStmt(text));
  }

  @Test
  void precedenceUsesMinimalParentheses() {
    both("(x + y) * z", new Mul(new Add(X, Y), Z));
    both("x + y * z", new Add(X, new Mul(Y, Z)));
    both("x - (y - z)", new Sub(X, new Sub(Y, Z)));
    both("x - y - z", new Sub(new Sub(X, Y), Z));
    both("x * y / z", new Div(new Mul(X, Y), Z));
    both("x * (y / z)", new Mul(X, new Div(Y, Z)));
    both("(x + -3) % 5", new Mod(new Add(X, i32(-3)), i32(5)));
    both("x - -7", new Sub(X, i32(-7)));
    both("-2 * x", new Mul(i32(-2), X));
    both("x < y && z < x", new And(new LT(X, Y), new LT(Z, X)));
    both("(x < y) == (y < x)", new EQ(new LT(X, Y), new LT(Y, X)));
    both("var p: bool\nvar q: bool\n((x < y) != p) == q", new EQ(new NE(new LT(X, Y), P), Q));
    both("x + y >= 0", new GE(new Add(X, Y), i32(0)));
    both("var p: bool\nvar q: bool\nvar r: bool\np || q && r", new Or(P, new And(Q, R)));
    both("var p: bool\nvar q: bool\nvar r: bool\n(p || q) && r", new And(new Or(P, Q), R));
    both("var p: bool\nvar q: bool\nvar r: bool\np || (q || r)", new Or(P, new Or(Q, R)));
    both("var p: bool\nvar q: bool\n!(p && q) || !!p", new Or(new Not(new And(P, Q)), new Not(new Not(P))));
    both("!(x < y)", new Not(new LT(X, Y)));
  }

  @Test
  void handWrittenSpacingAndParenthesesAreAccepted() {
    assertEquals(new Sub(new Sub(X, i32(1)), i32(-1)), IrParser.parseExpr("x-1 - -1"));
    assertEquals(new Add(X, new Mul(Y, Z)), IrParser.parseExpr("((x)) + (y*z)"));
    assertEquals(new Add(new Min(X, Y), new Mul(new Max(X, i32(1)), i32(2))), IrParser.parseExpr("min(x,y)+max(x,1)*2"));
    assertEquals(new Or(new And(new LT(X, Y), new LT(Z, X)), new Not(new EQ(X, Y))),
        IrParser.parseExpr("x < y && z < x || !(x == y)  // a comment"));
    assertEquals(new Call(Type.I32, "t", List.of(X), CallKind.FUNC, 0),
        IrParser.parseExpr("func t: (int32, float32)\nt(x)"));
    assertEquals(new Add(X, i32(3)), IrParser.parseExpr("x + 3i32"));
    assertEquals(new FloatImm(Type.F32, 3), IrParser.parseExpr("3f"));
  }

  @Test
  void literalSpellings() {
    both("-128i8", new IntImm(Type.I8, -128));
    both("32767i16", new IntImm(Type.I16, 32767));
    both("-9223372036854775808i64", new IntImm(Type.I64, Long.MIN_VALUE));
    both("255u8", new UIntImm(Type.U8, 255));
    both("4294967295u32", new UIntImm(Type.U32, 4294967295L));
    both("18446744073709551615u64", new UIntImm(Type.U64, -1));
    both("true", TRUE);
    both("false", new UIntImm(Type.BOOL, 0));
    both("1.5f", new FloatImm(Type.F32, 1.5));
    both("0.1f", new FloatImm(Type.F32, 0.1));
    both("0.1", new FloatImm(Type.F64, 0.1));
    both("100.0", new FloatImm(Type.F64, 100));
    both("1e7", new FloatImm(Type.F64, 1e7));
    both("1.5e-5", new FloatImm(Type.F64, 1.5e-5));
    both("1e-4f", new FloatImm(Type.F32, 1e-4));
    both("-1e300", new FloatImm(Type.F64, -1e300));
    both("0.1h", new FloatImm(Type.F16, 0.1));
    // float16 values are 32 apart here, so 65500 is the shortest decimal that rounds to 65504.
    both("65500.0h", new FloatImm(Type.F16, 65504));
    both("-0.0", new FloatImm(Type.F64, -0.0));
    both("nan_f32", new FloatImm(Type.F32, Double.NaN));
    both("-inf_f64", new FloatImm(Type.F64, Double.NEGATIVE_INFINITY));
    both("inf_f16", new FloatImm(Type.F16, Double.POSITIVE_INFINITY));
    both("\"tab\\tquote\\\" nl\\n \\u0001\"", new StringImm("tab\tquote\" nl\n \u0001"));
  }

  @Test
  void expressionForms() {
    Expr ramp = new Ramp(X, i32(1), 4);
    both("cast<uint8>(x)", new Cast(Type.U8, X));
    both("select(x < y, x, y)", new Select(new LT(X, Y), X, Y));
    both("(let t = x + 1 in t * t)", new Let("t", new Add(X, i32(1)), new Mul(Var.of("t"), Var.of("t"))));
    both("broadcast(2.5f, 4)", new Broadcast(new FloatImm(Type.F32, 2.5), 4));
    both("vector_reduce<max>(ramp(x, 1, 8), 2)", new VectorReduce(VectorReduce.Op.MAX, new Ramp(X, i32(1), 8), 2));
    both("var gain: float32\nfunc argmin: (int32, float32)\ncast<float32>(argmin(x)[0]) + argmin(x)[1] * gain",
        new Add(new Cast(Type.F32, new Call(Type.I32, "argmin", List.of(X), CallKind.FUNC, 0)),
            new Mul(new Call(Type.F32, "argmin", List.of(X), CallKind.FUNC, 1), new Var(Type.F32, "gain"))));
    // Only value 1 used: nothing says what value 0 is, so the call carries its type.
    both("func<float32> argmin(x)[1]", new Call(Type.F32, "argmin", List.of(X), CallKind.FUNC, 1));
    both("image input: uint16\ninput(x, y)", new Call(Type.U16, "input", List.of(X, Y), CallKind.IMAGE));
    both("extern<float64> my_extern(x, 2.0)",
        new Call(Type.F64, "my_extern", List.of(X, new FloatImm(Type.F64, 2)), CallKind.EXTERN));
    both("abs(x) + likely(4294967295u32)", new Add(new Call(Type.U32, "abs", List.of(X), CallKind.INTRINSIC),
        new Call(Type.U32, "likely", List.of(new UIntImm(Type.U32, 4294967295L)), CallKind.INTRINSIC)));
    // print has the value's type, print_when the type of its second argument: both are written plainly.
    both("var g: float32\nprint(g, \"at\", x) + print_when(x > 0, g, \"g is\", g, \"\\n\")",
        new Add(new Call(Type.F32, "print", List.of(new Var(Type.F32, "g"), new StringImm("at"), X), CallKind.INTRINSIC),
            new Call(Type.F32, "print_when", List.of(new GT(X, i32(0)), new Var(Type.F32, "g"), new StringImm("g is"),
                new Var(Type.F32, "g"), new StringImm("\n")), CallKind.INTRINSIC)));
    both("intrinsic<float32> reinterpret(x)", new Call(Type.F32, "reinterpret", List.of(X), CallKind.INTRINSIC));
    both("buffer buf: float32\nbuf[ramp(x, 1, 4) if ramp(x, 1, 4) < broadcast(y, 4)]",
        new Load(Type.F32.withLanes(4), "buf", ramp, new LT(ramp, new Broadcast(Y, 4))));
    both("buffer buf: uint8\nbuf[x]", new Load(Type.U8, "buf", X, TRUE));
    assertEquals(new Load(Type.U8, "buf", X, TRUE), IrParser.parseExpr("load<uint8> buf[x]"));
    both("buffer buf: uint8\nbuf[x] + buf[y if false]",
        new Add(new Load(Type.U8, "buf", X, TRUE), new Load(Type.U8, "buf", Y, new UIntImm(Type.BOOL, 0))));
    both("buffer buf: uint8\ncast<float32>(buf[x]) + load<float32> buf[y]",
        new Add(new Cast(Type.F32, new Load(Type.U8, "buf", X, TRUE)), new Load(Type.F32, "buf", Y, TRUE)));
    both("var `min`: float32\n`min` + 1.0f", new Add(new Var(Type.F32, "min"), new FloatImm(Type.F32, 1)));
    assertEquals(new Add(new Var(Type.F32, "min"), new FloatImm(Type.F32, 1)), IrParser.parseExpr("var<float32> `min` + 1.0f"));
  }

  @Test
  void loweredStatements() {
    Var gain = new Var(Type.F32, "gain");
    Stmt body = new ProducerConsumer("blur", true,
        new LetStmt("blur.s0.y.min", i32(0),
            new For("blur.s0.y", Var.of("blur.s0.y.min"), i32(10), ForKind.PARALLEL,
                new Allocate("tmp", Type.F32, MemoryType.STACK, List.of(i32(8)), TRUE, new Block(List.of(
                    new For("blur.s0.x", i32(0), i32(8), ForKind.UNROLLED,
                        new Store("tmp", new Mul(new Load(Type.F32, "input", Var.of("blur.s0.x"), TRUE), gain), Var.of("blur.s0.x"), TRUE)),
                    new IfThenElse(new LT(Var.of("blur.s0.y"), i32(5)),
                        new Store("blur", new Load(Type.F32.withLanes(8), "tmp", new Ramp(i32(0), i32(1), 8), new Broadcast(TRUE, 8)),
                            new Ramp(new Mul(Var.of("blur.s0.y"), i32(8)), i32(1), 8), new Broadcast(TRUE, 8)),
                        new Evaluate(new Call(Type.I32, "halide_error", List.of(new StringImm("bad row")), CallKind.EXTERN))),
                    new Free("tmp")))))));
    both("""
        var gain: float32
        buffer input: float32
        produce blur {
          let blur.s0.y.min = 0
          parallel for (blur.s0.y, blur.s0.y.min, 10) {
            allocate tmp: float32 [8] in stack {
              unrolled for (blur.s0.x, 0, 8) {
                tmp[blur.s0.x] = input[blur.s0.x] * gain
              }
              if (blur.s0.y < 5) {
                blur[ramp(blur.s0.y * 8, 1, 8)] = tmp[ramp(0, 1, 8)]
              } else {
                evaluate extern<int32> halide_error("bad row")
              }
              free tmp
            }
          }
        }
        """, body);
  }

  @Test
  void structuredStatements() {
    Stmt a = new Evaluate(i32(1));
    Stmt b = new Evaluate(i32(2));
    both("""
        evaluate 1
        {
          let t = 5
          evaluate t
        }
        block {
          evaluate 2
        }
        {}
        if (x < y) {
          evaluate 1
        } else if (x > y) {
          evaluate 2
        }
        """, new Block(List.of(a, new LetStmt("t", i32(5), new Evaluate(Var.of("t"))), new Block(List.of(b)), Stmt.NO_OP,
        new IfThenElse(new LT(X, Y), a, new IfThenElse(new GT(X, Y), b)))));
    both("{}\n", Stmt.NO_OP);
    both("""
        realize argmin: (int32, float32) [0, 10] [y, 4] in register if x < y {
          argmin(x, y) = {x, 1.0f}
        }
        """, new Realize("argmin", List.of(Type.I32, Type.F32), MemoryType.REGISTER,
        List.of(new Range(i32(0), i32(10)), new Range(Y, i32(4))), new LT(X, Y),
        new Provide("argmin", List.of(X, new FloatImm(Type.F32, 1)), List.of(X, Y))));
    both("""
        gpu_block for (b, 0, y) on cuda {
          atomic hist mutex hist.mutex {
            assert(x >= 0, "x is {}", x)
          }
        }
        """, new For("b", i32(0), Y, ForKind.GPU_BLOCK, DeviceApi.CUDA,
        new Atomic("hist", "hist.mutex", new Stmt.AssertStmt(new GE(X, i32(0)), "x is {}", List.of(X)))));
  }

  /** The text of {@link IrSamples#pipeline()}, written out by hand from the format description. */
  static final String SAMPLE_PIPELINE = """
      pipeline outputs(hist, gpu_out)
      param gain: float32 = 1.0f
      param n: int32
      image input: float32 [2]
      constant lut: float32 [-1, 3] [4, 2] = "AAAAAAAAgD4AAMB/yvJJ8QAA4EAAAABB"

      func blur(x, y): float32 {
        blur(x, y) = (clamped(x, y) + lut(x, y)) * gain
        schedule {
          split(x, x.xo, x.xi, 8, guard_with_if)
          split(y, y.yo, y.yi, 4, round_up)
          fuse(x.xo, y.yo, t)
          rename(y.yi, yy)
          split(yy, yy.o, yy.i, 2, shift_inwards)
          split(x.xi, x.a, x.b, 2)
          loops(x.b vectorized, x.a unrolled, yy.i, yy.o, t parallel)
        }
        compute_root store_root bound(x, 0, 100) estimate(y, 0, 50) store_in(heap)
      }

      func clamped(x, y): float32 {
        clamped(x, y) = input(max(min(x, 99), 0), y)
        compute_at(blur, 0, t) store_root store_in(stack)
      }

      func gpu_out(x): float32 {
        gpu_out(x) = blur(offset(x), 0)
        schedule {
          loops(x gpu_block on cuda)
        }
        compute_root store_root
      }

      func hist(x): (int32, float32) {
        hist(x) = {0, 0.0f}
        over r(r.x [0, 16], r.y [0, n]) where r.x < r.y {
          hist(cast<int32>(blur(r.x, r.y))) = {hist(cast<int32>(blur(r.x, r.y)))[0] + 1, hist(cast<int32>(blur(r.x, r.y)))[1]}
          schedule {
            rfactor(hist_intm, r.y -> v)
            atomic
            override_associativity_test
          }
        }
        compute_root store_root
      }

      func offset(x): int32 {
        offset(x) = x + 1
      }
      """;

  @Test
  void samplePipelineText() {
    assertEquals(SAMPLE_PIPELINE, IrPrinter.print(IrSamples.pipeline()));
    assertEquals(IrSamples.pipeline(), IrParser.parsePipeline(SAMPLE_PIPELINE));
  }

  @Test
  void freelyFormattedPipelineTextReadsTheSame() {
    String text = """
        // Funcs in any order, schedule items in any order, explicit defaults, comments.
        pipeline outputs(hist, gpu_out)
        func offset(x): int32 { offset(x) = x + 1 schedule { loops(x) } compute_inline store_inline store_in(auto) }
        param gain: float32 = 1.0f
        func gpu_out(x): float32 {
          gpu_out(x) = blur(offset(x), 0) schedule { loops(x gpu_block on cuda) }
          store_root compute_root
        }
        func hist(x): (int32, float32) {
          hist(x) = {0, 0.0f}
          over r(r.x [0, 16], r.y [0, n]) where r.x < r.y {
            hist(cast<int32>(blur(r.x, r.y))) = {hist(cast<int32>(blur(r.x, r.y))) + 1, hist(cast<int32>(blur(r.x, r.y)))[1]}
            schedule { override_associativity_test atomic rfactor(hist_intm, r.y -> v) loops(r.x rvar, r.y rvar on host) }
          }
          compute_root store_root
        }
        param n: int32
        image input: float32 [2]
        constant lut: float32 [-1, 3] [4, 2] = "AAAAAAAAgD4AAMB/yvJJ8QAA4EAAAABB"
        func clamped(x, y): float32 {
          store_in(stack) clamped(x, y) = input(max(min(x, 99), 0), y)
          compute_at(blur, 0, t) store_root
        }
        func blur(x, y): float32 {
          blur(x, y) = (clamped(x, y) + lut(x, y)) * gain
          schedule {
            split(x, x.xo, x.xi, 8, guard_with_if) split(y, y.yo, y.yi, 4, round_up)
            loops(x.b vectorized, x.a unrolled, yy.i, yy.o, t parallel)
            fuse(x.xo, y.yo, t) rename(y.yi, yy) split(yy, yy.o, yy.i, 2, shift_inwards) split(x.xi, x.a, x.b, 2, auto)
          }
          estimate(y, 0, 50) bound(x, 0, 100) compute_root store_root store_in(heap)
        }
        """;
    assertEquals(IrSamples.pipeline(), IrParser.parsePipeline(text));
  }

  @Test
  void moduleText() {
    LoweredModule m = new LoweredModule("scale", List.of(new LoweredModule.EntryPoint("scale", List.of(
        new LoweredModule.Argument("in", LoweredModule.ArgumentKind.INPUT_BUFFER, Type.U8, 1),
        new LoweredModule.Argument("k", LoweredModule.ArgumentKind.SCALAR, Type.F32, 0),
        new LoweredModule.Argument("out", LoweredModule.ArgumentKind.OUTPUT_BUFFER, Type.F32, 1)),
        new For("i", i32(0), i32(3), ForKind.SERIAL, new Store("out",
            new Mul(new Mul(new Cast(Type.F32, new Load(Type.U8, "in", Var.of("i"), TRUE)), new Var(Type.F32, "k")),
                new Cast(Type.F32, new Load(Type.I16, "w", Var.of("i"), TRUE))),
            Var.of("i"), TRUE)))),
        List.of(new Parameter.Constant("w", Buffer.of(new short[] {1, -1, 256}, 3))));
    String text = """
        module scale
        constant w: int16 [0, 3] = "AQD//wAB"

        entry scale(in in: uint8 [1], k: float32, out out: float32 [1]) {
          for (i, 0, 3) {
            out[i] = cast<float32>(in[i]) * k * cast<float32>(w[i])
          }
        }
        """;
    assertEquals(text, IrPrinter.print(m));
    assertEquals(m, IrParser.parseModule(text));
  }
}
