/**
 * The reference interpreter of lowered IR, registered as the interp backend: the semantic oracle every other backend is checked against.
 *
 * <p>Placeholder: this module's issue has not come yet. See DESIGN.md section 1 for what it will hold
 * and which modules it may depend on.
 */
package dev.halogen.backend.interp;
