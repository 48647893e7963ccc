package dev.halogen;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.LoweredModule.Argument;
import dev.halogen.ir.LoweredModule.EntryPoint;
import dev.halogen.ir.Type;
import dev.halogen.passes.Arguments;
import dev.halogen.passes.Backends;
import dev.halogen.passes.CompiledModule;
import dev.halogen.passes.Target;
import dev.halogen.passes.analysis.Environment;
import dev.halogen.passes.analysis.Evaluator;
import dev.halogen.passes.analysis.Value;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Checks gradients against central finite differences: each element of each input is moved by
 * {@code ±h} and the scalar loss is evaluated again; the difference quotient is formed in double
 * precision and compared with the gradient realized from the {@link Derivative}.
 *
 * <p>{@link #check} evaluates the loss as the pipeline computes it, in float32, so the quotient
 * carries float32 rounding divided by {@code 2h}. {@link #checkFloat64} evaluates a copy of the
 * loss's IR with every float32 type made float64 (the inputs copied exactly), so {@code h} can be
 * tiny and the quotient is the true derivative to about 1e-9; it also finds the coordinates where
 * the loss has a kink or a jump within {@code h} (the forward and backward quotients disagree),
 * where no finite difference is meaningful, and leaves them out.
 */
public final class GradientCheck {
  private GradientCheck() {}

  /**
   * The forward and backward quotients of a coordinate differ by more than this (relative to
   * {@code max(1, |quotient|)}) only when the loss is not smooth within {@code h} of it: for a smooth
   * loss they differ by about {@code h * |second derivative|}. Where the kink lies inside {@code
   * [x - h, x + h]}, the central quotient is off by at most half this difference.
   */
  public static final double KINK_TOLERANCE = 1e-4;

  /**
   * For one input: the largest relative error {@code |ad - fd| / max(1, |ad|, |fd|)} over the
   * coordinates compared and where it is; {@code checked} coordinates were compared and {@code
   * skipped} were not, because the loss has a kink there ({@link #checkFloat64} only).
   */
  public record Result(String input, double maxRelativeError, int[] worstCoordinate, double analytic, double numeric, int checked,
      int skipped) {
    @Override
    public String toString() {
      return input + ": max relative error " + maxRelativeError + " at " + Arrays.toString(worstCoordinate) + " (gradient " + analytic
          + ", finite difference " + numeric + "; " + checked + " compared" + (skipped == 0 ? "" : ", " + skipped + " skipped at kinks")
          + ")";
    }
  }

  /**
   * Compares {@code d.of(image)} for each image (over the region of its bound buffer) and {@code
   * d.of(param)} for each Param with central differences of the zero-dimensional {@code loss},
   * evaluated in float32 as the pipeline computes it. An input without an adjoint in {@code d}
   * (the loss reads it only where no gradient flows, as an index) has gradient zero.
   */
  public static List<Result> check(Func loss, Derivative d, Target target, double h, List<ImageParam> images, List<Param> params) {
    Probe probe = new Probe() {
      @Override
      public Buffer data(ImageParam p) {
        return bound(p);
      }

      @Override
      public double param(Param p) {
        return floatValue(p);
      }

      @Override
      public void setParam(Param p, double v) {
        p.set(v);
      }

      @Override
      public double loss() {
        return loss.realize(target).getAsDouble();
      }
    };
    return compareAll(probe, d, target, h, false, images, params);
  }

  /**
   * {@link #check}, with the loss evaluated in float64: a copy of its IR with every float32 type
   * (Func values, casts, constants, float Params and images) made float64, fed with float64 copies
   * of the images' data and the Params' values. The Params and images themselves are left as they are.
   * Coordinates where the loss has a kink or jump within {@code h} are skipped and counted. An
   * {@code h} of about 1e-6 of the inputs' scale suits losses of moderate size.
   */
  public static List<Result> checkFloat64(Func loss, Derivative d, Target target, double h, List<ImageParam> images,
      List<Param> params) {
    return compareAll(new Float64Loss(loss, target), d, target, h, true, images, params);
  }

  /** Where the inputs are moved and how the loss is evaluated. */
  private interface Probe {
    /** The buffer whose elements stand for image {@code p} in {@link #loss()}. */
    Buffer data(ImageParam p);

    double param(Param p);

    void setParam(Param p, double v);

    double loss();
  }

  private static List<Result> compareAll(Probe probe, Derivative d, Target target, double h, boolean skipKinks, List<ImageParam> images,
      List<Param> params) {
    // Every gradient in one pipeline: one compilation, and what the adjoints share is lowered once.
    // An input without an adjoint (read only where no gradient flows, as an index) has gradient zero.
    List<Func> gradients = new ArrayList<>();
    List<Buffer> buffers = new ArrayList<>();
    Map<Object, Buffer> gradientOf = new IdentityHashMap<>();
    for (ImageParam p : images) {
      Buffer like = probe.data(p);
      d.find(p).ifPresent(g -> {
        Buffer b = Buffer.allocate(Arena.ofAuto(), g.outputTypes().getFirst(), like.mins(), like.extents());
        gradients.add(g);
        buffers.add(b);
        gradientOf.put(p, b);
      });
    }
    for (Param p : params) {
      d.find(p).ifPresent(g -> {
        Buffer b = Buffer.allocate(g.outputTypes().getFirst());
        gradients.add(g);
        buffers.add(b);
        gradientOf.put(p, b);
      });
    }
    if (!gradients.isEmpty()) new Pipeline(gradients).realize(target, buffers.toArray(Buffer[]::new));

    List<Result> out = new ArrayList<>();
    double center = skipKinks ? probe.loss() : Double.NaN;
    for (ImageParam p : images) {
      Buffer b = probe.data(p);
      Buffer g = gradientOf.get(p);
      Getter grad = g == null ? c -> 0 : g::getAsDouble;
      out.add(compare(p.name(), b::forEachCoordinate, b::getAsDouble, (c, v) -> b.setFromDouble(v, c), grad, h, center, probe));
    }
    for (Param p : params) {
      Buffer g = gradientOf.get(p);
      double ad = g == null ? 0 : g.getAsDouble();
      out.add(compare(p.name(), f -> f.accept(new int[0]), c -> probe.param(p), (c, v) -> probe.setParam(p, v), c -> ad, h, center,
          probe));
    }
    return out;
  }

  private interface Getter {
    double get(int[] c);
  }

  private interface Setter {
    void set(int[] c, double v);
  }

  /**
   * The gradient at each coordinate (moved by {@code ±h} in turn) against the finite difference.
   * {@code center} is the loss at the unmoved inputs; NaN compares every coordinate.
   */
  private static Result compare(String name, Consumer<Consumer<int[]>> coordinates, Getter value, Setter move, Getter gradient, double h,
      double center, Probe probe) {
    double[] worst = {-1, 0, 0};
    int[][] at = {new int[0]};
    int[] counts = new int[2];
    coordinates.accept(c -> {
      double x = value.get(c);
      move.set(c, x + h);
      double up = probe.loss();
      move.set(c, x - h);
      double down = probe.loss();
      move.set(c, x);
      if (!Double.isNaN(center)) {
        double forward = (up - center) / h, backward = (center - down) / h;
        if (Math.abs(forward - backward) > KINK_TOLERANCE * Math.max(1, Math.max(Math.abs(forward), Math.abs(backward)))) {
          counts[1]++;
          return;
        }
      }
      counts[0]++;
      double fd = (up - down) / (2 * h);
      double ad = gradient.get(c);
      double e = relative(ad, fd);
      // NaN (a gradient or loss that is not a number) counts as the worst error.
      if (e > worst[0] || Double.isNaN(e) && !Double.isNaN(worst[0])) {
        worst[0] = Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
        worst[1] = ad;
        worst[2] = fd;
        at[0] = c.clone();
      }
    });
    return new Result(name, Math.max(0, worst[0]), at[0], worst[1], worst[2], counts[0], counts[1]);
  }

  private static double relative(double ad, double fd) {
    return Math.abs(ad - fd) / Math.max(1, Math.max(Math.abs(ad), Math.abs(fd)));
  }

  private static Buffer bound(ImageParam p) {
    Buffer b = p.get();
    if (b == null) throw new HalogenException("ImageParam " + p.name() + " has no buffer to check the gradient at");
    return b;
  }

  private static double floatValue(Param p) {
    return p.value() instanceof dev.halogen.ir.Expr.FloatImm(var _, double v) ? v : 0;
  }

  /** The loss's pipeline in float64, compiled once, with float64 copies of its inputs that the check moves. */
  private static final class Float64Loss implements Probe {
    private final CompiledModule module;
    private final EntryPoint entryPoint;
    private final Buffer output;
    private final Map<String, Buffer> buffers = new HashMap<>();
    private final Map<String, Value> scalars = new HashMap<>();

    Float64Loss(Func loss, Target target) {
      if (loss.dimensions() != 0 || loss.outputTypes().size() != 1) {
        throw new HalogenException("The gradient check needs a scalar loss with one value; Func " + loss.name() + " has "
            + loss.dimensions() + " dimensions and " + loss.outputTypes().size() + " values");
      }
      Pipeline.Built built = loss.pipeline().build();
      module = Backends.find(target.backend()).compile(Pipeline.lower(Float64Ir.of(built.ir())), target);
      entryPoint = module.module().entryPoints().getFirst();
      output = Buffer.allocate(Float64Ir.promote(loss.outputTypes().getFirst()));
      for (Argument a : entryPoint.arguments()) {
        switch (a.kind()) {
          case OUTPUT_BUFFER -> buffers.put(a.name(), output);
          case INPUT_BUFFER -> buffers.put(a.name(), Float64Ir.promote(bound(built.images().get(a.name()))));
          case SCALAR -> {
            Param p = built.params().get(a.name());
            dev.halogen.ir.Expr v = p.value();
            if (v == null) throw new HalogenException("Param " + p.name() + " has no value to check the gradient at");
            scalars.put(a.name(), Evaluator.WRAPPING.eval(Float64Ir.promote(v), Environment.EMPTY));
          }
        }
      }
    }

    @Override
    public Buffer data(ImageParam p) {
      Buffer b = buffers.get(p.name());
      if (b == null) throw new HalogenException("The loss does not read ImageParam " + p.name() + ", so its gradient cannot be checked");
      return b;
    }

    @Override
    public double param(Param p) {
      return switch (scalar(p)) {
        case Value.FloatScalar(Type t, double v) -> v;
        case Value other -> throw new HalogenException("Param " + p.name() + " is not a float; its gradient cannot be checked");
      };
    }

    @Override
    public void setParam(Param p, double v) {
      scalars.put(p.name(), new Value.FloatScalar(scalar(p).type(), v));
    }

    private Value scalar(Param p) {
      Value v = scalars.get(p.name());
      if (v == null) throw new HalogenException("The loss does not read Param " + p.name() + ", so its gradient cannot be checked");
      return v;
    }

    @Override
    public double loss() {
      Arguments.Builder args = module.arguments(entryPoint.name());
      for (var e : buffers.entrySet()) args.buffer(e.getKey(), e.getValue());
      for (var e : scalars.entrySet()) args.scalar(e.getKey(), e.getValue());
      module.run(args.build());
      return output.getAsDouble();
    }
  }
}
