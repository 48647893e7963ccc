package dev.halogen.ir;

import java.util.List;

/**
 * A request to factor an associative update: the reduction variables in {@code pairs} become pure
 * variables of a new intermediate Func {@code intermediate}, whose partial results the original
 * update then combines. Applied by the rfactor pass.
 */
public record RFactor(String intermediate, List<Pair> pairs) {
  /** The reduction variable {@code rvar} becomes the pure variable {@code var} of the intermediate. */
  public record Pair(String rvar, String var) {
    public Pair {
      Check.name(rvar, "RFactor reduction variable");
      Check.name(var, "RFactor variable");
    }
  }

  public RFactor {
    Check.name(intermediate, "RFactor intermediate");
    pairs = Check.list(pairs, "RFactor pair");
  }
}
