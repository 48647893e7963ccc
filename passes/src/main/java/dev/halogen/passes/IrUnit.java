package dev.halogen.passes;

import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.text.IrPrinter;

/**
 * What a {@link Pass} transforms: the IR in one of the forms lowering goes through. Immutable,
 * compared by value; "unchanged" is the same instance (see {@link Pass#run(IrUnit)}).
 *
 * <p>The canonical text of a unit ({@link #text()}) is {@link IrPrinter}'s text of its current
 * form: the pipeline for the function graph, the module for loop nests. Printing, diffs and dumps
 * use it. Context carried alongside the current form (the source pipeline of loop nests) is not in
 * that text; {@link ReplayFile} writes it too, so a replay has everything a pass sees.
 */
public sealed interface IrUnit {
  /** The form property ({@link IrProperty#isForm()}) of this unit. */
  IrProperty form();

  /** IrPrinter's text of the current form. */
  String text();

  /** A unit of the function graph. */
  static Graph of(Pipeline pipeline) {
    return new Graph(pipeline);
  }

  /**
   * The function graph: Funcs with their definitions and schedules. AD, checkpointing,
   * autoscheduling and rfactor work on this form; lowering starts from it.
   */
  record Graph(Pipeline pipeline) implements IrUnit {
    public Graph {
      if (pipeline == null) throw new IllegalArgumentException("IrUnit.Graph pipeline is null");
    }

    @Override
    public IrProperty form() {
      return IrProperty.FUNCTION_GRAPH;
    }

    @Override
    public String text() {
      return IrPrinter.print(pipeline);
    }

    /** This unit when {@code p} is its pipeline (the same instance), else a new one: keeps "unchanged" cheap. */
    public Graph withPipeline(Pipeline p) {
      return p == pipeline ? this : new Graph(p);
    }
  }

  /**
   * Loop nests: a {@link LoweredModule} under construction, and the pipeline it was lowered from.
   * Lowering passes after the loops are built still need the Funcs of the source pipeline (their
   * output types and storage for bounds inference and flattening, its images and parameters for
   * the input checks), as Halide's lowering passes take the environment of Functions along with
   * the statement. Passes on this form change {@code module} and pass {@code source} on.
   *
   * @param module the loop-level IR
   * @param source the function graph the loops were built from
   */
  record Loops(LoweredModule module, Pipeline source) implements IrUnit {
    public Loops {
      if (module == null) throw new IllegalArgumentException("IrUnit.Loops module is null");
      if (source == null) throw new IllegalArgumentException("IrUnit.Loops source pipeline is null");
    }

    @Override
    public IrProperty form() {
      return IrProperty.LOOPS_BUILT;
    }

    @Override
    public String text() {
      return IrPrinter.print(module);
    }

    /** This unit when {@code m} is its module (the same instance), else a new one with the same source. */
    public Loops withModule(LoweredModule m) {
      return m == module ? this : new Loops(m, source);
    }
  }

  /**
   * This unit as the function graph, for a pass named {@code passName} that only works on that
   * form.
   *
   * @throws IllegalArgumentException naming the pass and the form it got
   */
  default Graph asGraph(String passName) {
    return switch (this) {
      case Graph g -> g;
      case Loops l -> throw wrongForm(passName, IrProperty.FUNCTION_GRAPH, this);
    };
  }

  /**
   * This unit as loop nests, for a pass named {@code passName} that only works on that form.
   *
   * @throws IllegalArgumentException naming the pass and the form it got
   */
  default Loops asLoops(String passName) {
    return switch (this) {
      case Loops l -> l;
      case Graph g -> throw wrongForm(passName, IrProperty.LOOPS_BUILT, this);
    };
  }

  private static IllegalArgumentException wrongForm(String passName, IrProperty wanted, IrUnit got) {
    return new IllegalArgumentException("pass '" + passName + "' works on " + wanted.describe() + ", but got "
        + got.form().describe());
  }
}
