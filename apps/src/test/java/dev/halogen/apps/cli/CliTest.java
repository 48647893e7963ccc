package dev.halogen.apps.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.Func;
import dev.halogen.ImageParam;
import dev.halogen.Param;
import dev.halogen.Pipeline;
import dev.halogen.RDom;
import dev.halogen.Var;
import dev.halogen.apps.Main;
import dev.halogen.io.Images;
import dev.halogen.io.Npy;
import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import dev.halogen.ir.json.IrJson;
import dev.halogen.ir.text.IrParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command run in-process through {@link Main#run} on small pipelines built here. */
class CliTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

  private int run(Object... args) {
    outBytes.reset();
    errBytes.reset();
    List<String> list = Stream.of(args).map(String::valueOf).toList();
    return Main.run(list, new PrintStream(outBytes, true, StandardCharsets.UTF_8), new PrintStream(errBytes, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return outBytes.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  /** {@code scale(x, y) = in(x, y) * gain}, gain a float32 with default 2. */
  private Path scalePipeline() throws IOException {
    Var x = new Var("x");
    Var y = new Var("y");
    ImageParam in = new ImageParam("in", Type.F32, 2);
    Param gain = new Param("gain", Type.F32, 2.0);
    Func scale = new Func("scale");
    scale.at(x, y).set(in.at(x, y).times(gain));
    return write("scale.json", IrJson.toJson(new Pipeline(scale).toIr()));
  }

  /** {@code loss() = sum over [0,4) x [0,3) of blur(x, y)^2}, with {@code blur(x, y) = (in(x, y) + in(x + 1, y)) * gain}. */
  private Path lossPipeline() throws IOException {
    Var x = new Var("x");
    Var y = new Var("y");
    ImageParam in = new ImageParam("in", Type.F32, 2);
    Param gain = new Param("gain", Type.F32, 2.0);
    Func blur = new Func("blur");
    blur.at(x, y).set(in.at(x, y).plus(in.at(x.plus(1), y)).times(gain));
    RDom r = new RDom("r", 0, 4, 0, 3);
    Func loss = new Func("loss");
    loss.at().set(0f);
    loss.at().plusAssign(blur.at(r.x(), r.y()).times(blur.at(r.x(), r.y())));
    return write("loss.json", IrJson.toJson(new Pipeline(loss).toIr()));
  }

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  // ------------------------------------------------------------------ lower

  @Test
  void lowerPrintsTheLoweredModule() throws IOException {
    Path p = scalePipeline();
    assertEquals(0, run("lower", p), err());
    String text = out();
    assertTrue(text.startsWith("module scale\n\nentry scale(in in: float32 [2], gain: float32, out scale: float32 [2]) {\n"), text);
    assertTrue(text.contains("for (scale.s0.y, scale.min.1, scale.extent.1) {"), text);
    assertEquals("scale", IrParser.parseModule(text).name());
    assertEquals("", err());

    Path json = dir.resolve("m.json");
    assertEquals(0, run("lower", p, "--output", json, "--verify-each", "--target", "interp"), err());
    assertEquals("", out());
    assertEquals(IrParser.parseModule(text), IrJson.moduleFromJson(Files.readString(json)));
  }

  @Test
  void lowerShowsTheIrThroughThePasses() throws IOException {
    Path p = scalePipeline();
    assertEquals(0, run("lower", p, "--print-after-all"), err());
    String all = out();
    assertEquals(13, all.lines().filter(l -> l.startsWith("// after ")).count(), all);
    assertTrue(all.startsWith("// after 01-verify-graph (unchanged)\npipeline outputs(scale)\n"), all);
    assertTrue(all.contains("// after 04-schedule-functions (changed)\nmodule scale\n"), all);

    assertEquals(0, run("lower", p, "--print-after-change"), err());
    String changes = out();
    assertTrue(changes.startsWith("--- 03-check-schedule.hir\n+++ 04-schedule-functions.hir\n@@ "), changes);
    assertTrue(changes.contains("\n-pipeline outputs(scale)\n"), changes);
    assertTrue(!changes.contains("01-verify-graph.hir"), "an unchanged pass prints no diff:\n" + changes);

    Path dumps = dir.resolve("dumps");
    assertEquals(0, run("lower", p, "--dump-dir", dumps, "--time-passes"), err());
    assertTrue(Files.readString(dumps.resolve("00-input.hir")).startsWith("pipeline outputs(scale)\n"));
    assertTrue(Files.readString(dumps.resolve("13-cse.hir")).startsWith("module scale\n"));
    String timed = out();
    assertTrue(timed.lines().anyMatch(l -> l.matches(" #  pass +time \\(ms\\)  changed")), timed);
    assertTrue(timed.lines().anyMatch(l -> l.matches(" 4  schedule-functions +[0-9.]+  yes")), timed);
    assertTrue(timed.lines().anyMatch(l -> l.matches(" +total +[0-9.]+")), timed);
  }

  @Test
  void lowerReportsBadFilesAndOptions() throws IOException {
    Path p = scalePipeline();
    assertEquals(1, run("lower", dir.resolve("missing.json")));
    assertEquals("halogen lower: " + dir.resolve("missing.json") + ": no such file\n", err());

    Path bad = write("bad.json", "{\"format\": 1, \"kind\": \"pipeline\", \"outputs\": [\"f\"], \"functions\": 3, \"parameters\": []}");
    assertEquals(1, run("lower", bad));
    assertTrue(err().startsWith("halogen lower: " + bad + ": malformed pipeline: $.functions: "), err());

    Path badText = write("bad.hir", "pipeline outputs(f)\nfunc f(x) = x +\n");
    assertEquals(1, run("lower", badText));
    assertEquals("halogen lower: " + badText + ": malformed pipeline: 2:11: expected ':' before the func's value types, found '='\n", err());

    assertEquals(2, run("lower", p, "--target", "nope"));
    assertEquals("halogen lower: unknown target 'nope': unknown backend 'nope'; the available backends are: interp, llvm\n", err());

    assertEquals(2, run("lower", p, "--print-after-all", "--print-after-change"));
    assertTrue(err().startsWith("halogen lower: Error: --print-after-all, --print-after-change are mutually exclusive"), err());
    assertTrue(err().contains("usage: halogen lower "), err());

    assertEquals(2, run("lower"));
    assertTrue(err().startsWith("halogen lower: Missing required parameter: 'PIPELINE'\n"), err());
  }

  // ------------------------------------------------------------------ diff

  private static final String PIPELINE_A = """
      pipeline outputs(f)
      image in: float32 [1]

      func f(x): float32 {
        f(x) = in(x) * 2.0f
      }

      func g$7(x): float32 {
        g$7(x) = f(x) + 1.0f
      }
      """;

  @Test
  void diffIgnoresGeneratedNumbersAndShowsRealChanges() throws IOException {
    Path a = write("a.hir", PIPELINE_A);
    Path renamed = write("b.hir", PIPELINE_A.replace("g$7", "g$3"));
    assertEquals(0, run("diff", a, renamed), err());
    assertEquals("", out());

    assertEquals(1, run("diff", "--exact", a, renamed));
    assertTrue(out().contains("-func g$7(x): float32 {\n"), out());

    Path changed = write("c.hir", PIPELINE_A.replace("in(x) * 2.0f", "in(x) * 3.0f"));
    assertEquals(1, run("diff", a, changed));
    assertEquals("--- " + a + "\n+++ " + changed + "\n" + """
        @@ -2,7 +2,7 @@
         image in: float32 [1]
        \s
         func f(x): float32 {
        -  f(x) = in(x) * 2.0f
        +  f(x) = in(x) * 3.0f
         }
        \s
         func g$1(x): float32 {
        """, out());

    // JSON and text of the same pipeline are equal.
    Path json = write("a.json", IrJson.toJson(IrParser.parsePipeline(PIPELINE_A)));
    assertEquals(0, run("diff", json, a), err());

    assertEquals(2, run("diff", a, dir.resolve("nope.hir")));
    assertEquals("halogen diff: " + dir.resolve("nope.hir") + ": no such file\n", err());
  }

  @Test
  void canonicalNamesAreNumberedInOrderOfFirstAppearancePerBase() {
    assertEquals("let t1 = a$1 + t2\nb$1.s0.x$1 = a$1 + t1 + \"t9 a$5\" + in.min.0 + x$2 + ta1",
        IrDiff.canonicalize("let t7 = a$3 + t2\nb$9.s0.x$4 = a$3 + t7 + \"t9 a$5\" + in.min.0 + x$1 + ta1"));
  }

  // ------------------------------------------------------------------ grad and run

  @Test
  void gradWritesTheGradientPipelineAndRunComputesIt() throws IOException {
    Path loss = lossPipeline();
    Path g = dir.resolve("g.json");
    assertEquals(0, run("grad", loss, "--wrt", "in", "gain", "--output", g), err());
    assertEquals("wrote " + g + ": in_d = d loss / d in, gain_d = d loss / d gain\n", out());
    assertEquals(List.of("in_d", "gain_d"), IrJson.pipelineFromJson(Files.readString(g)).outputs());

    // in(x, y) = 5 y + x on a 5 x 4 image: NumPy's arange(20).reshape(4, 5).
    Buffer in = Buffer.allocate(Type.F32, 5, 4);
    in.forEachCoordinate(c -> in.setFloat(5 * c[1] + c[0], c));
    Path inFile = dir.resolve("in.npy");
    Npy.write(inFile, in);
    Path dIn = dir.resolve("d_in.npy");
    Path dGain = dir.resolve("d_gain.npy");
    assertEquals(0, run("run", g, "--input", "in=" + inFile, "--output", dIn, "--output", dGain, "--target", "interp"), err());

    // loss = sum_{x<4, y<3} blur(x, y)^2 with blur(x, y) = gain (in(x, y) + in(x + 1, y)), gain = 2:
    // d/d in(x, y) = 2 gain blur(x, y) [x < 4, y < 3] + 2 gain blur(x - 1, y) [1 <= x <= 4, y < 3],
    // d/d gain = sum 2 blur(x, y) (in(x, y) + in(x + 1, y)).
    Buffer di = Npy.read(dIn);
    assertArrayEquals(new int[] {5, 4}, di.extents());
    double dg = 0;
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 5; x++) {
        double want = 0;
        if (y < 3 && x < 4) want += 4 * blur(x, y);
        if (y < 3 && x >= 1) want += 4 * blur(x - 1, y);
        assertEquals(want, di.getFloat(x, y), 1e-3, "d loss / d in(" + x + ", " + y + ")");
        if (y < 3 && x < 4) dg += 2 * blur(x, y) * (blur(x, y) / 2);
      }
    }
    Buffer dgb = Npy.read(dGain);
    assertEquals(0, dgb.dimensions());
    assertEquals(dg, dgb.getFloat(), 1e-2);

    assertEquals(0, run("grad", loss, "--wrt", "gain", "--format", "text"), err());
    assertTrue(out().startsWith("pipeline outputs(gain_d)\nparam gain: float32 = 2.0f\nimage in: float32 [2]\n"), out());
  }

  private static double blur(int x, int y) {
    return 2.0 * ((5 * y + x) + (5 * y + x + 1));
  }

  @Test
  void gradRefusesWhatItCannotDifferentiate() throws IOException {
    Path loss = lossPipeline();
    assertEquals(1, run("grad", loss, "--wrt", "nope"));
    assertEquals("halogen grad: --wrt nope: the pipeline has no input, parameter or Func named nope; it has gain, in, blur, loss\n", err());

    Path scale = scalePipeline();
    assertEquals(2, run("grad", scale, "--wrt", "in"));
    assertEquals("halogen grad: the output scale has 2 dimensions (x, y); give the region whose sum is differentiated with "
        + "--bounds MIN:EXTENT,... (one per dimension)\n", err());
    assertEquals(2, run("grad", scale, "--wrt", "in", "--bounds", "0:4"));
    assertEquals("halogen grad: --bounds gives 1 dimension, but the output scale has 2 (x, y)\n", err());
    assertEquals(2, run("grad", scale, "--wrt", "in", "--bounds", "0:4,zero"));
    assertEquals("halogen grad: --bounds needs MIN:EXTENT (two integers) per dimension, got 'zero'\n", err());

    // With bounds, the gradient of the sum of scale over the box is gain inside it.
    Path g = dir.resolve("gs.json");
    assertEquals(0, run("grad", scale, "--wrt", "in", "--bounds", "0:2,0:2", "-o", g), err());
    Path d = dir.resolve("d.npy");
    assertEquals(0, run("run", g, "--size", "3,2", "-o", d, "--input", "in=" + writeNpy("z.npy", Buffer.allocate(Type.F32, 3, 2))), err());
    assertArrayEquals(new float[] {2, 2, 0, 2, 2, 0}, Npy.read(d).toFloatArray());

    assertEquals(2, run("grad", scale));
    assertTrue(err().startsWith("halogen grad: Missing required option: '--wrt=NAME'"), err());
  }

  private Path writeNpy(String name, Buffer b) throws IOException {
    Path p = dir.resolve(name);
    Npy.write(p, b);
    return p;
  }

  @Test
  void runScalesAnImage() throws IOException {
    Path p = scalePipeline();
    Buffer px = Buffer.allocate(Type.U8, 3, 2);
    px.forEachCoordinate(c -> px.setFromDouble(40 * c[0] + 100 * c[1], c));
    Path png = dir.resolve("in.png");
    Images.write(png, px, Images.Layout.PLANAR);
    Path outPng = dir.resolve("out.png");
    assertEquals(0, run("run", p, "--input", "in=" + png, "--param", "gain=0.5", "--output", outPng), err());
    // Halved and rounded (all values even, so exactly half), then read back independently of the run.
    Buffer back = Images.read(outPng, Images.Layout.PLANAR);
    assertArrayEquals(new byte[] {0, 20, 40, 50, 70, 90}, back.toByteArray());

    // The default gain is 2; a .npy output keeps the floats as they are (no clamping to [0, 1]).
    Path outNpy = dir.resolve("out.npy");
    assertEquals(0, run("run", p, "--input", "in=" + png, "--output", outNpy, "--target", "llvm"), err());
    Buffer f = Npy.read(outNpy);
    assertEquals(Type.F32, f.type());
    assertEquals(2 * 140 / 255.0, f.getFloat(1, 1), 1e-6);
  }

  @Test
  void runReportsWrongInputs() throws IOException {
    Path p = scalePipeline();
    Path threeD = writeNpy("three.npy", Buffer.allocate(Type.F32, 2, 3, 4));
    Path out = dir.resolve("o.npy");
    assertEquals(1, run("run", p, "--input", "in=" + threeD, "-o", out));
    assertEquals("halogen run: --input in=" + threeD + ": the input in needs a 2-D float32 buffer; the file holds a 3-D float32 array "
        + "(NumPy shape (4, 3, 2))\n", err());

    Path ints = writeNpy("ints.npy", Buffer.allocate(Type.I32, 2, 3));
    assertEquals(1, run("run", p, "--input", "in=" + ints, "-o", out));
    assertEquals("halogen run: --input in=" + ints + ": the input in needs a 2-D float32 buffer; the file holds a 2-D int32 array "
        + "(NumPy shape (3, 2))\n", err());

    Path rgb = dir.resolve("rgb.png");
    Images.write(rgb, Buffer.allocate(Type.U8, 2, 2, 3), Images.Layout.PLANAR);
    assertEquals(1, run("run", p, "--input", "in=" + rgb, "-o", out));
    assertEquals("halogen run: --input in=" + rgb + ": the input in needs a 2-D float32 buffer; the file holds a 3-D uint8 image "
        + "(planar extents 2 x 2 x 3)\n", err());

    Path missing = dir.resolve("missing.npy");
    assertEquals(1, run("run", p, "--input", "in=" + missing, "-o", out));
    assertEquals("halogen run: --input in=" + missing + ": no such file\n", err());

    Path truncated = write("t.npy", "\u0093NUMPY");
    assertEquals(1, run("run", p, "--input", "in=" + truncated, "-o", out));
    assertTrue(err().startsWith("halogen run: --input in=" + truncated + ": "), err());

    Path good = writeNpy("good.npy", Buffer.allocate(Type.F32, 2, 3));
    assertEquals(2, run("run", p, "--input", "in=" + good, "-o", out, "--param", "gain=abc"));
    assertEquals("halogen run: --param gain=abc: gain is a float32 parameter, and 'abc' is not a number\n", err());
    assertEquals(2, run("run", p, "--input", "in=" + good, "-o", out, "--target", "quantum"));
    assertEquals("halogen run: unknown target 'quantum': unknown backend 'quantum'; the available backends are: interp, llvm\n", err());
    assertEquals(2, run("run", p, "-o", out, "--size", "2,2"));
    assertEquals("halogen run: the input image in (2-D float32) needs a file: --input in=FILE\n", err());
    assertEquals(2, run("run", p, "--input", "x=" + good, "-o", out));
    assertEquals("halogen run: --input x=" + good + ": the pipeline has no input image x; its input images are in (2-D float32)\n", err());
    assertEquals(2, run("run", p, "--input", "in=" + good, "-o", out, "-o", out));
    assertEquals("halogen run: the pipeline has 1 output value (scale), but 2 --output files were given\n", err());
    // The output is larger than the input: the pipeline's own bounds check fails the run.
    assertEquals(1, run("run", p, "--input", "in=" + good, "-o", out, "--size", "3,3", "--target", "interp"));
    assertTrue(err().startsWith("halogen run: the pipeline failed while running: Input buffer in is accessed at dimension 0 over [0, 2]"),
        err());
  }

  // ------------------------------------------------------------------ help, bench, usage

  @Test
  void everyCommandHasHelpWithTheExitCodes() {
    for (String command : List.of("lower", "diff", "grad", "run", "bench", "demo")) {
      assertEquals(0, run(command, "--help"), command);
      assertTrue(out().startsWith("usage: halogen " + command), out());
      assertTrue(out().contains("\nExit codes:\n  0   "), out());
    }
    assertEquals(0, run("diff", "--help"));
    assertTrue(out().contains("  1   the files differ\n"), out());
    assertEquals(0, run("bench", "forward", "--help"));
    assertTrue(out().startsWith("usage: halogen bench forward "), out());
    assertTrue(out().contains("--halogen-only"), out());
    assertEquals(0, run("--help"));
    assertTrue(out().contains("  2   usage error: "), out());
    assertEquals(0, run("help", "grad"));
    assertTrue(out().startsWith("usage: halogen grad "), out());
  }

  @Test
  void benchNeedsAKnownBenchmarkAndValidOptions() {
    assertEquals(2, run("bench"));
    assertEquals("halogen bench: expected a benchmark name: simplify, forward or grad\n", err());
    assertEquals(2, run("bench", "forward", "--scale", "7"));
    assertEquals("halogen bench forward: --scale must be in (0, 1], got 7.0\n", err());
    assertEquals(2, run("bench", "forward", "nosuch"));
    assertEquals("halogen bench forward: unknown benchmark 'nosuch'; the benchmarks are blur, conv5x5, bilateral, histogram\n", err());
    assertEquals(2, run("bench", "forward", "--reps"));
    assertTrue(err().startsWith("halogen bench forward: Missing required parameter for option '--reps'"), err());
  }
}
