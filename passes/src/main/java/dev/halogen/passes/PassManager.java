package dev.halogen.passes;

import dev.halogen.ir.IrVerificationException;
import dev.halogen.ir.IrVerifier;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.text.UnifiedDiff;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Runs an ordered list of {@link Pass}es over an {@link IrUnit}, with {@link Instrumentation}.
 * Immutable; one manager may run any number of units, also concurrently.
 *
 * <p>Building a manager checks the order against the passes' contracts before anything runs:
 * starting from the initial properties (by default {@link IrProperty#FUNCTION_GRAPH}), every
 * pass's {@link Pass#requires()} must hold, that is, be initial or established by an earlier pass
 * and not invalidated since; and after every pass exactly one form property holds. Every problem
 * is reported at once in a {@link PassOrderException}, which names the pass, the missing property,
 * the pass that invalidated it if one did, and the passes of the list that establish it.
 *
 * <p>While running, the manager checks each pass's result: not null, of the form its properties
 * say, and (with {@link Instrumentation#checkSameInstance()}) not an equal copy of an unchanged
 * input. "Changed" means a different instance. A pass that throws or breaks its contract, or
 * whose output the verifier rejects (with {@link Instrumentation#verifyEach()}), fails the run
 * with a {@link PassFailedException}, after a {@link ReplayFile} of its input and the remaining
 * passes has been written, which {@link #replay(Path)} runs.
 */
public final class PassManager {
  /** Lines of unchanged context around each change in printed diffs, as {@code diff -u}. */
  private static final int DIFF_CONTEXT = 3;

  /** Names of dump files, which a new run deletes from the dump directory before writing its own. */
  private static final Pattern DUMP_FILE = Pattern.compile("[0-9]{2,}-[a-z][a-z0-9-]*\\.hir");

  private final List<Pass> passes;
  private final Set<IrProperty> initialProperties;
  private final Instrumentation instrumentation;

  private PassManager(List<Pass> passes, Set<IrProperty> initialProperties, Instrumentation instrumentation) {
    this.passes = List.copyOf(passes);
    this.initialProperties = PropertySets.copy(initialProperties);
    this.instrumentation = instrumentation;
    List<String> problems = orderProblems(this.initialProperties, this.passes);
    if (!problems.isEmpty()) throw new PassOrderException(problems);
  }

  /** A builder with no passes, initial property {@link IrProperty#FUNCTION_GRAPH}, and {@link Instrumentation#defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A manager of {@code passes} from the function graph, with {@link Instrumentation#defaults()}.
   *
   * @throws PassOrderException when the order breaks the passes' contracts
   */
  public static PassManager of(List<? extends Pass> passes) {
    return builder().addAll(passes).build();
  }

  /** A builder holding this manager's passes, initial properties and instrumentation. */
  public Builder toBuilder() {
    return builder().addAll(passes).initialProperties(initialProperties).instrumentation(instrumentation);
  }

  /**
   * This manager with {@code pass} inserted before the first pass named {@code anchor}.
   *
   * @throws UnknownPassException when no pass has that name, listing the names
   * @throws PassOrderException when the new order breaks the passes' contracts
   */
  public PassManager insertBefore(String anchor, Pass pass) {
    return toBuilder().insertBefore(anchor, pass).build();
  }

  /**
   * This manager with {@code pass} inserted after the first pass named {@code anchor}.
   *
   * @throws UnknownPassException when no pass has that name, listing the names
   * @throws PassOrderException when the new order breaks the passes' contracts
   */
  public PassManager insertAfter(String anchor, Pass pass) {
    return toBuilder().insertAfter(anchor, pass).build();
  }

  /** This manager with other instrumentation. */
  public PassManager withInstrumentation(Instrumentation newInstrumentation) {
    return new PassManager(passes, initialProperties, newInstrumentation);
  }

  public List<Pass> passes() {
    return passes;
  }

  /** The names of the passes, in order. */
  public List<String> passNames() {
    return names(passes);
  }

  public Set<IrProperty> initialProperties() {
    return initialProperties;
  }

  public Instrumentation instrumentation() {
    return instrumentation;
  }

  // ------------------------------------------------------------------ running

  /** {@link #run(IrUnit)} on the function graph of {@code pipeline}. */
  public PassRun run(Pipeline pipeline) {
    return run(IrUnit.of(pipeline));
  }

  /**
   * Runs the passes in order on {@code input}, with the instrumentation.
   *
   * @throws IllegalArgumentException when {@code input} is not of the form the initial properties
   *     say, or (with {@link Instrumentation#verifyEach()}) is invalid IR
   * @throws PassFailedException when a pass fails
   * @throws UncheckedIOException when a dump file cannot be written
   */
  public PassRun run(IrUnit input) {
    if (!initialProperties.contains(input.form())) {
      throw new IllegalArgumentException("the passes start from " + form(initialProperties).describe()
          + ", but the input is " + input.form().describe());
    }
    Instrumentation ins = instrumentation;
    if (ins.verifyEach()) {
      List<IrVerifier.Problem> problems = verify(input, initialProperties);
      if (!problems.isEmpty()) {
        IrVerificationException e = new IrVerificationException(problems);
        throw new IllegalArgumentException("the input of the passes is invalid: " + e.getMessage(), e);
      }
    }
    int width = Math.max(2, String.valueOf(passes.size()).length());
    Stage stage = new Stage(label(0, "input", width), input, null);
    if (ins.dumpDirectory() != null) {
      prepareDumpDirectory(ins.dumpDirectory());
      dump(ins.dumpDirectory(), stage);
    }
    Set<IrProperty> have = initialProperties;
    List<PassTimings.Row> rows = new ArrayList<>(passes.size());
    for (int i = 0; i < passes.size(); i++) {
      Pass pass = passes.get(i);
      IrUnit out;
      long start = System.nanoTime();
      try {
        out = pass.run(stage.unit);
      } catch (RuntimeException | StackOverflowError | AssertionError e) {
        // Errors that are bugs in the pass (a deep recursion, a failed assertion) are reported
        // like exceptions; others (out of memory) are not the pass's to answer for.
        throw failure(i, "threw " + e.getClass().getName(), stage.unit, have, e);
      }
      double millis = (System.nanoTime() - start) / 1e6;
      Set<IrProperty> next = PropertySets.after(have, pass);
      String broken = contractProblem(out, stage.unit, next);
      if (broken != null) throw failure(i, "broke the pass contract", stage.unit, have, new IllegalStateException(broken));
      if (ins.verifyEach()) {
        List<IrVerifier.Problem> problems = verify(out, next);
        if (!problems.isEmpty()) {
          throw failure(i, "produced invalid IR", stage.unit, have, new IrVerificationException(problems));
        }
      }
      boolean changed = out != stage.unit;
      if (changed) {
        for (Instrumentation.AfterPassCheck check : ins.afterPassChecks()) {
          try {
            check.check(pass, stage.unit, out);
          } catch (RuntimeException | AssertionError e) {
            throw failure(i, "failed an after-pass check", stage.unit, have, e);
          }
        }
      }
      rows.add(new PassTimings.Row(i + 1, pass.name(), millis, changed));
      Stage after = new Stage(label(i + 1, pass.name(), width), out, stage);
      if (ins.printAfterAll()) {
        ins.output().accept("// after " + after.label + (changed ? " (changed)" : " (unchanged)") + "\n" + after.text());
      }
      if (ins.printChanges() && changed) {
        String diff = UnifiedDiff.diff(stage.label + ".hir", after.label + ".hir", stage.text(), after.text(), DIFF_CONTEXT);
        if (!diff.isEmpty()) ins.output().accept(diff);
      }
      if (ins.dumpDirectory() != null) dump(ins.dumpDirectory(), after);
      stage = after;
      have = next;
    }
    PassTimings timings = new PassTimings(rows);
    if (ins.timePasses()) ins.output().accept(timings.table());
    return new PassRun(stage.unit, have, timings);
  }

  /**
   * A unit with its stage label. Its text is printed only when some instrumentation needs it, and
   * at most once: a stage whose unit is that of the previous stage shares the previous text.
   */
  private static final class Stage {
    final String label;
    final IrUnit unit;
    private final @Nullable Stage previous;
    private @Nullable String text;

    Stage(String label, IrUnit unit, @Nullable Stage previous) {
      this.label = label;
      this.unit = unit;
      this.previous = previous != null && previous.unit == unit ? previous : null;
    }

    String text() {
      String t = text;
      if (t == null) text = t = previous != null ? previous.text() : unit.text();
      return t;
    }
  }

  private static String label(int index, String name, int width) {
    return String.format(Locale.ROOT, "%0" + width + "d-%s", index, name);
  }

  /** Why {@code out} breaks the contract of a pass given {@code in} and the properties after it, or null. */
  private @Nullable String contractProblem(@Nullable IrUnit out, IrUnit in, Set<IrProperty> next) {
    if (out == null) return "it returned null; a pass that changes nothing returns its input";
    if (instrumentation.checkSameInstance() && out != in && out.equals(in)) {
      return "it returned a unit equal to its input but not the same instance; a pass that changes nothing must"
          + " return its input (IrRewriter and IrUnit.with* keep unchanged instances)";
    }
    if (!next.contains(out.form())) {
      return "it returned " + out.form().describe() + ", but after it the properties say the unit is "
          + form(next).describe() + "; a pass that changes the form establishes the new form property and"
          + " invalidates the old one";
    }
    return null;
  }

  /** The verifier's problems with {@code unit} for the form at hand. */
  private static List<IrVerifier.Problem> verify(IrUnit unit, Set<IrProperty> have) {
    return switch (unit) {
      case IrUnit.Graph g -> IrVerifier.problems(g.pipeline());
      case IrUnit.Loops l -> IrVerifier.problems(l.module(), have.contains(IrProperty.STORAGE_FLATTENED));
    };
  }

  /**
   * The exception for pass {@code i} failing on {@code input}, after writing the replay file of
   * the passes from {@code i} on (when replay files are on).
   */
  private PassFailedException failure(int i, String what, IrUnit input, Set<IrProperty> have, Throwable cause) {
    String name = passes.get(i).name();
    String oneLine = PassFailedException.headline(name, i + 1, passes.size(), what, cause).lines().findFirst().orElse("");
    Path file = null;
    String replayProblem = null;
    Path dir = instrumentation.replayDirectory();
    if (dir != null) {
      ReplayFile replay = new ReplayFile(input, have, names(passes.subList(i, passes.size())), oneLine);
      try {
        Files.createDirectories(dir);
        file = Files.createTempFile(dir, "halogen-replay-" + name + "-", ".replay");
        replay.write(file);
      } catch (IOException | RuntimeException e) {
        replayProblem = "cannot write it to " + (file != null ? file : dir) + ": " + e;
        file = null;
      }
    }
    return new PassFailedException(name, i + 1, passes.size(), what, file, replayProblem, cause);
  }

  private static void prepareDumpDirectory(Path dir) {
    try {
      Files.createDirectories(dir);
      try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, p -> DUMP_FILE.matcher(p.getFileName().toString()).matches())) {
        for (Path p : old) Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare dump directory " + dir, e);
    }
  }

  private static void dump(Path dir, Stage stage) {
    Path file = dir.resolve(stage.label + ".hir");
    try {
      Files.writeString(file, stage.text());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write dump file " + file, e);
    }
  }

  // ------------------------------------------------------------------ replay

  /**
   * Runs the passes of a {@link ReplayFile} on its input, from its properties, with this manager's
   * instrumentation. Each pass name is looked up among this manager's passes (the first of that
   * name), so a manager holding a fixed version of the failing pass continues where the failure was.
   * Stages are numbered from the replayed input ({@code 00-input}), as in any run.
   *
   * @throws UnknownPassException when the file names a pass this manager does not have
   * @throws dev.halogen.ir.IrFormatException when the file is not a valid replay file
   * @throws PassFailedException when a pass fails again
   */
  public PassRun replay(Path file) {
    return replay(ReplayFile.read(file), name -> {
      for (Pass p : passes) if (p.name().equals(name)) return p;
      throw new UnknownPassException("replay file " + file + " names pass '" + name + "', which this pass manager does not have",
          name, passNames());
    }, instrumentation);
  }

  /**
   * Runs the passes of a {@link ReplayFile}, found by name in {@code registry} (for instance {@link
   * PassRegistry#standard()}), on its input.
   *
   * @throws UnknownPassException when the file names a pass the registry does not have
   */
  public static PassRun replay(Path file, PassRegistry registry, Instrumentation instrumentation) {
    return replay(ReplayFile.read(file), registry::get, instrumentation);
  }

  private static PassRun replay(ReplayFile replay, Function<String, Pass> lookup, Instrumentation instrumentation) {
    List<Pass> list = new ArrayList<>();
    for (String name : replay.passes()) list.add(lookup.apply(name));
    return new PassManager(list, replay.properties(), instrumentation).run(replay.input());
  }

  // ------------------------------------------------------------------ order check

  /** Every way {@code passes} breaks its contracts from {@code initial}; empty when the order is valid. */
  static List<String> orderProblems(Set<IrProperty> initial, List<Pass> passes) {
    List<String> problems = new ArrayList<>();
    for (Pass p : passes) Pass.checked(p);
    long forms = initial.stream().filter(IrProperty::isForm).count();
    if (forms != 1) {
      problems.add("the initial properties " + initial + " must hold exactly one form property (FUNCTION_GRAPH or LOOPS_BUILT)");
      return problems;
    }
    Set<IrProperty> have = initial;
    // For each property that held and was then invalidated: who established it (null: initial) and who invalidated it.
    Map<IrProperty, Integer> establishedBy = new EnumMap<>(IrProperty.class);
    Map<IrProperty, Integer> invalidatedBy = new EnumMap<>(IrProperty.class);
    for (int i = 0; i < passes.size(); i++) {
      Pass pass = passes.get(i);
      for (IrProperty r : PropertySets.copy(pass.requires())) {
        if (have.contains(r)) continue;
        StringBuilder sb = new StringBuilder(describe(passes, i)).append(" requires ").append(r).append(", which ");
        List<String> establishers = new ArrayList<>();
        for (int j = 0; j < passes.size(); j++) {
          if (passes.get(j).establishes().contains(r)) establishers.add(describe(passes, j));
        }
        String list = String.join(" or ", establishers);
        Integer inv = invalidatedBy.get(r);
        if (inv != null) {
          Integer est = establishedBy.get(r);
          sb.append(describe(passes, inv)).append(" invalidates after ")
              .append(est == null ? "the initial properties had it" : describe(passes, est) + " established it")
              .append(establishers.isEmpty() ? "" : "; to restore it, run " + list + " again after " + describe(passes, inv));
        } else {
          sb.append("no earlier pass establishes")
              .append(establishers.isEmpty() ? "" : "; " + list + " establishes it, so it must run earlier");
        }
        if (establishers.isEmpty()) sb.append("; no pass in the list establishes it");
        problems.add(sb.toString());
      }
      for (IrProperty p : pass.invalidates()) {
        if (have.contains(p) && !pass.establishes().contains(p)) invalidatedBy.put(p, i);
      }
      for (IrProperty p : pass.establishes()) {
        establishedBy.put(p, i);
        invalidatedBy.remove(p);
      }
      have = PropertySets.after(have, pass);
      List<IrProperty> formsNow = have.stream().filter(IrProperty::isForm).toList();
      if (formsNow.size() != 1) {
        problems.add(describe(passes, i) + " leaves the unit with " + (formsNow.isEmpty() ? "no form property" : "the form properties " + formsNow)
            + "; a pass that changes the form establishes the new form property and invalidates the old one");
        return problems; // the form is unknown from here on, so later checks would only repeat this
      }
    }
    return problems;
  }

  private static String describe(List<Pass> passes, int i) {
    return "pass " + (i + 1) + " '" + passes.get(i).name() + "'";
  }

  /** The form property among {@code properties}; the order check makes sure there is one. */
  private static IrProperty form(Set<IrProperty> properties) {
    for (IrProperty p : properties) if (p.isForm()) return p;
    throw new IllegalStateException("no form property in " + properties);
  }

  private static List<String> names(List<Pass> passes) {
    return passes.stream().map(Pass::name).toList();
  }

  // ------------------------------------------------------------------ builder

  /** Assembles a pass list; {@link #build()} checks its order. */
  public static final class Builder {
    private final List<Pass> passes = new ArrayList<>();
    private Set<IrProperty> initialProperties = Set.of(IrProperty.FUNCTION_GRAPH);
    private Instrumentation instrumentation = Instrumentation.defaults();

    private Builder() {}

    /** Appends {@code pass}. @throws IllegalArgumentException when its name or summary is invalid */
    public Builder add(Pass pass) {
      passes.add(Pass.checked(pass));
      return this;
    }

    /** Appends {@code list} in order. */
    public Builder addAll(Collection<? extends Pass> list) {
      for (Pass p : list) add(p);
      return this;
    }

    /**
     * Inserts {@code pass} before the first pass named {@code anchor}.
     *
     * @throws UnknownPassException when no pass has that name, listing the names
     */
    public Builder insertBefore(String anchor, Pass pass) {
      return insert(PassProvider.Insertion.before(anchor, pass), "");
    }

    /**
     * Inserts {@code pass} after the first pass named {@code anchor}.
     *
     * @throws UnknownPassException when no pass has that name, listing the names
     */
    public Builder insertAfter(String anchor, Pass pass) {
      return insert(PassProvider.Insertion.after(anchor, pass), "");
    }

    private Builder insert(PassProvider.Insertion insertion, String who) {
      Pass pass = Pass.checked(insertion.pass());
      String where = insertion.position() == PassProvider.Position.BEFORE ? "before" : "after";
      for (int i = 0; i < passes.size(); i++) {
        if (passes.get(i).name().equals(insertion.anchor())) {
          passes.add(insertion.position() == PassProvider.Position.BEFORE ? i : i + 1, pass);
          return this;
        }
      }
      throw new UnknownPassException(who + "no pass named '" + insertion.anchor() + "' to insert '" + pass.name()
          + "' " + where, insertion.anchor(), names(passes));
    }

    /**
     * Applies the insertions of every {@link PassProvider} that {@link java.util.ServiceLoader}
     * finds ({@link PassProvider#discovered()}).
     *
     * @throws UnknownPassException when a provider names an anchor that is not in the list
     */
    public Builder discover() {
      return discover(PassProvider.discovered());
    }

    /** Applies the insertions of {@code providers}, in the order of their class names. */
    public Builder discover(Iterable<? extends PassProvider> providers) {
      for (PassProvider provider : PassProvider.sorted(providers)) {
        for (PassProvider.Insertion insertion : provider.insertions()) {
          insert(insertion, "pass provider " + provider.getClass().getName() + ": ");
        }
      }
      return this;
    }

    /** What holds of the input; exactly one form property among them. The default is {@link IrProperty#FUNCTION_GRAPH}. */
    public Builder initialProperties(Set<IrProperty> properties) {
      initialProperties = PropertySets.copy(properties);
      return this;
    }

    public Builder instrumentation(Instrumentation newInstrumentation) {
      if (newInstrumentation == null) throw new IllegalArgumentException("instrumentation is null");
      instrumentation = newInstrumentation;
      return this;
    }

    /**
     * The manager.
     *
     * @throws PassOrderException when the order breaks the passes' contracts
     */
    public PassManager build() {
      return new PassManager(passes, initialProperties, instrumentation);
    }
  }
}
