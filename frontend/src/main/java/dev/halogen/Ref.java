package dev.halogen;

/**
 * The front-end objects an expression can refer to (see {@link Refs}); sealed so that every walk
 * over them handles each kind.
 */
sealed interface Ref permits Func, Param, ImageParam, ConstantBuffer, RDom, Var {}
