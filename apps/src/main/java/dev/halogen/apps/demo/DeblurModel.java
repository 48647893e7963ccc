package dev.halogen.apps.demo;

import dev.halogen.BoundaryConditions;
import dev.halogen.Derivative;
import dev.halogen.Exprs;
import dev.halogen.Func;
import dev.halogen.Gradients;
import dev.halogen.ImageParam;
import dev.halogen.Param;
import dev.halogen.Pipeline;
import dev.halogen.RDom;
import dev.halogen.Var;
import dev.halogen.ir.Type;

/**
 * The image-formation model of the deblurring demo, written once in Halogen and differentiated: an
 * observed image is a latent sharp image, extended by repeating its edge, convolved with a blur
 * kernel of {@value #RADIUS2}x{@value #RADIUS2} taps centred on the origin. The energy to minimize
 * is the data term {@code ½ Σ (K ∗ L - B)²} plus a total-variation prior {@code λ Σ sqrt(|∇L|² + ε)},
 * and its gradients with respect to the latent image and to the kernel come from {@link
 * Gradients#propagateAdjoints}.
 */
final class DeblurModel {
  /** The kernel's radius: taps at offsets {@code -RADIUS .. RADIUS} in each dimension. */
  static final int RADIUS = 2;
  static final int RADIUS2 = 2 * RADIUS + 1;
  /** Keeps the total variation differentiable where the image is flat. */
  private static final float EPSILON = 1e-4f;

  final ImageParam latent = new ImageParam("latent", Type.F32, 2);
  final ImageParam observed = new ImageParam("observed", Type.F32, 2);
  final ImageParam kernel = new ImageParam("kernel", Type.F32, 2);
  final Param tvWeight = new Param("tv_weight", Type.F32, 0.0);
  /** {@code K ∗ L}, over any region. */
  final Func blurred = new Func("blurred");
  /** The energy: a zero-dimensional Func. */
  final Func energy = new Func("energy");
  /** The gradient of the energy with respect to the latent image. */
  final Func dLatent;
  /** The gradient of the energy with respect to the kernel. */
  final Func dKernel;

  DeblurModel() {
    Var x = new Var("x"), y = new Var("y");
    Func clamped = BoundaryConditions.repeatEdge(latent);
    RDom k = new RDom("k", -RADIUS, RADIUS2, -RADIUS, RADIUS2);
    blurred.at(x, y).set(0f);
    blurred.at(x, y).plusAssign(clamped.at(x.minus(k.x()), y.minus(k.y())).times(kernel.at(k.x(), k.y())));

    Func tv = new Func("tv");
    var dx = clamped.at(x.plus(1), y).minus(clamped.at(x, y));
    var dy = clamped.at(x, y.plus(1)).minus(clamped.at(x, y));
    tv.at(x, y).set(Exprs.sqrt(dx.times(dx).plus(dy.times(dy)).plus(EPSILON)));

    Func pointEnergy = new Func("point_energy");
    var residual = blurred.at(x, y).minus(observed.at(x, y));
    pointEnergy.at(x, y).set(residual.times(residual).times(0.5f).plus(tvWeight.times(tv.at(x, y))));

    RDom p = new RDom("p", observed);
    energy.at().set(0f);
    energy.at().plusAssign(pointEnergy.at(p.x(), p.y()));

    Derivative d = Gradients.propagateAdjoints(energy);
    dLatent = d.of(latent);
    dKernel = d.of(kernel);

    // Schedules: the convolutions, forward and adjoint, at the root, parallel over rows and vectorized.
    blurred.computeRoot().parallel(y).vectorize(x, 8);
    blurred.update(0).parallel(y).vectorize(x, 8);
    tv.computeRoot().parallel(y).vectorize(x, 8);
    for (Func f : new Func[] {d.of(blurred), d.of(clamped), d.of(tv)}) {
      Var fx = new Var(f.args().get(0)), fy = new Var(f.args().get(1));
      f.computeRoot().parallel(fy).vectorize(fx, 8);
    }
  }

  /** The energy and the latent image's gradient, compiled once. */
  Pipeline latentStep() {
    return new Pipeline(energy, dLatent);
  }

  /** The energy and the kernel's gradient, compiled once. */
  Pipeline kernelStep() {
    return new Pipeline(energy, dKernel);
  }

  /** The blur alone: makes the observed image from a sharp one. */
  Pipeline blur() {
    return new Pipeline(blurred);
  }
}
