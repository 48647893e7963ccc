package dev.halogen.backend.llvm;

import dev.halogen.ir.Type;
import dev.halogen.passes.HalogenRuntimeException;
import dev.halogen.passes.analysis.Value;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A piece of the message of an {@link ErrorSite}: literal text, or a value that the failing code
 * stored in the error area. The message of a failure is its parts in order; the Java caller of the
 * JIT ({@link #render}) and the C runtime of ahead-of-time compiled code ({@link CCode}) both write
 * it from the same parts, with the interpreter's text for each value ({@link
 * HalogenRuntimeException#valueText}).
 */
sealed interface MessagePart {
  /** Text that is the same at every failure of the site. */
  record Text(String text) implements MessagePart {}

  /**
   * A value of {@code type} stored from 64-bit word {@code word} of the error area's values, one
   * word per lane (a vector is written {@code [a, b, c]}): integers sign- or zero-extended by their
   * type, bools 0 or 1, floats as the bits of the float64 they widen to exactly, handles as
   * addresses.
   */
  record Stored(int word, Type type) implements MessagePart {}

  /** How many words the values of {@code parts} take. */
  static int words(List<MessagePart> parts) {
    int n = 0;
    for (MessagePart p : parts) {
      if (p instanceof Stored(int word, Type type)) n = Math.max(n, word + type.lanes());
    }
    return n;
  }

  /** The message of {@code parts} with the stored {@code words}. */
  static String render(List<MessagePart> parts, long[] words) {
    StringBuilder sb = new StringBuilder();
    for (MessagePart p : parts) {
      switch (p) {
        case Text(String text) -> sb.append(text);
        case Stored(int word, Type type) -> sb.append(HalogenRuntimeException.valueText(value(type, words, word)));
      }
    }
    return sb.toString();
  }

  /** The value of {@code t} whose lanes are {@code words[at ..]}. */
  private static Value value(Type t, long[] words, int at) {
    if (t.isHandle()) return new Value.Handle(MemorySegment.ofAddress(words[at]));
    if (t.isFloat()) {
      double[] lanes = new double[t.lanes()];
      for (int i = 0; i < lanes.length; i++) lanes[i] = Double.longBitsToDouble(words[at + i]);
      return Value.ofFloats(t, lanes);
    }
    long[] lanes = new long[t.lanes()];
    System.arraycopy(words, at, lanes, 0, lanes.length);
    return Value.ofInts(t, lanes);
  }
}
