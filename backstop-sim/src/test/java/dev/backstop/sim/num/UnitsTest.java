package dev.backstop.sim.num;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstop.core.num.Decimal;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.junit.jupiter.api.Test;

class UnitsTest {

  @Test
  void moneyIsMicroDollars() {
    assertThat(Units.money(4_800_000)).isEqualTo(Decimal.parse("4.8"));
    assertThat(Units.microDollars(Decimal.parse("-0.000001"))).isEqualTo(-1);
    assertThat(Units.moneyText(4_800_000)).isEqualTo("4.8");
    assertThatThrownBy(() -> Units.microDollars(Decimal.parse("0.0000001")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aDollarStatisticIsADecimalStringWithoutFloatNoise() {
    assertThat(Units.dollarsText(53782490.53022081)).isEqualTo("53782490.530221");
    assertThat(Units.dollarsText(4.383991836220957e-9)).isEqualTo("0");
    assertThat(Units.dollarsText(-4.383991836220957e-9)).isEqualTo("0");
    assertThat(Units.dollarsText(3900.0)).isEqualTo("3900");
    assertThat(Units.dollarsText(-0.1 - 0.2)).isEqualTo("-0.3");
    assertThat(Units.dollarsText(Double.NaN)).isNull();
  }

  @Test
  void decimalTextIsReadExactlyWithBlanksAround() {
    assertThat(Units.parse(" 2500.25\t")).isEqualTo(Decimal.parse("2500.25"));
    assertThat(Units.units(" 0.25 ", 2)).isEqualTo(25);
    assertThatThrownBy(() -> Units.units("0.255", 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Units.parse("NaN")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Units.exact(Decimal.parse("-12.50"))).isEqualByComparingTo("-12.5");
  }

  @Test
  void roundingIntoUnitsAgreesWithSetScaleAndSkipsHugeExponents() {
    String[] values = {"0", "1.5", "-1.5", "0.0000004", "0.0000005", "-0.00000009", "1e-7", "2.5"};
    for (String text : values) {
      BigDecimal value = new BigDecimal(text);
      for (RoundingMode mode : RoundingMode.values()) {
        if (mode == RoundingMode.UNNECESSARY) {
          continue;
        }
        long expected = value.setScale(6, mode).unscaledValue().longValueExact();
        assertThat(Units.round(value, 6, mode)).as(text + " " + mode).isEqualTo(expected);
      }
    }
    assertThat(Units.round(new BigDecimal("1e-999999999"), 6, RoundingMode.CEILING)).isEqualTo(1);
    assertThat(Units.round(new BigDecimal("-1e-999999999"), 6, RoundingMode.FLOOR)).isEqualTo(-1);
    assertThat(Units.round(new BigDecimal("1e-999999999"), 6, RoundingMode.HALF_UP)).isZero();
    assertThatThrownBy(
            () -> Units.round(new BigDecimal("1e-999999999"), 6, RoundingMode.UNNECESSARY))
        .isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> Units.round(new BigDecimal("1e13"), 6, RoundingMode.FLOOR))
        .isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> Units.round(new BigDecimal("1e2147483647"), 6, RoundingMode.FLOOR))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void doublesArePlainDecimals() {
    assertThat(Units.plainText(0.00001)).isEqualTo("0.00001");
    assertThat(Units.plainText(1e7)).isEqualTo("10000000");
    assertThat(Units.plainText(7.06)).isEqualTo("7.06");
    assertThat(Units.plain(Double.NaN)).isNull();
    assertThat(Units.plainText(Double.POSITIVE_INFINITY)).isEmpty();
  }
}
