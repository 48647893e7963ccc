package dev.halogen.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.ir.text.IrParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstrumentationTest {
  /** verify-graph (unchanged), strip-add-zero (changed), do-nothing (unchanged), rename-func g to h (changed). */
  private static PassManager manager(Instrumentation ins) {
    return PassManager.builder()
        .addAll(List.of(new VerifyGraphPass(), TestPasses.strip(), TestPasses.doNothing(), TestPasses.rename("g", "h", true)))
        .instrumentation(ins)
        .build();
  }

  private static PassRun run(Instrumentation ins) {
    return manager(ins).run(TestPasses.pipeline(TestPasses.PIPELINE));
  }

  @Test
  void printAfterAllPrintsEveryStageWithItsLabel() {
    StringBuilder out = new StringBuilder();
    run(Instrumentation.builder().printAfterAll(true).output(out::append).build());
    assertEquals("// after 01-verify-graph (unchanged)\n" + TestPasses.PIPELINE
        + "// after 02-strip-add-zero (changed)\n" + TestPasses.STRIPPED
        + "// after 03-do-nothing (unchanged)\n" + TestPasses.STRIPPED
        + "// after 04-rename-func (changed)\n" + TestPasses.RENAMED, out.toString());
  }

  @Test
  void printChangesPrintsUnifiedDiffsOnlyForPassesThatChangedTheUnit() {
    StringBuilder out = new StringBuilder();
    run(Instrumentation.builder().printChanges(true).output(out::append).build());
    // Two hunks for strip-add-zero (the changes are 8 unchanged lines apart, more than twice the
    // context); one for rename-func (4 lines apart). Nothing for verify-graph and do-nothing.
    assertEquals("""
        --- 01-verify-graph.hir
        +++ 02-strip-add-zero.hir
        @@ -3,7 +3,7 @@
         param k: int32
        \s
         func f(x): int32 {
        -  f(x) = in(x + 0) * k
        +  f(x) = in(x) * k
         }
        \s
         func g(x): int32 {
        @@ -12,5 +12,5 @@
         }
        \s
         func out(x): int32 {
        -  out(x) = g(x) + 0
        +  out(x) = g(x)
         }
        --- 03-do-nothing.hir
        +++ 04-rename-func.hir
        @@ -6,11 +6,11 @@
           f(x) = in(x) * k
         }
        \s
        -func g(x): int32 {
        -  g(x) = f(x - 1) + f(x + 1)
        +func h(x): int32 {
        +  h(x) = f(x - 1) + f(x + 1)
           compute_root store_root
         }
        \s
         func out(x): int32 {
        -  out(x) = g(x)
        +  out(x) = h(x)
         }
        """, out.toString());
  }

  @Test
  void printChangesPrintsNothingWhenNothingChanged() {
    StringBuilder out = new StringBuilder();
    PassRun r = PassManager.builder().add(new VerifyGraphPass()).add(TestPasses.doNothing())
        .instrumentation(Instrumentation.builder().printChanges(true).output(out::append).build())
        .build().run(TestPasses.pipeline(TestPasses.PIPELINE));
    assertEquals("", out.toString());
    assertEquals(List.of(false, false), r.timings().rows().stream().map(PassTimings.Row::changed).toList());
  }

  @Test
  void afterPassChecksSeeEachChangingPassWithItsInputAndOutput() {
    List<String> seen = new ArrayList<>();
    PassRun r = run(Instrumentation.builder()
        .afterPassCheck((pass, before, after) -> seen.add(pass.name() + ": " + (before != after)))
        .build());
    assertEquals(List.of("strip-add-zero: true", "rename-func: true"), seen);
    assertEquals(4, r.timings().rows().size());
  }

  @Test
  void aFailingAfterPassCheckFailsThePassWithAReplayFile(@TempDir Path dir) {
    Instrumentation ins = Instrumentation.builder().replayDirectory(dir)
        .afterPassCheck((pass, before, after) -> {
          if (pass.name().equals("rename-func")) throw new AssertionError("outputs differ at 3");
        })
        .build();
    PassFailedException e = org.junit.jupiter.api.Assertions.assertThrows(PassFailedException.class, () -> run(ins));
    assertEquals("rename-func", e.passName());
    assertTrue(e.getMessage().startsWith("pass 'rename-func' (4 of 4) failed an after-pass check: outputs differ at 3"),
        e.getMessage());
    assertTrue(e.replayFile().isPresent());
  }

  @Test
  void outputCanGoToAPrintStream() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    PassManager.builder().add(TestPasses.doNothing())
        .instrumentation(Instrumentation.builder().printAfterAll(true).output(stream).build())
        .build().run(TestPasses.pipeline(TestPasses.STRIPPED));
    assertEquals("// after 01-do-nothing (unchanged)\n" + TestPasses.STRIPPED, bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void dumpWritesOneFileForTheInputAndOnePerPassInOrder(@TempDir Path dir) throws IOException {
    // A dump of an earlier run, and a file that is not a dump.
    Files.writeString(dir.resolve("07-old-pass.hir"), "stale");
    Files.writeString(dir.resolve("notes.txt"), "keep me");
    run(Instrumentation.builder().dumpDirectory(dir).build());
    assertEquals(List.of("00-input.hir", "01-verify-graph.hir", "02-strip-add-zero.hir", "03-do-nothing.hir",
        "04-rename-func.hir", "notes.txt"), listing(dir));
    List<String> expected = List.of(TestPasses.PIPELINE, TestPasses.PIPELINE, TestPasses.STRIPPED,
        TestPasses.STRIPPED, TestPasses.RENAMED);
    List<String> dumps = listing(dir).subList(0, 5);
    for (int i = 0; i < dumps.size(); i++) {
      String text = Files.readString(dir.resolve(dumps.get(i)));
      assertEquals(IrParser.parsePipeline(expected.get(i)), IrParser.parsePipeline(text), dumps.get(i));
      assertEquals(expected.get(i), text, dumps.get(i));
    }
    assertEquals("keep me", Files.readString(dir.resolve("notes.txt")));
  }

  @Test
  void dumpNumbersWidenSoThatNamesStillSort(@TempDir Path dir) throws IOException {
    PassManager.builder().addAll(Collections.nCopies(100, TestPasses.doNothing()))
        .instrumentation(Instrumentation.builder().dumpDirectory(dir.resolve("new/sub")).build())
        .build().run(TestPasses.pipeline(TestPasses.STRIPPED));
    List<String> names = listing(dir.resolve("new/sub"));
    assertEquals(101, names.size());
    assertEquals("000-input.hir", names.getFirst());
    assertEquals("001-do-nothing.hir", names.get(1));
    assertEquals("100-do-nothing.hir", names.getLast());
  }

  @Test
  void dumpsOfTheLoopFormHoldTheModule(@TempDir Path dir) throws IOException {
    PassManager.builder().add(TestPasses.toLoops()).add(TestPasses.stripLoops())
        .instrumentation(Instrumentation.builder().dumpDirectory(dir).build())
        .build().run(TestPasses.pipeline(TestPasses.PIPELINE));
    assertEquals(List.of("00-input.hir", "01-to-loops.hir", "02-strip-add-zero.hir"), listing(dir));
    assertEquals(TestPasses.module(TestPasses.MODULE), IrParser.parseModule(Files.readString(dir.resolve("01-to-loops.hir"))));
    assertEquals(TestPasses.module(TestPasses.MODULE.replace("in(x) * k + 0", "in(x) * k")),
        IrParser.parseModule(Files.readString(dir.resolve("02-strip-add-zero.hir"))));
  }

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void timingsHaveOneRowPerPassInOrder() {
    StringBuilder out = new StringBuilder();
    PassRun r = run(Instrumentation.builder().timePasses(true).output(out::append).build());
    List<PassTimings.Row> rows = r.timings().rows();
    assertEquals(List.of("verify-graph", "strip-add-zero", "do-nothing", "rename-func"),
        rows.stream().map(PassTimings.Row::pass).toList());
    assertEquals(List.of(1, 2, 3, 4), rows.stream().map(PassTimings.Row::index).toList());
    assertEquals(List.of(false, true, false, true), rows.stream().map(PassTimings.Row::changed).toList());
    for (PassTimings.Row row : rows) assertTrue(row.millis() >= 0, row.toString());
    // The printed table: a header, one line per pass, the total.
    List<String> lines = out.toString().lines().toList();
    assertEquals(6, lines.size(), out.toString());
    assertTrue(lines.get(0).matches("#  pass {12}time \\(ms\\)  changed"), lines.get(0));
    List<String> expectedRows = new ArrayList<>();
    for (PassTimings.Row row : rows) {
      expectedRows.add(row.index() + "  " + row.pass() + " ".repeat(16 - row.pass().length())
          + String.format(java.util.Locale.ROOT, "%9.3f", row.millis()) + "  " + (row.changed() ? "yes" : "no"));
    }
    assertEquals(expectedRows, lines.subList(1, 5));
    assertTrue(lines.get(5).matches(" {3}total {11}[ 0-9.]{9}"), lines.get(5));
  }

  @Test
  void theTimingTableAlignsItsColumns() {
    PassTimings t = new PassTimings(List.of(new PassTimings.Row(1, "verify-graph", 0.125, false),
        new PassTimings.Row(2, "rename-func", 1.5, true)));
    assertEquals(1.625, t.totalMillis());
    assertEquals("""
        #  pass          time (ms)  changed
        1  verify-graph      0.125  no
        2  rename-func       1.500  yes
           total             1.625
        """, t.table());
  }

  @Test
  void withoutInstrumentationNothingIsPrinted() {
    StringBuilder out = new StringBuilder();
    PassRun r = run(Instrumentation.builder().output(out::append).build());
    assertEquals("", out.toString());
    assertEquals(IrUnit.of(TestPasses.pipeline(TestPasses.RENAMED)), r.result());
    assertEquals(4, r.timings().rows().size());
  }
}
