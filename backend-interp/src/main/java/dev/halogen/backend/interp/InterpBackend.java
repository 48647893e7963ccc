package dev.halogen.backend.interp;

import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.IrQueries;
import dev.halogen.ir.IrVerifier;
import dev.halogen.ir.LoweredModule;
import dev.halogen.passes.Arguments;
import dev.halogen.passes.Backend;
import dev.halogen.passes.CompiledModule;
import dev.halogen.passes.Target;
import dev.halogen.passes.analysis.Evaluator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The reference interpreter of lowered IR, the {@code interp} backend: the semantic oracle the other
 * backends are checked against. It runs a module's statements one by one and evaluates every
 * expression with the exact {@link Evaluator}, so its results are the IR's semantics (SEMANTICS.md),
 * bit for bit.
 *
 * <p>It implements the calling convention of {@link LoweredModule.Argument} on modules before and
 * after storage flattening (and mixes of both): Realize/Provide/Func and image calls on
 * multi-dimensional storage, Allocate/Load/Store/Free on flat storage. Every access is checked: one
 * outside its buffer, a failed assertion, a negative or oversized allocation, an int32 loop that
 * would leave the int32 range, all fail the run with a {@link
 * dev.halogen.passes.HalogenRuntimeException} naming what failed. Loops of every kind (parallel,
 * vectorized, unrolled, GPU) run serially in order; {@code Atomic} just runs its body. The storage
 * of a Realize or Allocate starts zero-filled (other backends leave it undefined: a program must
 * not read what it has not written) and is released when the statement ends or at its Free.
 *
 * <p>Target features: {@value #CHECK_INT32_OVERFLOW} evaluates with {@link Evaluator#CHECKING}, so
 * that a signed 32-bit Add, Sub, Mul or Div whose result does not fit (undefined behaviour a
 * program must not rely on) fails the run instead of wrapping.
 *
 * <p>{@link dev.halogen.ir.Expr.CallKind#EXTERN Extern} calls are served by the {@link
 * ExternFunction}s given to the constructor; compiling a module that calls an extern function the
 * backend does not have fails, as linking would.
 */
public final class InterpBackend implements Backend {
  /** The target feature that makes int32 overflow an error. */
  public static final String CHECK_INT32_OVERFLOW = "check_int32_overflow";

  private final Map<String, ExternFunction> externs;

  /** The backend without extern functions: the one {@link java.util.ServiceLoader} makes. */
  public InterpBackend() {
    this(Map.of());
  }

  /** The backend with the extern functions {@code externs}, by name. */
  public InterpBackend(Map<String, ExternFunction> externs) {
    this.externs = Map.copyOf(externs);
  }

  @Override
  public String name() {
    return "interp";
  }

  @Override
  public Set<String> features() {
    return Set.of(CHECK_INT32_OVERFLOW);
  }

  /**
   * Checks {@code module} (with {@link IrVerifier}, at the level before flattening, which also admits
   * flattened code) and that every extern function it calls is available.
   *
   * @throws IllegalArgumentException for a target that is not for this backend or has unknown features, or a missing extern function
   * @throws dev.halogen.ir.IrVerificationException listing the problems of an invalid module
   */
  @Override
  public CompiledModule compile(LoweredModule module, Target target) {
    checkTarget(target);
    IrVerifier.verify(module, false);
    Set<String> missing = new TreeSet<>();
    for (LoweredModule.EntryPoint ep : module.entryPoints()) missing.addAll(IrQueries.calls(ep.body(), CallKind.EXTERN));
    missing.removeAll(externs.keySet());
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("module " + module.name() + " calls extern function(s) " + String.join(", ", missing)
          + ", which the interp backend was not given");
    }
    Evaluator evaluator = target.has(CHECK_INT32_OVERFLOW) ? Evaluator.CHECKING : Evaluator.WRAPPING;
    return new Compiled(module, target, evaluator, externs);
  }

  /** A module ready to interpret: immutable, so runs on many threads at once are independent. */
  private static final class Compiled extends CompiledModule {
    private final Evaluator evaluator;
    private final Map<String, ExternFunction> externs;

    Compiled(LoweredModule module, Target target, Evaluator evaluator, Map<String, ExternFunction> externs) {
      super(module, target);
      this.evaluator = evaluator;
      this.externs = externs;
    }

    @Override
    protected void execute(Arguments arguments) {
      Interpreter.run(module(), arguments, evaluator, externs);
    }
  }
}
