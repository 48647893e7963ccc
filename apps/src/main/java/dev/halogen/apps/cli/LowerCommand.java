package dev.halogen.apps.cli;

import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.json.IrJson;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.Backend;
import dev.halogen.passes.Instrumentation;
import dev.halogen.passes.Target;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code halogen lower}: lowers a pipeline file, showing the IR through the passes. */
@Command(name = "lower", description = {
    "Lower a pipeline (JSON or IR text) through the default lowering passes to a loop-level module.",
    "Without --print-after-all, --print-after-change or --output, prints the lowered module's IR text."})
final class LowerCommand implements Callable<Integer> {
  private final Cli.Io io;

  LowerCommand(Cli.Io io) {
    this.io = io;
  }

  @Parameters(index = "0", paramLabel = "PIPELINE", description = "the pipeline: JSON (as IrJson writes it) or IR text")
  Path pipeline;

  @Option(names = "--target", paramLabel = "TARGET",
      description = "also compile the lowered module for TARGET (llvm, interp, ...: backend[-feature]*) to check that it compiles")
  @Nullable String target;

  static final class Printing {
    @Option(names = "--print-after-all", description = "print the IR after every pass")
    boolean afterAll;

    @Option(names = "--print-after-change", description = "print a unified diff of the IR after every pass that changed it")
    boolean afterChange;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  @Nullable Printing printing;

  @Option(names = "--dump-dir", paramLabel = "DIR", description = "write the IR after every pass to DIR/NN-pass.hir")
  @Nullable Path dumpDir;

  @Option(names = "--time-passes", description = "print how long each pass took")
  boolean timePasses;

  @Option(names = "--verify-each", description = "verify the IR before the first and after every pass")
  boolean verifyEach;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write the lowered module to FILE (JSON if FILE ends in .json, else IR text)")
  @Nullable Path output;

  @Override
  public Integer call() {
    Target t = target == null ? null : Cli.target(target);
    Backend backend = t == null ? null : Cli.backend(t);
    Pipeline p = IrFiles.readPipeline(pipeline);
    boolean afterAll = printing != null && printing.afterAll;
    boolean afterChange = printing != null && printing.afterChange;
    Instrumentation ins = Instrumentation.builder()
        .printAfterAll(afterAll)
        .printChanges(afterChange)
        .dumpDirectory(dumpDir)
        .timePasses(timePasses)
        .verifyEach(verifyEach)
        .output(io.out())
        .build();
    LoweredModule module = Cli.lower(p, ins);
    if (output != null) {
      IrFiles.writeText(output, IrFiles.jsonName(output) ? IrJson.toJson(module) + "\n" : IrPrinter.print(module), io.out());
    } else if (!afterAll && !afterChange) {
      io.out().print(IrPrinter.print(module));
    }
    if (backend != null) backend.compile(module, t);
    io.out().flush();
    return 0;
  }
}
