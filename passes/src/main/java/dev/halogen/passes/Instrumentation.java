package dev.halogen.passes;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What the {@link PassManager} does around each pass besides running it. Build one with {@link
 * #builder()}, or start from {@link #defaults()} or {@link #forTests()}.
 *
 * <p>Stages are numbered from 0 for the input, then 1 for the output of the first pass and so on;
 * a stage's label is {@code NN-pass-name} ({@code 00-input} for the input), with the number
 * zero-padded to two digits, or more when the list has 100 passes or more, so labels sort in order.
 *
 * @param printAfterAll print the canonical text of the unit after every pass, headed by {@code //
 *     after LABEL (changed|unchanged)}
 * @param printChanges after each pass that changed the unit, print the unified diff (3 lines of
 *     context) from the text before to the text after, between {@code --- PREVIOUS-LABEL.hir} and
 *     {@code +++ LABEL.hir}; nothing for a pass that changed nothing
 * @param dumpDirectory when not null, write each stage's text to {@code LABEL.hir} in this
 *     directory (created if missing; dump files of an earlier run, names matching {@code
 *     NN-name.hir}, are deleted first so that the directory holds one run)
 * @param verifyEach run {@link dev.halogen.ir.IrVerifier} on the input and after every pass, for the
 *     form at hand (lowered IR as flattened once {@link IrProperty#STORAGE_FLATTENED} holds); a
 *     pass whose output is invalid fails with {@link PassFailedException}
 * @param checkSameInstance fail a pass that returns a unit equal to its input but not the same
 *     instance (it broke the same-instance contract of {@link Pass#run}); without this check such
 *     a pass counts as having changed the unit
 * @param timePasses print the {@linkplain PassTimings#table() timing table} after the run (the
 *     timings are in the {@link PassRun} either way)
 * @param replayDirectory when not null, a failing pass writes a {@link ReplayFile} here (created
 *     if missing) as a new file {@code halogen-replay-PASS-*.replay}, and the {@link
 *     PassFailedException} names it
 * @param output where printed text goes; each call gets whole lines
 * @param afterPassChecks run after every pass that changed the unit (after {@code verifyEach}), in
 *     order; a check that throws fails the pass like an exception inside it, with a replay file.
 *     Translation validation in tests is such a check: it runs the IR before and after the pass
 *     and compares the results.
 */
public record Instrumentation(boolean printAfterAll, boolean printChanges, @Nullable Path dumpDirectory,
    boolean verifyEach, boolean checkSameInstance, boolean timePasses, @Nullable Path replayDirectory,
    Consumer<String> output, List<AfterPassCheck> afterPassChecks) {
  public Instrumentation {
    if (output == null) throw new IllegalArgumentException("Instrumentation output is null");
    if (afterPassChecks == null) throw new IllegalArgumentException("Instrumentation afterPassChecks is null");
    afterPassChecks = List.copyOf(afterPassChecks);
  }

  /** A check of one pass's effect: {@code before} is its input, {@code after} its (different) output. */
  @FunctionalInterface
  public interface AfterPassCheck {
    /**
     * Checks the output of pass {@code pass}.
     *
     * @throws RuntimeException or AssertionError when the pass did something wrong
     */
    void check(Pass pass, IrUnit before, IrUnit after);
  }

  /** Nothing printed, dumped, verified or timed; replay files go to the temporary directory ({@code java.io.tmpdir}). */
  public static Instrumentation defaults() {
    return builder().build();
  }

  /** {@link #defaults()} plus {@link #verifyEach()} and {@link #checkSameInstance()}: what tests run passes with. */
  public static Instrumentation forTests() {
    return builder().verifyEach(true).checkSameInstance(true).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.printAfterAll = printAfterAll;
    b.printChanges = printChanges;
    b.dumpDirectory = dumpDirectory;
    b.verifyEach = verifyEach;
    b.checkSameInstance = checkSameInstance;
    b.timePasses = timePasses;
    b.replayDirectory = replayDirectory;
    b.output = output;
    b.afterPassChecks.addAll(afterPassChecks);
    return b;
  }

  /** Settings for {@link Instrumentation}; each setter returns this builder. */
  public static final class Builder {
    private boolean printAfterAll;
    private boolean printChanges;
    private @Nullable Path dumpDirectory;
    private boolean verifyEach;
    private boolean checkSameInstance;
    private boolean timePasses;
    private @Nullable Path replayDirectory = Path.of(System.getProperty("java.io.tmpdir"));
    // Looked up when printing, so that System.setErr after building still takes effect.
    private Consumer<String> output = s -> System.err.print(s);
    private final List<AfterPassCheck> afterPassChecks = new ArrayList<>();

    private Builder() {}

    public Builder printAfterAll(boolean on) {
      printAfterAll = on;
      return this;
    }

    public Builder printChanges(boolean on) {
      printChanges = on;
      return this;
    }

    /** Dump every stage to {@code directory}; null turns dumping off. */
    public Builder dumpDirectory(@Nullable Path directory) {
      dumpDirectory = directory;
      return this;
    }

    public Builder verifyEach(boolean on) {
      verifyEach = on;
      return this;
    }

    public Builder checkSameInstance(boolean on) {
      checkSameInstance = on;
      return this;
    }

    public Builder timePasses(boolean on) {
      timePasses = on;
      return this;
    }

    /** Write replay files of failing passes to {@code directory}; null turns replay files off. */
    public Builder replayDirectory(@Nullable Path directory) {
      replayDirectory = directory;
      return this;
    }

    /** Send printed text to {@code sink}. */
    public Builder output(Consumer<String> sink) {
      if (sink == null) throw new IllegalArgumentException("Instrumentation output is null");
      output = sink;
      return this;
    }

    /** Send printed text to {@code stream}. */
    public Builder output(PrintStream stream) {
      if (stream == null) throw new IllegalArgumentException("Instrumentation output stream is null");
      output = stream::print;
      return this;
    }

    /** Adds a check to run after every pass that changed the unit. */
    public Builder afterPassCheck(AfterPassCheck check) {
      if (check == null) throw new IllegalArgumentException("Instrumentation afterPassCheck is null");
      afterPassChecks.add(check);
      return this;
    }

    public Instrumentation build() {
      return new Instrumentation(printAfterAll, printChanges, dumpDirectory, verifyEach, checkSameInstance,
          timePasses, replayDirectory, output, afterPassChecks);
    }
  }
}
