package dev.halogen.apps.cli;

import dev.halogen.ir.text.UnifiedDiff;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IR-aware diff of two IR texts: names the compiler generated are renumbered in order of first
 * appearance before the texts are compared, so two texts that differ only in which numbers the
 * compiler picked compare equal.
 *
 * <p>The generated names are the two forms Halogen's passes and front end make: a base with a
 * {@code $N} suffix ({@code sum$3}, {@code f_0_d$2}, {@code x$1}: {@code IrQueries.freshName}, the
 * front end's {@code Names.fresh}, the simplifier) and the common subexpressions {@code tN} of the
 * {@code cse} pass. A dotted name is renamed part by part ({@code blur$4.s0.x} is {@code blur$4}'s
 * loop), so a Func and the loops and bounds named after it are renamed alike. Each base counts on
 * its own: the first {@code sum$N} in the text becomes {@code sum$1}, the next distinct one {@code
 * sum$2}; the first {@code tN} becomes {@code t1}. The renaming is one-to-one within each text, so
 * equal canonical texts mean the IRs are equal up to a renaming of generated names.
 */
final class IrDiff {
  private IrDiff() {}

  /** A name as the IR text writes it: an identifier with {@code .} and {@code $} inside; string literals are skipped. */
  private static final Pattern TOKEN = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|[A-Za-z_][A-Za-z0-9_$.]*");
  private static final Pattern DOLLAR = Pattern.compile("(.+\\$)[0-9]+");
  private static final Pattern CSE = Pattern.compile("t[0-9]+");

  /** {@code text} with its generated names renumbered in order of first appearance. */
  static String canonicalize(String text) {
    Map<String, String> renamed = new HashMap<>();
    Map<String, Integer> counts = new HashMap<>();
    Matcher m = TOKEN.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    while (m.find()) {
      out.append(text, last, m.start());
      String token = m.group();
      if (token.startsWith("\"")) {
        out.append(token);
      } else {
        String[] parts = token.split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
          if (i > 0) out.append('.');
          out.append(rename(parts[i], renamed, counts));
        }
      }
      last = m.end();
    }
    return out.append(text, last, text.length()).toString();
  }

  private static String rename(String part, Map<String, String> renamed, Map<String, Integer> counts) {
    String base;
    Matcher dollar = DOLLAR.matcher(part);
    if (dollar.matches()) {
      base = dollar.group(1);
    } else if (CSE.matcher(part).matches()) {
      base = "t";
    } else {
      return part;
    }
    return renamed.computeIfAbsent(part, p -> base + counts.merge(base, 1, Integer::sum));
  }

  /**
   * The unified diff ({@code context} lines around each change) from {@code a} to {@code b}, labeled
   * {@code aName} and {@code bName}, after canonicalizing both unless {@code exact}; empty when equal.
   */
  static String diff(String aName, String bName, String a, String b, int context, boolean exact) {
    return UnifiedDiff.diff(aName, bName, exact ? a : canonicalize(a), exact ? b : canonicalize(b), context);
  }
}
