package dev.halogen.passes;

import java.util.List;

/** A backend was asked for by a name that no backend on the class path has; the message lists those that are there. */
public final class UnknownBackendException extends IllegalArgumentException {
  private final String name;
  private final List<String> available;

  UnknownBackendException(String name, List<String> available) {
    super("unknown backend '" + name + "'; "
        + (available.isEmpty() ? "no backend is on the class path" : "the available backends are: " + String.join(", ", available)));
    this.name = name;
    this.available = List.copyOf(available);
  }

  /** The name that was not found. */
  public String name() {
    return name;
  }

  /** The names of the backends that were found, sorted. */
  public List<String> available() {
    return available;
  }
}
