package dev.backstop.core.mechanism;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SideBookTest {

  /**
   * The test run checks every deleveraging round's kept side against one built from scratch (the
   * build sets {@code backstop.verifyDeleveragingSides}): without it, the property tests would not
   * see a kept side that drifted from the ledger.
   */
  @Test
  void theTestsCheckEveryKeptSideAgainstTheLedger() {
    assertThat(SideBook.VERIFY).isTrue();
  }
}
