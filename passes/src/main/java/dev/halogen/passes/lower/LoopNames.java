package dev.halogen.passes.lower;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the Func and stage back out of a loop name, for error messages of the passes after
 * {@code schedule-functions}. {@link StageLoops} names every loop {@code <func>.s<stage>.<var>}; Func
 * names never contain a '.' (the front end reserves it), while variables may ({@code r.x}, {@code
 * x.xi}), so the first {@code .s<digits>.} ends the Func name.
 */
public final class LoopNames {
  private static final Pattern LOOP = Pattern.compile("(.+?)\\.s(0|[1-9][0-9]*)\\.(.+)");

  private LoopNames() {}

  /**
   * Who owns loop {@code loopName}: {@code "Func f stage 0"} for {@code f.s0.x}; {@code "loop
   * <name>"} for a name not made by {@code schedule-functions} (hand-written IR).
   */
  public static String describe(String loopName) {
    Matcher m = LOOP.matcher(loopName);
    return m.matches() ? "Func " + m.group(1) + " stage " + m.group(2) : "loop " + loopName;
  }
}
