/**
 * Reverse-mode (and forward-mode) automatic differentiation as a pass from Pipeline to Pipeline, and the Derivative that maps each Func, image and parameter to its adjoint.
 *
 * <p>Placeholder: this module's issue has not come yet. See DESIGN.md section 1 for what it will hold
 * and which modules it may depend on.
 */
package dev.halogen.ad;
