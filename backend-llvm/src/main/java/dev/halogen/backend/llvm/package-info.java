/**
 * LLVM IR code generation through bytedeco LLVM, ORC JIT, the FFM calling convention, the parallel runtime, and ahead-of-time object / shared-library output with a C header.
 *
 * <p>Placeholder: this module's issue has not come yet. See DESIGN.md section 1 for what it will hold
 * and which modules it may depend on.
 */
package dev.halogen.backend.llvm;
