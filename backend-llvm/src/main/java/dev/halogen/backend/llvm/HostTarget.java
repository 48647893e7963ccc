package dev.halogen.backend.llvm;

/**
 * The machine the JIT compiles for: the host's LLVM target triple, CPU name and CPU features (as
 * LLVM detects them, so generated code uses every instruction set the host has) and the data layout
 * of that target.
 */
record HostTarget(String triple, String cpu, String features, String dataLayout) {}
