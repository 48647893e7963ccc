package dev.halogen.passes;

import static dev.halogen.passes.IrProperty.FUNCTION_GRAPH;
import static dev.halogen.passes.IrProperty.GRAPH_VERIFIED;
import static dev.halogen.passes.IrProperty.LOOPS_BUILT;
import static dev.halogen.passes.TestPasses.pass;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.ir.text.IrParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {
  @TempDir Path replays;

  /** rename-func with a bug: it gives up on every pipeline. */
  private static Pass buggyRename() {
    return pass("rename-func", Set.of(FUNCTION_GRAPH), Set.of(), Set.of(GRAPH_VERIFIED), in -> {
      throw new IllegalStateException("cannot rename Func g: it is computed at the root");
    });
  }

  /** verify-graph, strip-add-zero, {@code rename}, do-nothing. */
  private PassManager manager(Pass rename) {
    return PassManager.builder()
        .addAll(List.of(new VerifyGraphPass(), TestPasses.strip(), rename, TestPasses.doNothing()))
        .instrumentation(Instrumentation.forTests().toBuilder().replayDirectory(replays).build())
        .build();
  }

  private PassFailedException fail(PassManager pm, IrUnit input) {
    return assertThrows(PassFailedException.class, () -> pm.run(input));
  }

  @Test
  void aFailingPassWritesAReplayFileAndNamesIt() throws IOException {
    PassFailedException e = fail(manager(buggyRename()), IrUnit.of(TestPasses.pipeline(TestPasses.PIPELINE)));
    assertEquals("rename-func", e.passName());
    assertEquals(3, e.passIndex());
    IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
    assertEquals("cannot rename Func g: it is computed at the root", cause.getMessage());
    Path file = e.replayFile().orElseThrow();
    assertEquals(replays, file.getParent());
    assertTrue(file.getFileName().toString().matches("halogen-replay-rename-func-.*\\.replay"), file.toString());
    assertEquals("pass 'rename-func' (3 of 4) threw java.lang.IllegalStateException: cannot rename Func g: it is"
        + " computed at the root\nreplay file: " + file + " (PassManager.replay runs the remaining passes from it)",
        e.getMessage());
    // The input of the failing pass (after strip-add-zero), what held of it, the remaining passes.
    assertEquals("""
        // halogen replay 1
        // failure: pass 'rename-func' (3 of 4) threw java.lang.IllegalStateException: cannot rename Func g: it is \
        computed at the root
        // properties: FUNCTION_GRAPH GRAPH_VERIFIED
        // passes: rename-func do-nothing
        // section: pipeline
        """ + TestPasses.STRIPPED, Files.readString(file));
    // The header is comments, so the file is a pipeline text as it stands.
    assertEquals(TestPasses.pipeline(TestPasses.STRIPPED), IrParser.parsePipeline(Files.readString(file)));
  }

  @Test
  void replayReproducesTheFailure() {
    PassManager pm = manager(buggyRename());
    Path file = fail(pm, IrUnit.of(TestPasses.pipeline(TestPasses.PIPELINE))).replayFile().orElseThrow();
    PassFailedException again = assertThrows(PassFailedException.class, () -> pm.replay(file));
    assertEquals("rename-func", again.passName());
    assertEquals(1, again.passIndex());
    assertEquals("cannot rename Func g: it is computed at the root", again.getCause().getMessage());
    // The replay of the replay is the same file content.
    Path second = again.replayFile().orElseThrow();
    assertEquals(ReplayFile.read(file).input(), ReplayFile.read(second).input());
    assertEquals(ReplayFile.read(file).passes(), ReplayFile.read(second).passes());
  }

  @Test
  void replayWithTheFixedPassContinuesToTheEnd() {
    Path file = fail(manager(buggyRename()), IrUnit.of(TestPasses.pipeline(TestPasses.PIPELINE)))
        .replayFile().orElseThrow();
    PassRun r = manager(TestPasses.rename("g", "h", true)).replay(file);
    assertEquals(IrUnit.of(TestPasses.pipeline(TestPasses.RENAMED)), r.result());
    // Only the remaining passes ran, from the recorded properties.
    assertEquals(List.of("rename-func", "do-nothing"), r.timings().rows().stream().map(PassTimings.Row::pass).toList());
    assertEquals(Set.of(FUNCTION_GRAPH), r.properties());
  }

  @Test
  void replayCanFindThePassesInARegistry() {
    Path file = fail(manager(buggyRename()), IrUnit.of(TestPasses.pipeline(TestPasses.PIPELINE)))
        .replayFile().orElseThrow();
    PassRegistry fixed = PassRegistry.of(List.of(TestPasses.rename("g", "h", true), TestPasses.doNothing()));
    PassRun r = PassManager.replay(file, fixed, Instrumentation.forTests());
    assertEquals(IrUnit.of(TestPasses.pipeline(TestPasses.RENAMED)), r.result());
    UnknownPassException e = assertThrows(UnknownPassException.class,
        () -> PassManager.replay(file, PassRegistry.of(List.of(TestPasses.doNothing())), Instrumentation.forTests()));
    assertEquals("unknown pass 'rename-func'; the passes are: do-nothing", e.getMessage());
  }

  @Test
  void replayNeedsEveryPassOfTheFile() {
    Path file = fail(manager(buggyRename()), IrUnit.of(TestPasses.pipeline(TestPasses.PIPELINE)))
        .replayFile().orElseThrow();
    PassManager other = PassManager.of(List.of(new VerifyGraphPass(), TestPasses.doNothing()));
    UnknownPassException e = assertThrows(UnknownPassException.class, () -> other.replay(file));
    assertEquals("replay file " + file + " names pass 'rename-func', which this pass manager does not have; the"
        + " passes are: verify-graph, do-nothing", e.getMessage());
  }

  @Test
  void aVerificationFailureIsReplayableToo() {
    Path file = fail(manager(TestPasses.rename("g", "h", false)), IrUnit.of(TestPasses.pipeline(TestPasses.PIPELINE)))
        .replayFile().orElseThrow();
    ReplayFile r = ReplayFile.read(file);
    assertEquals(List.of("rename-func", "do-nothing"), r.passes());
    assertTrue(r.failure().startsWith("pass 'rename-func' (3 of 4) produced invalid IR: the IR has 1 problem:"),
        r.failure());
    assertThrows(PassFailedException.class, () -> manager(TestPasses.rename("g", "h", false)).replay(file));
    assertEquals(IrUnit.of(TestPasses.pipeline(TestPasses.RENAMED)),
        manager(TestPasses.rename("g", "h", true)).replay(file).result());
  }

  @Test
  void loopNestsAreReplayedWithTheirSourcePipeline() {
    Pass explode = TestPasses.throwing("explode", new IllegalArgumentException("no"));
    PassManager pm = PassManager.builder()
        .addAll(List.of(new VerifyGraphPass(), TestPasses.toLoops(), TestPasses.stripLoops(), explode))
        .instrumentation(Instrumentation.forTests().toBuilder().replayDirectory(replays).build())
        .build();
    Path file = assertThrows(PassFailedException.class, () -> pm.run(TestPasses.pipeline(TestPasses.PIPELINE)))
        .replayFile().orElseThrow();
    ReplayFile r = ReplayFile.read(file);
    IrUnit.Loops expected = new IrUnit.Loops(TestPasses.module(TestPasses.MODULE.replace("in(x) * k + 0", "in(x) * k")),
        TestPasses.pipeline(TestPasses.PIPELINE));
    assertEquals(expected, r.input());
    assertEquals(Set.of(GRAPH_VERIFIED, LOOPS_BUILT), r.properties());
    assertEquals(List.of("explode"), r.passes());
    PassManager fixed = PassManager.of(List.of(new VerifyGraphPass(), TestPasses.toLoops(), TestPasses.stripLoops(),
        pass("explode", Set.of(LOOPS_BUILT), Set.of(), Set.of(), in -> in)));
    assertSame(r.input().getClass(), fixed.replay(file).result().getClass());
    assertEquals(expected, fixed.replay(file).result());
  }

  @Test
  void replayFilesCanBeTurnedOff() {
    PassManager pm = manager(buggyRename()).withInstrumentation(
        Instrumentation.forTests().toBuilder().replayDirectory(null).build());
    PassFailedException e = fail(pm, IrUnit.of(TestPasses.pipeline(TestPasses.PIPELINE)));
    assertTrue(e.replayFile().isEmpty());
    assertEquals("pass 'rename-func' (3 of 4) threw java.lang.IllegalStateException: cannot rename Func g: it is"
        + " computed at the root", e.getMessage());
  }

  @Test
  void aReplayFileThatCannotBeWrittenIsReportedInTheMessage() throws IOException {
    Path notADirectory = Files.writeString(replays.resolve("file"), "x");
    PassManager pm = manager(buggyRename()).withInstrumentation(
        Instrumentation.forTests().toBuilder().replayDirectory(notADirectory).build());
    PassFailedException e = fail(pm, IrUnit.of(TestPasses.pipeline(TestPasses.PIPELINE)));
    assertTrue(e.replayFile().isEmpty());
    assertTrue(e.getMessage().contains("\nno replay file: cannot write it to " + notADirectory), e.getMessage());
    assertFalse(e.getMessage().contains("replay file: /"), e.getMessage());
  }
}
