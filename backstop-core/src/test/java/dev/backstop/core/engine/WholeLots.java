package dev.backstop.core.engine;

import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.market.MarketPresets;

/**
 * The market of the worked examples: a venue preset with whole lots, cent ticks and no trading
 * fees, so the published numbers come out exactly.
 */
final class WholeLots {

  private WholeLots() {}

  /** The preset with lot 1, tick 0.01 and no fees, served by fund {@code if}, for overrides. */
  static MarketConfig.Builder of(String preset) {
    return MarketPresets.builder(preset, "if")
        .sizeDecimals(0)
        .priceDecimals(2)
        .takerFeeRate(0)
        .makerFeeRate(0);
  }
}
