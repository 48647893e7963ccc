package dev.halogen.passes;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * One step of a pass list: a pure function from an {@link IrUnit} to an {@link IrUnit}, with a
 * contract the {@link PassManager} checks before running anything.
 *
 * <p>A pass that changes nothing returns its input instance; a pass that changes something returns
 * a new unit (the IR is immutable, and {@link dev.halogen.ir.IrRewriter} keeps unchanged subtrees,
 * so "unchanged" is {@code out == in} at every level). The manager decides "changed" by identity;
 * with {@link Instrumentation#checkSameInstance()} it rejects an equal but different result as a
 * broken contract.
 *
 * <p>A pass that only works on one form gets it with {@link IrUnit#asGraph(String)} or {@link
 * IrUnit#asLoops(String)}, which throw a clear error naming the pass for the other form.
 *
 * <p>{@link BasePass} holds a contract given once in the constructor; {@link LoopsPass} adds the
 * {@code run} of a pass that rewrites the module of loop nests.
 */
public interface Pass {
  /** Kebab-case: lowercase letters and digits, in words joined by single hyphens, starting with a letter. */
  Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  /**
   * The stable kebab-case name ({@code storage-flattening}) by which pass lists, the registry,
   * dumps, reports and replay files refer to this pass; it must match {@link #NAME}.
   */
  String name();

  /** One line saying what the pass does. */
  String summary();

  /** What must hold of the input; the manager checks that earlier passes established it. */
  Set<IrProperty> requires();

  /** What holds of the output (in addition to whatever held of the input and is not invalidated). */
  Set<IrProperty> establishes();

  /** What may no longer hold of the output although it held of the input. */
  Set<IrProperty> invalidates();

  /**
   * Transforms {@code in}; returns {@code in} itself when nothing changed.
   *
   * @throws RuntimeException on a failure, which the manager reports as a {@link PassFailedException}
   */
  IrUnit run(IrUnit in);

  /**
   * Checks that {@code pass} has a kebab-case name and a one-line summary and returns it.
   *
   * @throws IllegalArgumentException naming the pass's class and what is wrong
   */
  static Pass checked(Pass pass) {
    if (pass == null) throw new IllegalArgumentException("pass is null");
    String name = pass.name();
    String where = "pass " + pass.getClass().getName();
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(where + " has name " + (name == null ? "null" : "'" + name + "'")
          + ", which is not kebab-case (lowercase letters and digits in words joined by '-', starting with a letter)");
    }
    String summary = pass.summary();
    if (summary == null || summary.isBlank() || summary.contains("\n") || summary.contains("\r")) {
      throw new IllegalArgumentException(where + " '" + name + "' needs a one-line summary, got "
          + (summary == null ? "null" : "'" + summary + "'"));
    }
    if (pass.requires() == null || pass.establishes() == null || pass.invalidates() == null) {
      throw new IllegalArgumentException(where + " '" + name + "' returns null for requires, establishes or invalidates");
    }
    return pass;
  }
}
