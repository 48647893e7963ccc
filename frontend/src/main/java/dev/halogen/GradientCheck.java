package dev.halogen;

import dev.halogen.ir.Buffer;
import dev.halogen.passes.Target;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks gradients against central finite differences: each element of each input is moved by
 * {@code ±h} and the scalar loss is realized again; the difference quotient is formed in double
 * precision and compared with the gradient realized from the {@link Derivative}.
 */
public final class GradientCheck {
  private GradientCheck() {}

  /** For one input: the largest relative error {@code |ad - fd| / max(1, |ad|, |fd|)} and where it is. */
  public record Result(String input, double maxRelativeError, int[] worstCoordinate, double analytic, double numeric) {
    @Override
    public String toString() {
      return input + ": max relative error " + maxRelativeError + " at " + Arrays.toString(worstCoordinate) + " (gradient " + analytic
          + ", finite difference " + numeric + ")";
    }
  }

  /**
   * Compares {@code d.of(image)} for each image (over the region of its bound buffer) and {@code
   * d.of(param)} for each Param with central differences of the zero-dimensional {@code loss}.
   */
  public static List<Result> check(Func loss, Derivative d, Target target, double h, List<ImageParam> images, List<Param> params) {
    List<Result> out = new ArrayList<>();
    for (ImageParam p : images) {
      Buffer b = p.get();
      if (b == null) throw new HalogenException("ImageParam " + p.name() + " has no buffer to check the gradient at");
      Buffer grad = realizeOver(d.of(p), target, b);
      out.add(compare(p.name(), b, grad, h, () -> lossValue(loss, target)));
    }
    for (Param p : params) {
      double ad = d.of(p).realize(target).getAsDouble();
      double x = p.value() instanceof dev.halogen.ir.Expr.FloatImm(var _, double v) ? v : 0;
      p.set(x + h);
      double up = lossValue(loss, target);
      p.set(x - h);
      double down = lossValue(loss, target);
      p.set(x);
      double fd = (up - down) / (2 * h);
      out.add(new Result(p.name(), relative(ad, fd), new int[0], ad, fd));
    }
    return out;
  }

  /** The gradient of each element of the buffer {@code b} (moved by {@code ±h} in turn) against {@code grad}. */
  private static Result compare(String name, Buffer b, Buffer grad, double h, java.util.function.DoubleSupplier loss) {
    double[] worst = {-1, 0, 0};
    int[][] at = {new int[b.dimensions()]};
    b.forEachCoordinate(c -> {
      double x = b.getAsDouble(c);
      b.setFromDouble(x + h, c);
      double up = loss.getAsDouble();
      b.setFromDouble(x - h, c);
      double down = loss.getAsDouble();
      b.setFromDouble(x, c);
      double fd = (up - down) / (2 * h);
      double ad = grad.getAsDouble(c);
      double e = relative(ad, fd);
      if (e > worst[0]) {
        worst[0] = e;
        worst[1] = ad;
        worst[2] = fd;
        at[0] = c.clone();
      }
    });
    return new Result(name, worst[0], at[0], worst[1], worst[2]);
  }

  private static double relative(double ad, double fd) {
    return Math.abs(ad - fd) / Math.max(1, Math.max(Math.abs(ad), Math.abs(fd)));
  }

  private static double lossValue(Func loss, Target target) {
    return loss.realize(target).getAsDouble();
  }

  private static Buffer realizeOver(Func f, Target target, Buffer like) {
    Buffer out = Buffer.allocate(java.lang.foreign.Arena.ofAuto(), f.outputTypes().getFirst(), like.mins(), like.extents());
    f.realize(target, out);
    return out;
  }
}
