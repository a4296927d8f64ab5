package dev.backstop.core.option;

import dev.backstop.core.num.Fixed;

/**
 * The scenarios an option portfolio is margined over, as portfolio-margin venues do (CME's SPAN
 * risk arrays, Deribit's portfolio margin): every underlying move of {@code -maxMove, ...,
 * +maxMove} in {@code steps} equal steps each way, each with the volatility shifted down by {@code
 * volShift} of itself, unchanged, and up by as much. A portfolio's margin is its worst loss over
 * the grid, valued now (no time passes in a scenario).
 *
 * <p>{@link #MAINTENANCE}: moves of 0, 5, 10 and 15% each way, volatility -25%, 0, +25% of itself
 * (21 scenarios). {@link #INITIAL}: one and a half times the shocks, moves of 7.5, 15 and 22.5%,
 * volatility -37.5%, 0, +37.5%, so a new position needs a margin above the maintenance margin that
 * liquidates it. Both grids are Backstop's choice: Variational does not publish its option margin.
 *
 * @param maxMoveRate the largest underlying move, a rate of {@link Fixed#RATE_ONE}
 * @param steps the moves each way
 * @param volShiftRate the volatility shift, a rate of the volatility
 */
public record ScenarioGrid(long maxMoveRate, int steps, long volShiftRate) {

  /** The maintenance grid: +/-15% in 5% steps, volatility +/-25% of itself. */
  public static final ScenarioGrid MAINTENANCE =
      new ScenarioGrid(15 * Fixed.RATE_ONE / 100, 3, 25 * Fixed.RATE_ONE / 100);

  /** The initial grid: one and a half times the maintenance shocks. */
  public static final ScenarioGrid INITIAL =
      new ScenarioGrid(225 * Fixed.RATE_ONE / 1000, 3, 375 * Fixed.RATE_ONE / 1000);

  /** Validates. */
  public ScenarioGrid {
    if (maxMoveRate <= 0 || maxMoveRate >= Fixed.RATE_ONE) {
      throw new IllegalArgumentException("the largest move must be between 0 and 100%");
    }
    if (steps < 1) {
      throw new IllegalArgumentException("a grid needs at least one step each way");
    }
    if (volShiftRate < 0 || volShiftRate >= Fixed.RATE_ONE) {
      throw new IllegalArgumentException("the volatility shift must be in [0, 100%)");
    }
  }

  /** The underlying moves, rates, from the largest fall to the largest rise. */
  public long[] moves() {
    long[] out = new long[2 * steps + 1];
    for (int k = -steps; k <= steps; k++) {
      out[k + steps] = maxMoveRate * k / steps;
    }
    return out;
  }

  /** The volatility factors, rates of the volatility: {@code 1 - shift, 1, 1 + shift}. */
  public long[] volFactors() {
    return new long[] {
      Fixed.RATE_ONE - volShiftRate, Fixed.RATE_ONE, Fixed.RATE_ONE + volShiftRate
    };
  }
}
