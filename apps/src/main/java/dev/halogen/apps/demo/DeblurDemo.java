package dev.halogen.apps.demo;

import dev.halogen.CompiledPipeline;
import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import dev.halogen.passes.Target;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The main job of {@code halogen demo}: an inverse problem solved by gradient descent, with every
 * gradient computed by Halogen's reverse-mode autodiff and run as native code (llvm).
 *
 * <ol>
 *   <li>A sharp test image ({@link TestImage}) is blurred with a known 5x5 kernel and Gaussian noise
 *       is added: the observation.
 *   <li>Non-blind deconvolution: starting from the observation, the latent image is optimized with
 *       Adam on the data term plus a total-variation prior ({@link DeblurModel}).
 *   <li>Kernel recovery: from the sharp and blurred pair, the kernel's 25 weights are recovered,
 *       starting from a uniform kernel.
 * </ol>
 *
 * It writes the sharp, blurred and restored images and the loss curve as PNG files, and reports the
 * PSNR of the observation and of the result, the time per iteration and the kernel's error.
 */
public final class DeblurDemo {
  private DeblurDemo() {}

  /**
   * What to run.
   *
   * @param size the side of the square image
   * @param iterations Adam steps of the deconvolution
   * @param kernelIterations Adam steps of the kernel recovery
   * @param noise the standard deviation of the noise added to the observation (images are in [0, 1])
   * @param tvWeight the weight of the total-variation prior
   * @param outputs where the PNG files go (created if needed); null writes none
   * @param progress whether to draw a progress bar
   */
  public record Options(int size, int iterations, int kernelIterations, double noise, double tvWeight, Path outputs, boolean progress) {
    public static Options defaults() {
      return new Options(256, 300, 600, 0.01, 0.004, Path.of("halogen-demo"), true);
    }
  }

  /** What the run achieved. */
  public record Result(double psnrObserved, double psnrRestored, double msPerIteration, double kernelError, double kernelErrorStart,
      List<Double> losses, List<Path> files) {
    public double psnrGain() {
      return psnrRestored - psnrObserved;
    }
  }

  /** The true blur: a short diagonal motion streak softened by a small spread, normalized to sum 1. */
  static float[] trueKernel() {
    int n = DeblurModel.RADIUS2;
    float[] k = new float[n * n];
    double sum = 0;
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        double along = (i - 2) - (j - 2) * 0.5, across = (i - 2) * 0.5 + (j - 2);
        double w = Math.exp(-(along * along) / 3.0 - (across * across) / 0.6);
        k[j * n + i] = (float) w;
        sum += w;
      }
    }
    for (int i = 0; i < k.length; i++) k[i] = (float) (k[i] / sum);
    return k;
  }

  public static Result run(Options o, PrintStream out) {
    int n = o.size();
    Target llvm = Target.of("llvm");
    long start = System.nanoTime();
    DeblurModel model = new DeblurModel();
    float[] sharpPixels = TestImage.draw(n, n, 7);
    Buffer sharp = image(sharpPixels, n);
    Buffer kernel = kernelBuffer(trueKernel());

    // The observation: the model's own blur of the sharp image, plus noise.
    model.latent.set(sharp);
    model.kernel.set(kernel);
    Buffer observed = Buffer.allocate(Type.F32, n, n);
    model.blur().compile(llvm).realize(observed);
    SplittableRandom random = new SplittableRandom(11);
    for (int y = 0; y < n; y++) for (int x = 0; x < n; x++) observed.setFloat((float) (observed.getFloat(x, y) + o.noise() * random.nextGaussian()), x, y);
    model.observed.set(observed);
    double psnrObserved = psnr(pixels(observed, n), sharpPixels);

    CompiledPipeline latentStep = model.latentStep().compile(llvm);
    CompiledPipeline kernelStep = model.kernelStep().compile(llvm);
    out.printf(Locale.ROOT, "Halogen demo: deblurring a %dx%d image (5x5 blur, noise sigma %.3f); pipelines compiled in %.1f s%n", n, n, o.noise(),
        (System.nanoTime() - start) / 1e9);

    // 1. Non-blind deconvolution.
    float[] latent = pixels(observed, n);
    Buffer latentBuffer = image(latent, n);
    model.latent.set(latentBuffer);
    model.tvWeight.set(o.tvWeight());
    Buffer energy = Buffer.allocate(Type.F32);
    Buffer gradient = Buffer.allocate(Type.F32, n, n);
    Adam adam = new Adam(n * n, 0.01);
    List<Double> losses = new ArrayList<>();
    Progress bar = new Progress(out, "deconvolution", o.iterations(), o.progress());
    long t0 = System.nanoTime();
    for (int i = 0; i < o.iterations(); i++) {
      latentStep.realize(energy, gradient);
      losses.add((double) energy.getFloat());
      adam.step(latent, pixels(gradient, n), 0f, 1f);
      copyInto(latent, latentBuffer, n);
      bar.update(i + 1, energy.getFloat());
    }
    double msPerIteration = (System.nanoTime() - t0) / 1e6 / Math.max(1, o.iterations());
    bar.finish();
    double psnrRestored = psnr(latent, sharpPixels);
    out.printf(Locale.ROOT, "PSNR: blurred %.2f dB -> restored %.2f dB (%+.2f dB), %.1f ms per iteration%n", psnrObserved, psnrRestored,
        psnrRestored - psnrObserved, msPerIteration);

    // 2. Kernel recovery from the sharp/blurred pair.
    model.latent.set(sharp);
    model.tvWeight.set(0.0);
    float[] truth = trueKernel();
    float[] k = new float[truth.length];
    java.util.Arrays.fill(k, 1f / k.length);
    Buffer kernelEstimate = kernelBuffer(k);
    model.kernel.set(kernelEstimate);
    double kernelErrorStart = maxDifference(k, truth);
    Buffer kernelGradient = Buffer.allocate(Type.F32, DeblurModel.RADIUS2, DeblurModel.RADIUS2).withMins(-DeblurModel.RADIUS, -DeblurModel.RADIUS);
    Adam kernelAdam = new Adam(k.length, 0.01);
    Progress kernelBar = new Progress(out, "kernel", o.kernelIterations(), o.progress());
    float[] kg = new float[k.length];
    for (int i = 0; i < o.kernelIterations(); i++) {
      kernelStep.realize(energy, kernelGradient);
      for (int j = 0; j < kg.length; j++) kg[j] = kernelGradient.getFloat(j % DeblurModel.RADIUS2 - DeblurModel.RADIUS, j / DeblurModel.RADIUS2 - DeblurModel.RADIUS);
      kernelAdam.step(k, kg, 0f, 1f);
      for (int j = 0; j < k.length; j++) kernelEstimate.setFloat(k[j], j % DeblurModel.RADIUS2 - DeblurModel.RADIUS, j / DeblurModel.RADIUS2 - DeblurModel.RADIUS);
      kernelBar.update(i + 1, energy.getFloat());
    }
    kernelBar.finish();
    double kernelError = maxDifference(k, truth);
    out.printf(Locale.ROOT, "kernel: largest weight error %.4f at the start -> %.4f recovered (weights sum to 1; largest true weight %.4f)%n",
        kernelErrorStart, kernelError, max(truth));
    out.println(kernelTable(truth, k));

    List<Path> files = new ArrayList<>();
    if (o.outputs() != null) {
      try {
        Files.createDirectories(o.outputs());
      } catch (IOException e) {
        throw new UncheckedIOException("creating " + o.outputs(), e);
      }
      files.add(Png.writeGray(sharpPixels, n, n, o.outputs().resolve("sharp.png")));
      files.add(Png.writeGray(pixels(observed, n), n, n, o.outputs().resolve("blurred.png")));
      files.add(Png.writeGray(latent, n, n, o.outputs().resolve("restored.png")));
      files.add(Png.plot(losses, "deconvolution energy per iteration", o.outputs().resolve("loss.png")));
      out.println("wrote " + String.join(", ", files.stream().map(Path::toString).toList()));
    }
    return new Result(psnrObserved, psnrRestored, msPerIteration, kernelError, kernelErrorStart, List.copyOf(losses), List.copyOf(files));
  }

  // ------------------------------------------------------------------ small helpers

  private static Buffer image(float[] pixels, int n) {
    Buffer b = Buffer.allocate(Type.F32, n, n);
    copyInto(pixels, b, n);
    return b;
  }

  private static void copyInto(float[] pixels, Buffer b, int n) {
    for (int y = 0; y < n; y++) for (int x = 0; x < n; x++) b.setFloat(pixels[y * n + x], x, y);
  }

  private static float[] pixels(Buffer b, int n) {
    float[] p = new float[n * n];
    for (int y = 0; y < n; y++) for (int x = 0; x < n; x++) p[y * n + x] = b.getFloat(x, y);
    return p;
  }

  private static Buffer kernelBuffer(float[] k) {
    int r = DeblurModel.RADIUS, n = DeblurModel.RADIUS2;
    Buffer b = Buffer.allocate(Type.F32, n, n).withMins(-r, -r);
    for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) b.setFloat(k[j * n + i], i - r, j - r);
    return b;
  }

  /** The peak signal-to-noise ratio of {@code image} against {@code reference}, both in [0, 1], in dB. */
  static double psnr(float[] image, float[] reference) {
    double se = 0;
    for (int i = 0; i < image.length; i++) {
      double d = Math.min(1, Math.max(0, image[i])) - reference[i];
      se += d * d;
    }
    return 10 * Math.log10(image.length / se);
  }

  private static double maxDifference(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
    return m;
  }

  private static double max(float[] a) {
    double m = Double.NEGATIVE_INFINITY;
    for (float v : a) m = Math.max(m, v);
    return m;
  }

  private static String kernelTable(float[] truth, float[] found) {
    StringBuilder s = new StringBuilder("true kernel                          recovered kernel\n");
    int n = DeblurModel.RADIUS2;
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) s.append(String.format(Locale.ROOT, "%7.4f", truth[j * n + i]));
      s.append("   ");
      for (int i = 0; i < n; i++) s.append(String.format(Locale.ROOT, "%7.4f", found[j * n + i]));
      s.append('\n');
    }
    return s.toString();
  }
}
