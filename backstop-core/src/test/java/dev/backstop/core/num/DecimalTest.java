package dev.backstop.core.num;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DecimalTest {

  @Test
  void parsesPlainDecimals() {
    assertThat(Decimal.parse("0")).isEqualTo(Decimal.ZERO);
    assertThat(Decimal.parse("-0")).isEqualTo(Decimal.ZERO);
    assertThat(Decimal.parse("0.5")).isEqualTo(new Decimal(5, 1));
    assertThat(Decimal.parse("-0.0001")).isEqualTo(new Decimal(-1, 4));
    assertThat(Decimal.parse("100.50")).isEqualTo(new Decimal(1005, 1));
    assertThat(Decimal.parse("10")).isEqualTo(Decimal.of(10));
    assertThat(Decimal.parse("0.05")).isEqualTo(new Decimal(5, 2));
  }

  @Test
  void normalisesToTheShortestForm() {
    assertThat(Decimal.money(0)).isEqualTo(Decimal.ZERO);
    assertThat(Decimal.money(0).scale()).isZero();
    assertThat(Decimal.money(-5_000_000)).isEqualTo(Decimal.of(-5));
    assertThat(new Decimal(123_450_000, 8)).isEqualTo(new Decimal(12_345, 4));
    assertThat(new Decimal(1_000_000_000_000_000_000L, 18)).isEqualTo(Decimal.of(1));
    assertThat(new Decimal(10_000_001, 7)).isEqualTo(new Decimal(10_000_001, 7));
    assertThat(new Decimal(120, 3).toString()).isEqualTo("0.12");
  }

  @Test
  void refusesLenientForms() {
    assertThatThrownBy(() -> Decimal.parse("+1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'+1'")
        .hasMessageContaining("no '+' sign");
    assertThatThrownBy(() -> Decimal.parse("1."))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'1.'")
        .hasMessageContaining("a digit must follow the point");
    assertThatThrownBy(() -> Decimal.parse(".5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'.5'")
        .hasMessageContaining("a digit must come before the point");
    assertThatThrownBy(() -> Decimal.parse("007"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'007'")
        .hasMessageContaining("no leading zeros");
    for (String bad :
        new String[] {"-.5", "-1.", "00", "-01", "01.5", "+0", "+-1", "-+1", "--1", "1.-5"}) {
      assertThatThrownBy(() -> Decimal.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a decimal number");
    }
  }
}
