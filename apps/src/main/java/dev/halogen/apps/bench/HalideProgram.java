package dev.halogen.apps.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Halide 14 side of a benchmark: a C++ program ({@link #FORWARD} {@code halide_forward.cpp}
 * or {@link #GRADIENT} {@code halide_gradient.cpp}, resources next to this class, both built on the
 * driver {@code halide_bench.h}), compiled with {@code g++} against Debian's {@code
 * libhalide14-0-dev} (header {@code /usr/include/halide14/Halide.h}, library {@code -lHalide14})
 * the first time it is needed and kept in a cache folder named by the hash of its sources. The
 * program JIT-compiles each pipeline with Halide and times its realizations, one at a time on
 * request, so that they can be interleaved with Halogen's.
 */
public final class HalideProgram {
  static final Path HEADER_DIR = Path.of("/usr/include/halide14");
  /** The program of {@code halogen bench forward}. */
  public static final String FORWARD = "halide_forward";
  /** The program of {@code halogen bench grad}. */
  public static final String GRADIENT = "halide_gradient";
  /** The driver both programs include. */
  private static final String DRIVER = "halide_bench.h";

  private final Path binary;
  private final double buildMillis;

  private HalideProgram(Path binary, double buildMillis) {
    this.binary = binary;
    this.buildMillis = buildMillis;
  }

  /** How long building the program took in this run (0 when it came from the cache). */
  public double buildMillis() {
    return buildMillis;
  }

  /** What the program printed after compiling: its target and the two compile times. */
  public record Compiled(String target, double compileFirstMillis, double compileAgainMillis) {}

  /** The program, or why it cannot be had: Halide 14 or g++ is missing, or the build failed. */
  public sealed interface Availability {}

  public record Available(HalideProgram program) implements Availability {}

  public record Missing(String reason) implements Availability {}

  /** Finds the compiler and Halide 14, and builds the program {@code name} ({@link #FORWARD}, {@link #GRADIENT}) unless the cache has it. */
  public static Availability locate(String name) {
    if (!Files.isRegularFile(HEADER_DIR.resolve("Halide.h"))) {
      return new Missing("Halide 14 is not installed: no " + HEADER_DIR.resolve("Halide.h")
          + " (on Debian: apt-get install libhalide14-0-dev g++)");
    }
    try {
      String source = resource(name + ".cpp");
      String driver = resource(DRIVER);
      Path dir = Path.of(System.getProperty("java.io.tmpdir"), "halogen-bench", sha256(source + driver).substring(0, 16));
      Path binary = dir.resolve(name);
      if (Files.isExecutable(binary)) return new Available(new HalideProgram(binary, 0));
      Files.createDirectories(dir);
      Path src = dir.resolve(name + ".cpp");
      Files.writeString(src, source);
      Files.writeString(dir.resolve(DRIVER), driver);
      Path partial = dir.resolve(name + ".partial");
      long t0 = System.nanoTime();
      Exec built = exec(List.of("g++", "-std=c++17", "-O2", "-I" + HEADER_DIR, "-I" + dir, src.toString(), "-o", partial.toString(),
          "-lHalide14", "-lpthread", "-ldl"), 600);
      if (built.exitCode() != 0) {
        return new Missing("building the Halide program with g++ failed (exit " + built.exitCode() + "):\n" + built.output());
      }
      Files.move(partial, binary, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return new Available(new HalideProgram(binary, (System.nanoTime() - t0) / 1e6));
    } catch (IOException e) {
      String why = e.getMessage() != null && e.getMessage().contains("g++") ? "g++ is not installed (apt-get install g++)" : e.toString();
      return new Missing("cannot build the Halide program: " + why);
    }
  }

  private static String resource(String file) throws IOException {
    try (InputStream in = HalideProgram.class.getResourceAsStream(file)) {
      if (in == null) throw new IllegalStateException("the resource " + file + " is missing from the class path");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Starts the program on case {@code name} at {@code sizes} (the forward program's width and
   * height, the gradient program's one size) with the inputs in {@code dir} ({@code input0.raw},
   * ...) and waits until it has compiled the pipeline.
   *
   * @throws IllegalStateException when the program fails, naming the case and with its output
   */
  public Session start(String name, Path dir, int... sizes) throws IOException {
    List<String> command = new ArrayList<>(List.of(binary.toString(), name, dir.toString()));
    for (int s : sizes) command.add(Integer.toString(s));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    Session s = new Session(name, p);
    String target = null;
    double first = Double.NaN;
    double again = Double.NaN;
    for (String line = s.line(); !line.equals("ready"); line = s.line()) {
      String[] f = line.split(" ");
      switch (f[0]) {
        case "target" -> target = f[1];
        case "compile_first_ms" -> first = Double.parseDouble(f[1]);
        case "compile_again_ms" -> again = Double.parseDouble(f[1]);
        default -> throw s.failure("printed '" + line + "'");
      }
    }
    if (target == null || Double.isNaN(first) || Double.isNaN(again)) throw s.failure("printed no target or compile times");
    s.compiled = new Compiled(target, first, again);
    return s;
  }

  /** A running program, compiled and ready for commands (see {@code halide_bench.h}). */
  public static final class Session implements AutoCloseable {
    private final String name;
    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private Compiled compiled = new Compiled("", 0, 0);

    private Session(String name, Process process) {
      this.name = name;
      this.process = process;
      this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    public Compiled compiled() {
      return compiled;
    }

    /** Realizes the pipeline once; the milliseconds it took. */
    public double run() throws IOException {
      String line = command("run");
      if (!line.startsWith("ms ")) throw failure("answered '" + line + "' to run");
      return Double.parseDouble(line.substring(3));
    }

    /** Writes the outputs of the last run to {@code dir/halide_out0.raw}, {@code halide_out1.raw}, ... */
    public void writeOutput() throws IOException {
      String line = command("write");
      if (!line.equals("written")) throw failure("answered '" + line + "' to write");
    }

    private String command(String c) throws IOException {
      in.write(c + "\n");
      in.flush();
      return line();
    }

    private String line() throws IOException {
      String line = out.readLine();
      if (line == null) throw failure("ended");
      return line.trim();
    }

    /** The program's failure, with whatever else it printed; stops it. */
    private IllegalStateException failure(String what) throws IOException {
      StringBuilder rest = new StringBuilder();
      process.destroy();
      for (String l = out.readLine(); l != null; l = out.readLine()) rest.append(l).append('\n');
      return new IllegalStateException("the Halide program on " + name + " " + what + (rest.isEmpty() ? "" : ":\n" + rest));
    }

    @Override
    public void close() throws IOException {
      in.close();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private record Exec(int exitCode, String output) {}

  private static Exec exec(List<String> command, long timeoutSeconds) throws IOException {
    Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    try {
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Exec(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
      }
      return new Exec(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command.getFirst(), e);
    }
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
