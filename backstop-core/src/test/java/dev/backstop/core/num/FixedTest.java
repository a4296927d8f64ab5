package dev.backstop.core.num;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.testing.Gen;
import dev.backstop.core.testing.Tries;
import java.math.BigInteger;
import java.math.RoundingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class FixedTest {

  private static final int TRIES = 1_000;

  @Test
  void parsesAndFormatsExactly() {
    assertThat(Fixed.parse("100000.5", 6)).isEqualTo(100_000_500_000L);
    assertThat(Fixed.parse("-0.000001", 6)).isEqualTo(-1L);
    assertThat(Fixed.parse("7.50", 1)).isEqualTo(75L);
    assertThat(Fixed.format(100_000_500_000L, 6)).isEqualTo("100000.5");
    assertThat(Fixed.format(-1L, 6)).isEqualTo("-0.000001");
    assertThat(Fixed.format(0L, 6)).isEqualTo("0");
    assertThat(Fixed.format(Long.MIN_VALUE, 6)).isEqualTo("-9223372036854.775808");
  }

  @Test
  void rejectsMalformedAndInexactNumbers() {
    for (String bad :
        new String[] {"", "-", ".", "1e5", "NaN", "Infinity", "1.2.3", " 1", "0x10"}) {
      assertThatThrownBy(() -> Decimal.parse(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> Fixed.parse("0.0000001", 6))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than 6 decimals");
    assertThatThrownBy(() -> Fixed.parse("99999999999999999999", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> Fixed.parse("9223372036854.775808", 6))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decimalsCompareByValue() {
    assertThat(Decimal.parse("0.50")).isEqualTo(Decimal.parse("0.5"));
    assertThat(Decimal.parse("2").compareTo(Decimal.parse("10"))).isNegative();
  }

  @Test
  void mulDivRoundsInTheStatedDirection() {
    assertThat(Fixed.mulDiv(7, 1, 2, RoundingMode.FLOOR)).isEqualTo(3);
    assertThat(Fixed.mulDiv(7, 1, 2, RoundingMode.CEILING)).isEqualTo(4);
    assertThat(Fixed.mulDiv(-7, 1, 2, RoundingMode.FLOOR)).isEqualTo(-4);
    assertThat(Fixed.mulDiv(-7, 1, 2, RoundingMode.CEILING)).isEqualTo(-3);
    assertThatThrownBy(() -> Fixed.mulDiv(7, 1, 2, RoundingMode.HALF_EVEN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void mulDivNeverOverflowsInTheMiddleButThrowsOnAnOutOfRangeResult() {
    long big = 4_000_000_000_000_000_000L;
    assertThat(Fixed.mulDiv(big, big, big, RoundingMode.FLOOR)).isEqualTo(big);
    assertThatThrownBy(() -> Fixed.mulDiv(big, big, 1, RoundingMode.FLOOR))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void mulDivAgreesWithBigInteger(TestInfo test) {
    Tries.forAll(
        test,
        TRIES,
        seed -> {
          Gen gen = new Gen(seed);
          long a = gen.longs();
          long b = gen.longs();
          long c = gen.longs(1, Long.MAX_VALUE);
          BigInteger exact = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
          BigInteger[] qr = exact.divideAndRemainder(BigInteger.valueOf(c));
          BigInteger floor = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
          BigInteger ceil = qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
          if (floor.bitLength() < 64) {
            assertThat(Fixed.mulDiv(a, b, c, RoundingMode.FLOOR)).isEqualTo(floor.longValueExact());
          }
          if (ceil.bitLength() < 64) {
            assertThat(Fixed.mulDiv(a, b, c, RoundingMode.CEILING))
                .isEqualTo(ceil.longValueExact());
          }
        });
  }

  @Test
  void formatThenParseIsTheIdentity(TestInfo test) {
    Tries.forAll(
        test,
        TRIES,
        seed -> {
          long units = new Gen(seed).longs();
          assertThat(Fixed.parse(Fixed.format(units, 6), 6)).isEqualTo(units);
        });
  }

  /**
   * The text is the plain decimal of the exact value, trailing zeros dropped, at every scale from 0
   * to 18, {@code Long.MIN_VALUE} and {@code Long.MAX_VALUE} included; written into a buffer it is
   * the same text, right-aligned at the given end.
   */
  @Test
  void formatIsThePlainDecimalOfTheExactValue(TestInfo test) {
    Tries.forAll(
        test,
        TRIES,
        seed -> {
          Gen gen = new Gen(seed);
          long units =
              switch ((int) (seed & 7)) {
                case 0 -> Long.MIN_VALUE;
                case 1 -> Long.MAX_VALUE;
                case 2 -> 0;
                default -> gen.longs();
              };
          int decimals = (int) Long.remainderUnsigned(seed >>> 3, 19);
          String expected =
              new java.math.BigDecimal(BigInteger.valueOf(units), decimals)
                  .stripTrailingZeros()
                  .toPlainString();
          assertThat(Fixed.format(units, decimals)).isEqualTo(expected);
          char[] out = new char[Fixed.FORMAT_CHARS + 3];
          int start = Fixed.formatInto(units, decimals, out, out.length - 1);
          assertThat(new String(out, start, out.length - 1 - start)).isEqualTo(expected);
          assertThat(out[out.length - 1]).isEqualTo('\0');
        });
  }
}
