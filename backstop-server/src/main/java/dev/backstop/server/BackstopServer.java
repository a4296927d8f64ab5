package dev.backstop.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backstop.core.command.Command;
import dev.backstop.core.engine.AdlRanking;
import dev.backstop.core.event.WireName;
import dev.backstop.json.BadCommandException;
import dev.backstop.json.CommandReader;
import dev.backstop.json.EngineJson;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code backstop serve}: one {@link EngineService} behind the HTTP and WebSocket API of {@code
 * docs/api.md}. The whole server is wired here: configuration, API keys and rate limits, metrics,
 * the engine thread with its journal and snapshots, the routes (one table, {@link #routes()}, which
 * {@code /openapi.json} documents), the dashboard's static files.
 */
public final class BackstopServer implements Closeable {

  /** How long a request waits for the engine thread before answering {@code outcome-unknown}. */
  private static final long WAIT_SECONDS = 60;

  /** The most rows one history request returns. */
  static final int MAX_LIMIT = 500;

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  /** Who may call a route. */
  public enum Access {
    /** Anyone, without a key: health, metrics, the API description, the dashboard. */
    PUBLIC,
    /** Any valid key, trader or operator. */
    KEY,
    /** A trader key (its own account) or the operator key (naming an account with account=). */
    ACCOUNT,
    /** The operator key only. */
    OPERATOR
  }

  /**
   * One route of the API.
   *
   * @param method {@code GET}, {@code POST}, {@code DELETE} or {@code WS}
   * @param path the path, with {@code {name}} for a path parameter
   * @param access who may call it
   */
  public record Route(String method, String path, Access access) {}

  /** A request that passed authentication: who sent it, and the account it is about, if any. */
  private record Caller(ApiKeys.Principal principal, String account) {}

  @FunctionalInterface
  private interface Handler {
    void handle(Context ctx, Caller caller) throws Exception;
  }

  private static final ApiKeys.Principal DEV =
      new ApiKeys.Principal("dev", ApiKeys.Role.OPERATOR, null);

  private final ServerConfig config;
  private final Metrics metrics = new Metrics();
  private final EngineService service;
  private final ApiKeys keys;
  private final String initialOperatorKey;
  private final RateLimiter limiter = new RateLimiter(System::nanoTime);
  private final CommandReader reader = new CommandReader();
  private final EngineJson json = new EngineJson();
  private final Map<WsContext, Subscription> subscriptions = new ConcurrentHashMap<>();
  private final List<Route> routes = new ArrayList<>();
  private final byte[] openApi;
  private final Javalin app;

  private BackstopServer(Path dataDir, ServerConfig config, ReplicatedLog log) throws IOException {
    this.config = config;
    this.keys = ApiKeys.load(dataDir);
    this.initialOperatorKey =
        !config.auth().dev() && !keys.hasOperator() ? keys.create(null).key() : null;
    this.openApi = resource("openapi.json");
    this.service =
        log == null
            ? new EngineService(dataDir, config, metrics)
            : new EngineService(log, config, metrics);
    this.app =
        Javalin.create(
            c -> {
              c.showJavalinBanner = false;
              c.startupWatcherEnabled = false;
              c.useVirtualThreads = true;
              c.http.maxRequestSize = config.maxRequestBytes();
              c.staticFiles.add(
                  s -> {
                    s.hostedPath = "/dashboard";
                    s.directory = "/dev/backstop/server/dashboard";
                    s.location = Location.CLASSPATH;
                  });
              c.staticFiles.enableWebjars();
            });
    app.get("/", ctx -> ctx.redirect("/dashboard/"));

    route("GET", "/api/health", Access.PUBLIC, this::health);
    route(
        "GET",
        "/metrics",
        Access.PUBLIC,
        (ctx, c) -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
    route(
        "GET",
        "/openapi.json",
        Access.PUBLIC,
        (ctx, c) -> ctx.contentType("application/json").result(openApi));

    route("GET", "/api/whoami", Access.KEY, this::whoami);
    route("POST", "/api/commands", Access.ACCOUNT, this::commands);
    route(
        "GET",
        "/api/state",
        Access.OPERATOR,
        (ctx, c) -> json(ctx, query(v -> write(() -> json.state(service.state())))));
    route("GET", "/api/ranking", Access.OPERATOR, this::ranking);
    route(
        "GET",
        "/api/markets",
        Access.OPERATOR,
        (ctx, c) -> json(ctx, query(Views::marketsOverview)));
    route(
        "GET",
        "/api/insurance",
        Access.OPERATOR,
        (ctx, c) -> {
          int limit = limit(ctx);
          json(ctx, query(v -> v.insurance(limit)));
        });
    route("GET", "/api/backstop", Access.OPERATOR, this::backstopLog);
    route("GET", "/api/keys", Access.OPERATOR, this::listKeys);
    route("POST", "/api/keys", Access.OPERATOR, this::createKey);
    route("DELETE", "/api/keys/{id}", Access.OPERATOR, this::revokeKey);

    route(
        "GET",
        "/api/account",
        Access.ACCOUNT,
        (ctx, c) -> json(ctx, query(v -> v.portfolio(c.account()))));
    route(
        "GET",
        "/api/account/adl",
        Access.ACCOUNT,
        (ctx, c) -> {
          String market = ctx.queryParam("market");
          json(ctx, query(v -> v.queue(c.account(), market)));
        });
    route(
        "GET",
        "/api/account/trades",
        Access.ACCOUNT,
        (ctx, c) -> rows(ctx, c, History.Kind.TRADES, History.TRADE_CATEGORIES));
    route(
        "GET",
        "/api/account/transfers",
        Access.ACCOUNT,
        (ctx, c) -> rows(ctx, c, History.Kind.TRANSFERS, History.TRANSFER_CATEGORIES));
    route(
        "GET",
        "/api/account/notifications",
        Access.ACCOUNT,
        (ctx, c) -> rows(ctx, c, History.Kind.NOTIFICATIONS, History.NOTIFICATION_CATEGORIES));
    route("GET", "/fapi/v1/adlQuantile", Access.ACCOUNT, this::adlQuantile);
    route("GET", "/v5/position/list", Access.ACCOUNT, this::bybitPositions);
    route("GET", "/api/v5/account/positions", Access.ACCOUNT, this::okxPositions);

    ws("/ws/events", Access.OPERATOR, this::events);
    ws("/ws/account", Access.ACCOUNT, this::accountStream);

    app.exception(
        EngineService.Refused.class,
        (e, ctx) -> {
          if (e.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
          }
          error(ctx, e.status(), e.code(), e.getMessage());
        });
    app.exception(HttpResponseException.class, this::httpError);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = BackstopServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("the server jar lacks its resource " + name);
      }
      return in.readAllBytes();
    }
  }

  /** Javalin's own refusals (no route, body too large) in the API's error shape. */
  private void httpError(HttpResponseException e, Context ctx) {
    switch (e.getStatus()) {
      case 404 ->
          error(ctx, 404, "not-found", "no such endpoint: " + ctx.method() + " " + ctx.path());
      case 405 ->
          error(ctx, 405, "method-not-allowed", ctx.method() + " is not served at " + ctx.path());
      case 413 ->
          error(
              ctx,
              413,
              "request-too-large",
              "the request body is larger than " + config.maxRequestBytes() + " bytes");
      default -> error(ctx, e.getStatus(), "bad-request", e.getMessage());
    }
  }

  /**
   * Recovers {@code dataDir} and starts listening.
   *
   * @throws IOException if the data directory cannot be read or recovered
   */
  public static BackstopServer start(Path dataDir, ServerConfig config) throws IOException {
    return start(dataDir, config, null);
  }

  /**
   * Starts against a replicated log ({@code backstop serve --cluster}): the data directory holds
   * only the configuration and the API keys; the engine's state comes from {@code log}, and a
   * command is answered once {@code log} committed it. With a null {@code log}, {@link #start(Path,
   * ServerConfig)}.
   *
   * @throws IOException if the data directory cannot be read or the log's state cannot be had
   */
  public static BackstopServer start(Path dataDir, ServerConfig config, ReplicatedLog log)
      throws IOException {
    BackstopServer server = new BackstopServer(dataDir, config, log);
    try {
      server.app.start(config.host(), config.port());
    } catch (RuntimeException e) {
      server.service.close();
      throw e;
    }
    return server;
  }

  /** The port listened on (the chosen one when the configuration said 0). */
  public int port() {
    return app.port();
  }

  /** Commands recovered from the data directory on start. */
  public long recoveredCommands() {
    return service.recoveredCommands();
  }

  /**
   * The operator key created on this start because the data directory had none, to be shown once;
   * null when keys existed already or in dev mode.
   */
  public String initialOperatorKey() {
    return initialOperatorKey;
  }

  /** Clients of the account streams, for tests. */
  int accountSubscribers() {
    return service.accountFeed().size();
  }

  /** Every route, as registered: the table {@code /openapi.json} must describe. */
  public List<Route> routes() {
    return List.copyOf(routes);
  }

  /** Stops listening, then stops the engine thread after the commands already queued. */
  @Override
  public void close() throws IOException {
    app.stop();
    for (Subscription s : subscriptions.values()) {
      s.stop();
    }
    service.close();
  }

  // ============================================================ authentication

  private void route(String method, String path, Access access, Handler handler) {
    routes.add(new Route(method, path, access));
    app.addHttpHandler(
        HandlerType.valueOf(method),
        path,
        ctx -> handler.handle(ctx, authenticate(ctx, access, ctx.header("X-API-Key"))));
  }

  private void ws(String path, Access access, Consumer<WsConfig> handler) {
    routes.add(new Route("WS", path, access));
    // the upgrade request is authenticated like any request; browsers cannot set headers on a
    // WebSocket, so the key may also come as ?key=
    app.wsBeforeUpgrade(
        path,
        ctx -> {
          String key = ctx.header("X-API-Key");
          Caller caller = authenticate(ctx, access, key != null ? key : ctx.queryParam("key"));
          ctx.attribute("caller", caller);
        });
    app.ws(path, handler);
  }

  /**
   * Who sent the request, checked against what the route allows; the rate limit taken. The key is
   * the {@code X-API-Key} header or an {@code Authorization: Bearer} one.
   */
  private Caller authenticate(Context ctx, Access access, String key) {
    if (key == null) {
      String authorization = ctx.header("Authorization");
      if (authorization != null && authorization.startsWith("Bearer ")) {
        key = authorization.substring(7).trim();
      }
    }
    ApiKeys.Principal principal = config.auth().dev() ? DEV : keys.lookup(key);
    rateLimit(ctx, principal);
    if (access == Access.PUBLIC) {
      return new Caller(principal, null);
    }
    if (principal == null) {
      throw new EngineService.Refused(
          401,
          "unauthorized",
          key == null
              ? "this endpoint needs an API key (header X-API-Key)"
              : "the API key is not valid (unknown or revoked)");
    }
    if (access == Access.KEY) {
      return new Caller(principal, principal.account());
    }
    if (access == Access.OPERATOR && !principal.operator()) {
      throw new EngineService.Refused(
          403, "forbidden", ctx.path() + " is for the operator key only");
    }
    String named = ctx.queryParam("account");
    if (principal.operator()) {
      if (access == Access.ACCOUNT && named == null && !ctx.path().equals("/api/commands")) {
        throw new EngineService.Refused(
            400, "missing-parameter", "the operator names the account: account=NAME");
      }
      return new Caller(principal, named);
    }
    if (named != null && !named.equals(principal.account())) {
      throw new EngineService.Refused(
          403, "forbidden-account", "this key is for account '" + principal.account() + "' only");
    }
    return new Caller(principal, principal.account());
  }

  private void rateLimit(Context ctx, ApiKeys.Principal principal) {
    String client;
    ServerConfig.RateLimit limit;
    if (principal == null || principal == DEV) {
      client = "ip:" + ctx.ip();
      limit = principal == DEV ? config.auth().operator() : config.auth().anonymous();
    } else {
      client = principal.keyId();
      limit = principal.operator() ? config.auth().operator() : config.auth().trader();
    }
    double wait = limiter.acquire(client, limit);
    if (wait > 0) {
      metrics.rateLimited();
      throw new EngineService.Refused(
          429,
          "rate-limited",
          String.format(
              java.util.Locale.ROOT,
              "over %s requests per second (burst %d); retry in %.3f s",
              limit.perSecond(),
              limit.burst(),
              wait),
          (long) Math.ceil(wait));
    }
  }

  // ============================================================ commands

  private void commands(Context ctx, Caller caller) {
    long length = ctx.contentLength();
    if (length > config.maxRequestBytes()) {
      throw new EngineService.Refused(
          413,
          "request-too-large",
          "the request body is larger than " + config.maxRequestBytes() + " bytes");
    }
    String body = new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8);
    List<EngineService.Line> lines = new ArrayList<>();
    int lineNumber = 0;
    for (String text : body.split("\r?\n", -1)) {
      lineNumber++;
      if (text.isBlank()) {
        continue;
      }
      Command command;
      try {
        command = reader.read(text);
      } catch (BadCommandException e) {
        ObjectNode error =
            errorNode(WireName.of(e.code()), "line " + lineNumber + ": " + e.describe());
        error.put("line", lineNumber);
        if (e.field() != null) {
          error.put("field", e.field());
        }
        ctx.status(400).contentType("application/json").result(error.toString());
        return;
      }
      if (!caller.principal().operator()) {
        permit(caller.principal().account(), command, lineNumber);
      }
      lines.add(new EngineService.Line(text, command));
    }
    if (lines.isEmpty()) {
      throw new EngineService.Refused(400, "empty-request", "the request holds no command");
    }
    EngineService.Outcome outcome = await(service.submit(lines));
    StringBuilder out = new StringBuilder();
    out.append("{\"firstCommand\":")
        .append(outcome.firstCommand())
        .append(",\"commands\":")
        .append(lines.size())
        .append(",\"events\":[");
    boolean first = true;
    for (int i = 0; i < outcome.events().size(); i++) {
      if (caller.principal().operator()
          || History.visibleTo(outcome.caused().get(i), caller.principal().account())) {
        out.append(first ? "" : ",").append(outcome.events().get(i));
        first = false;
      }
    }
    out.append("]}");
    json(ctx, out.toString());
  }

  /**
   * What a trader key may send: its own withdrawals and, for a liquidity provider, the release of
   * its own pool margin. Deposits come from the venue's custody, trades from its matching engine,
   * and markets, prices, funding, insurance top-ups and time from the venue: the operator's.
   */
  private static void permit(String account, Command command, int line) {
    boolean own =
        switch (command) {
          case Command.Withdraw w -> w.account().equals(account);
          case Command.FreeLpMargin f -> f.provider().equals(account);
          default -> false;
        };
    if (!own) {
      throw new EngineService.Refused(
          403,
          "forbidden-command",
          "line "
              + line
              + ": a trader key sends only its own withdraw and free-margin commands, not '"
              + command.type()
              + "'"
              + (command instanceof Command.Withdraw || command instanceof Command.FreeLpMargin
                  ? " for another account"
                  : ""));
    }
  }

  // ============================================================ reads

  private void ranking(Context ctx, Caller caller) {
    String market = ctx.queryParam("market");
    json(
        ctx,
        query(
            v -> {
              List<AdlRanking> rankings = new ArrayList<>();
              for (String m : market == null ? v.markets() : List.of(market)) {
                rankings.add(v.ranking(m));
              }
              return write(() -> json.rankings(rankings));
            }));
  }

  private void health(Context ctx, Caller caller) {
    json(
        ctx,
        query(
            v -> {
              ObjectNode node = MAPPER.createObjectNode();
              node.put("status", "ok");
              node.put("stateHash", EngineJson.stateHash(v.engine().stateHash()));
              node.put("nextEventSeq", v.engine().nextSequence());
              node.put("events", service.events());
              node.put("oldestEvent", service.feed().oldest());
              node.put("engineTime", v.engine().time());
              node.put("commands", service.commands());
              if (service.journal() != null) {
                node.put("journalBytes", service.journal().forcedBytes());
              } else {
                node.put("replicatedLog", service.replicatedLog().describe());
              }
              return node.toString();
            }));
  }

  private void adlQuantile(Context ctx, Caller caller) {
    String symbol = ctx.queryParam("symbol");
    json(ctx, query(v -> v.binanceAdlQuantile(caller.account(), symbol)));
  }

  private void bybitPositions(Context ctx, Caller caller) {
    String category = ctx.queryParam("category");
    if (category == null) {
      throw new EngineService.Refused(
          400, "missing-parameter", "category is required (linear: Backstop's perpetuals)");
    }
    if (!category.equals("linear")) {
      throw new EngineService.Refused(
          400, "bad-parameter", "category must be linear, not '" + category + "'");
    }
    String symbol = ctx.queryParam("symbol");
    json(ctx, query(v -> v.bybitPositions(caller.account(), symbol)));
  }

  private void okxPositions(Context ctx, Caller caller) {
    String instType = ctx.queryParam("instType");
    if (instType != null && !instType.equals("SWAP")) {
      throw new EngineService.Refused(
          400, "bad-parameter", "instType must be SWAP (perpetuals), not '" + instType + "'");
    }
    String instId = ctx.queryParam("instId");
    List<String> ids = instId == null ? List.of() : Arrays.asList(instId.split(",", -1));
    if (ids.size() > 10 || ids.stream().anyMatch(String::isBlank)) {
      throw new EngineService.Refused(
          400, "bad-parameter", "instId is one to ten market names, separated by commas");
    }
    json(ctx, query(v -> v.okxPositions(caller.account(), ids)));
  }

  private void rows(Context ctx, Caller caller, History.Kind kind, List<String> categories) {
    String category = ctx.queryParam("category");
    if (category != null && !categories.contains(category)) {
      throw new EngineService.Refused(
          400,
          "bad-parameter",
          "category must be one of " + String.join(", ", categories) + ", not '" + category + "'");
    }
    long before = longParameter(ctx, "before", 0);
    int limit = limit(ctx);
    String key = kind.name().toLowerCase(java.util.Locale.ROOT);
    json(ctx, query(v -> v.rows(caller.account(), kind, category, before, limit, key)));
  }

  private void backstopLog(Context ctx, Caller caller) {
    String type = ctx.queryParam("type");
    long before = longParameter(ctx, "before", 0);
    int limit = limit(ctx);
    json(ctx, query(v -> v.backstopLog(type, before, limit)));
  }

  private static int limit(Context ctx) {
    long limit = longParameter(ctx, "limit", 50);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new EngineService.Refused(
          400, "bad-parameter", "limit must be 1 to " + MAX_LIMIT + ", not " + limit);
    }
    return (int) limit;
  }

  private static long longParameter(Context ctx, String name, long absent) {
    String text = ctx.queryParam(name);
    if (text == null) {
      return absent;
    }
    try {
      long value = Long.parseLong(text);
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new EngineService.Refused(
          400, "bad-parameter", name + " must be a whole number >= 0, not '" + text + "'");
    }
  }

  // ============================================================ keys

  private void whoami(Context ctx, Caller caller) {
    ObjectNode out = MAPPER.createObjectNode();
    out.put("keyId", caller.principal().keyId());
    out.put("role", caller.principal().operator() ? "operator" : "trader");
    out.put("account", caller.principal().account());
    out.put("dev", config.auth().dev());
    json(ctx, out.toString());
  }

  private void listKeys(Context ctx, Caller caller) {
    ArrayNode out = MAPPER.createArrayNode();
    for (ApiKeys.Entry e : keys.list()) {
      ObjectNode row = out.addObject();
      row.put("id", e.id());
      row.put("role", e.role());
      row.put("account", e.account());
      row.put("created", e.created());
    }
    ObjectNode root = MAPPER.createObjectNode();
    root.set("keys", out);
    json(ctx, root.toString());
  }

  private void createKey(Context ctx, Caller caller) throws IOException {
    JsonNode body;
    try {
      body = MAPPER.readTree(ctx.body());
    } catch (JsonProcessingException e) {
      throw new EngineService.Refused(
          400, "malformed-request", "the body must be a JSON object: " + e.getOriginalMessage());
    }
    if (body == null || !body.isObject()) {
      throw new EngineService.Refused(400, "malformed-request", "the body must be a JSON object");
    }
    String role = body.path("role").asText("trader");
    JsonNode account = body.get("account");
    for (Map.Entry<String, JsonNode> field : body.properties()) {
      if (!field.getKey().equals("role") && !field.getKey().equals("account")) {
        throw new EngineService.Refused(
            400, "malformed-request", "unknown field '" + field.getKey() + "'");
      }
    }
    ApiKeys.Created created;
    switch (role) {
      case "operator" -> {
        if (account != null) {
          throw new EngineService.Refused(
              400, "malformed-request", "an operator key names no account");
        }
        created = keys.create(null);
      }
      case "trader" -> {
        if (account == null || !account.isTextual() || account.asText().isBlank()) {
          throw new EngineService.Refused(
              400, "malformed-request", "a trader key names its account: {\"account\": NAME}");
        }
        created = keys.create(account.asText());
      }
      default ->
          throw new EngineService.Refused(
              400, "malformed-request", "role must be trader or operator, not '" + role + "'");
    }
    ObjectNode out = MAPPER.createObjectNode();
    out.put("id", created.entry().id());
    out.put("role", created.entry().role());
    out.put("account", created.entry().account());
    out.put("key", created.key());
    ctx.status(201);
    json(ctx, out.toString());
  }

  private void revokeKey(Context ctx, Caller caller) throws IOException {
    String id = ctx.pathParam("id");
    if (id.equals(caller.principal().keyId())) {
      throw new EngineService.Refused(
          400, "bad-parameter", "a key cannot revoke itself; revoke it with another operator key");
    }
    if (!keys.revoke(id)) {
      throw new EngineService.Refused(404, "unknown-key", "no key with id '" + id + "'");
    }
    ctx.status(204);
  }

  // ============================================================ WebSockets

  private static Caller caller(WsContext ctx) {
    return ctx.attribute("caller");
  }

  private void events(WsConfig ws) {
    ws.onConnect(
        ctx -> {
          ctx.enableAutomaticPings();
          String from = ctx.queryParam("from");
          Long start = null;
          if (from != null) {
            try {
              start = Long.parseLong(from);
            } catch (NumberFormatException e) {
              refuse(
                  ctx,
                  "bad-parameter",
                  "from must be an event seq (an integer), not '" + from + "'");
              return;
            }
          }
          Subscription subscription = new Subscription(ctx, config.eventRing() + 1024, null);
          try {
            service.feed().subscribe(start, subscription);
          } catch (EventFeed.ResumeRefused e) {
            refuse(ctx, "resume-unavailable", e.getMessage());
            return;
          }
          subscriptions.put(ctx, subscription);
          subscription.start();
        });
    ws.onClose(this::unsubscribe);
    ws.onError(this::unsubscribe);
  }

  private void accountStream(WsConfig ws) {
    ws.onConnect(
        ctx -> {
          ctx.enableAutomaticPings();
          String account = caller(ctx).account();
          Subscription subscription = new Subscription(ctx, 4096, account);
          service.accountFeed().subscribe(account, subscription.accountSubscriber);
          subscriptions.put(ctx, subscription);
          subscription.start();
          ctx.send("{\"channel\":\"subscribed\",\"data\":{\"account\":" + quote(account) + "}}");
        });
    ws.onClose(this::unsubscribe);
    ws.onError(this::unsubscribe);
  }

  private void unsubscribe(WsContext ctx) {
    Subscription s = subscriptions.remove(ctx);
    if (s != null) {
      s.stop();
    }
  }

  private static void refuse(WsContext ctx, String code, String message) {
    ctx.send(errorNode(code, message).toString());
    ctx.closeSession(1008, code);
  }

  /** One WebSocket client: a bounded queue of messages and a virtual thread sending them. */
  private final class Subscription implements EventFeed.Subscriber {
    private final WsContext ctx;
    private final BlockingQueue<String> lines;
    private final String account;
    private final AccountFeed.Subscriber accountSubscriber = this::accept;
    private volatile Thread sender;
    private volatile boolean overflowed;
    private volatile long lastQueued;

    /**
     * @param account the account of an account stream, or null for the event stream
     */
    Subscription(WsContext ctx, int capacity, String account) {
      this.ctx = ctx;
      this.lines = new ArrayBlockingQueue<>(capacity);
      this.account = account;
    }

    @Override
    public void accept(long seq, String line) {
      if (offer(line)) {
        lastQueued = seq;
      }
    }

    void accept(String message) {
      offer(message);
    }

    private boolean offer(String line) {
      if (overflowed) {
        return false;
      }
      if (lines.offer(line)) {
        return true;
      }
      overflowed = true;
      detach();
      lines.clear();
      lines.offer(
          errorNode(
                  "too-slow",
                  account == null
                      ? "the client fell too far behind; resume with from=" + (lastQueued + 1)
                      : "the client fell too far behind; reconnect and read the history")
              .toString());
      return false;
    }

    void start() {
      sender = Thread.ofVirtual().name("backstop-ws").start(this::send);
    }

    private void send() {
      try {
        while (true) {
          String line = lines.poll(1, TimeUnit.SECONDS);
          if (line == null) {
            if (overflowed) {
              ctx.closeSession(1008, "too-slow");
              return;
            }
            continue;
          }
          ctx.send(line);
        }
      } catch (InterruptedException e) {
        // stopped
      } catch (RuntimeException e) {
        stop();
      }
    }

    private void detach() {
      if (account == null) {
        service.feed().unsubscribe(this);
      } else {
        service.accountFeed().unsubscribe(account, accountSubscriber);
      }
    }

    void stop() {
      detach();
      Thread t = sender;
      if (t != null) {
        t.interrupt();
      }
    }
  }

  // ============================================================ helpers

  private <T> T query(Function<Views, T> query) {
    return await(service.query(engine -> query.apply(new Views(service, engine))));
  }

  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new EngineService.Refused(
          503,
          "outcome-unknown",
          "no answer from the engine within "
              + WAIT_SECONDS
              + " s; the commands may yet be applied");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineService.Refused(503, "shutting-down", "the server is stopping");
    }
  }

  /** JSON text made by Jackson, which cannot fail on these documents. */
  @FunctionalInterface
  private interface Json {
    String write() throws JsonProcessingException;
  }

  private static String write(Json json) {
    try {
      return json.write();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void json(Context ctx, String body) {
    ctx.contentType("application/json").result(body);
  }

  private static String quote(String s) {
    return MAPPER.getNodeFactory().textNode(s).toString();
  }

  private static ObjectNode errorNode(String code, String message) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("code", code);
    node.put("message", message);
    return node;
  }

  private static void error(Context ctx, int status, String code, String message) {
    ctx.status(status).contentType("application/json").result(errorNode(code, message).toString());
  }
}
