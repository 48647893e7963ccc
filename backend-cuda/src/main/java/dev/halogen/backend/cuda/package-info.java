/**
 * GPU kernels compiled to PTX through LLVM's NVPTX target and run through the JCuda driver API.
 *
 * <p>Placeholder: this module's issue has not come yet. See DESIGN.md section 1 for what it will hold
 * and which modules it may depend on.
 */
package dev.halogen.backend.cuda;
