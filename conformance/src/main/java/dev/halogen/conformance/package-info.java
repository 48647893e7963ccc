/**
 * The conformance suites (autodiff catalog, forward semantics, backend equivalence, serialization) and their report.
 *
 * <p>Placeholder: this module's issue has not come yet. See DESIGN.md section 1 for what it will hold
 * and which modules it may depend on.
 */
package dev.halogen.conformance;
