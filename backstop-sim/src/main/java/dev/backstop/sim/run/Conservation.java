package dev.backstop.sim.run;

import dev.backstop.core.engine.EngineState;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.num.Fixed;

/**
 * The ledger's balance sheet: {@code deposited - withdrawn + insurance funded} must equal {@code
 * sum of equities + insurance funds + fees - bad debt} to the micro-unit (the engine's property
 * tests check the same after every command).
 */
public final class Conservation {

  private Conservation() {}

  /** Value in minus value held, micro-units; 0 when value is conserved. */
  public static long error(EngineState s) {
    long in =
        Math.addExact(
            Math.subtractExact(units(s.deposited()), units(s.withdrawn())),
            units(s.insuranceFunded()));
    long held = Math.subtractExact(units(s.feesCollected()), units(s.badDebt()));
    for (EngineState.Account a : s.accounts()) {
      held = Math.addExact(held, units(a.equity()));
    }
    for (EngineState.Fund f : s.insuranceFunds()) {
      held = Math.addExact(held, units(f.balance()));
    }
    return Math.subtractExact(in, held);
  }

  private static long units(Decimal money) {
    return money.toUnits(Fixed.MONEY_DECIMALS);
  }
}
