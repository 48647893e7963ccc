package dev.halogen.apps.demo;

import java.util.SplittableRandom;

/**
 * The demo's sharp image, drawn procedurally so that the repository needs no binary sample: a soft
 * gradient background with discs, bars of several widths and orientations, a checkerboard patch and
 * fine stripes, so that a blur visibly destroys detail at several scales. Values lie in [0, 1].
 */
final class TestImage {
  private TestImage() {}

  /** The {@code width x height} image, row by row (x fastest). */
  static float[] draw(int width, int height, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] img = new float[width * height];
    double s = Math.min(width, height);
    // Background: a diagonal gradient.
    for (int y = 0; y < height; y++) for (int x = 0; x < width; x++) img[y * width + x] = (float) (0.25 + 0.3 * (x + y) / (width + height));
    // Discs of random grey levels.
    for (int i = 0; i < 9; i++) {
      double cx = random.nextDouble() * width, cy = random.nextDouble() * height, r = s * (0.04 + 0.08 * random.nextDouble());
      float v = (float) random.nextDouble();
      fill(img, width, height, (x, y) -> (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r, v);
    }
    // Bars: thin and thick, horizontal, vertical and diagonal.
    for (int i = 0; i < 6; i++) {
      double w = 1 + i % 3 * 1.5;
      double c = (0.15 + 0.13 * i) * s;
      float v = i % 2 == 0 ? 0.95f : 0.05f;
      switch (i % 3) {
        case 0 -> fill(img, width, height, (x, y) -> Math.abs(y - c) <= w && x > 0.1 * width && x < 0.9 * width, v);
        case 1 -> fill(img, width, height, (x, y) -> Math.abs(x - c) <= w && y > 0.1 * height && y < 0.9 * height, v);
        default -> fill(img, width, height, (x, y) -> Math.abs(x - y - c + s / 2) <= w * 1.4 && x > 0.2 * width && x < 0.8 * width, v);
      }
    }
    // A checkerboard patch and a patch of fine stripes.
    int cell = Math.max(2, (int) (s / 32));
    fill(img, width, height, (x, y) -> x >= 0.6 * width && x < 0.85 * width && y >= 0.6 * height && y < 0.85 * height
        && ((int) x / cell + (int) y / cell) % 2 == 0, 0.9f);
    fill(img, width, height, (x, y) -> x >= 0.1 * width && x < 0.35 * width && y >= 0.65 * height && y < 0.9 * height
        && (int) (x / 2) % 2 == 0, 0.1f);
    return img;
  }

  private interface Region {
    boolean contains(double x, double y);
  }

  private static void fill(float[] img, int width, int height, Region region, float value) {
    for (int y = 0; y < height; y++) for (int x = 0; x < width; x++) if (region.contains(x, y)) img[y * width + x] = value;
  }
}
