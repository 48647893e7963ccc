package dev.halogen.passes.analysis;

/** An expression cannot be evaluated: an unbound variable, an unknown call, a value of the wrong type. */
public class EvaluationException extends RuntimeException {
  public EvaluationException(String message) {
    super(message);
  }
}
