package dev.halogen.ad;

import dev.halogen.ir.Function;
import java.util.Map;

/**
 * Derivative rules a user registers instead of differentiating through (autodiff.md section 0:
 * Halide has none, issue #4118): rules of extern functions by name, used by both modes, and
 * backward rules of whole Funcs by name, used by reverse mode.
 *
 * @param externs the rule of each extern function, by name
 * @param funcs the backward rule of each Func, by name
 */
public record CustomRules(Map<String, ExternAdjoint> externs, Map<String, FuncAdjoint> funcs) {
  /** No custom rules. */
  public static final CustomRules NONE = new CustomRules(Map.of(), Map.of());

  public CustomRules {
    externs = Map.copyOf(externs);
    funcs = Map.copyOf(funcs);
  }

  /**
   * The backward rule of one Func {@code f}: reverse mode does not differentiate {@code f}'s
   * definitions; the adjoint of each of its inputs is the Function the rule gives for it.
   *
   * @param adjoint the name by which the rule's Functions call the adjoint of {@code f}'s values:
   *     reverse mode defines a Function of that name (with {@code f}'s dimensions and value count)
   * @param inputs for each input (a Func {@code f} calls, an image it reads or a float scalar
   *     parameter it uses), by name, the Function whose values are that input's adjoint; it has the
   *     input's dimensions and value count
   */
  public record FuncAdjoint(String adjoint, Map<String, Function> inputs) {
    public FuncAdjoint {
      inputs = Map.copyOf(inputs);
    }
  }
}
