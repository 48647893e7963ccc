package dev.halogen.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.io.Images.Layout;
import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {
  @TempDir Path dir;

  /** An RGB test pattern: red = 10 x + y, green = 255 - 7 y, blue = x * y (all below 256). */
  private static int sample(int x, int y, int c) {
    return switch (c) {
      case 0 -> 10 * x + y;
      case 1 -> 255 - 7 * y;
      default -> x * y;
    };
  }

  @Test
  void rgbPngRoundTripsInBothLayouts() throws IOException {
    for (Layout layout : Layout.values()) {
      Buffer b = Buffer.allocate(Type.U8, layout == Layout.PLANAR ? new int[] {5, 4, 3} : new int[] {3, 5, 4});
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 5; x++) {
          for (int c = 0; c < 3; c++) b.setFromDouble(sample(x, y, c), layout == Layout.PLANAR ? new int[] {x, y, c} : new int[] {c, x, y});
        }
      }
      Path f = dir.resolve("rgb-" + layout + ".png");
      Images.write(f, b, layout);
      // Independently of Halogen's reader: ImageIO's RGB of pixel (3, 2).
      BufferedImage img = ImageIO.read(f.toFile());
      assertEquals(5, img.getWidth());
      assertEquals(4, img.getHeight());
      assertEquals((sample(3, 2, 0) << 16) | (sample(3, 2, 1) << 8) | sample(3, 2, 2), img.getRGB(3, 2) & 0xffffff);
      assertEquals(b, Images.read(f, layout));
    }
    // The layouts are transposes of each other.
    Buffer planar = Images.read(dir.resolve("rgb-PLANAR.png"), Layout.PLANAR);
    Buffer interleaved = Images.read(dir.resolve("rgb-PLANAR.png"), Layout.INTERLEAVED);
    assertEquals(planar.getAsLong(4, 3, 1), interleaved.getAsLong(1, 4, 3));
    assertEquals(sample(4, 3, 1), interleaved.getAsLong(1, 4, 3));
  }

  @Test
  void sixteenBitPngRoundTrips() throws IOException {
    Buffer gray = Buffer.allocate(Type.U16, 6, 3);
    gray.forEachCoordinate(c -> gray.setFromDouble(65535 - 10007 * c[0] - 3 * c[1], c));
    Path f = dir.resolve("gray16.png");
    Images.writePng(f, gray, Layout.PLANAR);
    assertEquals(16, ImageIO.read(f.toFile()).getColorModel().getPixelSize());
    Buffer back = Images.read(f, Layout.PLANAR);
    assertEquals(Type.U16, back.type());
    assertArrayEquals(new int[] {6, 3}, back.extents());
    assertEquals(65535 - 10007 * 5 - 3 * 2, back.getAsLong(5, 2));
    assertEquals(gray, back);

    Buffer rgba = Buffer.allocate(Type.U16, 4, 3, 2);
    rgba.forEachCoordinate(c -> rgba.setFromDouble(c[0] * 16000 + c[1] * 300 + c[2] * 7 + 1, c));
    Path g = dir.resolve("rgba16.png");
    Images.write(g, rgba, Layout.INTERLEAVED);
    assertEquals(rgba, Images.read(g, Layout.INTERLEAVED));
  }

  @Test
  void grayImagesAreTwoDimensionalAndMinsAreNotStored() throws IOException {
    Buffer gray = Buffer.of(Type.U8, new byte[] {0, 50, (byte) 200, (byte) 255}, 2, 2).withMins(10, 20);
    Path f = dir.resolve("gray.png");
    Images.write(f, gray, Layout.INTERLEAVED);
    Buffer back = Images.read(f, Layout.INTERLEAVED);
    assertArrayEquals(new int[] {0, 0}, back.mins());
    assertArrayEquals(new byte[] {0, 50, (byte) 200, (byte) 255}, back.toByteArray());
  }

  @Test
  void jpegDecodesWhatImageIoWroteWithinTolerance() throws IOException {
    // A smooth image (JPEG's blocks lose little of it), written by ImageIO itself.
    BufferedImage img = new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 24; y++) {
      for (int x = 0; x < 32; x++) img.setRGB(x, y, (8 * x) << 16 | (10 * y) << 8 | 128);
    }
    Path f = dir.resolve("smooth.jpg");
    assertTrue(ImageIO.write(img, "jpeg", f.toFile()));
    Buffer b = Images.read(f, Layout.PLANAR);
    assertEquals(Type.U8, b.type());
    assertArrayEquals(new int[] {32, 24, 3}, b.extents());
    int worst = 0;
    for (int y = 0; y < 24; y++) {
      for (int x = 0; x < 32; x++) {
        int[] want = {8 * x, 10 * y, 128};
        for (int c = 0; c < 3; c++) worst = Math.max(worst, (int) Math.abs(b.getAsLong(x, y, c) - want[c]));
      }
    }
    assertTrue(worst <= 12, "largest JPEG error " + worst);
    // And Halogen's JPEG writer at high quality keeps it as close.
    Path g = dir.resolve("again.jpeg");
    Images.writeJpeg(g, b, Layout.PLANAR, 1f);
    Buffer again = Images.read(g, Layout.PLANAR);
    int drift = 0;
    for (int i = 0; i < b.elementCount(); i++) drift = Math.max(drift, Math.abs((b.toByteArray()[i] & 0xff) - (again.toByteArray()[i] & 0xff)));
    assertTrue(drift <= 6, "re-encoding drift " + drift);
  }

  @Test
  void floatConversionsScaleRoundAndClamp() {
    Buffer px = Buffer.of(Type.U8, new byte[] {0, (byte) 128, (byte) 255}, 3);
    Buffer f = Images.toFloat32(px);
    assertEquals(Type.F32, f.type());
    assertArrayEquals(new float[] {0f, 128f / 255f, 1f}, f.toFloatArray());
    assertEquals(px, Images.fromFloat(f, Type.U8));
    Buffer values = Buffer.of(new float[] {-0.5f, 0.5f, 2f, Float.NaN, 1f / 255f * 0.49f, 1f / 255f * 0.51f}, 6);
    assertArrayEquals(new byte[] {0, (byte) 128, (byte) 255, 0, 0, 1}, Images.fromFloat(values, Type.U8).toByteArray());
    assertArrayEquals(new short[] {0, (short) 32768, (short) 65535, 0, 126, 131}, Images.fromFloat(values, Type.U16).toShortArray());
    Buffer wide = Images.toFloat32(Buffer.of(Type.U16, new short[] {(short) 65535, 0}, 2).withMins(-1));
    assertEquals(-1, wide.min(0));
    assertEquals(1f, wide.getFloat(-1));
    assertEquals("toFloat32 converts uint8 or uint16 pixels, not float32",
        assertThrows(IllegalArgumentException.class, () -> Images.toFloat32(f)).getMessage());
  }

  @Test
  void clearErrorsNameTheFile() throws IOException {
    Path text = dir.resolve("notes.png");
    Files.writeString(text, "not an image");
    assertEquals(text + ": not an image in a format Halogen reads (PNG or JPEG)",
        assertThrows(FileFormatException.class, () -> Images.read(text, Layout.PLANAR)).getMessage());

    Buffer b = Buffer.allocate(Type.U8, 40, 30, 3);
    b.forEachCoordinate(c -> b.setFromDouble((c[0] * 31 + c[1] * 17 + c[2] * 101) % 256, c));
    Path good = dir.resolve("good.png");
    Images.write(good, b, Layout.PLANAR);
    byte[] all = Files.readAllBytes(good);
    Path truncated = dir.resolve("truncated.png");
    Files.write(truncated, Arrays.copyOf(all, all.length / 2));
    String message = assertThrows(FileFormatException.class, () -> Images.read(truncated, Layout.PLANAR)).getMessage();
    assertTrue(message.startsWith(truncated + ": cannot be decoded (damaged or truncated?): "), message);

    BufferedImage binary = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_BINARY);
    Path onebit = dir.resolve("onebit.png");
    ImageIO.write(binary, "png", onebit.toFile());
    // A 1-bit PNG is read by ImageIO with a two-color palette, which Halogen expands to 8-bit RGB.
    Buffer expanded = Images.read(onebit, Layout.PLANAR);
    assertArrayEquals(new int[] {8, 8, 3}, expanded.extents());

    assertThrows(NoSuchFileException.class, () -> Images.read(dir.resolve("missing.png"), Layout.PLANAR));
    Path out = dir.resolve("out.png");
    assertEquals(out + ": image pixels must be uint8 or uint16, the buffer holds float32; convert floats in [0, 1] with Images.fromFloat",
        assertThrows(IllegalArgumentException.class, () -> Images.write(out, Buffer.allocate(Type.F32, 2, 2), Layout.PLANAR)).getMessage());
    Path jpg = dir.resolve("out.jpg");
    assertEquals(jpg + ": JPEG has no alpha channel; the image has 4 channels",
        assertThrows(IllegalArgumentException.class, () -> Images.write(jpg, Buffer.allocate(Type.U8, 2, 2, 4), Layout.PLANAR)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Images.write(jpg, Buffer.allocate(Type.U16, 2, 2), Layout.PLANAR))
        .getMessage().startsWith(jpg + ": JPEG holds 8-bit samples, the image is uint16"));
    Path bmp = dir.resolve("out.bmp");
    assertEquals(bmp + ": unknown image format; use the extension .png, .jpg or .jpeg",
        assertThrows(IllegalArgumentException.class, () -> Images.write(bmp, Buffer.allocate(Type.U8, 2, 2), Layout.PLANAR)).getMessage());
    assertEquals(out + ": an image has 1 to 4 channels (gray, gray+alpha, RGB, RGBA); the planar buffer " + "[0, 1] x [0, 1] x [0, 4]"
        + " has 5", assertThrows(IllegalArgumentException.class, () -> Images.write(out, Buffer.allocate(Type.U8, 2, 2, 5), Layout.PLANAR))
        .getMessage());
  }
}
