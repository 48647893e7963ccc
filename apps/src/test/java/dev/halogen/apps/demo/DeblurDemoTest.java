package dev.halogen.apps.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deblurring demo at a reduced size: it must restore the image, recover the kernel and write its pictures. */
class DeblurDemoTest {
  @Test
  void deconvolutionGainsThreeDecibelsAndTheKernelIsRecovered(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    DeblurDemo.Options o = new DeblurDemo.Options(96, 150, 300, 0.01, 0.004, dir, true);
    DeblurDemo.Result r = DeblurDemo.run(o, out);
    String printed = bytes.toString(StandardCharsets.UTF_8);
    System.out.print(printed);
    assertTrue(r.psnrGain() >= 3, "PSNR gain " + r.psnrGain() + " dB\n" + printed);
    assertTrue(r.losses().getLast() < 0.7 * r.losses().getFirst(), "energy " + r.losses().getFirst() + " -> " + r.losses().getLast());
    assertTrue(r.kernelError() < 0.25 * r.kernelErrorStart(), "kernel error " + r.kernelErrorStart() + " -> " + r.kernelError());
    assertEquals(4, r.files().size());
    for (Path f : r.files()) {
      BufferedImage img = ImageIO.read(f.toFile());
      assertTrue(img != null && img.getWidth() > 0, f + " is a PNG");
    }
    assertTrue(printed.contains("PSNR: blurred "), printed);
    assertTrue(printed.contains("deconvolution [##############################]   150/150"), printed);
  }

  @Test
  void psnrOfAnImageAgainstItselfIsInfiniteAndOfAConstantOffsetIsKnown() {
    float[] a = {0.25f, 0.5f, 0.75f, 1f};
    float[] b = {0.35f, 0.6f, 0.85f, 0.9f};
    assertEquals(Double.POSITIVE_INFINITY, DeblurDemo.psnr(a, a));
    assertEquals(20.0, DeblurDemo.psnr(b, a), 1e-5); // every pixel off by 0.1: MSE 0.01
  }
}
