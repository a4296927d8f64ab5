/**
 * Deleveraging allocation policies: given a book of candidate winners and an amount of profit to
 * claw back (a budget) or a size to close, decide how much each candidate gives.
 *
 * <p>Pure and deterministic: no I/O, no clock, no threads, no floating point; the only randomness
 * ({@link dev.backstop.core.adl.allocation.RandomPolicy}) comes from an explicit seed. Every amount
 * is an exact fixed-point {@code long} (money at {@link
 * dev.backstop.core.num.Fixed#MONEY_DECIMALS}, rates and burdens at {@link
 * dev.backstop.core.num.Fixed#RATE_DECIMALS}, sizes in whole lots). Ties are always broken by
 * ascending candidate id.
 *
 * <p>The entry point is {@link dev.backstop.core.adl.allocation.Allocator#allocate}; the policies
 * follow {@code docs/allocation.md}, which cites the papers (Chitra, arXiv 2512.01112 and
 * 2602.15182; Campbell, Hey, Moallemi, Nutz, arXiv 2603.15963) and the venues they reproduce.
 */
package dev.backstop.core.adl.allocation;
