/**
 * Automatic differentiation on the function graph (autodiff.md section 2): reverse mode ({@link
 * dev.halogen.ad.ReverseAd}) and forward mode ({@link dev.halogen.ad.ForwardAd}), over one set of
 * derivative rules (package-private {@code Partials}).
 *
 * <p>Layering: frontend depends on ad-pass, so this module works on the IR only. {@link
 * dev.halogen.ad.ReverseAd#propagate} takes an IR {@link dev.halogen.ir.Pipeline}, the output's
 * name, an adjoint {@link dev.halogen.ir.Function} and {@code {min, extent}} bounds, and returns
 * the adjoint Functions (per stage of every Func, per float image and float scalar parameter);
 * they call the forward Funcs, images and parameters by name. {@link
 * dev.halogen.ad.ForwardAd#propagate} takes a seed Function per input and returns the tangent
 * Functions. {@link dev.halogen.ad.CustomRules} carries user rules for extern functions and Funcs.
 * The public {@code Gradients} API, which takes front-end Funcs and returns Funcs, lives in the
 * frontend and wraps this.
 */
package dev.halogen.ad;
