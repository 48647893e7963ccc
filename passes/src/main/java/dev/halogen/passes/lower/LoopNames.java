package dev.halogen.passes.lower;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of the loops {@code schedule-functions} builds: {@code <func>.s<stage>.<var>}, such as
 * {@code blur.s0.x} or, for a split variable named {@code x.xi}, {@code blur.s0.x.xi}. Later passes
 * that reject a loop name the Func and stage it belongs to with {@link #describe}.
 *
 * <p>Func and variable names may both contain dots, so a name can hold several {@code .s<digits>.}
 * separators ({@code a.s1.b.s0.x} is Func {@code a.s1.b} or Func {@code a}). Given the Funcs of the
 * pipeline, the split whose Func exists is chosen; without them (or when none exists) the first
 * separator is, since variable names made by splits ({@code x.xo}) are far more common than Func
 * names containing {@code .s<digits>.}.
 */
public final class LoopNames {
  private LoopNames() {}

  /** {@code .s<stage>.}; at most nine digits, so the stage fits in an int. */
  private static final Pattern SEPARATOR = Pattern.compile("\\.s(0|[1-9][0-9]{0,8})\\.");

  /** A loop name taken apart: the Func, its stage (0 for the pure definition) and the stage's loop variable. */
  public record LoopName(String func, int stage, String var) {
    /** The loop's full name, {@code func.s<stage>.var}. */
    public String loop() {
      return of(func, stage, var);
    }

    /** {@code Func f stage s}: how error messages name the stage a loop belongs to. */
    public String stageDescription() {
      return describeStage(func, stage);
    }
  }

  /** {@code Func f stage s}: how error messages name stage {@code stage} of Func {@code func}. */
  public static String describeStage(String func, int stage) {
    return "Func " + func + " stage " + stage;
  }

  /** The prefix of the loops of stage {@code stage} of Func {@code func}: {@code func.s<stage>.} */
  public static String prefix(String func, int stage) {
    return func + ".s" + stage + ".";
  }

  /** The name of the loop over {@code var} of stage {@code stage} of Func {@code func}. */
  public static String of(String func, int stage, String var) {
    return prefix(func, stage) + var;
  }

  /** {@code loop} taken apart at its first {@code .s<stage>.} separator; empty when it has none. */
  public static Optional<LoopName> parse(String loop) {
    return parse(loop, Set.of());
  }

  /**
   * {@code loop} taken apart at the first {@code .s<stage>.} separator before which stands one of
   * {@code funcs}, or else at its first separator; empty when it has none.
   */
  public static Optional<LoopName> parse(String loop, Set<String> funcs) {
    Optional<LoopName> first = Optional.empty();
    Matcher m = SEPARATOR.matcher(loop);
    // Separators may overlap ("a.s0.s1.x"), so each search starts one character after the last match.
    for (int from = 0; from < loop.length() && m.find(from); from = m.start() + 1) {
      if (m.start() == 0 || m.end() == loop.length()) continue;
      LoopName name = new LoopName(loop.substring(0, m.start()), Integer.parseInt(m.group(1)), loop.substring(m.end()));
      if (funcs.contains(name.func())) return Optional.of(name);
      if (first.isEmpty()) first = Optional.of(name);
    }
    return first;
  }

  /** {@code Func f stage s} for a loop of that stage, else {@code loop <name>}. */
  public static String describe(String loop) {
    return describe(loop, Set.of());
  }

  /** As {@link #describe(String)}, preferring a reading of the name whose Func is one of {@code funcs}. */
  public static String describe(String loop, Set<String> funcs) {
    return parse(loop, funcs).map(LoopName::stageDescription).orElse("loop " + loop);
  }
}
