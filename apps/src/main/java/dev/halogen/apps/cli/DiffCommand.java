package dev.halogen.apps.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code halogen diff}: an IR-aware unified diff of two IR files. */
@Command(name = "diff", description = {
    "Compare two IR files (pipelines or lowered modules, JSON or IR text) and print a unified diff of their canonical text.",
    "Names the compiler generated (sum$3, f_0_d$2, the cse pass's t12) are renumbered in order of first appearance",
    "first, so IR that differs only in those numbers compares equal. Prints nothing when the files are equal."},
    exitCodeListHeading = "%nExit codes:%n")
final class DiffCommand implements Callable<Integer> {
  private final Cli.Io io;

  DiffCommand(Cli.Io io) {
    this.io = io;
  }

  @Parameters(index = "0", paramLabel = "A", description = "the first IR file")
  Path a;

  @Parameters(index = "1", paramLabel = "B", description = "the second IR file")
  Path b;

  @Option(names = {"-U", "--unified"}, paramLabel = "N", defaultValue = "3", description = "lines of context around each change (default: ${DEFAULT-VALUE})")
  int context;

  @Option(names = "--exact", description = "compare generated names as they are")
  boolean exact;

  /** diff's own exit codes, as GNU diff has them: a file it cannot read is trouble, not a difference. */
  static Map<String, String> exitCodes() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("0", "the files are equal");
    m.put("1", "the files differ");
    m.put("2", "trouble: a usage error, or a missing or malformed file");
    return m;
  }

  @Override
  public Integer call() {
    if (context < 0) throw CliException.usage("--unified needs a number of lines >= 0, got " + context);
    String textA;
    String textB;
    try {
      textA = IrFiles.readPipelineOrModule(a).text();
      textB = IrFiles.readPipelineOrModule(b).text();
    } catch (CliException e) {
      throw new CliException(CliException.USAGE, e.getMessage(), e);
    }
    String d = IrDiff.diff(a.toString(), b.toString(), textA, textB, context, exact);
    io.out().print(d);
    io.out().flush();
    return d.isEmpty() ? 0 : 1;
  }
}
