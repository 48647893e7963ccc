package dev.halogen.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.BoundaryConditions;
import dev.halogen.Func;
import dev.halogen.ImageParam;
import dev.halogen.Pipeline;
import dev.halogen.Var;
import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's Java quick start, kept compiling and correct. */
class ReadmeExampleTest {
  @Test
  void quickStartBuildsAndRunsTheDocumentedGraph() throws IOException {
    // --- the README's code block, verbatim between these markers ---
    Var x = new Var("x"), y = new Var("y");
    ImageParam in = new ImageParam("in", Type.F32, 2);
    Func clamped = BoundaryConditions.repeatEdge(in);
    Func blurX = new Func("blur_x");
    blurX.at(x, y).set(clamped.at(x.minus(1), y).plus(clamped.at(x, y)).plus(clamped.at(x.plus(1), y)).div(3f));
    Func blurY = new Func("blur_y");
    blurY.at(x, y).set(blurX.at(x, y.minus(1)).plus(blurX.at(x, y)).plus(blurX.at(x, y.plus(1))).div(3f));

    // The schedule is separate from the algorithm.
    Var xo = new Var("xo"), yo = new Var("yo"), xi = new Var("xi"), yi = new Var("yi");
    blurY.tile(x, y, xo, yo, xi, yi, 256, 32).parallel(yo).vectorize(xi, 8);
    blurX.computeAt(blurY, xo).vectorize(x, 8);

    dev.halogen.ir.Pipeline ir = new Pipeline(blurY).toIr();   // the function graph

    // Run it on a 64 x 48 horizontal ramp.
    float[] pixels = new float[64 * 48];
    for (int i = 0; i < pixels.length; i++) pixels[i] = i % 64;
    in.set(Buffer.of(pixels, 64, 48));
    Buffer out = blurY.realize(64, 48);                         // out.getFloat(10, 20) == 10
    // --- end of the README's code block ---
    String text = IrPrinter.print(ir);
    assertEquals(java.util.List.of("blur_y"), ir.outputs());
    assertEquals(java.util.Set.of("blur_x", "blur_y", "repeat_edge$0"), ir.functions().keySet());
    assertTrue(text.contains("blur_y(x, y) = (blur_x(x, y - 1) + blur_x(x, y) + blur_x(x, y + 1)) / 3.0f"), text);
    // Inside, the blur of a ramp is the ramp; at the left edge the repeated pixel pulls it up.
    assertEquals(10f, out.getFloat(10, 20));
    float edge = (0f + 0f + 1f) / 3f;
    assertEquals((edge + edge + edge) / 3f, out.getFloat(0, 0));
    // That ran on the default target, llvm (apps has both backends); the interpreter gives the same bits.
    assertEquals(Target.of("llvm"), Pipeline.defaultTarget());
    assertEquals(out, blurY.realize(Target.of("interp"), 64, 48));

    // The README must show exactly this code (apps runs tests from its own directory).
    String readme = Files.readString(Path.of("../README.md"));
    for (String line : new String[] {
        "blurX.at(x, y).set(clamped.at(x.minus(1), y).plus(clamped.at(x, y)).plus(clamped.at(x.plus(1), y)).div(3f));",
        "blurY.tile(x, y, xo, yo, xi, yi, 256, 32).parallel(yo).vectorize(xi, 8);",
        "blurX.computeAt(blurY, xo).vectorize(x, 8);",
        "dev.halogen.ir.Pipeline ir = new Pipeline(blurY).toIr();   // the function graph",
        "in.set(Buffer.of(pixels, 64, 48));",
        "Buffer out = blurY.realize(64, 48);                         // out.getFloat(10, 20) == 10"}) {
      assertTrue(readme.contains(line), "README lost the line: " + line);
    }
  }
}
