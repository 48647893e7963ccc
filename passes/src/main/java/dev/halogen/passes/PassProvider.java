package dev.halogen.passes;

import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The service-provider interface for passes that live outside this project. A provider is a
 * public class with a public no-argument constructor, listed in {@code
 * META-INF/services/dev.halogen.passes.PassProvider} on the class path (or declared with {@code
 * provides} in a module), and found with {@link java.util.ServiceLoader} by {@link
 * PassManager.Builder#discover()} and {@link PassRegistry#standard()}.
 *
 * <p>Each {@link Insertion} puts a pass before or after the first pass of a given name in the
 * list being built. Providers are applied in the order of their class names, so the resulting list
 * does not depend on the class path order; the insertions of one provider apply in the order
 * listed, and may name passes inserted earlier.
 */
public interface PassProvider {
  /** Where a pass goes relative to its anchor. */
  enum Position {
    BEFORE,
    AFTER
  }

  /** Put {@code pass} {@code position} the first pass named {@code anchor}. */
  record Insertion(Position position, String anchor, Pass pass) {
    public Insertion {
      if (position == null || anchor == null || pass == null) {
        throw new IllegalArgumentException("Insertion needs a position, an anchor and a pass");
      }
    }

    public static Insertion before(String anchor, Pass pass) {
      return new Insertion(Position.BEFORE, anchor, pass);
    }

    public static Insertion after(String anchor, Pass pass) {
      return new Insertion(Position.AFTER, anchor, pass);
    }
  }

  /** The passes this provider adds and where. */
  List<Insertion> insertions();

  /**
   * The providers {@link ServiceLoader} finds through the current thread's context class loader,
   * sorted by class name.
   *
   * @throws java.util.ServiceConfigurationError when a listed provider cannot be loaded or made
   */
  static List<PassProvider> discovered() {
    return sorted(ServiceLoader.load(PassProvider.class));
  }

  /** {@code providers} sorted by class name, the order in which they are applied. */
  static List<PassProvider> sorted(Iterable<? extends PassProvider> providers) {
    List<PassProvider> list = new java.util.ArrayList<>();
    for (PassProvider p : providers) list.add(p);
    list.sort(Comparator.comparing(p -> p.getClass().getName()));
    return list;
  }
}
