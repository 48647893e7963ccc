package dev.halogen.ir;

/**
 * Thrown when IR text or JSON cannot be read: the message names where (a line and column of the
 * text, or a JSON path such as {@code $.functions[2].definition.values[0]}) and what is wrong.
 * Reading never returns part of a graph.
 */
public final class IrFormatException extends RuntimeException {
  private final String location;

  public IrFormatException(String location, String problem) {
    super(location + ": " + problem);
    this.location = location;
  }

  public IrFormatException(String location, String problem, Throwable cause) {
    super(location + ": " + problem, cause);
    this.location = location;
  }

  /** Where the problem is: {@code line:column} for text, a JSON path for JSON. */
  public String location() {
    return location;
  }
}
