package dev.halogen.passes;

import dev.halogen.ir.LoweredModule;
import java.util.List;
import java.util.ServiceLoader;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The backends on the class path, found with {@link ServiceLoader} through the current thread's
 * context class loader each time they are asked for (so a class path that changes is seen).
 */
public final class Backends {
  private Backends() {}

  /**
   * The backends found, sorted by name.
   *
   * @throws IllegalStateException when two backend classes have the same name
   * @throws java.util.ServiceConfigurationError when a listed backend cannot be loaded or made
   */
  public static List<Backend> available() {
    return List.copyOf(byName().values());
  }

  /** The names of the backends found, sorted. */
  public static List<String> names() {
    return List.copyOf(byName().keySet());
  }

  /**
   * The backend named {@code name}.
   *
   * @throws UnknownBackendException listing the available backends when there is none of that name
   */
  public static Backend find(String name) {
    SortedMap<String, Backend> all = byName();
    Backend b = all.get(name);
    if (b == null) throw new UnknownBackendException(name, List.copyOf(all.keySet()));
    return b;
  }

  /** Compiles {@code module} with the backend {@code target} names. */
  public static CompiledModule compile(LoweredModule module, Target target) {
    return find(target.backend()).compile(module, target);
  }

  private static SortedMap<String, Backend> byName() {
    SortedMap<String, Backend> map = new TreeMap<>();
    for (Backend b : ServiceLoader.load(Backend.class)) {
      Backend old = map.putIfAbsent(b.name(), b);
      // The same class listed twice (two jars) is one backend; two classes under one name are ambiguous.
      if (old != null && old.getClass() != b.getClass()) {
        throw new IllegalStateException("two backends are named '" + b.name() + "': " + old.getClass().getName() + " and "
            + b.getClass().getName());
      }
    }
    return map;
  }
}
