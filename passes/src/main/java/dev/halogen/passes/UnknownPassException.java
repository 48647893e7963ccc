package dev.halogen.passes;

import java.util.List;

/** A pass was asked for by a name that is not there; the message lists the names that are. */
public final class UnknownPassException extends IllegalArgumentException {
  private final String name;
  private final List<String> known;

  /**
   * @param what what was being done ("no pass named 'x' to insert 'y' before")
   * @param name the name that was not found
   * @param known the names that were there, in order
   */
  UnknownPassException(String what, String name, List<String> known) {
    super(what + "; " + (known.isEmpty() ? "there are no passes" : "the passes are: " + String.join(", ", known)));
    this.name = name;
    this.known = List.copyOf(known);
  }

  /** The name that was not found. */
  public String name() {
    return name;
  }

  /** The names there were. */
  public List<String> known() {
    return known;
  }
}
