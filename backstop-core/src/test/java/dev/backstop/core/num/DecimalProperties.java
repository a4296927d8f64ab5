package dev.backstop.core.num;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstop.core.testing.Tries;
import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * A decimal kept as written reads as its shortest form: its digits, scale, text, units, equality,
 * hash and order are those of {@link BigDecimal#stripTrailingZeros()} of the same value, for
 * numbers with any count of trailing zeros, at every scale, of either sign and at the ends of the
 * range.
 */
class DecimalProperties {

  @Test
  void readsAsTheShortestForm(TestInfo test) {
    Tries.forAll(
        test,
        500,
        seed -> {
          SplittableRandom random = new SplittableRandom(seed);
          for (int i = 0; i < 50; i++) {
            Written wa = draw(random);
            Written wb = random.nextInt(4) == 0 ? sameValue(wa, random) : draw(random);
            Decimal a = wa.decimal();
            Decimal b = wb.decimal();
            BigDecimal x = wa.exact();
            BigDecimal shortest = x.signum() == 0 ? BigDecimal.ZERO : x.stripTrailingZeros();
            int scale = Math.max(0, shortest.scale());
            assertThat(a.scale()).as("%s", x).isEqualTo(scale);
            assertThat(BigDecimal.valueOf(a.unscaled(), a.scale())).isEqualByComparingTo(x);
            assertThat(a.toString()).isEqualTo(shortest.setScale(scale).toPlainString());
            char[] chars = new char[Fixed.FORMAT_CHARS];
            int start = a.formatInto(chars, chars.length);
            assertThat(new String(chars, start, chars.length - start)).isEqualTo(a.toString());
            assertThat(a.signum()).isEqualTo(x.signum());
            assertThat(a.toDouble()).isEqualTo(new Decimal(a.unscaled(), a.scale()).toDouble());
            for (int decimals = 0; decimals <= Decimal.MAX_SCALE; decimals += 3) {
              BigDecimal units = x.movePointRight(decimals);
              boolean fits =
                  units.stripTrailingZeros().scale() <= 0
                      && units.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
                      && units.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0;
              if (fits) {
                assertThat(a.toUnits(decimals)).isEqualTo(units.longValueExact());
              } else {
                int d = decimals;
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.toUnits(d))
                    .isInstanceOf(IllegalArgumentException.class);
              }
            }
            boolean equal = x.compareTo(wb.exact()) == 0;
            assertThat(a.equals(b)).as("%s = %s", a, b).isEqualTo(equal);
            if (equal) {
              assertThat(a.hashCode()).isEqualTo(b.hashCode());
            }
            assertThat(Integer.signum(a.compareTo(b))).isEqualTo(x.compareTo(wb.exact()));
          }
        });
  }

  /** Digits and a scale as written. */
  private record Written(long digits, int scale) {
    Decimal decimal() {
      return new Decimal(digits, scale);
    }

    BigDecimal exact() {
      return BigDecimal.valueOf(digits, scale);
    }
  }

  /** Digits with a random count of trailing zeros at a random scale; sometimes an end of range. */
  private static Written draw(SplittableRandom random) {
    int scale = random.nextInt(Decimal.MAX_SCALE + 1);
    long digits;
    switch (random.nextInt(8)) {
      case 0 -> digits = 0;
      case 1 -> digits = random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
      default -> {
        digits = random.nextLong(1, 1_000_000);
        for (int z = random.nextInt(13); z > 0 && Math.abs(digits) < Long.MAX_VALUE / 10; z--) {
          digits *= 10;
        }
        if (random.nextBoolean()) {
          digits = -digits;
        }
      }
    }
    return new Written(digits, scale);
  }

  /** The same value written with more trailing zeros, where they fit. */
  private static Written sameValue(Written w, SplittableRandom random) {
    long u = w.digits();
    int s = w.scale();
    for (int z = random.nextInt(6); z > 0 && s < Decimal.MAX_SCALE; z--) {
      if (Math.abs(u) > Long.MAX_VALUE / 10) {
        break;
      }
      u *= 10;
      s++;
    }
    return new Written(u, s);
  }
}
