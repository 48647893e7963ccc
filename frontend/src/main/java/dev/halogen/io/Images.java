package dev.halogen.io;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * PNG and JPEG images to and from {@link Buffer}s, through the JDK's {@code javax.imageio}.
 *
 * <p>Pixels are {@code uint8} (8-bit images) or {@code uint16} (16-bit PNG), exactly the stored
 * samples with no color conversion. A gray image is a 2-D buffer {@code (x, y)}; an image with
 * channels (gray+alpha, RGB, RGBA: 2, 3 or 4) is a 3-D buffer in the {@link Layout} the caller
 * chooses. Row 0 is the top row. {@link #toFloat32} and {@link #fromFloat} convert between pixels
 * and floats in {@code [0, 1]}.
 */
public final class Images {
  private Images() {}

  /** Where the channel dimension of a multi-channel image goes; x is always before y. */
  public enum Layout {
    /** {@code (x, y, c)}: each channel is a dense plane (x has stride 1). */
    PLANAR,
    /** {@code (c, x, y)}: the channels of a pixel are adjacent (c has stride 1), as in the file. */
    INTERLEAVED;

    /** The buffer extents of a {@code width} by {@code height} image with {@code channels} channels. */
    int[] extents(int width, int height, int channels) {
      if (channels == 1) return new int[] {width, height};
      return this == PLANAR ? new int[] {width, height, channels} : new int[] {channels, width, height};
    }

    /** The buffer coordinates of sample {@code c} of pixel {@code (x, y)}, offset by the buffer's mins. */
    int[] coordinates(Buffer b, int x, int y, int c) {
      if (b.dimensions() == 2) return new int[] {b.min(0) + x, b.min(1) + y};
      return this == PLANAR ? new int[] {b.min(0) + x, b.min(1) + y, b.min(2) + c}
          : new int[] {b.min(0) + c, b.min(1) + x, b.min(2) + y};
    }
  }

  /**
   * Reads a PNG or JPEG image (or any other format {@code javax.imageio} reads) as {@code uint8} or
   * {@code uint16} pixels: 2-D for gray, 3-D in {@code layout} otherwise. Palette images are read as
   * 8-bit RGB (RGBA when the palette has transparency).
   *
   * @throws NoSuchFileException when there is no such file
   * @throws FileFormatException naming the file when it is no image, is damaged or truncated, or has
   *     a bit depth other than 8 or 16 or a color space other than gray or RGB
   */
  public static Buffer read(Path file, Layout layout) throws IOException {
    if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString());
    BufferedImage image;
    String format;
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) throw new FileFormatException(file, "not an image in a format Halogen reads (PNG or JPEG)");
      ImageReader reader = readers.next();
      format = reader.getFormatName().toUpperCase(Locale.ROOT);
      try {
        reader.setInput(in, true, true);
        image = reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (FileFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // Decoders report damaged and truncated data as IIOException, EOFException or runtime exceptions.
      throw new FileFormatException(file, "cannot be decoded (damaged or truncated?): " + e.getMessage(), e);
    }
    int width = image.getWidth();
    int height = image.getHeight();
    ColorModel cm = image.getColorModel();
    if (cm instanceof IndexColorModel palette) return fromPalette(image, palette, layout);
    int space = cm.getColorSpace().getType();
    if (space != ColorSpace.TYPE_GRAY && space != ColorSpace.TYPE_RGB) {
      throw new FileFormatException(file, "unsupported " + format + " color space (" + cm.getColorSpace().getNumComponents()
          + " components, neither gray nor RGB)");
    }
    Raster raster = image.getRaster();
    int channels = raster.getNumBands();
    int bits = raster.getSampleModel().getSampleSize(0);
    for (int c = 1; c < channels; c++) {
      if (raster.getSampleModel().getSampleSize(c) != bits) {
        throw new FileFormatException(file, "channels of different bit depths (" + bits + " and "
            + raster.getSampleModel().getSampleSize(c) + ") are not supported");
      }
    }
    Type type = switch (bits) {
      case 8 -> Type.U8;
      case 16 -> Type.U16;
      default -> throw new FileFormatException(file, "unsupported bit depth " + bits + " (Halogen reads 8- and 16-bit images)");
    };
    Buffer b = Buffer.allocate(type, layout.extents(width, height, channels));
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < channels; c++) b.setFromDouble(raster.getSample(x, y, c), layout.coordinates(b, x, y, c));
      }
    }
    return b;
  }

  private static Buffer fromPalette(BufferedImage image, IndexColorModel palette, Layout layout) {
    int channels = palette.hasAlpha() ? 4 : 3;
    Buffer b = Buffer.allocate(Type.U8, layout.extents(image.getWidth(), image.getHeight(), channels));
    Raster raster = image.getRaster();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int index = raster.getSample(x, y, 0);
        int[] rgba = {palette.getRed(index), palette.getGreen(index), palette.getBlue(index), palette.getAlpha(index)};
        for (int c = 0; c < channels; c++) b.setFromDouble(rgba[c], layout.coordinates(b, x, y, c));
      }
    }
    return b;
  }

  /**
   * Writes {@code image} in the format its extension names: {@code .png}, or {@code .jpg}/{@code
   * .jpeg} at quality 0.95. See {@link #writePng} and {@link #writeJpeg}.
   *
   * @throws IllegalArgumentException for another extension, or an image either format refuses
   */
  public static void write(Path file, Buffer image, Layout layout) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".png")) {
      writePng(file, image, layout);
    } else if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
      writeJpeg(file, image, layout, 0.95f);
    } else {
      throw new IllegalArgumentException(file + ": unknown image format; use the extension .png, .jpg or .jpeg");
    }
  }

  /**
   * Writes {@code image} as a PNG: {@code uint8} or {@code uint16} pixels, 2-D (gray) or 3-D in
   * {@code layout} with 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA) channels. Buffer mins are
   * not stored: the pixel at the mins is the image's top left.
   *
   * @throws IllegalArgumentException naming the problem for another element type, dimension count or channel count
   */
  public static void writePng(Path file, Buffer image, Layout layout) throws IOException {
    writeImage(file, "png", image, layout, null);
  }

  /**
   * Writes {@code image} as a JPEG of {@code quality} (0 to 1): {@code uint8} pixels, gray or RGB.
   *
   * @throws IllegalArgumentException naming the problem for 16-bit pixels, an alpha channel, or an
   *     element type, dimension count or channel count PNG refuses too
   */
  public static void writeJpeg(Path file, Buffer image, Layout layout, float quality) throws IOException {
    if (quality < 0 || quality > 1) throw new IllegalArgumentException("JPEG quality " + quality + " is not between 0 and 1");
    if (image.type().equals(Type.U16)) {
      throw new IllegalArgumentException(file + ": JPEG holds 8-bit samples, the image is uint16; write a PNG, or convert with "
          + "Images.fromFloat(Images.toFloat32(image), Type.U8)");
    }
    writeImage(file, "jpeg", image, layout, quality);
  }

  private static void writeImage(Path file, String format, Buffer image, Layout layout, Float quality) throws IOException {
    Type type = image.type();
    if (!type.equals(Type.U8) && !type.equals(Type.U16)) {
      throw new IllegalArgumentException(file + ": image pixels must be uint8 or uint16, the buffer holds " + type
          + (type.isFloat() ? "; convert floats in [0, 1] with Images.fromFloat" : ""));
    }
    int dims = image.dimensions();
    if (dims != 2 && dims != 3) {
      throw new IllegalArgumentException(file + ": an image is a 2-D (x, y) or 3-D buffer, this one has " + dims + " dimensions");
    }
    int channels = dims == 2 ? 1 : image.extent(layout == Layout.PLANAR ? 2 : 0);
    int width = image.extent(dims == 2 || layout == Layout.PLANAR ? 0 : 1);
    int height = image.extent(dims == 2 || layout == Layout.PLANAR ? 1 : 2);
    if (channels < 1 || channels > 4) {
      throw new IllegalArgumentException(file + ": an image has 1 to 4 channels (gray, gray+alpha, RGB, RGBA); the "
          + layout.name().toLowerCase(Locale.ROOT) + " buffer " + image.boundsText() + " has " + channels);
    }
    boolean alpha = channels == 2 || channels == 4;
    if (format.equals("jpeg") && alpha) {
      throw new IllegalArgumentException(file + ": JPEG has no alpha channel; the image has " + channels + " channels");
    }
    int bits = type.bits();
    int[] sizes = new int[channels];
    java.util.Arrays.fill(sizes, bits);
    ColorSpace space = ColorSpace.getInstance(channels <= 2 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
    ColorModel cm = new ComponentColorModel(space, sizes, alpha, false, alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE,
        bits == 8 ? DataBuffer.TYPE_BYTE : DataBuffer.TYPE_USHORT);
    WritableRaster raster = cm.createCompatibleWritableRaster(width, height);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < channels; c++) raster.setSample(x, y, c, (int) image.getAsLong(layout.coordinates(image, x, y, c)));
      }
    }
    BufferedImage out = new BufferedImage(cm, raster, false, null);
    ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
    try {
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (quality != null) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
      }
      Files.deleteIfExists(file);
      try (ImageOutputStream os = ImageIO.createImageOutputStream(file.toFile())) {
        if (os == null) throw new IOException(file + ": cannot be opened for writing");
        writer.setOutput(os);
        writer.write(null, new IIOImage(out, null, null), param);
      }
    } finally {
      writer.dispose();
    }
  }

  /**
   * {@code uint8} or {@code uint16} pixels as {@code float32} in {@code [0, 1]}: each sample divided
   * by 255 or 65535. Same dimensions and mins.
   *
   * @throws IllegalArgumentException for another element type
   */
  public static Buffer toFloat32(Buffer pixels) {
    double max = maxSample(pixels.type(), "toFloat32");
    Buffer out = Buffer.allocate(java.lang.foreign.Arena.ofAuto(), Type.F32, pixels.mins(), pixels.extents());
    pixels.forEachCoordinate(c -> out.setFloat((float) (pixels.getAsDouble(c) / max), c));
    return out;
  }

  /**
   * Floats as {@code uint8} or {@code uint16} ({@code type}) pixels: each value is clamped to {@code
   * [0, 1]}, scaled by 255 or 65535 and rounded to the nearest integer (halves up); NaN becomes 0.
   * Same dimensions and mins.
   *
   * @throws IllegalArgumentException when {@code values} is not float or {@code type} is not uint8 or uint16
   */
  public static Buffer fromFloat(Buffer values, Type type) {
    double max = maxSample(type, "fromFloat");
    if (!values.type().isFloat()) throw new IllegalArgumentException("fromFloat needs a float buffer, got " + values.type());
    Buffer out = Buffer.allocate(java.lang.foreign.Arena.ofAuto(), type, values.mins(), values.extents());
    values.forEachCoordinate(c -> {
      double v = values.getAsDouble(c);
      double clamped = Double.isNaN(v) ? 0 : Math.min(1, Math.max(0, v));
      out.setFromDouble(Math.floor(clamped * max + 0.5), c);
    });
    return out;
  }

  private static double maxSample(Type type, String what) {
    if (type.equals(Type.U8)) return 255;
    if (type.equals(Type.U16)) return 65535;
    throw new IllegalArgumentException(what + " converts uint8 or uint16 pixels, not " + type);
  }
}
