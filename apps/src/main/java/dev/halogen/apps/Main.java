package dev.halogen.apps;

import dev.halogen.apps.cli.Cli;
import dev.halogen.apps.cli.CliException;
import dev.halogen.apps.demo.DeblurDemo;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code halogen} command-line tool; its commands are in {@link Cli}, and {@code demo}, the
 * main job, is here: {@link DeblurDemo}, an inverse problem solved with Halogen's gradients.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(List.of(args), System.out, System.err));
  }

  /**
   * Runs one command line; returns the process exit code (0 success, 1 failure, 2 usage error). No
   * arguments print the usage.
   */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    return Cli.run(args.isEmpty() ? List.of("--help") : args, out, err, Map.of("demo", new Demo(out)));
  }

  /** {@code halogen demo}. */
  @Command(name = "demo", mixinStandardHelpOptions = true, description = {
      "Deblur an image by gradient descent with gradients from Halogen's autodiff, on native code (llvm):",
      "a test image is blurred with a known 5x5 kernel plus noise; the sharp image is recovered with Adam",
      "on a data term and a total-variation prior, then the kernel's weights are recovered from the",
      "sharp/blurred pair. Writes sharp.png, blurred.png, restored.png and loss.png, prints PSNR before",
      "and after and the time per iteration."})
  static final class Demo implements Callable<Integer> {
    private final PrintStream out;
    private final DeblurDemo.Options d = DeblurDemo.Options.defaults();

    @Option(names = "--size", paramLabel = "N", description = "the side of the square image (default: ${DEFAULT-VALUE})")
    int size = d.size();

    @Option(names = "--iterations", paramLabel = "N", description = "Adam steps of the deconvolution (default: ${DEFAULT-VALUE})")
    int iterations = d.iterations();

    @Option(names = "--kernel-iterations", paramLabel = "N", description = "Adam steps of the kernel recovery (default: ${DEFAULT-VALUE})")
    int kernelIterations = d.kernelIterations();

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "where the PNG files go (default: ${DEFAULT-VALUE})")
    Path output = d.outputs();

    @Option(names = "--no-progress", description = "no progress bar")
    boolean noProgress;

    Demo(PrintStream out) {
      this.out = out;
    }

    @Override
    public Integer call() {
      if (size < 16 || size > 4096) throw CliException.usage("--size must be in [16, 4096], got " + size);
      if (iterations < 1 || kernelIterations < 1) throw CliException.usage("--iterations and --kernel-iterations must be at least 1");
      DeblurDemo.Result r = DeblurDemo.run(new DeblurDemo.Options(size, iterations, kernelIterations, d.noise(), d.tvWeight(), output,
          !noProgress), out);
      return r.psnrGain() > 0 ? 0 : 1;
    }
  }
}
