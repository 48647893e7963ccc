package dev.halogen;

import dev.halogen.ir.Buffer;
import dev.halogen.ir.Expr.CallKind;
import dev.halogen.ir.Parameter;
import dev.halogen.ir.Type;

/**
 * A buffer whose contents become part of the pipeline (a lookup table, filter weights), read like
 * an image with {@link #at}. In the IR it is a {@link Parameter.Constant} that holds this very
 * buffer, so its contents are those at the time the IR is used.
 */
public final class ConstantBuffer implements FuncLike, Ref {
  private final String name;
  private final Buffer buffer;

  public ConstantBuffer(String name, Buffer buffer) {
    this.name = Names.checkUser(name, "ConstantBuffer");
    this.buffer = buffer;
  }

  private ConstantBuffer(Buffer buffer, String generatedName) {
    this.name = generatedName;
    this.buffer = buffer;
  }

  /**
   * A constant buffer the front end makes (an adjoint given as a Buffer), named {@code base_N}: the
   * IR's parameter list keeps names as they are, so a generated {@code '$'} name would not be
   * renumbered together with the calls to it.
   */
  static ConstantBuffer generated(String base, Buffer buffer) {
    return new ConstantBuffer(buffer, Names.fresh(base).replace('$', '_'));
  }

  @Override
  public String name() {
    return name;
  }

  public Buffer buffer() {
    return buffer;
  }

  public Type type() {
    return buffer.type();
  }

  @Override
  public int dimensions() {
    return buffer.dimensions();
  }

  @Override
  public Expr at(Object... args) {
    String callee = "ConstantBuffer " + name;
    return CallArgs.call(this, callee, buffer.type(), name, CallKind.IMAGE, 0,
        CallArgs.expand(callee, buffer.dimensions(), CallArgs.of(callee, args)));
  }

  Parameter.Constant toIr() {
    return new Parameter.Constant(name, buffer);
  }

  @Override
  public String toString() {
    return name;
  }
}
