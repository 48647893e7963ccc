package dev.halogen.passes.analysis;

import dev.halogen.ir.Expr;
import java.util.List;

/**
 * Gives the values the evaluator cannot compute by itself: calls to Funcs, images and externs, and
 * loads from buffers. An interpreter plugs its buffers in here. Results must have the call's or load's
 * type; the evaluator checks it.
 */
public interface CallHandler {
  /**
   * The value of a {@link Expr.CallKind#FUNC FUNC}, {@link Expr.CallKind#IMAGE IMAGE} or {@link
   * Expr.CallKind#EXTERN EXTERN} call whose arguments evaluated to {@code args}.
   */
  Value call(Expr.Call call, List<Value> args);

  /**
   * The lanes of {@code load} at element indices {@code index}; lanes whose {@code predicate} lane is
   * false are not read and may hold any value.
   */
  Value load(Expr.Load load, Value index, Value predicate);

  /** A handler that knows nothing: every call and load is an error naming it. */
  CallHandler NONE = new CallHandler() {
    @Override
    public Value call(Expr.Call call, List<Value> args) {
      throw new EvaluationException(
          "no values for " + call.kind().name().toLowerCase() + " call '" + call.name() + "' (" + call.type() + "): the environment has no call handler");
    }

    @Override
    public Value load(Expr.Load load, Value index, Value predicate) {
      throw new EvaluationException(
          "no buffer '" + load.name() + "' to load " + load.type() + " from: the environment has no call handler");
    }
  };
}
