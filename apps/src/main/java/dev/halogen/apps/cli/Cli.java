package dev.halogen.apps.cli;

import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Pipeline;
import dev.halogen.passes.Backend;
import dev.halogen.passes.Backends;
import dev.halogen.passes.HalogenRuntimeException;
import dev.halogen.passes.Instrumentation;
import dev.halogen.passes.LoweringPipeline;
import dev.halogen.passes.PassFailedException;
import dev.halogen.passes.Target;
import dev.halogen.passes.UnknownBackendException;
import dev.halogen.passes.lower.ScheduleException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code halogen} command line: picocli commands for {@code demo}, {@code lower}, {@code diff},
 * {@code grad}, {@code run} and {@code bench}. Exit codes: 0 success, 1 failure, 2 usage error
 * ({@code diff}: 0 equal, 1 different, 2 trouble).
 */
public final class Cli {
  private Cli() {}

  /** The exit codes, as every command's help lists them. */
  static final Map<String, String> EXIT_CODES = exitCodes();

  private static Map<String, String> exitCodes() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("0", "success");
    m.put("1", "failure: a missing or malformed file, a wrong input, a pipeline that fails to lower, compile or run");
    m.put("2", "usage error: an unknown command or option, a missing or invalid option value, an unknown target");
    return m;
  }

  /** Where a command prints: standard output for results, standard error for messages. */
  record Io(PrintStream out, PrintStream err) {}

  @Command(name = "halogen", description = "Halogen, a differentiable image-processing compiler for the JVM.",
      footer = {"", "The launcher ./halogen also runs `./halogen test`: build everything and run every test suite.",
          "Run `halogen COMMAND --help` for a command's options."})
  static final class Root implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }
  }

  /**
   * Runs the command line {@code args}, printing to {@code out} and {@code err}; returns the exit
   * code (0 success, 1 failure, 2 usage error).
   */
  public static int run(List<String> args, PrintStream out, PrintStream err, Map<String, Object> demoAndBench) {
    Io io = new Io(out, err);
    CommandLine cl = commandLine(io, demoAndBench);
    return cl.execute(args.toArray(String[]::new));
  }

  /** The command tree, printing to {@code io}; {@code extra} adds commands defined elsewhere (demo), by name. */
  static CommandLine commandLine(Io io, Map<String, Object> extra) {
    CommandLine cl = new CommandLine(new Root());
    for (var e : extra.entrySet()) cl.addSubcommand(e.getKey(), e.getValue());
    cl.addSubcommand("lower", new LowerCommand(io));
    cl.addSubcommand("diff", new DiffCommand(io));
    cl.addSubcommand("grad", new GradCommand(io));
    cl.addSubcommand("run", new RunCommand(io));
    BenchCommand bench = new BenchCommand(io);
    cl.addSubcommand("bench", new CommandLine(bench).addSubcommand("simplify", bench.simplify).addSubcommand("forward", bench.forward)
        .addSubcommand("grad", bench.grad));
    cl.addSubcommand("help", new CommandLine.HelpCommand());
    cl.setOut(new PrintWriter(io.out(), true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(io.err(), true, StandardCharsets.UTF_8));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUsageHelpAutoWidth(false);
    configure(cl);
    cl.setParameterExceptionHandler(Cli::usageError);
    cl.setExecutionExceptionHandler((e, c, parseResult) -> failure(e, c, io));
    return cl;
  }

  /** Every command: lower-case usage heading, a --help option, the exit codes. */
  private static void configure(CommandLine cl) {
    CommandSpec spec = cl.getCommandSpec();
    spec.usageMessage().synopsisHeading("usage: ").exitCodeListHeading("%nExit codes:%n");
    if (!cl.getCommandName().equals("help")) {
      spec.usageMessage().exitCodeList(spec.userObject() instanceof DiffCommand ? DiffCommand.exitCodes() : EXIT_CODES);
    }
    if (spec.optionsMap().get("--help") == null && !cl.getCommandName().equals("help")) {
      spec.addOption(CommandSpec.forAnnotatedObject(new HelpOption()).findOption("--help"));
    }
    for (CommandLine sub : cl.getSubcommands().values()) configure(sub);
  }

  /** The {@code -h}/{@code --help} option every command has. */
  static final class HelpOption {
    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;
  }

  /** The name of {@code cl}'s command as the user typed it: {@code halogen bench forward}. */
  static String qualifiedName(CommandLine cl) {
    return cl.getCommandSpec().qualifiedName(" ");
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    if (e instanceof UnmatchedArgumentException u && cl.getParent() == null && !u.getUnmatched().isEmpty()
        && !u.getUnmatched().getFirst().startsWith("-")) {
      err.println("halogen: unknown command '" + u.getUnmatched().getFirst() + "'");
    } else {
      err.println(qualifiedName(cl) + ": " + e.getMessage());
    }
    cl.usage(err);
    err.flush();
    return CliException.USAGE;
  }

  private static int failure(Exception e, CommandLine cl, Io io) {
    String prefix = qualifiedName(cl) + ": ";
    int code = CliException.FAILURE;
    String message = switch (e) {
      case CliException c -> {
        code = c.exitCode();
        yield c.getMessage();
      }
      case PassFailedException p when p.getCause() instanceof ScheduleException s -> "the schedule cannot be lowered: " + s.getMessage();
      case PassFailedException p -> p.getMessage();
      case HalogenRuntimeException r -> "the pipeline failed while running: " + r.getMessage();
      default -> {
        // Not a problem of the input: a bug. Show where it happened.
        e.printStackTrace(io.err());
        yield "internal error: " + e;
      }
    };
    io.err().println(prefix + message);
    io.err().flush();
    return code;
  }

  // ------------------------------------------------------------------ shared by the commands

  /**
   * The backend of {@code target}, which has checked the target's features.
   *
   * @throws CliException (usage) for a backend that is not on the class path or a feature it does not know
   */
  static Backend backend(Target target) {
    Backend b;
    try {
      b = Backends.find(target.backend());
    } catch (UnknownBackendException e) {
      throw new CliException(CliException.USAGE, "unknown target '" + target + "': " + e.getMessage(), e);
    }
    try {
      b.checkTarget(target);
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.USAGE, "target '" + target + "': " + e.getMessage(), e);
    }
    return b;
  }

  /** {@code text} as a target, or a usage error naming it. */
  static Target target(String text) {
    try {
      return Target.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.USAGE, "--target: " + e.getMessage(), e);
    }
  }

  /** The target a command runs on when none is given: llvm, else interp ({@link dev.halogen.Pipeline#defaultTarget()}). */
  static Target defaultTarget() {
    return dev.halogen.Pipeline.defaultTarget();
  }

  /** Lowers {@code pipeline} with the default lowering passes and {@code instrumentation}. */
  static LoweredModule lower(Pipeline pipeline, Instrumentation instrumentation) {
    return LoweringPipeline.manager(instrumentation).run(pipeline).result().asLoops("lower").module();
  }
}
