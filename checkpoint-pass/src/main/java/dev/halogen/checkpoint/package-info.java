/**
 * Chooses, for each forward stage that a gradient pipeline reads, whether to store it (compute_root or compute_at) or recompute it (inline), minimising time under a memory budget.
 *
 * <p>Placeholder: this module's issue has not come yet. See DESIGN.md section 1 for what it will hold
 * and which modules it may depend on.
 */
package dev.halogen.checkpoint;
