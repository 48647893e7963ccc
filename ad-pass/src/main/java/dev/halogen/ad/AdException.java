package dev.halogen.ad;

/** A pipeline that automatic differentiation cannot handle; the message names the Func, stage or function and why. */
public final class AdException extends RuntimeException {
  public AdException(String message) {
    super(message);
  }
}
