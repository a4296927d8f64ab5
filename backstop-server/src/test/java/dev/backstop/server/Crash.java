package dev.backstop.server;

/**
 * The crash the account, dashboard and browser tests drive through the operator API, in four steps
 * of commands (backstop run's format). A BitMEX market (its ADL queue) where alice's long goes
 * bankrupt, the fund takes over what its capital carries and the rest is deleveraged against the
 * short queue, erin first, then bob; a Variational Omni settlement pool in which bob trades against
 * the liquidity provider olp, which is then liquidated: bob's counterparty liquidation. On the way
 * down carol's order finds no bid within her bankruptcy price and the fund takes her position over.
 */
final class Crash {

  private Crash() {}

  /** Markets, deposits, the fund, and the positions, all at 100,000 (and 3,000 in the pool). */
  static final String SETUP =
      """
      {"type":"time","time":1700000000000}
      {"type":"market","market":"XBT-PERP","preset":"bitmex"}
      {"type":"market","market":"OMNI-ETH","preset":"omni"}
      {"type":"deposit","account":"alice","amount":"10000"}
      {"type":"deposit","account":"bob","amount":"20000"}
      {"type":"deposit","account":"carol","amount":"2000"}
      {"type":"deposit","account":"book","amount":"1000000"}
      {"type":"deposit","account":"dave","amount":"20000"}
      {"type":"deposit","account":"erin","amount":"1000"}
      {"type":"deposit","account":"frank","amount":"10000"}
      {"type":"insurance","market":"XBT-PERP","amount":"1000"}
      {"type":"trade","market":"XBT-PERP","buyer":"alice","seller":"bob","size":"1","price":"100000","taker":"buyer"}
      {"type":"trade","market":"XBT-PERP","buyer":"carol","seller":"dave","size":"0.5","price":"100000","taker":"buyer"}
      {"type":"trade","market":"XBT-PERP","buyer":"frank","seller":"erin","size":"0.2","price":"100000","taker":"buyer"}
      {"type":"pool","pool":"bob-olp","user":"bob","provider":"olp"}
      {"type":"deposit","account":"bob","amount":"5000","pool":"bob-olp"}
      {"type":"deposit","account":"olp","amount":"2000","pool":"bob-olp"}
      {"type":"trade","market":"OMNI-ETH","buyer":"bob","seller":"olp","size":"10","price":"3000","taker":"buyer","pool":"bob-olp"}
      """;

  /** The first fall: XBT to 95,000 (carol's position taken over by the fund), funding paid. */
  static final String FALL =
      """
      {"type":"price","market":"XBT-PERP","mark":"99000","index":"99010","time":1700000060000}
      {"type":"price","market":"OMNI-ETH","mark":"3100","index":"3101","time":1700000060000}
      {"type":"funding","market":"XBT-PERP","rate":"0.0001"}
      {"type":"time","time":1700000120000}
      {"type":"price","market":"XBT-PERP","mark":"95000","index":"95020","time":1700000120000}
      """;

  /** XBT to 88,000: alice is bankrupt, the fund takes part, ADL takes erin's and bob's. */
  static final String ADL =
      """
      {"type":"time","time":1700000180000}
      {"type":"price","market":"XBT-PERP","mark":"88000","index":"88030","time":1700000180000}
      """;

  /** OMNI-ETH to 3,180: olp, bob's pool counterparty, is liquidated. */
  static final String OMNI =
      """
      {"type":"time","time":1700000240000}
      {"type":"price","market":"OMNI-ETH","mark":"3180","index":"3181","time":1700000240000}
      """;

  /** Every step, in order. */
  static final String ALL = SETUP + FALL + ADL + OMNI;
}
