package dev.halogen.ir.json;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Type;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import kotlinx.serialization.json.JsonArray;
import kotlinx.serialization.json.JsonElementKt;
import kotlinx.serialization.json.JsonObject;

/**
 * The JSON form of a constant buffer: {@code {"type": "float32", "mins": [..], "extents": [..],
 * "data": "<base64>"}}, where data is the standard base64 (with padding) of the dense
 * little-endian elements, first dimension fastest ({@link Buffer#toLittleEndianBytes()}).
 */
final class BufferCodec {
  private BufferCodec() {}

  static JsonObject encode(Buffer b) {
    return new Encoder.Obj()
        .put("type", b.type())
        .put("mins", ints(b.mins()))
        .put("extents", ints(b.extents()))
        .put("data", Base64.getEncoder().encodeToString(b.toLittleEndianBytes()))
        .done();
  }

  static Buffer decode(At at) {
    return Decoder.object(at, "Buffer", f -> {
      At typeAt = f.get("type");
      Type type = typeAt.type();
      if (type.isVector() || type.isHandle()) {
        throw typeAt.error("a buffer's element type must be a scalar number or bool, got " + type);
      }
      int[] mins = ints(f.get("mins"));
      At extentsAt = f.get("extents");
      List<At> extentAts = extentsAt.array();
      int[] extents = new int[extentAts.size()];
      long bytes = type.bytes();
      for (int d = 0; d < extents.length; d++) {
        At e = extentAts.get(d);
        extents[d] = e.int32();
        if (extents[d] < 0) throw e.error("buffer extent " + extents[d] + " is negative");
        try {
          bytes = Math.multiplyExact(bytes, extents[d]);
        } catch (ArithmeticException overflow) {
          throw extentsAt.error("buffer extents hold more than 2^63 bytes");
        }
      }
      if (mins.length != extents.length) {
        throw extentsAt.error("buffer has " + extents.length + " extents but " + mins.length + " mins");
      }
      At dataAt = f.get("data");
      byte[] data;
      try {
        data = Base64.getDecoder().decode(dataAt.string());
      } catch (IllegalArgumentException e) {
        throw dataAt.error("invalid base64: " + e.getMessage());
      }
      if (data.length != bytes) {
        throw dataAt.error("buffer data holds " + data.length + " bytes but a " + type + " buffer with extents "
            + Arrays.toString(extents) + " needs " + bytes);
      }
      return Buffer.fromLittleEndianBytes(type, mins, extents, data);
    });
  }

  private static JsonArray ints(int[] values) {
    return new JsonArray(
        Arrays.stream(values).mapToObj(v -> JsonElementKt.JsonPrimitive((Number) v)).toList());
  }

  private static int[] ints(At at) {
    return at.list(At::int32).stream().mapToInt(Integer::intValue).toArray();
  }
}
