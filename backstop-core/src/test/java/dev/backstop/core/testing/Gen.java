package dev.backstop.core.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.LongStream;

/**
 * Seeded random values for property tests. A number in a range is an edge case (a bound, 0, ±1,
 * ±10^k, {@code Long.MIN_VALUE}, {@code Long.MAX_VALUE}) one time in eight, a value of a uniformly
 * chosen bit length around the point of the range nearest zero three times in eight (so that small
 * and huge values are both common), and uniform in the range otherwise.
 */
public final class Gen {

  private static final long[] EDGES =
      LongStream.concat(
              LongStream.of(0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE),
              LongStream.iterate(10, p -> p * 10).limit(18).flatMap(p -> LongStream.of(p, -p)))
          .toArray();

  private final SplittableRandom random;

  /** Values that are a pure function of the seed. */
  public Gen(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** True or false. */
  public boolean booleans() {
    return random.nextBoolean();
  }

  /** Any long. */
  public long longs() {
    return longs(Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** A long in {@code [min, max]}. */
  public long longs(long min, long max) {
    if (min > max) {
      throw new IllegalArgumentException("empty range [" + min + ", " + max + "]");
    }
    int roll = random.nextInt(8);
    if (roll == 0) {
      return edge(min, max);
    }
    return roll < 4 ? anyMagnitude(min, max) : uniform(min, max);
  }

  /** An int in {@code [min, max]}. */
  public int ints(int min, int max) {
    return (int) longs(min, max);
  }

  /** A list of {@code [minSize, maxSize]} elements, each drawn by {@code element} from this. */
  public <T> List<T> lists(int minSize, int maxSize, Function<Gen, T> element) {
    int size = ints(minSize, maxSize);
    List<T> list = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      list.add(element.apply(this));
    }
    return List.copyOf(list);
  }

  private long edge(long min, long max) {
    long[] candidates =
        LongStream.concat(LongStream.of(min, min + 1, max - 1, max), Arrays.stream(EDGES))
            .filter(v -> v >= min && v <= max)
            .toArray();
    return candidates[random.nextInt(candidates.length)];
  }

  private long anyMagnitude(long min, long max) {
    long center = Math.max(min, Math.min(max, 0));
    boolean up = center == min || (center != max && random.nextBoolean());
    // The distance to the bound, unsigned: it is 2^63 for [Long.MIN_VALUE, 0].
    long room = up ? max - center : center - min;
    int bits = random.nextInt(65 - Long.numberOfLeadingZeros(room));
    long magnitude = bits == 0 ? 0 : random.nextLong() >>> (64 - bits);
    if (Long.compareUnsigned(magnitude, room) > 0) {
      magnitude >>>= 1;
    }
    return up ? center + magnitude : center - magnitude;
  }

  private long uniform(long min, long max) {
    if (max < Long.MAX_VALUE) {
      return random.nextLong(min, max + 1);
    }
    return min == Long.MIN_VALUE ? random.nextLong() : random.nextLong(min - 1, max) + 1;
  }
}
