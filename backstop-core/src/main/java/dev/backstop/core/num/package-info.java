/**
 * Exact fixed-point arithmetic for money, sizes, prices and rates.
 *
 * <p>Every quantity is a {@code long} holding an integer number of units of a documented scale:
 *
 * <ul>
 *   <li>money: {@link dev.backstop.core.num.Fixed#MONEY_DECIMALS} decimals (micro-units of the
 *       quote currency, as USDC);
 *   <li>rates (margin rates, fees, funding, penalties): {@link
 *       dev.backstop.core.num.Fixed#RATE_DECIMALS} decimals;
 *   <li>sizes and prices: per market, {@code sizeDecimals} and {@code priceDecimals} with {@code
 *       sizeDecimals + priceDecimals <= MONEY_DECIMALS}, so that the notional of any size at any
 *       price is an exact number of money units (the rule Hyperliquid applies to its perpetuals).
 * </ul>
 *
 * <p>No operation wraps: overflow throws {@link java.lang.ArithmeticException}. Divisions round in
 * an explicit direction chosen by the caller, always against the trader and in the venue's favour.
 */
package dev.backstop.core.num;
