package dev.halogen;

/** A Func given for an input of a pipeline (a tangent seed, a custom adjoint), with the input object it is for. */
record InputFunc(Ref input, Func func) {}
