package dev.halogen.backend.interp;

import dev.halogen.passes.analysis.Value;
import java.util.List;

/**
 * The implementation of an {@link dev.halogen.ir.Expr.CallKind#EXTERN EXTERN} function for the
 * interpreter: given the values of a call's arguments, returns a value of the call's type (which
 * the evaluator checks). Extern functions are pure in the IR's semantics: the interpreter may call
 * them any number of times.
 */
@FunctionalInterface
public interface ExternFunction {
  Value apply(List<Value> args);
}
