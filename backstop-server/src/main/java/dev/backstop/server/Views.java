package dev.backstop.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backstop.core.engine.AdlRanking;
import dev.backstop.core.engine.Engine;
import dev.backstop.core.engine.EngineState;
import dev.backstop.core.num.Decimal;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The documents of the account and venue endpoints, built on the engine thread from the engine's
 * state, its ADL rankings and the service's {@link History}. Each method answers one endpoint of
 * {@code docs/api.md}; the venue-shaped ones (Binance, Bybit, OKX) follow the public documents
 * cited there, with the fields Backstop has.
 */
final class Views {

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private final EngineService service;
  private final Engine engine;

  Views(EngineService service, Engine engine) {
    this.service = service;
    this.engine = engine;
  }

  /** The engine, for the few reads that need it whole (the state hash, the clock). */
  Engine engine() {
    return engine;
  }

  /** Where one position stands in its market's ADL queue. */
  record Standing(AdlRanking ranking, AdlRanking.Entry entry, int ofSide, BigDecimal sizeAhead) {
    /** The five lights: 1 to 5 for an open position (the quantile band plus one). */
    int lights() {
      return entry.quantile() + 1;
    }
  }

  /** The market's ranking, or a 404 for an unknown market. */
  AdlRanking ranking(String market) {
    try {
      return engine.adlRanking(market);
    } catch (IllegalArgumentException e) {
      throw new EngineService.Refused(404, "unknown-market", "no market named '" + market + "'");
    }
  }

  /** The markets, by name, in listing order. */
  List<String> markets() {
    List<String> names = new ArrayList<>();
    for (EngineState.Market m : service.state().markets()) {
      names.add(m.market());
    }
    return names;
  }

  private EngineState.Market market(String name) {
    for (EngineState.Market m : service.state().markets()) {
      if (m.market().equals(name)) {
        return m;
      }
    }
    throw new EngineService.Refused(404, "unknown-market", "no market named '" + name + "'");
  }

  /** The standing of the account's position in {@code margin} on {@code market}, or null. */
  Standing standing(String account, String margin, String market) {
    AdlRanking ranking = ranking(market);
    AdlRanking.Entry mine = null;
    for (AdlRanking.Entry e : ranking.entries()) {
      if (e.account().equals(account) && e.margin().equals(margin)) {
        mine = e;
        break;
      }
    }
    if (mine == null) {
      return null;
    }
    int ofSide = 0;
    BigDecimal ahead = BigDecimal.ZERO;
    for (AdlRanking.Entry e : ranking.entries()) {
      if (e.side().equals(mine.side())) {
        ofSide++;
        if (e.rank() < mine.rank()) {
          ahead = ahead.add(big(e.size()).abs());
        }
      }
    }
    return new Standing(ranking, mine, ofSide, ahead);
  }

  // ============================================================ Backstop's own

  /** {@code GET /api/account}: the portfolio, margin account by margin account. */
  String portfolio(String account) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("account", account);
    root.put("time", engine.time());
    BigDecimal equity = BigDecimal.ZERO;
    BigDecimal collateral = BigDecimal.ZERO;
    BigDecimal mm = BigDecimal.ZERO;
    BigDecimal im = BigDecimal.ZERO;
    ArrayNode margins = MAPPER.createArrayNode();
    for (EngineState.MarginAccount a : service.marginAccounts(account)) {
      equity = equity.add(big(a.equity()));
      collateral = collateral.add(big(a.collateral()));
      mm = mm.add(big(a.maintenanceMargin()));
      im = im.add(big(a.initialMargin()));
      ObjectNode m = margins.addObject();
      m.put("margin", a.margin());
      m.put("collateral", a.collateral().toString());
      m.put("equity", a.equity().toString());
      m.put("maintenanceMargin", a.maintenanceMargin().toString());
      m.put("initialMargin", a.initialMargin().toString());
      m.put("marginRatio", text(a.marginRatio()));
      ArrayNode positions = m.putArray("positions");
      for (EngineState.Position p : a.positions()) {
        ObjectNode pos = positions.addObject();
        position(pos, p);
        Standing s = standing(account, a.margin(), p.market());
        if (s != null) {
          adl(pos.putObject("adl"), s);
        }
      }
    }
    root.put("equity", plain(equity));
    root.put("collateral", plain(collateral));
    root.put("maintenanceMargin", plain(mm));
    root.put("initialMargin", plain(im));
    root.set("marginAccounts", margins);
    return root.toString();
  }

  private void position(ObjectNode pos, EngineState.Position p) {
    pos.put("market", p.market());
    pos.put("side", p.size().signum() > 0 ? "long" : "short");
    pos.put("size", p.size().toString());
    pos.put("entryPrice", p.entryPrice().toString());
    pos.put("markPrice", text(market(p.market()).mark()));
    pos.put("unrealizedPnl", p.unrealizedPnl().toString());
    pos.put("unsettledFunding", p.unsettledFunding().toString());
    pos.put("liquidationPrice", text(p.liquidationPrice()));
    pos.put("bankruptcyPrice", text(p.bankruptcyPrice()));
  }

  private static void adl(ObjectNode node, Standing s) {
    node.put("rule", s.ranking().rule());
    node.put("rank", s.entry().rank());
    node.put("of", s.ofSide());
    node.put("sizeAhead", plain(s.sizeAhead()));
    node.put("quantile", s.entry().quantile());
    node.put("lights", s.lights());
    node.put("score", s.entry().score().toString());
    node.put("sizeIfNow", s.entry().sizeIfNow().toString());
    node.put("haircutIfNow", s.entry().haircutIfNow().toString());
  }

  /** {@code GET /api/account/adl}: the account's place in each ADL queue it stands in. */
  String queue(String account, String market) {
    ArrayNode out = MAPPER.createArrayNode();
    List<String> markets = market == null ? markets() : List.of(market);
    for (String name : markets) {
      AdlRanking ranking = ranking(name);
      for (AdlRanking.Entry e : ranking.entries()) {
        if (!e.account().equals(account)) {
          continue;
        }
        Standing s = standing(account, e.margin(), name);
        ObjectNode row = out.addObject();
        row.put("market", name);
        row.put("margin", e.margin());
        row.put("side", e.side());
        row.put("size", e.size().toString());
        row.put("unrealizedPnl", e.unrealizedPnl().toString());
        adl(row, s);
      }
    }
    ObjectNode root = MAPPER.createObjectNode();
    root.put("account", account);
    root.set("positions", out);
    return root.toString();
  }

  /** {@code GET /api/account/trades}, {@code transfers} and {@code notifications}. */
  String rows(
      String account, History.Kind kind, String category, long before, int limit, String key) {
    List<String> rows = service.history().rows(account, kind, category, before, limit);
    StringBuilder out = new StringBuilder();
    out.append("{\"account\":").append(quote(account)).append(",\"").append(key).append("\":[");
    out.append(String.join(",", rows)).append("]}");
    return out.toString();
  }

  // ============================================================ venues' shapes

  /** Binance's {@code GET /fapi/v1/adlQuantile}. */
  String binanceAdlQuantile(String account, String symbol) {
    ArrayNode out = MAPPER.createArrayNode();
    List<String> markets = symbol == null ? markets() : List.of(symbol);
    for (String market : markets) {
      int lng = -1;
      int shrt = -1;
      for (AdlRanking.Entry entry : ranking(market).entries()) {
        if (entry.account().equals(account)) {
          if (entry.side().equals("long")) {
            lng = Math.max(lng, entry.quantile());
          } else {
            shrt = Math.max(shrt, entry.quantile());
          }
        }
      }
      if (lng < 0 && shrt < 0 && symbol == null) {
        continue;
      }
      ObjectNode row = out.addObject();
      row.put("symbol", market);
      ObjectNode q = row.putObject("adlQuantile");
      q.put("LONG", Math.max(lng, 0));
      q.put("SHORT", Math.max(shrt, 0));
      q.put("BOTH", Math.max(Math.max(lng, shrt), 0));
    }
    return out.toString();
  }

  /** Bybit's {@code GET /v5/position/list?category=linear}. */
  String bybitPositions(String account, String symbol) {
    ArrayNode list = MAPPER.createArrayNode();
    boolean found = false;
    for (EngineState.MarginAccount a : service.marginAccounts(account)) {
      for (EngineState.Position p : a.positions()) {
        if (symbol != null && !p.market().equals(symbol)) {
          continue;
        }
        found = true;
        EngineState.Market m = market(p.market());
        Standing s = standing(account, a.margin(), p.market());
        BigDecimal size = big(p.size());
        ObjectNode row = list.addObject();
        row.put("positionIdx", 0);
        row.put("symbol", p.market());
        row.put("side", size.signum() > 0 ? "Buy" : "Sell");
        row.put("size", plain(size.abs()));
        row.put("avgPrice", p.entryPrice().toString());
        row.put("positionValue", m.mark() == null ? "" : plain(size.abs().multiply(big(m.mark()))));
        row.put("tradeMode", a.margin().equals("cross") ? 0 : 1);
        row.put("markPrice", text(m.mark()));
        row.put("liqPrice", p.liquidationPrice() == null ? "" : p.liquidationPrice().toString());
        row.put("bustPrice", p.bankruptcyPrice() == null ? "" : p.bankruptcyPrice().toString());
        row.put("positionMM", a.maintenanceMargin().toString());
        row.put("positionIM", a.initialMargin().toString());
        row.put("unrealisedPnl", p.unrealizedPnl().toString());
        row.put("positionStatus", "Normal");
        row.put("adlRankIndicator", s == null ? 0 : s.lights());
        row.put("updatedTime", Long.toString(engine.time()));
        row.put("margin", a.margin());
      }
    }
    if (symbol != null && !found) {
      EngineState.Market m = market(symbol);
      ObjectNode row = list.addObject();
      row.put("positionIdx", 0);
      row.put("symbol", symbol);
      row.put("side", "");
      row.put("size", "0");
      row.put("avgPrice", "0");
      row.put("positionValue", "0");
      row.put("tradeMode", 0);
      row.put("markPrice", text(m.mark()));
      row.put("liqPrice", "");
      row.put("bustPrice", "");
      row.put("unrealisedPnl", "0");
      row.put("positionStatus", "Normal");
      row.put("adlRankIndicator", 0);
      row.put("updatedTime", Long.toString(engine.time()));
    }
    ObjectNode root = MAPPER.createObjectNode();
    root.put("retCode", 0);
    root.put("retMsg", "OK");
    ObjectNode result = root.putObject("result");
    result.put("category", "linear");
    result.set("list", list);
    result.put("nextPageCursor", "");
    root.putObject("retExtInfo");
    root.put("time", engine.time());
    return root.toString();
  }

  /** OKX's {@code GET /api/v5/account/positions}. */
  String okxPositions(String account, List<String> instIds) {
    for (String id : instIds) {
      market(id);
    }
    ArrayNode data = MAPPER.createArrayNode();
    for (EngineState.MarginAccount a : service.marginAccounts(account)) {
      for (EngineState.Position p : a.positions()) {
        if (!instIds.isEmpty() && !instIds.contains(p.market())) {
          continue;
        }
        EngineState.Market m = market(p.market());
        Standing s = standing(account, a.margin(), p.market());
        ObjectNode row = data.addObject();
        row.put("instType", "SWAP");
        row.put("instId", p.market());
        row.put("mgnMode", a.margin().equals("cross") ? "cross" : "isolated");
        row.put("posId", a.margin() + "/" + p.market());
        row.put("posSide", "net");
        row.put("pos", p.size().toString());
        row.put("avgPx", p.entryPrice().toString());
        row.put("markPx", text(m.mark()));
        row.put("upl", p.unrealizedPnl().toString());
        row.put("liqPx", p.liquidationPrice() == null ? "" : p.liquidationPrice().toString());
        row.put("mmr", a.maintenanceMargin().toString());
        row.put("imr", a.initialMargin().toString());
        row.put("mgnRatio", okxMarginRatio(a));
        row.put("adl", Integer.toString(s == null ? 0 : s.lights()));
        row.put("ccy", "USD");
        row.put("uTime", Long.toString(engine.time()));
        row.put("margin", a.margin());
      }
    }
    ObjectNode root = MAPPER.createObjectNode();
    root.put("code", "0");
    root.put("msg", "");
    root.set("data", data);
    return root.toString();
  }

  /** OKX's margin ratio: equity over maintenance margin (liquidation at 1 and below). */
  private static String okxMarginRatio(EngineState.MarginAccount a) {
    BigDecimal mm = big(a.maintenanceMargin());
    if (mm.signum() <= 0) {
      return "";
    }
    return plain(big(a.equity()).divide(mm, 8, RoundingMode.DOWN));
  }

  // ============================================================ the operator's

  /** {@code GET /api/markets}: every market's prices, open interest, queue sizes and fund. */
  String marketsOverview() {
    EngineState state = service.state();
    Map<String, Decimal> balances = new HashMap<>();
    for (EngineState.Fund f : state.insuranceFunds()) {
      balances.put(f.name(), f.balance());
    }
    ArrayNode out = MAPPER.createArrayNode();
    for (EngineState.Market m : state.markets()) {
      AdlRanking ranking = ranking(m.market());
      int longs = 0;
      int shorts = 0;
      for (AdlRanking.Entry e : ranking.entries()) {
        if (e.side().equals("long")) {
          longs++;
        } else {
          shorts++;
        }
      }
      String fund = service.history().fundOf(m.market());
      ObjectNode row = out.addObject();
      row.put("market", m.market());
      row.put("preset", m.preset());
      row.put("rule", ranking.rule());
      row.put("mark", text(m.mark()));
      row.put("index", text(m.index()));
      row.put("openInterest", m.longSize().toString());
      row.put(
          "openInterestNotional",
          m.mark() == null ? null : plain(big(m.longSize()).multiply(big(m.mark()))));
      row.put("longPositions", longs);
      row.put("shortPositions", shorts);
      row.put("insuranceFund", fund);
      row.put("insuranceBalance", text(balances.get(fund)));
    }
    ObjectNode root = MAPPER.createObjectNode();
    root.put("time", engine.time());
    root.put("badDebt", state.badDebt().toString());
    root.put("feesCollected", state.feesCollected().toString());
    root.set("markets", out);
    return root.toString();
  }

  /** {@code GET /api/insurance}: each fund's balance now and its changes over time. */
  String insurance(int limit) {
    StringBuilder out = new StringBuilder("{\"funds\":[");
    Map<String, List<String>> points = service.history().funds(limit);
    boolean first = true;
    for (EngineState.Fund f : service.state().insuranceFunds()) {
      out.append(first ? "" : ",");
      first = false;
      out.append("{\"fund\":").append(quote(f.name()));
      out.append(",\"balance\":").append(quote(f.balance().toString()));
      out.append(",\"changes\":[");
      out.append(String.join(",", points.getOrDefault(f.name(), List.of())));
      out.append("]}");
    }
    return out.append("]}").toString();
  }

  /** {@code GET /api/backstop}: liquidations, deleveraging and backstop decisions, newest first. */
  String backstopLog(String type, long before, int limit) {
    return "{\"events\":["
        + String.join(",", service.history().venueLog(type, before, limit))
        + "]}";
  }

  // ============================================================ helpers

  static BigDecimal big(Decimal d) {
    return BigDecimal.valueOf(d.unscaled(), d.scale());
  }

  static String plain(BigDecimal d) {
    return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
  }

  private static String text(Decimal d) {
    return d == null ? null : d.toString();
  }

  private static String quote(String s) {
    return MAPPER.getNodeFactory().textNode(s).toString();
  }
}
