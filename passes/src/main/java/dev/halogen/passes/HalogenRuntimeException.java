package dev.halogen.passes;

import dev.halogen.passes.analysis.Value;
import java.util.Arrays;
import java.util.List;

/**
 * A compiled pipeline failed while running: an {@link dev.halogen.ir.Stmt.AssertStmt} did not hold,
 * an access fell outside its buffer, an allocation was too large, ... Every {@link Backend} reports
 * run-time failures with this type, with a message that names what failed (the buffer, the
 * coordinates or index and the bounds; the assertion's formatted message).
 */
public class HalogenRuntimeException extends RuntimeException {
  public HalogenRuntimeException(String message) {
    super(message);
  }

  public HalogenRuntimeException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The failure of an assertion whose message is {@code template} and whose arguments evaluated to {@code args}. */
  public static HalogenRuntimeException assertionFailed(String template, List<Value> args) {
    return new HalogenRuntimeException(formatMessage(template, args));
  }

  /**
   * A loop whose variable would leave the int32 range: its last iteration {@code min + extent - 1}
   * exceeds {@link Integer#MAX_VALUE}. Every backend reports it with this message.
   */
  public static HalogenRuntimeException loopBeyondInt32(String loop, int min, int extent) {
    return new HalogenRuntimeException("loop " + loop + " from " + min + " with extent " + extent + " goes beyond the int32 range");
  }

  /** Storage ({@code what}: {@code "Allocate of tmp"}, {@code "Realize of f"}) with a negative extent in dimension {@code dimension}. */
  public static HalogenRuntimeException negativeExtent(String what, int extent, int dimension) {
    return new HalogenRuntimeException(what + ": extent " + extent + " of dimension " + dimension + " is negative");
  }

  /** Storage ({@code what}) whose {@code extents} multiply to more elements than int32 flat indices address. */
  public static HalogenRuntimeException tooManyElements(String what, int[] extents) {
    return new HalogenRuntimeException(what + ": the extents " + Arrays.toString(extents) + " give more than "
        + Integer.MAX_VALUE + " elements, more than int32 flat indices address");
  }

  /**
   * {@code template} with each {@code {}} replaced, in order, by the text of the next of {@code args}
   * ({@link #valueText}). A {@code {}} beyond the last argument stays as it is; arguments beyond the
   * last {@code {}} are appended in parentheses, so no value is lost.
   */
  public static String formatMessage(String template, List<Value> args) {
    StringBuilder sb = new StringBuilder();
    int next = 0;
    int from = 0;
    for (int at; next < args.size() && (at = template.indexOf("{}", from)) >= 0; from = at + 2) {
      sb.append(template, from, at).append(valueText(args.get(next++)));
    }
    sb.append(template, from, template.length());
    if (next < args.size()) {
      sb.append(" (");
      for (int i = next; i < args.size(); i++) sb.append(i > next ? ", " : "").append(valueText(args.get(i)));
      sb.append(')');
    }
    return sb.toString();
  }

  /**
   * A value as a message shows it, without its type: {@code 42}, {@code 255} (a uint8 read as
   * unsigned), {@code true}, {@code 1.5} (float16 and float32 with the shortest float text, float64
   * with the shortest double text), a string handle's characters, a vector as {@code [1, 2, 3]}.
   */
  public static String valueText(Value v) {
    return switch (v) {
      case Value.IntScalar(var type, long bits) ->
          type.isBool() ? Boolean.toString(bits != 0) : type.isUInt() ? Long.toUnsignedString(bits) : Long.toString(bits);
      case Value.FloatScalar(var type, double value) -> type.bits() == 64 ? Double.toString(value) : Float.toString((float) value);
      case Value.Handle(Object referent) -> String.valueOf(referent);
      case Value.IntVector iv -> lanesText(iv);
      case Value.FloatVector fv -> lanesText(fv);
    };
  }

  private static String lanesText(Value v) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < v.lanes(); i++) sb.append(i > 0 ? ", " : "").append(valueText(v.lane(i)));
    return sb.append(']').toString();
  }
}
