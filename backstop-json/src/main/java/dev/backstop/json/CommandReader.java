package dev.backstop.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.backstop.core.adl.allocation.AllocationMode;
import dev.backstop.core.adl.allocation.AllocationPolicies;
import dev.backstop.core.adl.allocation.AllocationPolicy;
import dev.backstop.core.adl.allocation.QueueFullPolicy;
import dev.backstop.core.adl.allocation.QueuePolicy;
import dev.backstop.core.adl.allocation.QueueScore;
import dev.backstop.core.adl.allocation.RandomPolicy;
import dev.backstop.core.adl.allocation.RiskAwareProRataPolicy;
import dev.backstop.core.adl.allocation.RiskAwareProRataPolicy.RiskWeight;
import dev.backstop.core.command.Command;
import dev.backstop.core.command.MarginRef;
import dev.backstop.core.event.RejectionCode;
import dev.backstop.core.market.BackstopSpec;
import dev.backstop.core.market.LiquidationMode;
import dev.backstop.core.market.LiquiditySpec;
import dev.backstop.core.market.MarketConfig;
import dev.backstop.core.market.MarketPresets;
import dev.backstop.core.market.RiskTier;
import dev.backstop.core.market.RiskTiers;
import dev.backstop.core.market.SurplusRule;
import dev.backstop.core.market.TakeoverSpec;
import dev.backstop.core.num.Decimal;
import dev.backstop.core.num.Fixed;
import dev.backstop.core.option.OptionKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one engine {@link Command} from one line of JSON, strictly: the line must be a single JSON
 * object with a known {@code type}, every required field and no unknown one. Amounts, sizes, prices
 * and rates are JSON strings holding plain decimals ({@code "0.5"}), never JSON numbers, so no
 * value passes through binary floating point; times and decimal counts are JSON integers.
 *
 * <p>The reader checks shape only. Whether a command makes sense (a known market, a positive size,
 * enough collateral) is the engine's decision, reported as a {@code Rejected} event.
 */
public final class CommandReader {

  /** How the fields of one command type become a command. */
  @FunctionalInterface
  private interface Reader {
    Command read(Fields f) throws BadCommandException;
  }

  /**
   * Every command type, as in the {@code type} field, with its reader, in the order of {@code
   * docs/run.md}: the one list of the types, which {@link #types()} gives to the help.
   */
  private static final Map<String, Reader> READERS = readers();

  private static Map<String, Reader> readers() {
    Map<String, Reader> readers = new LinkedHashMap<>();
    readers.put("market", CommandReader::market);
    readers.put(
        "pool", f -> new Command.CreatePool(f.text("pool"), f.text("user"), f.text("provider")));
    readers.put(
        "deposit", f -> new Command.Deposit(f.text("account"), f.decimal("amount"), margin(f)));
    readers.put(
        "withdraw", f -> new Command.Withdraw(f.text("account"), f.decimal("amount"), margin(f)));
    readers.put("insurance", f -> new Command.FundInsurance(f.text("market"), f.decimal("amount")));
    readers.put("trade", CommandReader::trade);
    readers.put(
        "price",
        f ->
            new Command.SetPrice(
                f.text("market"),
                f.decimal("mark"),
                f.optionalDecimal("index"),
                f.optionalInteger("time")));
    readers.put("funding", f -> new Command.ApplyFunding(f.text("market"), f.decimal("rate")));
    readers.put("time", f -> new Command.AdvanceTime(f.integer("time")));
    readers.put(
        "free-margin", f -> new Command.FreeLpMargin(f.text("provider"), f.decimal("amount")));
    readers.put("quote", CommandReader::quote);
    readers.put(
        "option",
        f ->
            new Command.CreateOption(
                f.text("option"),
                f.text("underlying"),
                f.choice("kind", OPTION_KINDS),
                f.decimal("strike"),
                f.integer("expiry"),
                f.decimal("volatility")));
    readers.put(
        "option-trade",
        f ->
            new Command.OptionTrade(
                f.text("option"),
                f.text("buyer"),
                f.text("seller"),
                f.decimal("size"),
                f.decimal("premium"),
                f.choice("taker", TAKERS),
                f.text("pool")));
    readers.put(
        "volatility", f -> new Command.SetVolatility(f.text("option"), f.decimal("volatility")));
    readers.put("expiry", f -> new Command.ExpireOption(f.text("option")));
    return Collections.unmodifiableMap(readers);
  }

  /** The command types this reader accepts, as in the {@code type} field. */
  public static List<String> types() {
    return List.copyOf(READERS.keySet());
  }

  private static final Map<String, LiquidationMode> LIQUIDATION_MODES =
      Map.of("partial", LiquidationMode.PARTIAL, "full", LiquidationMode.FULL);
  private static final Map<String, SurplusRule> SURPLUS_RULES =
      Map.of("insurance", SurplusRule.TO_INSURANCE, "keep", SurplusRule.KEEP);
  private static final Map<String, Boolean> TAKERS = Map.of("buyer", true, "seller", false);
  private static final Map<String, OptionKind> OPTION_KINDS =
      Map.of("call", OptionKind.CALL, "put", OptionKind.PUT);
  private static final Map<String, LiquidityModel> LIQUIDITY_MODELS =
      Map.of("book", LiquidityModel.BOOK, "lp", LiquidityModel.LP);

  /** The {@code model} of a market's {@code liquidity}: {@link LiquiditySpec}'s two kinds. */
  private enum LiquidityModel {
    BOOK,
    LP
  }

  private final ObjectMapper mapper =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  /**
   * The mapper's reader of trees, kept: {@code ObjectMapper.readTree} looks the tree type up in its
   * type factory and its deserializer in a cache at every line, about a fifth of parsing a trade
   * ({@code docs/performance.md}, "Reading and writing the lines").
   */
  private final ObjectReader trees = mapper.readerFor(JsonNode.class);

  /** The longest line read, in characters, as {@link CommandLines#MAX_LINE_BYTES} in bytes. */
  public static final int MAX_LINE_LENGTH = CommandLines.MAX_LINE_BYTES;

  /**
   * Reads one command.
   *
   * @param line one line of a JSONL command file, not blank
   * @throws BadCommandException naming the field at fault and why
   */
  public Command read(String line) throws BadCommandException {
    if (line.length() > MAX_LINE_LENGTH) {
      throw new BadCommandException(
          null,
          null,
          "line too long: "
              + line.length()
              + " characters, at most "
              + MAX_LINE_LENGTH
              + " are read");
    }
    JsonNode root;
    try {
      root = trees.readTree(line);
    } catch (JsonProcessingException e) {
      throw new BadCommandException(
          null,
          null,
          (e.getLocation() == null
                  ? "malformed JSON: "
                  : "malformed JSON at column " + e.getLocation().getColumnNr() + ": ")
              + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new BadCommandException(null, null, "a command must be a JSON object");
    }
    Fields f = new Fields(null, root, "");
    String type = f.text("type");
    f.type = type;
    Reader reader = READERS.get(type);
    if (reader == null) {
      throw f.bad(
          "type",
          "unknown command type '" + type + "'; known types: " + String.join(", ", types()));
    }
    Command command = reader.read(f);
    f.requireNoOthers();
    return command;
  }

  /** The optional {@code pool} or {@code isolated} of a deposit or withdrawal. */
  private static MarginRef margin(Fields f) throws BadCommandException {
    String pool = f.optionalText("pool");
    String isolated = f.optionalText("isolated");
    if (pool != null && isolated != null) {
      throw f.bad("isolated", "give either pool or isolated, not both");
    }
    if (pool != null) {
      return MarginRef.pool(pool);
    }
    return isolated != null ? MarginRef.isolated(isolated) : MarginRef.cross();
  }

  private static Command trade(Fields f) throws BadCommandException {
    String market = f.text("market");
    String buyer = f.text("buyer");
    String seller = f.text("seller");
    Decimal size = f.decimal("size");
    Decimal price = f.decimal("price");
    boolean takerIsBuyer = f.choice("taker", TAKERS);
    String pool = f.optionalText("pool");
    boolean buyerIsolated = f.flag("buyerIsolated");
    boolean sellerIsolated = f.flag("sellerIsolated");
    if (pool != null && (buyerIsolated || sellerIsolated)) {
      throw f.bad(
          buyerIsolated ? "buyerIsolated" : "sellerIsolated",
          "a settlement-pool trade cannot also be isolated");
    }
    MarginRef buyerMargin = marginOf(pool, buyerIsolated, market);
    MarginRef sellerMargin = marginOf(pool, sellerIsolated, market);
    return new Command.Trade(
        market, buyer, seller, size, price, takerIsBuyer, buyerMargin, sellerMargin);
  }

  private static MarginRef marginOf(String pool, boolean isolated, String market) {
    if (pool != null) {
      return MarginRef.pool(pool);
    }
    return isolated ? MarginRef.isolated(market) : MarginRef.cross();
  }

  /** A market from a venue preset (or the builder's neutral defaults) with the line's overrides. */
  private static Command market(Fields f) throws BadCommandException {
    String market = f.text("market");
    String preset = f.optionalText("preset");
    String fund = f.optionalText("insuranceFund");
    String fundName = fund == null ? market : fund;
    MarketConfig.Builder builder;
    if (preset == null) {
      builder = MarketConfig.builder().insuranceFund(fundName);
    } else {
      try {
        builder = MarketPresets.builder(preset, fundName);
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw f.bad("preset", reason(e));
      }
    }
    MarketConfig base = builder.build();
    Integer sizeDecimals = f.optionalSmallInteger("sizeDecimals");
    if (sizeDecimals != null) {
      builder.sizeDecimals(sizeDecimals);
    }
    Integer priceDecimals = f.optionalSmallInteger("priceDecimals");
    if (priceDecimals != null) {
      builder.priceDecimals(priceDecimals);
    }
    Long takerFee = f.optionalRate("takerFee");
    if (takerFee != null) {
      builder.takerFeeRate(takerFee);
    }
    Long makerFee = f.optionalRate("makerFee");
    if (makerFee != null) {
      builder.makerFeeRate(makerFee);
    }
    Long penalty = f.optionalRate("liquidationPenalty");
    if (penalty != null) {
      builder.liquidationPenaltyRate(penalty);
    }
    if (f.has("liquidationMode")) {
      builder.liquidationMode(f.choice("liquidationMode", LIQUIDATION_MODES));
    }
    if (f.has("surplus")) {
      builder.surplusRule(f.choice("surplus", SURPLUS_RULES));
    }
    RiskTiers tiers = tiers(f);
    if (tiers != null) {
      builder.tiers(tiers);
    }
    if (f.has("liquidity")) {
      builder.liquidity(liquidity(f.object("liquidity"), base.liquidity()));
    }
    Long loading = f.optionalRate("factorLoading");
    if (loading != null) {
      builder.factorLoading(loading);
    }
    Long band = f.optionalRate("priceBand");
    if (band != null) {
      builder.priceBandRate(band);
    }
    Long maxInsurance = f.optionalMoney("maxInsurance");
    if (maxInsurance != null) {
      builder.maxInsurance(maxInsurance);
    }
    if (f.has("unrealizedPnlWithdrawable")) {
      builder.unrealizedPnlWithdrawable(f.flag("unrealizedPnlWithdrawable"));
    }
    if (f.has("backstop")) {
      builder.backstop(backstop(f.object("backstop"), base.backstop()));
    }
    try {
      return new Command.CreateMarket(market, builder.build());
    } catch (IllegalArgumentException e) {
      throw f.badConfiguration(null, "market " + market + ": " + e.getMessage());
    }
  }

  /**
   * One flat tier ({@code maxLeverage} + {@code maintenanceMarginRate}), {@code tiers}, or none.
   * Either replaces all the preset's tiers, so a flat tier needs both of its fields.
   */
  private static RiskTiers tiers(Fields f) throws BadCommandException {
    f.renamed("mmr", "maintenanceMarginRate");
    boolean flat = f.has("maxLeverage") || f.has("maintenanceMarginRate");
    if (flat && f.has("tiers")) {
      throw f.bad("tiers", "give either tiers or maxLeverage with maintenanceMarginRate, not both");
    }
    List<RiskTier> bands = new ArrayList<>();
    if (flat) {
      for (String field : List.of("maxLeverage", "maintenanceMarginRate")) {
        if (!f.has(field)) {
          throw f.bad(
              field,
              "missing: maxLeverage and maintenanceMarginRate go together, replacing the"
                  + " preset's risk tiers with one flat tier");
        }
      }
      bands.add(tier(f, null));
    } else if (f.has("tiers")) {
      List<Fields> items = f.array("tiers");
      if (items.isEmpty()) {
        throw f.bad("tiers", "a market needs at least one risk tier");
      }
      for (Fields item : items) {
        item.renamed("mmr", "maintenanceMarginRate");
        bands.add(tier(item, item.money("notional")));
        item.requireNoOthers();
      }
    } else {
      return null;
    }
    try {
      return RiskTiers.of(bands);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw f.badConfiguration(flat ? "maxLeverage" : "tiers", reason(e));
    }
  }

  /** What a configuration that cannot be built says: its own message, or that it overflowed. */
  private static String reason(RuntimeException e) {
    return e instanceof ArithmeticException
        ? "arithmetic overflow: " + e.getMessage()
        : e.getMessage();
  }

  private static RiskTier tier(Fields f, Long floor) throws BadCommandException {
    long leverage = f.whole("maxLeverage");
    long mmr = f.rate("maintenanceMarginRate");
    long notionalFloor = floor == null ? 0 : floor;
    try {
      return new RiskTier(notionalFloor, leverage, mmr, 0);
    } catch (IllegalArgumentException e) {
      String field =
          notionalFloor < 0 ? "notional" : leverage < 1 ? "maxLeverage" : "maintenanceMarginRate";
      throw f.badConfiguration(field, e.getMessage());
    }
  }

  private static final Map<String, BackstopSpec.ExecutionPrice> EXECUTION_PRICES =
      Map.of(
          "bankruptcy", BackstopSpec.ExecutionPrice.BANKRUPTCY,
          "mark", BackstopSpec.ExecutionPrice.MARK,
          "previous-mark", BackstopSpec.ExecutionPrice.PREVIOUS_MARK,
          "mark-capped-at-bankruptcy", BackstopSpec.ExecutionPrice.MARK_CAPPED_AT_BANKRUPTCY,
          "premium-index", BackstopSpec.ExecutionPrice.PREMIUM_INDEX);

  private static final Map<String, String> RESOLUTIONS =
      Map.of(
          "deleverage", "deleverage",
          "haircut", "haircut",
          "socialize", "socialize",
          "bad-debt", "bad-debt");

  private static final Map<String, String> TRIGGERS =
      Map.of("fund", "fund", "drawdown", "drawdown", "pnl-factor", "pnl-factor");

  /** The fields of each trigger a command can name. */
  private static final Map<String, List<String>> TRIGGER_FIELDS =
      Map.of(
          "fund", List.of(),
          "drawdown",
              List.of(
                  "windowMillis", "start", "stop", "balanceStart", "balanceStop", "positionStart"),
          "pnl-factor", List.of("max", "min"));

  /** Every trigger field, in the order they are checked. */
  private static final List<String> ALL_TRIGGER_FIELDS =
      List.of(
          "windowMillis",
          "start",
          "stop",
          "balanceStart",
          "balanceStop",
          "positionStart",
          "max",
          "min");

  /** Every policy parameter, as {@link AllocationPolicies#parameters} names them. */
  private static final List<String> POLICY_PARAMETERS =
      AllocationPolicies.NAMES.stream()
          .flatMap(name -> AllocationPolicies.parameters(name).stream())
          .distinct()
          .toList();

  /** The fields of an order book; an LP counterparty has none of them. */
  private static final List<String> BOOK_FIELDS =
      List.of(
          "halfSpread", "depth", "step", "levels", "halfLife", "limit", "maxSlippage", "takeover");

  private static final Map<String, LiquiditySpec.LimitRule> LIMITS =
      Map.of(
          "bankruptcy",
          LiquiditySpec.LimitRule.BANKRUPTCY,
          "slippage",
          LiquiditySpec.LimitRule.MARK_SLIPPAGE);

  /**
   * Overrides of the preset's backstop: {@code resolution} ({@code deleverage}, {@code haircut},
   * {@code socialize}, {@code bad-debt}), {@code policy} with its parameters ({@code score}, {@code
   * riskWeight}, {@code seed}, {@code maxIterations}), {@code trigger} ({@code fund}; {@code
   * drawdown} with {@code windowMillis}, {@code start}, {@code stop}; {@code pnl-factor} with
   * {@code max}, {@code min}) and {@code price}.
   *
   * <p>What is not given stays as in the preset; a field the resulting trigger, resolution or
   * policy does not take is an error, and so is one it needs that the preset cannot supply. The
   * only values not taken from the preset are core's documented defaults of a policy: RAP's weight
   * {@code leverage} ({@link RiskAwareProRataPolicy#RiskAwareProRataPolicy()}) and the random
   * policy's {@link RandomPolicy#DEFAULT_MAX_ITERATIONS}.
   */
  private static BackstopSpec backstop(Fields f, BackstopSpec base) throws BadCommandException {
    BackstopSpec.Trigger trigger = trigger(f, base.trigger());
    BackstopSpec.ExecutionPrice price =
        f.has("price") ? f.choice("price", EXECUTION_PRICES) : base.price();
    BackstopSpec.Resolution resolution = resolution(f, base.resolution());
    f.requireNoOthers();
    try {
      return new BackstopSpec(trigger, resolution, price);
    } catch (IllegalArgumentException e) {
      throw f.badConfiguration(null, e.getMessage());
    }
  }

  private static AllocationPolicy policyOf(BackstopSpec.Resolution resolution) {
    return switch (resolution) {
      case BackstopSpec.Resolution.Deleverage d -> d.policy();
      case BackstopSpec.Resolution.Haircut h -> h.policy();
      default -> null;
    };
  }

  /** The resolution: the preset's kind unless given, with its policy ({@link #policy}). */
  private static BackstopSpec.Resolution resolution(Fields f, BackstopSpec.Resolution base)
      throws BadCommandException {
    boolean given = f.has("resolution");
    String name = given ? f.choice("resolution", RESOLUTIONS) : base.wireName();
    if (name.equals("socialize") || name.equals("bad-debt")) {
      String which = (given ? "resolution " : "the preset's resolution ") + name;
      if (f.has("policy")) {
        throw f.bad(
            "policy",
            which
                + " takes no policy"
                + (given ? "" : "; give resolution deleverage or haircut with it"));
      }
      for (String parameter : POLICY_PARAMETERS) {
        if (f.has(parameter)) {
          throw f.bad(parameter, which + " takes no policy, so no " + parameter);
        }
      }
      return name.equals("socialize")
          ? new BackstopSpec.Resolution.Socialize()
          : new BackstopSpec.Resolution.BadDebt();
    }
    boolean policyGiven = f.has("policy");
    AllocationPolicy policy = policy(f, policyOf(base), name);
    AllocationMode mode = name.equals("deleverage") ? AllocationMode.SIZE : AllocationMode.BUDGET;
    if (!policy.supports(mode)) {
      AllocationMode other =
          mode == AllocationMode.SIZE ? AllocationMode.BUDGET : AllocationMode.SIZE;
      throw f.badConfiguration(
          policyGiven ? "policy" : "resolution",
          "policy "
              + policy.name()
              + (policyGiven ? "" : " (the preset's)")
              + (mode == AllocationMode.SIZE
                  ? " cannot share a size to close"
                  : " cannot share a budget")
              + ", which resolution "
              + name
              + (given ? "" : " (the preset's)")
              + " needs"
              + (given || !policy.supports(other)
                  ? ""
                  : "; give resolution "
                      + (mode == AllocationMode.SIZE ? "haircut" : "deleverage")));
    }
    return mode == AllocationMode.SIZE
        ? new BackstopSpec.Resolution.Deleverage(policy)
        : new BackstopSpec.Resolution.Haircut(policy);
  }

  /**
   * The policy of a deleveraging or haircut resolution: the named one or the preset's, each
   * parameter as given, else the preset policy's own when it has that parameter, else core's
   * documented default where there is one; otherwise the command is refused.
   */
  private static AllocationPolicy policy(Fields f, AllocationPolicy base, String resolution)
      throws BadCommandException {
    boolean given = f.has("policy");
    String name;
    List<String> takes;
    if (given) {
      name = f.text("policy");
      try {
        takes = AllocationPolicies.parameters(name);
      } catch (IllegalArgumentException e) {
        throw f.bad("policy", e.getMessage());
      }
    } else if (base != null) {
      name = base.name();
      takes = AllocationPolicies.parameters(name);
    } else {
      throw f.bad("policy", "resolution " + resolution + " needs a policy: the preset has none");
    }
    String which = (given ? "policy " : "the preset's policy ") + name;
    for (String parameter : POLICY_PARAMETERS) {
      if (f.has(parameter) && !takes.contains(parameter)) {
        throw f.bad(parameter, which + " takes no " + parameter);
      }
    }
    QueueScore score = null;
    if (takes.contains("score")) {
      if (f.has("score")) {
        try {
          score = AllocationPolicies.score(f.text("score"));
        } catch (IllegalArgumentException e) {
          throw f.bad("score", e.getMessage());
        }
      } else {
        score =
            switch (base) {
              case QueuePolicy q -> q.score();
              case QueueFullPolicy q -> q.score();
              case null, default ->
                  throw needs(
                      f,
                      name,
                      "score",
                      base,
                      "; give one of " + String.join(", ", AllocationPolicies.scoreNames()));
            };
      }
    }
    RiskWeight weight = null;
    if (takes.contains("riskWeight")) {
      if (f.has("riskWeight")) {
        try {
          weight = AllocationPolicies.riskWeight(f.text("riskWeight"));
        } catch (IllegalArgumentException e) {
          throw f.bad("riskWeight", e.getMessage());
        }
      } else {
        weight =
            base instanceof RiskAwareProRataPolicy rap
                ? rap.riskWeight()
                : new RiskAwareProRataPolicy().riskWeight();
      }
    }
    long seed = 0;
    int maxIterations = RandomPolicy.DEFAULT_MAX_ITERATIONS;
    if (takes.contains("seed")) {
      RandomPolicy random = base instanceof RandomPolicy r ? r : null;
      if (f.has("seed")) {
        seed = f.integer("seed");
      } else if (random != null) {
        seed = random.seed();
      } else {
        throw needs(f, name, "seed", base, "");
      }
      if (f.has("maxIterations")) {
        maxIterations = f.positiveInt("maxIterations");
      } else if (random != null) {
        maxIterations = random.maxIterations();
      }
    }
    try {
      return AllocationPolicies.byName(name, score, weight, seed, maxIterations);
    } catch (IllegalArgumentException e) {
      throw f.bad("policy", e.getMessage());
    }
  }

  /** A parameter the policy needs that the command does not give and the preset cannot supply. */
  private static BadCommandException needs(
      Fields f, String policy, String parameter, AllocationPolicy base, String hint) {
    return f.bad(
        parameter,
        "policy "
            + policy
            + " needs a "
            + parameter
            + ": "
            + (base == null ? "the preset has no policy" : "the preset's policy " + base.spec())
            + (base == null ? "" : " has none")
            + hint);
  }

  /**
   * The trigger: the preset's kind unless given; each of its fields as given, else the preset's
   * when its trigger is of the same kind; otherwise the command is refused.
   */
  private static BackstopSpec.Trigger trigger(Fields f, BackstopSpec.Trigger base)
      throws BadCommandException {
    boolean given = f.has("trigger");
    String name = given ? f.choice("trigger", TRIGGERS) : base.wireName();
    List<String> takes = TRIGGER_FIELDS.getOrDefault(name, List.of());
    String firstGiven = given ? "trigger" : null;
    for (String field : ALL_TRIGGER_FIELDS) {
      if (f.has(field)) {
        if (!takes.contains(field)) {
          throw f.bad(
              field, (given ? "trigger " : "the preset's trigger ") + name + " takes no " + field);
        }
        firstGiven = firstGiven == null ? field : firstGiven;
      }
    }
    if (firstGiven == null) {
      return base;
    }
    String baseName = base.wireName();
    try {
      return switch (name) {
        case "drawdown" -> {
          BackstopSpec.Trigger.FundDrawdown d =
              base instanceof BackstopSpec.Trigger.FundDrawdown b ? b : null;
          yield new BackstopSpec.Trigger.FundDrawdown(
              f.has("windowMillis")
                  ? f.integer("windowMillis")
                  : kept(f, name, "windowMillis", d, baseName).windowMillis(),
              f.has("start") ? f.rate("start") : kept(f, name, "start", d, baseName).startRate(),
              f.has("stop") ? f.rate("stop") : kept(f, name, "stop", d, baseName).stopRate(),
              f.has("balanceStart") ? f.money("balanceStart") : d == null ? 0 : d.balanceStart(),
              f.has("balanceStop") ? f.money("balanceStop") : d == null ? 0 : d.balanceStop(),
              f.has("positionStart")
                  ? f.money("positionStart")
                  : d == null ? 0 : d.positionStart());
        }
        case "pnl-factor" -> {
          BackstopSpec.Trigger.PnlFactor p =
              base instanceof BackstopSpec.Trigger.PnlFactor b ? b : null;
          yield new BackstopSpec.Trigger.PnlFactor(
              f.has("max") ? f.rate("max") : kept(f, name, "max", p, baseName).maxRate(),
              f.has("min") ? f.rate("min") : kept(f, name, "min", p, baseName).minRate());
        }
        default -> new BackstopSpec.Trigger.FundCannotCover();
      };
    } catch (IllegalArgumentException e) {
      throw f.badConfiguration(firstGiven, e.getMessage());
    }
  }

  /** The preset's trigger of the same kind, which supplies a field the command does not give. */
  private static <T extends BackstopSpec.Trigger> T kept(
      Fields f, String trigger, String field, T base, String baseName) throws BadCommandException {
    if (base == null) {
      throw f.bad(
          field,
          "trigger "
              + trigger
              + " needs "
              + field
              + ": the preset's trigger "
              + baseName
              + " has none");
    }
    return base;
  }

  /**
   * A liquidity model: the preset's kind unless {@code model} is given. Fields left out take the
   * values of the preset's model when it is of the same kind; otherwise the command is refused, as
   * is a field the model does not take.
   */
  private static LiquiditySpec liquidity(Fields f, LiquiditySpec base) throws BadCommandException {
    boolean given = f.has("model");
    LiquidityModel baseModel =
        base instanceof LiquiditySpec.LpCounterparty ? LiquidityModel.LP : LiquidityModel.BOOK;
    LiquidityModel model = given ? f.choice("model", LIQUIDITY_MODELS) : baseModel;
    String modelName = modelName(model);
    String needs =
        "liquidity model "
            + modelName
            + " needs %s: the preset's liquidity model is "
            + modelName(baseModel);
    LiquiditySpec spec;
    if (model == LiquidityModel.LP) {
      for (String field : BOOK_FIELDS) {
        if (f.has(field)) {
          throw f.bad(
              field,
              (given ? "liquidity model " : "the preset's liquidity model ")
                  + modelName
                  + " takes no "
                  + field);
        }
      }
      String account = f.optionalText("account");
      if (account == null) {
        if (!(base instanceof LiquiditySpec.LpCounterparty lp)) {
          throw f.bad("account", needs.formatted("an account"));
        }
        account = lp.account();
      }
      boolean poolsOnly =
          f.has("poolsOnly")
              ? f.flag("poolsOnly")
              : base instanceof LiquiditySpec.LpCounterparty lp && lp.poolsOnly();
      spec = new LiquiditySpec.LpCounterparty(account, poolsOnly);
    } else {
      LiquiditySpec.OrderBook book =
          base instanceof LiquiditySpec.OrderBook b ? b : LiquiditySpec.OrderBook.standard("book");
      String account = f.optionalText("account");
      Long halfSpread = f.optionalRate("halfSpread");
      Long depth = f.optionalMoney("depth");
      Long step = f.optionalRate("step");
      Long levels = f.optionalInteger("levels");
      Long halfLife = f.optionalInteger("halfLife");
      LiquiditySpec.LimitRule limit = f.has("limit") ? f.choice("limit", LIMITS) : book.limit();
      Long slippage = f.optionalRate("maxSlippage");
      TakeoverSpec takeover =
          f.has("takeover") ? takeover(f.object("takeover"), book.takeover()) : book.takeover();
      if (levels != null && (levels < 1 || levels > LiquiditySpec.OrderBook.MAX_LEVELS)) {
        throw f.bad("levels", "must be 1 to " + LiquiditySpec.OrderBook.MAX_LEVELS);
      }
      try {
        spec =
            new LiquiditySpec.OrderBook(
                account == null ? book.account() : account,
                halfSpread == null ? book.halfSpreadRate() : halfSpread,
                depth == null ? book.depthAtOnePercent() : depth,
                step == null ? book.stepRate() : step,
                levels == null ? book.levels() : levels.intValue(),
                halfLife == null ? book.halfLifeMillis() : halfLife,
                limit,
                slippage == null ? book.maxSlippageRate() : slippage,
                takeover);
      } catch (IllegalArgumentException e) {
        throw f.bad(null, e.getMessage());
      }
    }
    f.requireNoOthers();
    return spec;
  }

  /**
   * The takeover layer: {@code {"layer": "none"}}, {@code {"layer": "fund", "cap": "1",
   * "offloadSlippage": "0.005"}} or {@code {"layer": "vault", "account": "v", "trigger": "0.6667",
   * "offloadSlippage": "0.005"}}; what is not given comes from the preset's layer when it is the
   * same kind.
   */
  private static TakeoverSpec takeover(Fields f, TakeoverSpec base) throws BadCommandException {
    String layer = f.text("layer");
    long defaultSlippage =
        base.offloadSlippageRate() > 0 ? base.offloadSlippageRate() : Fixed.RATE_ONE / 200;
    Long slippage = f.optionalRate("offloadSlippage");
    TakeoverSpec spec;
    try {
      spec =
          switch (layer) {
            case "none" -> new TakeoverSpec.None();
            case "fund" -> {
              Long cap = f.optionalRate("cap");
              long baseCap = base instanceof TakeoverSpec.Fund b ? b.netNotionalCapRate() : 0;
              yield new TakeoverSpec.Fund(
                  cap == null ? baseCap : cap, slippage == null ? defaultSlippage : slippage);
            }
            case "vault" -> {
              String account = f.optionalText("account");
              Long trigger = f.optionalRate("trigger");
              TakeoverSpec.Vault b = base instanceof TakeoverSpec.Vault v ? v : null;
              if (account == null && b == null) {
                throw f.bad("account", "a vault needs an account");
              }
              yield new TakeoverSpec.Vault(
                  account == null ? b.account() : account,
                  trigger != null ? trigger : b == null ? 2 * Fixed.RATE_ONE / 3 : b.triggerRate(),
                  slippage == null ? defaultSlippage : slippage);
            }
            default ->
                throw f.bad("layer", "unknown takeover layer '" + layer + "': none, fund, vault");
          };
    } catch (IllegalArgumentException e) {
      throw f.bad(null, e.getMessage());
    }
    f.requireNoOthers();
    return spec;
  }

  /**
   * A maker's ladder: {@code {"type": "quote", "market": M, "account": A, "depth": "1000000"}} (the
   * market's curve scaled to the depth; "0" cancels) or explicit {@code "bids"} and {@code "asks"}
   * as arrays of {@code {"offset": "0.001", "notional": "50000"}}, best first.
   */
  private static Command quote(Fields f) throws BadCommandException {
    return new Command.Quote(
        f.text("market"),
        f.text("account"),
        margin(f),
        f.optionalDecimal("depth"),
        levels(f, "bids"),
        levels(f, "asks"));
  }

  private static List<Command.Level> levels(Fields f, String side) throws BadCommandException {
    if (!f.has(side)) {
      return null;
    }
    List<Command.Level> out = new ArrayList<>();
    for (Fields item : f.array(side)) {
      out.add(new Command.Level(item.decimal("offset"), item.decimal("notional")));
      item.requireNoOthers();
    }
    return out;
  }

  private static String modelName(LiquidityModel model) {
    return model == LiquidityModel.LP ? "lp" : "book";
  }

  /**
   * The fields of one JSON object, read by name. Remembers which were read, so that an unknown
   * field (a typo such as {@code "prcie"}) is an error rather than silently ignored.
   */
  private static final class Fields {
    private final Fields parent;
    private final JsonNode node;
    private final String path;
    private final Set<String> read = new HashSet<>();
    private String type;

    Fields(Fields parent, JsonNode node, String path) {
      this.parent = parent;
      this.node = node;
      this.path = path;
    }

    BadCommandException bad(String field, String reason) {
      return bad(field, reason, RejectionCode.MALFORMED_COMMAND);
    }

    /** A market whose parts, each well formed, do not fit together. */
    BadCommandException badConfiguration(String field, String reason) {
      return bad(field, reason, RejectionCode.INVALID_CONFIGURATION);
    }

    private BadCommandException bad(String field, String reason, RejectionCode code) {
      String full = path + (field == null ? "" : field);
      if (full.endsWith(".")) {
        full = full.substring(0, full.length() - 1);
      }
      Fields root = this;
      while (root.parent != null) {
        root = root.parent;
      }
      return new BadCommandException(root.type, full.isEmpty() ? null : full, reason, code);
    }

    boolean has(String name) {
      return node.has(name);
    }

    /** The value of a field; null when absent. A JSON null is not a value. */
    private JsonNode value(String name) throws BadCommandException {
      read.add(name);
      JsonNode v = node.get(name);
      if (v != null && v.isNull()) {
        throw bad(name, "null is not a value; leave the field out instead");
      }
      return v;
    }

    private JsonNode present(String name) throws BadCommandException {
      JsonNode v = value(name);
      if (v == null) {
        throw bad(name, "missing");
      }
      return v;
    }

    <T> T required(String name, T value) throws BadCommandException {
      if (value == null) {
        throw bad(name, "missing");
      }
      return value;
    }

    String text(String name) throws BadCommandException {
      return required(name, optionalText(name));
    }

    String optionalText(String name) throws BadCommandException {
      JsonNode v = value(name);
      if (v == null) {
        return null;
      }
      if (!v.isTextual()) {
        throw bad(name, "must be a string, not " + v);
      }
      if (v.textValue().isBlank()) {
        throw bad(name, "must not be blank");
      }
      return v.textValue();
    }

    Decimal decimal(String name) throws BadCommandException {
      return required(name, optionalDecimal(name));
    }

    Decimal optionalDecimal(String name) throws BadCommandException {
      JsonNode v = value(name);
      if (v == null) {
        return null;
      }
      if (!v.isTextual()) {
        throw bad(name, "must be a decimal string such as \"0.5\", not " + v);
      }
      try {
        return Decimal.parse(v.textValue());
      } catch (IllegalArgumentException e) {
        throw bad(name, e.getMessage());
      }
    }

    private Long optionalUnits(String name, int decimals) throws BadCommandException {
      Decimal d = optionalDecimal(name);
      if (d == null) {
        return null;
      }
      try {
        return d.toUnits(decimals);
      } catch (IllegalArgumentException e) {
        throw bad(name, e.getMessage());
      }
    }

    /** A rate such as {@code "0.005"}, at {@link Fixed#RATE_DECIMALS}. */
    Long optionalRate(String name) throws BadCommandException {
      return optionalUnits(name, Fixed.RATE_DECIMALS);
    }

    long rate(String name) throws BadCommandException {
      return required(name, optionalRate(name));
    }

    /** A money amount at {@link Fixed#MONEY_DECIMALS}. */
    Long optionalMoney(String name) throws BadCommandException {
      return optionalUnits(name, Fixed.MONEY_DECIMALS);
    }

    long money(String name) throws BadCommandException {
      return required(name, optionalMoney(name));
    }

    /** A whole number written as a decimal string, such as a leverage {@code "50"}. */
    long whole(String name) throws BadCommandException {
      return required(name, optionalUnits(name, 0));
    }

    long integer(String name) throws BadCommandException {
      return required(name, optionalInteger(name));
    }

    Long optionalInteger(String name) throws BadCommandException {
      JsonNode v = value(name);
      if (v == null) {
        return null;
      }
      if (!v.isIntegralNumber() || !v.canConvertToLong()) {
        throw bad(name, "must be a JSON integer, not " + v);
      }
      return v.longValue();
    }

    Integer optionalSmallInteger(String name) throws BadCommandException {
      Long v = optionalInteger(name);
      if (v == null) {
        return null;
      }
      if (v < 0 || v > Fixed.MONEY_DECIMALS) {
        throw bad(name, "must be between 0 and " + Fixed.MONEY_DECIMALS + ", not " + v);
      }
      return v.intValue();
    }

    /** A JSON integer from 1 to {@link Integer#MAX_VALUE}. */
    int positiveInt(String name) throws BadCommandException {
      long v = integer(name);
      if (v < 1) {
        throw bad(name, "must be positive, not " + v);
      }
      if (v > Integer.MAX_VALUE) {
        throw bad(name, "must be at most " + Integer.MAX_VALUE + ", not " + v);
      }
      return (int) v;
    }

    /** Refuses {@code old}, another spelling of the field {@code name}: one field, one name. */
    void renamed(String old, String name) throws BadCommandException {
      if (has(old)) {
        read.add(old);
        throw bad(old, "unknown field; the field is named " + name);
      }
    }

    /** A JSON boolean; false when absent. */
    boolean flag(String name) throws BadCommandException {
      JsonNode v = value(name);
      if (v == null) {
        return false;
      }
      if (!v.isBoolean()) {
        throw bad(name, "must be true or false, not " + v);
      }
      return v.booleanValue();
    }

    <T> T choice(String name, Map<String, T> values) throws BadCommandException {
      String v = text(name);
      T chosen = values.get(v);
      if (chosen == null) {
        throw bad(
            name,
            "unknown value '"
                + v
                + "'; expected one of "
                + String.join(", ", values.keySet().stream().sorted().toList()));
      }
      return chosen;
    }

    Fields object(String name) throws BadCommandException {
      JsonNode v = present(name);
      if (!v.isObject()) {
        throw bad(name, "must be a JSON object, not " + v);
      }
      return new Fields(this, v, path + name + ".");
    }

    List<Fields> array(String name) throws BadCommandException {
      JsonNode v = present(name);
      if (!v.isArray()) {
        throw bad(name, "must be a JSON array, not " + v);
      }
      List<Fields> items = new ArrayList<>(v.size());
      for (int i = 0; i < v.size(); i++) {
        JsonNode item = v.get(i);
        String itemPath = path + name + "[" + i + "]";
        if (!item.isObject()) {
          throw new Fields(this, item, itemPath).bad(null, "must be a JSON object, not " + item);
        }
        items.add(new Fields(this, item, itemPath + "."));
      }
      return items;
    }

    void requireNoOthers() throws BadCommandException {
      Iterator<String> names = node.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (!read.contains(name)) {
          throw bad(name, "unknown field");
        }
      }
    }
  }
}
