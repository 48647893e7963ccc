package dev.halogen.passes;

import static dev.halogen.passes.IrProperty.FUNCTION_GRAPH;
import static dev.halogen.passes.IrProperty.LOOPS_BUILT;
import static dev.halogen.passes.IrProperty.STORAGE_FLATTENED;
import static dev.halogen.passes.TestPasses.pass;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.halogen.ir.IrVerificationException;
import dev.halogen.ir.IrVerifier;
import dev.halogen.ir.Pipeline;
import dev.halogen.ir.text.IrParser;
import dev.halogen.ir.text.IrPrinter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the manager checks while running: verification after each pass, forms, the same-instance contract. */
class PassContractTest {
  @TempDir Path replays;

  private Instrumentation forTests() {
    return Instrumentation.forTests().toBuilder().replayDirectory(replays).build();
  }

  private PassRun run(Instrumentation ins, IrUnit input, Pass... passes) {
    return PassManager.builder().addAll(List.of(passes)).instrumentation(ins).build().run(input);
  }

  private static IrUnit input() {
    return IrUnit.of(TestPasses.pipeline(TestPasses.PIPELINE));
  }

  @Test
  void forTestsVerifiesAndChecksTheSameInstanceContract() {
    Instrumentation t = Instrumentation.forTests();
    assertTrue(t.verifyEach());
    assertTrue(t.checkSameInstance());
    Instrumentation d = Instrumentation.defaults();
    assertEquals(List.of(false, false, false, false, false),
        List.of(d.printAfterAll(), d.printChanges(), d.verifyEach(), d.checkSameInstance(), d.timePasses()));
    assertEquals(null, d.dumpDirectory());
    assertEquals(Path.of(System.getProperty("java.io.tmpdir")), d.replayDirectory());
  }

  @Test
  void verifyAfterEachPassNamesThePassThatBrokeTheIr() {
    // Renaming g without its callers leaves a call to a Func that is not there.
    Pass buggyRename = TestPasses.rename("g", "h", false);
    PassFailedException e = assertThrows(PassFailedException.class,
        () -> run(forTests(), input(), new VerifyGraphPass(), TestPasses.strip(), buggyRename, TestPasses.doNothing()));
    assertEquals("rename-func", e.passName());
    assertEquals(3, e.passIndex());
    IrVerificationException cause = assertInstanceOf(IrVerificationException.class, e.getCause());
    assertEquals(List.of(new IrVerifier.Problem("Func out, pure definition, value 0", "calls g, which is not a Func of the pipeline")),
        cause.problems());
    assertTrue(e.getMessage().startsWith("pass 'rename-func' (3 of 4) produced invalid IR: the IR has 1 problem:\n"
        + "  Func out, pure definition, value 0: calls g, which is not a Func of the pipeline\nreplay file: "), e.getMessage());
    // Without verification nothing notices.
    PassRun unchecked = run(Instrumentation.defaults(), input(), new VerifyGraphPass(), TestPasses.strip(), buggyRename);
    assertEquals(List.of("f", "h", "out"), List.copyOf(((IrUnit.Graph) unchecked.result()).pipeline().functions().keySet()));
  }

  @Test
  void anInvalidInputIsRejectedBeforeAnyPassWhenVerifying() {
    Pipeline broken = TestPasses.rename(TestPasses.pipeline(TestPasses.PIPELINE), "g", "h", false);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> run(forTests(), IrUnit.of(broken), TestPasses.doNothing()));
    assertEquals("the input of the passes is invalid: the IR has 1 problem:\n"
        + "  Func out, pure definition, value 0: calls g, which is not a Func of the pipeline", e.getMessage());
  }

  @Test
  void loweredIrIsVerifiedAsFlattenedOnceStorageFlattenedHolds() {
    // The loop nests still hold Realize and Provide: valid before flattening...
    PassRun ok = run(forTests(), input(), TestPasses.toLoops(), TestPasses.stripLoops());
    assertEquals(Set.of(LOOPS_BUILT), ok.properties());
    // ...but not once a pass claims storage is flat.
    Pass claimFlattened = pass("claim-flattened", Set.of(LOOPS_BUILT), Set.of(STORAGE_FLATTENED), Set.of(), in -> in);
    PassFailedException e = assertThrows(PassFailedException.class,
        () -> run(forTests(), input(), TestPasses.toLoops(), claimFlattened));
    assertEquals("claim-flattened", e.passName());
    IrVerificationException cause = assertInstanceOf(IrVerificationException.class, e.getCause());
    assertEquals(new IrVerifier.Problem("entry point m, body", "Realize of g after storage flattening"),
        cause.problems().getFirst());
  }

  @Test
  void aPassGivenTheWrongFormFailsWithAClearError() {
    // A pass that declares nothing but only works on the function graph, run after lowering.
    Pass graphOnly = pass("graph-only", Set.of(), Set.of(), Set.of(), in -> in.asGraph("graph-only"));
    PassFailedException e = assertThrows(PassFailedException.class,
        () -> run(forTests(), input(), TestPasses.toLoops(), graphOnly));
    assertEquals("graph-only", e.passName());
    assertEquals("pass 'graph-only' works on the function graph (FUNCTION_GRAPH), but got loop nests (LOOPS_BUILT)",
        e.getCause().getMessage());
    IllegalArgumentException direct = assertThrows(IllegalArgumentException.class, () -> input().asLoops("flatten"));
    assertEquals("pass 'flatten' works on loop nests (LOOPS_BUILT), but got the function graph (FUNCTION_GRAPH)",
        direct.getMessage());
    // VerifyGraphPass checks its form itself.
    IrUnit loops = new IrUnit.Loops(TestPasses.module(TestPasses.MODULE), TestPasses.pipeline(TestPasses.PIPELINE));
    assertThrows(IllegalArgumentException.class, () -> new VerifyGraphPass().run(loops));
  }

  @Test
  void aPassMustReturnTheFormItsPropertiesSay() {
    // Lowers without saying so.
    Pass sneaky = pass("sneaky-lower", Set.of(FUNCTION_GRAPH), Set.of(), Set.of(),
        in -> new IrUnit.Loops(TestPasses.module(TestPasses.MODULE), in.asGraph("sneaky-lower").pipeline()));
    PassFailedException e = assertThrows(PassFailedException.class, () -> run(Instrumentation.defaults().toBuilder()
        .replayDirectory(replays).build(), input(), sneaky));
    assertEquals("pass 'sneaky-lower' (1 of 1) broke the pass contract: it returned loop nests (LOOPS_BUILT), but"
        + " after it the properties say the unit is the function graph (FUNCTION_GRAPH); a pass that changes the form"
        + " establishes the new form property and invalidates the old one", e.getMessage().lines().findFirst().orElseThrow());
    assertInstanceOf(IllegalStateException.class, e.getCause());
  }

  @Test
  void aPassMustNotReturnNull() {
    Pass nothing = pass("returns-null", Set.of(), Set.of(), Set.of(), in -> null);
    PassFailedException e = assertThrows(PassFailedException.class, () -> run(forTests(), input(), nothing));
    assertTrue(e.getMessage().startsWith("pass 'returns-null' (1 of 1) broke the pass contract: it returned null;"),
        e.getMessage());
  }

  @Test
  void anUnchangedPassReturnsItsInputInstance() {
    IrUnit in = input();
    PassRun r = run(forTests(), in, new VerifyGraphPass(), TestPasses.doNothing());
    assertSame(in, r.result());
    // strip-add-zero on a pipeline without + 0 changes nothing: IrRewriter keeps the instance.
    IrUnit stripped = IrUnit.of(TestPasses.pipeline(TestPasses.STRIPPED));
    PassRun s = run(forTests(), stripped, new VerifyGraphPass(), TestPasses.strip());
    assertSame(stripped, s.result());
    assertEquals(List.of(false, false), s.timings().rows().stream().map(PassTimings.Row::changed).toList());
  }

  /** Returns an equal copy of its input: text printed and parsed back. */
  private static final Pass REPARSE = pass("reparse", Set.of(FUNCTION_GRAPH), Set.of(), Set.of(),
      in -> IrUnit.of(IrParser.parsePipeline(IrPrinter.print(in.asGraph("reparse").pipeline()))));

  @Test
  void anEqualButDifferentResultBreaksTheContractWhenChecked() {
    PassFailedException e = assertThrows(PassFailedException.class, () -> run(forTests(), input(), REPARSE));
    assertEquals("reparse", e.passName());
    assertEquals("it returned a unit equal to its input but not the same instance; a pass that changes nothing must"
        + " return its input (IrRewriter and IrUnit.with* keep unchanged instances)", e.getCause().getMessage());
  }

  @Test
  void anEqualButDifferentResultCountsAsChangedWhenNotChecked() {
    StringBuilder out = new StringBuilder();
    IrUnit in = input();
    PassRun r = run(Instrumentation.builder().printChanges(true).output(out::append).build(), in, REPARSE);
    assertEquals(in, r.result());
    assertTrue(r.result() != in);
    assertEquals(List.of(true), r.timings().rows().stream().map(PassTimings.Row::changed).toList());
    // The texts are equal, so there is no diff to print.
    assertEquals("", out.toString());
  }

  @Test
  void theInputMustHaveTheInitialForm() {
    IrUnit loops = new IrUnit.Loops(TestPasses.module(TestPasses.MODULE), TestPasses.pipeline(TestPasses.PIPELINE));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> run(Instrumentation.defaults(), loops, TestPasses.doNothing()));
    assertEquals("the passes start from the function graph (FUNCTION_GRAPH), but the input is loop nests (LOOPS_BUILT)",
        e.getMessage());
    // A list that starts from loop nests takes them.
    PassRun r = PassManager.builder().initialProperties(Set.of(LOOPS_BUILT)).add(TestPasses.stripLoops())
        .instrumentation(forTests()).build().run(loops);
    assertEquals(TestPasses.module(TestPasses.MODULE.replace("in(x) * k + 0", "in(x) * k")),
        ((IrUnit.Loops) r.result()).module());
  }

  @Test
  void errorsOtherThanExceptionsThatAreBugsInThePassAreReportedToo() {
    Pass recursive = pass("recurse", Set.of(), Set.of(), Set.of(), in -> {
      throw new StackOverflowError("too deep");
    });
    PassFailedException e = assertThrows(PassFailedException.class, () -> run(forTests(), input(), recursive));
    assertInstanceOf(StackOverflowError.class, e.getCause());
    Pass asserting = pass("asserting", Set.of(), Set.of(), Set.of(), in -> {
      throw new AssertionError("unreachable");
    });
    e = assertThrows(PassFailedException.class, () -> run(forTests(), input(), asserting));
    assertTrue(e.getMessage().startsWith("pass 'asserting' (1 of 1) threw java.lang.AssertionError: unreachable"),
        e.getMessage());
    Pass silent = TestPasses.throwing("silent", new UnsupportedOperationException());
    e = assertThrows(PassFailedException.class, () -> run(forTests(), input(), silent));
    assertTrue(e.getMessage().startsWith("pass 'silent' (1 of 1) threw java.lang.UnsupportedOperationException:"
        + " (no message)\nreplay file: "), e.getMessage());
    assertEquals("pass 'silent' (1 of 1) threw java.lang.UnsupportedOperationException: (no message)",
        ReplayFile.read(e.replayFile().orElseThrow()).failure());
  }
}
