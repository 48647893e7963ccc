package dev.halogen.apps.demo;

/**
 * The Adam optimizer (Kingma and Ba, 2015) over a flat array of float parameters: per parameter, a
 * running mean of the gradient and of its square, corrected for their zero start, give a step of
 * about {@code rate} in the direction of the mean gradient.
 */
final class Adam {
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;

  private final double rate;
  private final double[] mean;
  private final double[] meanSquare;
  private int steps;

  Adam(int parameters, double rate) {
    this.rate = rate;
    this.mean = new double[parameters];
    this.meanSquare = new double[parameters];
  }

  /** Moves {@code values} one step against {@code gradient}, then clamps them into {@code [lo, hi]}. */
  void step(float[] values, float[] gradient, float lo, float hi) {
    if (values.length != mean.length || gradient.length != mean.length) {
      throw new IllegalArgumentException("Adam over " + mean.length + " parameters got " + values.length + " values and "
          + gradient.length + " gradients");
    }
    steps++;
    double correct1 = 1 - Math.pow(BETA1, steps);
    double correct2 = 1 - Math.pow(BETA2, steps);
    for (int i = 0; i < values.length; i++) {
      double g = gradient[i];
      mean[i] = BETA1 * mean[i] + (1 - BETA1) * g;
      meanSquare[i] = BETA2 * meanSquare[i] + (1 - BETA2) * g * g;
      double step = rate * (mean[i] / correct1) / (Math.sqrt(meanSquare[i] / correct2) + EPSILON);
      values[i] = (float) Math.min(hi, Math.max(lo, values[i] - step));
    }
  }
}
