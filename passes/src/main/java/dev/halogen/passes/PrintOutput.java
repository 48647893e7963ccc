package dev.halogen.passes;

import dev.halogen.passes.analysis.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Where the lines of Halide's {@code print(value, args...)} and {@code print_when(condition, value,
 * args...)} go, for every backend: by default to {@link System#err} (Halide prints to stderr), else
 * to the handler set with {@link #setHandler}. Each evaluation of a print gives one line per lane
 * (vectorized code prints each lane as its own line): its arguments' texts ({@link #line}) separated
 * by spaces, without the line terminator.
 *
 * <p>The handler is called from the threads that run the pipeline, at the same time from several
 * threads inside parallel loops, once per whole line: it must be thread-safe; lines of parallel
 * iterations come in any order. An exception it throws ends the run: the interpreter passes it on,
 * the llvm backend (whose generated code cannot unwind) finishes the run and then throws a {@link
 * HalogenRuntimeException} with it as the cause. Code compiled ahead of time writes its lines to the
 * C {@code stderr} of its process and never calls the handler.
 *
 * <pre>
 * Consumer&lt;String&gt; previous = PrintOutput.setHandler(log::info);
 * try { f.realize(...); } finally { PrintOutput.setHandler(previous); }
 *
 * try (PrintOutput.Capture c = PrintOutput.capture()) { f.realize(...); c.lines(); }
 * </pre>
 */
public final class PrintOutput {
  private PrintOutput() {}

  /** The default handler: each line to {@link System#err}, whose {@code println} writes a line whole. */
  public static final Consumer<String> STANDARD_ERROR = line -> System.err.println(line);

  private static final AtomicReference<Consumer<String>> HANDLER = new AtomicReference<>(STANDARD_ERROR);

  /** Makes {@code handler} receive the lines from now on; returns the handler it replaces. */
  public static Consumer<String> setHandler(Consumer<String> handler) {
    return HANDLER.getAndSet(Objects.requireNonNull(handler, "handler"));
  }

  /** The handler that receives the lines now. */
  public static Consumer<String> handler() {
    return HANDLER.get();
  }

  /** Sends one line to the handler. */
  public static void emit(String line) {
    HANDLER.get().accept(line);
  }

  /**
   * The line of lane {@code lane} of a print with argument values {@code args}: each argument's text
   * ({@link HalogenRuntimeException#valueText}: a string argument's characters, a number as error
   * messages write it), separated by single spaces. A scalar argument is the same in every lane.
   */
  public static String line(List<Value> args, int lane) {
    StringBuilder sb = new StringBuilder();
    for (Value v : args) {
      if (!sb.isEmpty()) sb.append(' ');
      sb.append(HalogenRuntimeException.valueText(v.lanes() == 1 ? v : v.lane(lane)));
    }
    return sb.toString();
  }

  /** Collects the lines printed while it is open (from any thread), and puts the previous handler back when closed. */
  public static Capture capture() {
    return new Capture();
  }

  /** See {@link #capture()}. */
  public static final class Capture implements AutoCloseable {
    private final List<String> lines = new ArrayList<>();
    private final Consumer<String> previous;

    private Capture() {
      previous = setHandler(this::add);
    }

    private synchronized void add(String line) {
      lines.add(line);
    }

    /** The lines printed so far, in the order the handler received them. */
    public synchronized List<String> lines() {
      return List.copyOf(lines);
    }

    @Override
    public void close() {
      setHandler(previous);
    }
  }
}
