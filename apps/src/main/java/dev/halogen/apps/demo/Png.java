package dev.halogen.apps.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** The demo's pictures: gray images and a loss curve, as PNG files. */
final class Png {
  private Png() {}

  /** Writes a {@code width x height} gray image (row by row, values in [0, 1], clamped) as an 8-bit PNG. */
  static Path writeGray(float[] pixels, int width, int height, Path file) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int v = (int) Math.round(Math.min(1, Math.max(0, pixels[y * width + x])) * 255);
        img.getRaster().setSample(x, y, 0, v);
      }
    }
    return write(img, file);
  }

  /** Plots {@code values} (one per iteration) on a logarithmic axis, with a title, as a 640x400 PNG. */
  static Path plot(List<Double> values, String title, Path file) {
    int w = 640, h = 400, left = 80, right = 20, top = 40, bottom = 50;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
      for (double v : values) {
        if (v > 0) {
          lo = Math.min(lo, Math.log10(v));
          hi = Math.max(hi, Math.log10(v));
        }
      }
      if (!(hi > lo)) {
        lo = Double.isFinite(lo) ? lo - 1 : 0;
        hi = lo + 2;
      }
      int pw = w - left - right, ph = h - top - bottom;
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.drawRect(left, top, pw, ph);
      g.drawString(title, left, top - 15);
      g.drawString("iteration", left + pw / 2 - 25, h - 12);
      g.drawString(String.format(Locale.ROOT, "1e%.1f", hi), 10, top + 5);
      g.drawString(String.format(Locale.ROOT, "1e%.1f", lo), 10, top + ph);
      g.drawString("1", left, top + ph + 18);
      g.drawString(Integer.toString(values.size()), left + pw - 20, top + ph + 18);
      Path2D.Double curve = new Path2D.Double();
      for (int i = 0; i < values.size(); i++) {
        double v = values.get(i) > 0 ? Math.log10(values.get(i)) : lo;
        double px = left + (values.size() == 1 ? 0 : (double) i / (values.size() - 1)) * pw;
        double py = top + (hi - v) / (hi - lo) * ph;
        if (i == 0) curve.moveTo(px, py);
        else curve.lineTo(px, py);
      }
      g.setColor(new Color(0x1f, 0x5f, 0xbf));
      g.setStroke(new BasicStroke(2f));
      g.draw(curve);
    } finally {
      g.dispose();
    }
    return write(img, file);
  }

  private static Path write(BufferedImage img, Path file) {
    try {
      if (!ImageIO.write(img, "png", file.toFile())) throw new IOException("no PNG writer");
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + file, e);
    }
    return file;
  }
}
