/**
 * GPU kernels emitted as OpenCL C and run through the bytedeco OpenCL runtime (PoCL on CPU-only machines).
 *
 * <p>Placeholder: this module's issue has not come yet. See DESIGN.md section 1 for what it will hold
 * and which modules it may depend on.
 */
package dev.halogen.backend.opencl;
