package dev.halogen.apps.bench;

import dev.halogen.ir.Expr;
import dev.halogen.passes.analysis.ExprWorkloads;
import dev.halogen.passes.analysis.Simplifier;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How long the simplifier takes on shared expression DAGs of 1,000, 10,000 and 100,000 nodes and on
 * let chains, and how the time grows with the size (a linear simplifier grows about 10x per step;
 * a quadratic one about 100x).
 */
public final class SimplifyBenchmark {
  private SimplifyBenchmark() {}

  private record Workload(String name, Expr expr) {}

  public static void run(PrintStream out, int warmups, int repetitions) {
    List<Workload> workloads = new ArrayList<>();
    for (int nodes : new int[] {1_000, 10_000, 100_000}) {
      workloads.add(new Workload("shared DAG " + nodes, ExprWorkloads.randomDag(1, nodes, 200)));
    }
    for (int nodes : new int[] {1_000, 10_000, 100_000}) {
      workloads.add(new Workload("deep DAG " + nodes, ExprWorkloads.randomDag(2, nodes, 6)));
    }
    for (int lets : new int[] {200, 2_000, 20_000}) {
      workloads.add(new Workload("let chain " + lets, ExprWorkloads.letChain(lets)));
    }
    List<Harness.Measurement> rows = new ArrayList<>();
    List<List<String>> extra = new ArrayList<>();
    for (int i = 0; i < workloads.size(); i++) {
      Workload w = workloads.get(i);
      Harness.Measurement m = Harness.measure(w.name(), warmups, repetitions, () -> Simplifier.simplify(w.expr()));
      rows.add(m);
      String growth = i % 3 == 0 ? "" : String.format(Locale.ROOT, "%.1fx", m.median() / rows.get(i - 1).median());
      extra.add(List.of(Integer.toString(ExprWorkloads.dagSize(w.expr())), growth));
    }
    out.println("Simplifier.simplify, " + warmups + " warm-up runs, " + repetitions + " timed runs each, "
        + Runtime.getRuntime().availableProcessors() + " cores");
    out.print(Harness.table(rows, List.of("DAG nodes", "growth vs previous"), extra));
  }
}
