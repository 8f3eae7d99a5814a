package dev.gpush.backend;

/**
 * Random fills, drawn from the counter-based Philox4x32-10 generator so that any device draws the same numbers
 * for the same seed and offset. UNIFORM is in [a, b); NORMAL has mean a and std b; INTEGERS is in [a, b);
 * BERNOULLI is 1 with probability a.
 */
public enum RandomOp { UNIFORM, NORMAL, INTEGERS, BERNOULLI }
