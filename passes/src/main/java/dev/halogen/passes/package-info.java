/**
 * The pass API (Pass, PassManager with instrumentation), the analyses (simplifier, interval arithmetic, bounds, solver, CSE, associativity), lowering of the function graph to loop nests, storage flattening, unrolling, vectorization, rfactor and atomics, Target, and the Backend service-provider interface.
 *
 * <p>Placeholder: this module's issue has not come yet. See DESIGN.md section 1 for what it will hold
 * and which modules it may depend on.
 */
package dev.halogen.passes;
