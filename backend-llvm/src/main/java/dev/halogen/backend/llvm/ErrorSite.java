package dev.halogen.backend.llvm;

import dev.halogen.ir.Expr;
import dev.halogen.ir.Stmt.AssertStmt;
import dev.halogen.ir.Type;
import dev.halogen.passes.HalogenRuntimeException;
import dev.halogen.passes.analysis.Value;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A place in generated code that can fail a run. Failing code stores the site's index + 1 and the
 * site's run-time values (one 64-bit word each: integers sign- or zero-extended by their type,
 * floats as the bits of the double they widen to exactly, handles as addresses) in the error area;
 * the Java caller turns them into the {@link HalogenRuntimeException} the interpreter would throw.
 */
sealed interface ErrorSite {
  /** How many 64-bit values the failing code stores. */
  int slots();

  /** The exception of this failure, given the stored {@code values}. */
  HalogenRuntimeException failure(long[] values);

  /** A failed {@link AssertStmt}: stores each argument's lanes, except string arguments, which are known here. */
  record AssertFailure(AssertStmt stmt) implements ErrorSite {
    /** The words argument {@code arg} takes: none for a string, one per lane otherwise. */
    static int slots(Expr arg) {
      return arg instanceof Expr.StringImm ? 0 : arg.type().lanes();
    }

    @Override
    public int slots() {
      return stmt.args().stream().mapToInt(AssertFailure::slots).sum();
    }

    @Override
    public HalogenRuntimeException failure(long[] values) {
      List<Value> args = new ArrayList<>(stmt.args().size());
      int at = 0;
      for (Expr arg : stmt.args()) {
        int n = slots(arg);
        args.add(value(arg, values, at));
        at += n;
      }
      return HalogenRuntimeException.assertionFailed(stmt.message(), args);
    }

    private static Value value(Expr arg, long[] values, int at) {
      Type t = arg.type();
      if (arg instanceof Expr.StringImm(String s)) return new Value.Handle(s);
      if (t.isHandle()) return new Value.Handle(MemorySegment.ofAddress(values[at]));
      if (t.isFloat()) {
        double[] lanes = new double[t.lanes()];
        for (int i = 0; i < lanes.length; i++) lanes[i] = Double.longBitsToDouble(values[at + i]);
        return Value.ofFloats(t, lanes);
      }
      long[] lanes = new long[t.lanes()];
      System.arraycopy(values, at, lanes, 0, lanes.length);
      return Value.ofInts(t, lanes);
    }
  }

  /** A loop whose last iteration lies beyond the int32 range; stores its min and extent. */
  record LoopBeyondInt32(String loop) implements ErrorSite {
    @Override
    public int slots() {
      return 2;
    }

    @Override
    public HalogenRuntimeException failure(long[] values) {
      return HalogenRuntimeException.loopBeyondInt32(loop, (int) values[0], (int) values[1]);
    }
  }

  /** Storage ({@code what}: {@code Allocate of tmp}) with a negative extent in {@code dimension}; stores the extent. */
  record NegativeExtent(String what, int dimension) implements ErrorSite {
    @Override
    public int slots() {
      return 1;
    }

    @Override
    public HalogenRuntimeException failure(long[] values) {
      return HalogenRuntimeException.negativeExtent(what, (int) values[0], dimension);
    }
  }

  /** Storage whose extents multiply to more than int32 indices address; stores every extent. */
  record TooManyElements(String what, int dimensions) implements ErrorSite {
    @Override
    public int slots() {
      return dimensions;
    }

    @Override
    public HalogenRuntimeException failure(long[] values) {
      int[] extents = new int[dimensions];
      for (int d = 0; d < dimensions; d++) extents[d] = (int) values[d];
      return HalogenRuntimeException.tooManyElements(what, extents);
    }
  }

  /** A heap allocation that {@code malloc} refused; stores the size in bytes. */
  record OutOfMemory(String what) implements ErrorSite {
    @Override
    public int slots() {
      return 1;
    }

    @Override
    public HalogenRuntimeException failure(long[] values) {
      return new HalogenRuntimeException(what + ": out of memory: the allocation of " + values[0] + " bytes failed");
    }
  }
}
