package dev.backstop.core.testing;

/**
 * A property failure together with the input it was shrunk to; {@link Tries} reports the shrunk
 * input with the seed, and the original failure as the cause.
 */
public final class Counterexample extends AssertionError {

  Counterexample(String shrunk, Throwable original) {
    super(shrunk, original);
  }
}
