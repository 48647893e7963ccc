package dev.halogen.passes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Passes by their kebab-case name: how pass lists given by name (a command line, a {@link
 * ReplayFile}) find their passes. Immutable.
 *
 * <p>A name identifies a transformation: passes of the same name and class (two instances of the
 * simplifier, say) count as one, and the first one is kept; two classes under one name are an
 * error.
 */
public final class PassRegistry {
  private final SortedMap<String, Pass> passes;

  private PassRegistry(SortedMap<String, Pass> passes) {
    this.passes = Collections.unmodifiableSortedMap(passes);
  }

  /**
   * A registry of {@code passes}.
   *
   * @throws IllegalArgumentException for a pass with an invalid name or summary, or two classes under one name
   */
  public static PassRegistry of(Collection<? extends Pass> passes) {
    TreeMap<String, Pass> map = new TreeMap<>();
    for (Pass p : passes) add(map, p);
    return new PassRegistry(map);
  }

  /**
   * The passes of the {@linkplain LoweringPipeline default lowering pipeline} and those of every
   * {@link PassProvider} on the class path.
   */
  public static PassRegistry standard() {
    List<Pass> all = new ArrayList<>(LoweringPipeline.passes());
    for (PassProvider provider : PassProvider.discovered()) {
      for (PassProvider.Insertion i : provider.insertions()) all.add(i.pass());
    }
    return of(all);
  }

  /** This registry with {@code pass} added (kept as is when a pass of its name and class is there). */
  public PassRegistry with(Pass pass) {
    TreeMap<String, Pass> map = new TreeMap<>(passes);
    add(map, pass);
    return new PassRegistry(map);
  }

  private static void add(TreeMap<String, Pass> map, Pass pass) {
    Pass.checked(pass);
    Pass old = map.putIfAbsent(pass.name(), pass);
    if (old != null && old.getClass() != pass.getClass()) {
      throw new IllegalArgumentException("two passes are named '" + pass.name() + "': " + old.getClass().getName()
          + " and " + pass.getClass().getName());
    }
  }

  /**
   * The pass named {@code name}.
   *
   * @throws UnknownPassException listing the known names
   */
  public Pass get(String name) {
    Pass p = passes.get(name);
    if (p == null) throw new UnknownPassException("unknown pass '" + name + "'", name, names());
    return p;
  }

  /**
   * The passes named {@code names}, in that order.
   *
   * @throws UnknownPassException for the first unknown name, listing the known ones
   */
  public List<Pass> get(List<String> names) {
    List<Pass> out = new ArrayList<>(names.size());
    for (String n : names) out.add(get(n));
    return List.copyOf(out);
  }

  public boolean contains(String name) {
    return passes.containsKey(name);
  }

  /** The names, sorted. */
  public List<String> names() {
    return List.copyOf(passes.keySet());
  }
}
