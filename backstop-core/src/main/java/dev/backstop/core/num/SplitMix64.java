package dev.backstop.core.num;

/**
 * SplitMix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014):
 * the one seeded mixing function of the core. Small, fast and well mixed; deterministic, so it can
 * be carried in state.
 */
public final class SplitMix64 {

  /** The golden-ratio increment of the generator. */
  public static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private SplitMix64() {}

  /** One output of the generator whose state is {@code state}. */
  public static long mix(long state) {
    long z = state + GOLDEN_GAMMA;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
