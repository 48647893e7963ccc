package dev.halogen.passes.lower;

import dev.halogen.ir.Expr;
import dev.halogen.ir.ForKind;
import dev.halogen.ir.IrQueries;
import dev.halogen.ir.IrRewriter;
import dev.halogen.ir.LoweredModule;
import dev.halogen.ir.Stmt;
import dev.halogen.ir.Stmt.For;
import dev.halogen.ir.Stmt.LetStmt;
import dev.halogen.ir.text.IrPrinter;
import dev.halogen.passes.IrProperty;
import dev.halogen.passes.IrUnit;
import dev.halogen.passes.LoopsPass;
import dev.halogen.passes.analysis.Simplifier;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code vectorize-loops}: replaces every loop of kind {@code vectorized} by vector code (Halide's
 * {@code vectorize_loops}), on flattened storage.
 *
 * <p>A vectorized loop {@code for (x, m, n)} whose extent simplifies to a constant {@code n >= 2}
 * becomes its body with {@code x} replaced by {@code ramp(m, 1, n)} (a min that is not a variable or
 * constant is bound to a scalar let of the loop's name first), and everything that depends on
 * {@code x} widened to {@code n} lanes, lane {@code i} computing what iteration {@code m + i} did:
 *
 * <ul>
 *   <li>arithmetic, comparisons, logic, casts and selects with a lane-dependent operand become vector
 *       operations, scalar operands broadcast; a Ramp plus, minus or times a scalar, and the sum or
 *       difference of Ramps, stay Ramps (exact in wrapping arithmetic), so affine indices stay
 *       visibly affine;
 *   <li>math functions and intrinsics apply lane by lane;
 *   <li>a load at a lane-dependent index is a vector load, predicated by the active lanes (below);
 *   <li>a store of a lane-dependent value or at a lane-dependent index is a vector store (a scalar
 *       value broadcast), predicated by the active lanes;
 *   <li>a let ({@code Let} or {@code LetStmt}) bound to an affine value ({@code ramp(b, s, n)} with a
 *       stride that reads no memory) keeps its name as a scalar let of {@code b}, its uses becoming
 *       {@code ramp(name, s, n)}; a let bound to another vector keeps its name and becomes a vector
 *       let (its variable changes type with it, which is what the verifier checks); inner binders are
 *       renamed only where a replacement would be captured;
 *   <li>an {@code if} whose condition {@code c} depends on the lane becomes {@code if (all lanes of c)
 *       { dense body } else { body with its lane-dependent loads and stores predicated by c }}; an
 *       {@code else} branch likewise with {@code !c}. A comparison of affine int32 values (Ramps and
 *       Broadcasts) holds on all lanes iff it holds at the first and last lane (one of them when the
 *       stride's sign is known); other conditions use {@code vector_reduce<and>}. Inside a predicated
 *       branch, a nested lane-dependent {@code if} predicates with the conjunction. A condition that
 *       reads memory is bound to a vector let {@code <loop>.cond} first, since the branch may write
 *       what it reads. A predicated branch that still holds lane-independent work (a scalar load or
 *       store, an assertion, a loop) is guarded by {@code if (vector_reduce<or>(c))}, because with no
 *       lane active the serial loop would not have done that work. This is how GUARD_WITH_IF tails
 *       become predicated tails;
 *   <li>an inner loop whose bounds do not depend on the lane stays a scalar loop with a vectorized
 *       body; statements that do not depend on the lane run once for all lanes.
 * </ul>
 *
 * <p>Loops are vectorized innermost first. What cannot be vectorized exactly makes the WHOLE loop
 * a serial loop instead (exact, and no vectorized loop remains, so {@link IrProperty#VECTORIZED}
 * holds): an {@code Allocate} or {@code Free} inside it (an allocation would need one copy per
 * lane); an inner loop whose bounds depend on the lane; an {@code Atomic}; an assertion whose
 * condition or message arguments depend on the lane; a store of a lane-dependent value at a
 * lane-independent index, or at a lane-dependent index that is not affine with a non-zero stride (a
 * scatter such as the histogram {@code h[in[x]] = h[in[x]] + 1}, where two lanes may write one
 * element and a read-modify-write would lose updates); an extern call with a lane-dependent argument
 * (extern functions take scalars) or evaluated for its effect; vector code already inside (a
 * vectorized loop nested in this one, which stays vectorized); storage that is not flattened. A
 * read-modify-write at an affine index ({@code f[x] = f[x] + 1}) is vectorized: no two lanes touch
 * one element. An extent that is a constant below 1 also leaves a serial loop (it runs nothing);
 * an extent of 1 binds the variable to the min with a let.
 *
 * <p>Like Halide, the pass relies on what the loop kind promises: the iterations of a vectorized
 * loop are independent ({@link ForKind#isUnordered()}), which the schedule guarantees, so running
 * each statement for all lanes before the next is the loop's meaning. An affine store index with a
 * symbolic stride (a buffer stride) is taken to write distinct elements. Inactive lanes compute
 * their arithmetic too (only their loads and stores are masked), and comparisons of affine values
 * assume int32 arithmetic does not overflow, as the simplifier does.
 *
 * <p>A non-constant extent is a schedule error ({@link ScheduleException}).
 */
public final class VectorizeLoopsPass extends LoopsPass {
  public static final String NAME = "vectorize-loops";

  public VectorizeLoopsPass() {
    super(NAME, "replace vectorized loops by vector code (ramps, broadcasts, predicated loads and stores), or serial loops where that is not exact",
        Set.of(IrProperty.LOOPS_BUILT, IrProperty.STORAGE_FLATTENED), // requires
        Set.of(IrProperty.VECTORIZED), // establishes
        Set.of(IrProperty.SIMPLIFIED, IrProperty.CSE_APPLIED)); // invalidates
  }

  @Override
  protected LoweredModule transform(IrUnit.Loops loops) {
    return vectorize(loops.module());
  }

  /**
   * {@code m} with every vectorized loop replaced; {@code m} itself when it has none.
   *
   * @throws ScheduleException for a vectorized loop whose extent is not a constant
   */
  public static LoweredModule vectorize(LoweredModule m) {
    return REWRITER.rewrite(m);
  }

  /** {@code s} with every vectorized loop replaced; {@code s} itself when it has none. */
  public static Stmt vectorize(Stmt s) {
    return REWRITER.rewrite(s);
  }

  private static final IrRewriter REWRITER = new IrRewriter() {
    @Override
    public Stmt rewrite(Stmt s) {
      Stmt inner = rewriteChildren(s);
      return inner instanceof For f && f.kind() == ForKind.VECTORIZED ? vectorizeLoop(f) : inner;
    }
  };

  /** The replacement of vectorized loop {@code f}, whose inner loops are done already. */
  private static Stmt vectorizeLoop(For f) {
    OptionalLong extent = IrQueries.asConstInt(Simplifier.simplify(f.extent()));
    if (extent.isEmpty()) {
      throw new ScheduleException(LoopNames.describe(f.name()) + ": cannot vectorize loop " + f.name() + ": its extent "
          + IrPrinter.print(f.extent()) + " is not a constant; split it by a constant factor first");
    }
    long n = extent.getAsLong();
    if (n == 1) return new LetStmt(f.name(), f.min(), f.body());
    if (n < 1 || n > Integer.MAX_VALUE) return serial(f);
    try {
      return LoopVectorizer.vectorize(f, (int) n);
    } catch (LoopVectorizer.CannotVectorize e) {
      return serial(f);
    }
  }

  private static Stmt serial(For f) {
    return new For(f.name(), f.min(), f.extent(), ForKind.SERIAL, f.deviceApi(), f.body());
  }

  /**
   * Why vectorized loop {@code f} (with constant extent {@code lanes >= 2}) stays serial, or null when
   * it is vectorized; its inner loops are done first, as the pass does.
   */
  static @Nullable String whyNotVectorized(For f, int lanes) {
    try {
      LoopVectorizer.vectorize((For) REWRITER.rewriteChildren(f), lanes);
      return null;
    } catch (LoopVectorizer.CannotVectorize e) {
      return e.getMessage();
    }
  }
}
