/**
 * The gradient-aware automatic scheduler for CPU and GPU targets, using rfactor and atomics for the large reductions that gradients produce.
 *
 * <p>Placeholder: this module's issue has not come yet. See DESIGN.md section 1 for what it will hold
 * and which modules it may depend on.
 */
package dev.halogen.autoschedule;
