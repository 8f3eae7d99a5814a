package dev.gpush.backend;

/** Reductions over a set of dims. ARGMAX and ARGMIN write int64 positions, counted along the one reduced dim. */
public enum ReduceOp { SUM, PROD, MAX, MIN, ARGMAX, ARGMIN }
