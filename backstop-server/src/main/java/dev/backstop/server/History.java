package dev.backstop.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backstop.core.event.Event;
import dev.backstop.core.event.WireName;
import dev.backstop.core.num.Decimal;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The history the service derives from the engine's events, for traders and for the operator: per
 * account its trades (every fill it took part in, by category), its transfers (every other change
 * of its collateral) and its notifications; for the venue the liquidation, deleveraging and
 * backstop events as they happened, and the balances of each insurance fund over time.
 *
 * <p>Rows are built on the engine thread from each command's events, in order, and bounded: the
 * newest {@code perAccount} of each kind per account and the newest {@code venue} of the venue's.
 * The service writes them into its snapshots and rebuilds the rest from the journal tail, so a
 * restart keeps them ({@code docs/api.md}, "History"). Rows name no other account: a trader's
 * history shows its side of each fill, never who was on the other.
 *
 * <p>Trade categories: {@code trade}; {@code liquidation} (the account was liquidated, or was the
 * maker of a liquidation close); {@code deleveraged} (its bankrupt position was closed against a
 * counterparty) and {@code offsetting} (its profitable position was that counterparty: ADL); {@code
 * counterparty-liquidation} (Variational Omni: the pool's liquidity provider was liquidated and the
 * trader's position closed with the reward). Transfer categories: {@code deposit}, {@code
 * withdrawal}, {@code funding}, {@code liquidation-fee}, {@code liquidation-surplus}, {@code
 * insurance-cover}, {@code haircut}, {@code haircut-cover}, {@code socialized-loss}, {@code
 * bad-debt-write-off}.
 */
final class History {

  /** The kinds of account rows, as the endpoints and the account stream name them. */
  enum Kind {
    TRADES,
    TRANSFERS,
    NOTIFICATIONS
  }

  /** Trade categories, in the order of the docs. */
  static final List<String> TRADE_CATEGORIES =
      List.of("trade", "liquidation", "deleveraged", "offsetting", "counterparty-liquidation");

  /** Transfer categories, in the order of the docs. */
  static final List<String> TRANSFER_CATEGORIES =
      List.of(
          "deposit",
          "withdrawal",
          "funding",
          "liquidation-fee",
          "liquidation-surplus",
          "insurance-cover",
          "haircut",
          "haircut-cover",
          "socialized-loss",
          "bad-debt-write-off");

  /** Notification categories: those of the engine's trader notices. */
  static final List<String> NOTIFICATION_CATEGORIES =
      List.of("auto-deleveraging", "profit-haircut", "counterparty-liquidation");

  /** Event types every account may see: market data naming no account. */
  static final Set<String> PUBLIC_TYPES =
      Set.of(
          "price-updated",
          "market-created",
          "funding-settled",
          "option-listed",
          "volatility-updated",
          "option-expired");

  private static final Set<String> VENUE_TYPES =
      Set.of(
          "liquidated",
          "liquidation-order",
          "taken-over",
          "deleveraged",
          "offsetting",
          "counterparty-liquidation",
          "option-liquidated",
          "bad-debt-recorded",
          "backstop-applied",
          "haircut",
          "loss-socialized");

  private static final byte[] MAGIC = "backstop-history-1\n".getBytes(StandardCharsets.US_ASCII);

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  /**
   * One row: its event's {@code seq} (the server's event number), its category and its JSON.
   *
   * @param seq the server's number of the event the row comes from
   * @param category the row's category
   * @param json the row as the endpoints serve it
   */
  record Row(long seq, String category, String json) {}

  /**
   * A row for one account's live stream, or for every stream when {@code account} is null.
   *
   * @param account the account, or null for public market data
   * @param channel {@code trades}, {@code transfers}, {@code notifications} or {@code market}
   * @param json the row or the public event
   */
  record Published(String account, String channel, String json) {}

  private static final class Book {
    final Map<Kind, Deque<Row>> rows = new java.util.EnumMap<>(Kind.class);

    Book() {
      for (Kind k : Kind.values()) {
        rows.put(k, new ArrayDeque<>());
      }
    }
  }

  private final int perAccount;
  private final int venue;
  private final Map<String, Book> books = new TreeMap<>();
  private final Deque<Row> venueLog = new ArrayDeque<>();
  private final Map<String, Deque<Row>> funds = new TreeMap<>();
  private final Map<String, String> marketFunds = new TreeMap<>();

  History(ServerConfig.History bounds) {
    this.perAccount = bounds.perAccount();
    this.venue = bounds.venue();
  }

  // ============================================================ building

  /**
   * Adds the rows of one command's events.
   *
   * @param command the command's journal number
   * @param events the events it caused, in order
   * @param lines the same events as served ({@code seq} first), one line each
   * @param firstSeq the server's number of the first of them
   * @return what the account streams publish once the command is forced
   */
  List<Published> apply(long command, List<Event> events, List<String> lines, long firstSeq) {
    List<Published> published = new ArrayList<>();
    List<Draft> out = new ArrayList<>();
    Event.Fill fill = null;
    int fillAt = -1;
    for (int i = 0; i < events.size(); i++) {
      Event event = events.get(i);
      long seq = firstSeq + i;
      String type = WireName.of(event);
      if (VENUE_TYPES.contains(type)) {
        push(venueLog, new Row(seq, type, lines.get(i)), venue);
      }
      if (PUBLIC_TYPES.contains(type)) {
        published.add(new Published(null, "market", lines.get(i)));
      }
      switch (event) {
        case Event.Fill f -> {
          fill = f;
          fillAt = i;
        }
        case Event.PositionChanged p -> {
          if (fill != null && p.market().equals(fill.market())) {
            trade(out, command, seq, p, fill, window(events, fillAt));
          }
        }
        case Event.Deposited d ->
            transfer(out, command, seq, d, d.account(), d.margin(), "deposit", d.amount())
                .put("balance", d.balance().toString());
        case Event.Withdrawn w ->
            transfer(out, command, seq, w, w.account(), w.margin(), "withdrawal", neg(w.amount()))
                .put("balance", w.balance().toString());
        case Event.FundingPaid f ->
            transfer(out, command, seq, f, f.account(), f.margin(), "funding", f.amount())
                .put("market", f.market())
                .put("size", f.size().toString());
        case Event.InsuranceFundChanged f -> {
          push(funds.computeIfAbsent(f.fund(), k -> new ArrayDeque<>()), row(seq, f), venue);
          if (f.account() != null) {
            fundTransfer(out, command, seq, f);
          }
        }
        case Event.Haircut h -> {
          transfer(out, command, seq, h, h.account(), h.margin(), "haircut", neg(h.amount()))
              .put("market", h.market())
              .put("rule", h.rule());
          transfer(out, command, seq, h, h.liquidatedAccount(), null, "haircut-cover", h.amount())
              .put("market", h.market())
              .put("rule", h.rule());
        }
        case Event.LossSocialized l ->
            transfer(
                    out,
                    command,
                    seq,
                    l,
                    l.account(),
                    l.margin(),
                    "socialized-loss",
                    neg(l.amount()))
                .put("market", l.market());
        case Event.BadDebtRecorded b ->
            transfer(
                    out, command, seq, b, b.account(), b.margin(), "bad-debt-write-off", b.amount())
                .put("market", b.market());
        case Event.TraderNotice n -> notice(out, command, seq, n);
        case Event.MarketCreated m -> marketFunds.put(m.market(), m.insuranceFund());
        default -> {}
      }
    }
    for (Draft d : out) {
      String json = d.row().toString();
      Book book = books.computeIfAbsent(d.account(), a -> new Book());
      push(
          book.rows.get(d.kind()),
          new Row(d.seq(), d.row().path("category").asText(), json),
          perAccount);
      published.add(new Published(d.account(), channel(d.kind()), json));
    }
    return published;
  }

  /** A row being built: its fields are complete only once the command's events are read. */
  private record Draft(String account, Kind kind, long seq, ObjectNode row) {}

  /** The events after the fill at {@code at} that belong to it: up to the next fill. */
  private static List<Event> window(List<Event> events, int at) {
    int end = at + 1;
    while (end < events.size() && !(events.get(end) instanceof Event.Fill)) {
      end++;
    }
    return events.subList(at + 1, end);
  }

  private static void trade(
      List<Draft> out,
      long command,
      long seq,
      Event.PositionChanged p,
      Event.Fill fill,
      List<Event> window) {
    ObjectNode row = base(seq, p.time(), command);
    BigDecimal change = big(p.size()).subtract(big(p.sizeBefore()));
    row.put("category", "trade");
    row.put("market", p.market());
    row.put("margin", p.margin());
    row.put("side", change.signum() > 0 ? "buy" : "sell");
    row.put("size", change.abs().stripTrailingZeros().toPlainString());
    row.put("price", fill.price().toString());
    row.put("fee", p.fee().toString());
    row.put("realizedPnl", p.realizedPnl().toString());
    row.put("sizeAfter", p.size().toString());
    switch (fill.kind()) {
      case TRADE -> {}
      case LIQUIDATION -> liquidationRow(row, p, window);
      case DELEVERAGE -> deleverageRow(row, p, window);
      case TAKEOVER -> {
        // The book could not absorb it: the fund's account or a vault took it over.
        row.put("category", "taken-over");
      }
      case OFFLOAD -> row.put("category", "takeover-offload");
      case COUNTERPARTY -> {
        row.put("category", "counterparty-liquidation");
        row.put("markPrice", fill.price().toString());
      }
    }
    publish(out, p.account(), Kind.TRADES, seq, row);
  }

  private static void liquidationRow(ObjectNode row, Event.PositionChanged p, List<Event> window) {
    row.put("category", "liquidation");
    for (Event e : window) {
      if (e instanceof Event.Liquidated l
          && l.account().equals(p.account())
          && l.margin().equals(p.margin())) {
        row.put("role", "liquidated");
        row.put("markPrice", l.markPrice().toString());
        row.put("bankruptcyPrice", l.bankruptcyPrice().toString());
        row.put("liquidationFee", l.fee().toString());
        row.put("full", l.full());
        return;
      }
      if (e instanceof Event.OptionLiquidated o
          && o.account().equals(p.account())
          && o.margin().equals(p.margin())) {
        row.put("role", "liquidated");
        row.put("markPrice", o.markPremium().toString());
        row.put("impliedVolatility", o.impliedVolatility().toString());
        row.put("volatility", o.volatility().toString());
        row.put("penalty", o.penalty().toString());
        return;
      }
    }
    for (Event e : window) {
      if (e instanceof Event.CounterpartyLiquidation c
          && c.user().equals(p.account())
          && p.margin().equals("pool:" + c.pool())) {
        row.put("category", "counterparty-liquidation");
        row.put("pool", c.pool());
        row.put("markPrice", c.markPrice().toString());
        row.put("reward", c.reward().toString());
        return;
      }
    }
    row.put("role", "maker");
  }

  private static void deleverageRow(ObjectNode row, Event.PositionChanged p, List<Event> window) {
    for (Event e : window) {
      if (e instanceof Event.Deleveraged d
          && d.account().equals(p.account())
          && d.margin().equals(p.margin())) {
        row.put("category", "deleveraged");
        row.put("markPrice", d.markPrice().toString());
        row.put("bankruptcyPrice", d.bankruptcyPrice().toString());
        row.put("rule", d.rule());
        return;
      }
      if (e instanceof Event.Offsetting o
          && o.account().equals(p.account())
          && o.margin().equals(p.margin())) {
        row.put("category", "offsetting");
        row.put("markPrice", o.markPrice().toString());
        row.put("rank", o.rank());
        row.put("score", o.score().toString());
        row.put("clawed", o.amount().toString());
        row.put("rule", o.rule());
        return;
      }
    }
    // a deleveraging fill always names both sides; a fill without them is the overshoot's close
    row.put("category", "deleveraged");
  }

  private static void fundTransfer(
      List<Draft> out, long command, long seq, Event.InsuranceFundChanged f) {
    String category =
        switch (f.reason()) {
          case LIQUIDATION_FEE -> "liquidation-fee";
          case LIQUIDATION_SURPLUS -> "liquidation-surplus";
          case SHORTFALL_COVER -> "insurance-cover";
          case TAKEOVER_MARGIN -> "takeover-margin";
          case TAKEOVER_RETURN -> "takeover-return";
          case TOP_UP -> null;
        };
    if (category == null) {
      return;
    }
    // the fund's change, seen from the account: what the fund gained, the account gave
    transfer(out, command, seq, f, f.account(), null, category, neg(f.amount()))
        .put("market", f.market())
        .put("fund", f.fund());
  }

  private static ObjectNode transfer(
      List<Draft> out,
      long command,
      long seq,
      Event event,
      String account,
      String margin,
      String category,
      Decimal amount) {
    ObjectNode row = base(seq, event.time(), command);
    row.put("category", category);
    if (margin != null) {
      row.put("margin", margin);
    }
    row.put("amount", amount.toString());
    publish(out, account, Kind.TRANSFERS, seq, row);
    return row;
  }

  private static void notice(List<Draft> out, long command, long seq, Event.TraderNotice n) {
    ObjectNode row = base(seq, n.time(), command);
    row.put("category", WireName.of(n.category()));
    row.put("market", n.market());
    row.put("margin", n.margin());
    row.put("size", n.size().toString());
    row.put("price", n.price().toString());
    row.put("amount", n.amount().toString());
    row.put("message", n.message());
    publish(out, n.account(), Kind.NOTIFICATIONS, seq, row);
  }

  private static ObjectNode base(long seq, long time, long command) {
    ObjectNode row = MAPPER.createObjectNode();
    row.put("seq", seq);
    row.put("time", time);
    row.put("command", command);
    return row;
  }

  private static void publish(
      List<Draft> out, String account, Kind kind, long seq, ObjectNode row) {
    out.add(new Draft(account, kind, seq, row));
  }

  private static String channel(Kind kind) {
    return kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static <T> void push(Deque<T> deque, T item, int bound) {
    deque.addLast(item);
    while (deque.size() > bound) {
      deque.removeFirst();
    }
  }

  private static Row row(long seq, Event.InsuranceFundChanged f) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("seq", seq);
    node.put("time", f.time());
    node.put("fund", f.fund());
    node.put("market", f.market());
    node.put("reason", WireName.of(f.reason()));
    node.put("amount", f.amount().toString());
    node.put("balance", f.balance().toString());
    return new Row(seq, "insurance-fund-changed", node.toString());
  }

  private static BigDecimal big(Decimal d) {
    return BigDecimal.valueOf(d.unscaled(), d.scale());
  }

  private static Decimal neg(Decimal d) {
    return new Decimal(Math.negateExact(d.unscaled()), d.scale());
  }

  // ============================================================ reading

  /** The insurance fund serving {@code market} (a market's own name unless it named another). */
  String fundOf(String market) {
    return marketFunds.getOrDefault(market, market);
  }

  /**
   * Whether a trader may see {@code event} as it is: it names no account but {@code account}, and
   * names that one or is public market data. Every other event is the operator's; a trader sees its
   * side of those as history rows.
   */
  static boolean visibleTo(Event event, String account) {
    List<String> named =
        switch (event) {
          case Event.Rejected r -> List.of(account);
          case Event.MarketCreated m -> List.of();
          case Event.PoolCreated p -> List.of(p.user(), p.provider());
          case Event.Deposited d -> List.of(d.account());
          case Event.Withdrawn w -> List.of(w.account());
          case Event.InsuranceFundChanged f ->
              f.account() == null ? List.of("") : List.of(f.account());
          case Event.Quoted q -> List.of(q.account());
          case Event.LiquidationOrder o -> List.of(o.account());
          case Event.TakenOver t -> List.of(t.account(), t.taker());
          case Event.PriceUpdated p -> List.of();
          case Event.Fill f -> List.of(f.buyer(), f.seller());
          case Event.PositionChanged p -> List.of(p.account());
          case Event.FundingPaid f -> List.of(f.account());
          case Event.FundingSettled f -> List.of();
          case Event.Liquidated l -> List.of(l.account(), l.maker());
          case Event.BadDebtRecorded b -> List.of(b.account());
          case Event.Deleveraged d -> List.of(d.account(), d.counterparty());
          case Event.Offsetting o -> List.of(o.account(), o.liquidatedAccount());
          case Event.Haircut h -> List.of(h.account(), h.liquidatedAccount());
          case Event.LossSocialized l -> List.of(l.account());
          case Event.BackstopApplied b -> List.of(b.account());
          case Event.TraderNotice n -> List.of(n.account());
          case Event.CounterpartyLiquidation c -> List.of(c.user(), c.provider());
          case Event.ClockAdvanced c -> List.of();
          case Event.OptionListed o -> List.of();
          case Event.VolatilityUpdated v -> List.of();
          case Event.OptionLiquidated o -> List.of(o.account(), o.maker());
          case Event.OptionExpired o -> List.of();
        };
    for (String name : named) {
      if (!name.equals(account)) {
        return false;
      }
    }
    return true;
  }

  /**
   * An account's rows of one kind, newest first.
   *
   * @param category only rows of this category, or null for all
   * @param before only rows with a smaller {@code seq}, or 0 for the newest
   * @param limit at most this many
   */
  List<String> rows(String account, Kind kind, String category, long before, int limit) {
    Book book = books.get(account);
    if (book == null) {
      return List.of();
    }
    return newest(book.rows.get(kind), category, before, limit);
  }

  /** The venue's liquidation, deleveraging and backstop events, newest first, as served. */
  List<String> venueLog(String type, long before, int limit) {
    return newest(venueLog, type, before, limit);
  }

  /** Each insurance fund's balances over time, oldest first, at most {@code limit} per fund. */
  Map<String, List<String>> funds(int limit) {
    Map<String, List<String>> out = new TreeMap<>();
    for (Map.Entry<String, Deque<Row>> e : funds.entrySet()) {
      List<String> points = new ArrayList<>(newest(e.getValue(), null, 0, limit));
      java.util.Collections.reverse(points);
      out.put(e.getKey(), points);
    }
    return out;
  }

  private static List<String> newest(Deque<Row> rows, String category, long before, int limit) {
    List<String> out = new ArrayList<>();
    for (Iterator<Row> it = rows.descendingIterator(); it.hasNext() && out.size() < limit; ) {
      Row r = it.next();
      if ((before <= 0 || r.seq() < before)
          && (category == null || r.category().equals(category))) {
        out.add(r.json());
      }
    }
    return out;
  }

  // ============================================================ snapshot

  /** Writes every row, in a canonical order (accounts and funds by name), for a snapshot. */
  void write(DataOutputStream out) throws IOException {
    out.write(MAGIC);
    out.writeInt(books.size());
    for (Map.Entry<String, Book> e : books.entrySet()) {
      string(out, e.getKey());
      for (Kind k : Kind.values()) {
        rows(out, e.getValue().rows.get(k));
      }
    }
    rows(out, venueLog);
    out.writeInt(funds.size());
    for (Map.Entry<String, Deque<Row>> e : funds.entrySet()) {
      string(out, e.getKey());
      rows(out, e.getValue());
    }
    out.writeInt(marketFunds.size());
    for (Map.Entry<String, String> e : marketFunds.entrySet()) {
      string(out, e.getKey());
      string(out, e.getValue());
    }
  }

  /**
   * Reads what {@link #write} wrote, keeping at most the current bounds.
   *
   * @throws IOException if the bytes are not a history
   */
  void read(DataInputStream in) throws IOException {
    byte[] magic = in.readNBytes(MAGIC.length);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw new IOException("not a Backstop history section");
    }
    int accounts = count(in);
    for (int a = 0; a < accounts; a++) {
      Book book = new Book();
      books.put(string(in), book);
      for (Kind k : Kind.values()) {
        readRows(in, book.rows.get(k), perAccount);
      }
    }
    readRows(in, venueLog, venue);
    int fundCount = count(in);
    for (int f = 0; f < fundCount; f++) {
      Deque<Row> points = new ArrayDeque<>();
      funds.put(string(in), points);
      readRows(in, points, venue);
    }
    int markets = count(in);
    for (int m = 0; m < markets; m++) {
      marketFunds.put(string(in), string(in));
    }
  }

  private static void rows(DataOutputStream out, Deque<Row> rows) throws IOException {
    out.writeInt(rows.size());
    for (Row r : rows) {
      out.writeLong(r.seq());
      string(out, r.category());
      string(out, r.json());
    }
  }

  private static void readRows(DataInputStream in, Deque<Row> into, int bound) throws IOException {
    int n = count(in);
    for (int i = 0; i < n; i++) {
      push(into, new Row(in.readLong(), string(in), string(in)), bound);
    }
  }

  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      throw new IOException("a negative count in the history section");
    }
    return n;
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String string(DataInputStream in) throws IOException {
    int n = count(in);
    if (n > Journal.MAX_PAYLOAD) {
      throw new IOException("a string of " + n + " bytes in the history section");
    }
    byte[] bytes = in.readNBytes(n);
    if (bytes.length != n) {
      throw new IOException("the history section ends early");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
