package dev.backstop.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backstop.core.engine.AdlRanking;
import dev.backstop.core.engine.Engine;
import dev.backstop.core.engine.EngineState;
import dev.backstop.core.event.WireName;
import dev.backstop.json.BadCommandException;
import dev.backstop.json.CommandReader;
import dev.backstop.json.EngineJson;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * {@code backstop serve}: one {@link EngineService} behind the HTTP and WebSocket API of {@code
 * docs/api.md}. The whole server is wired here: configuration, metrics, the engine thread with its
 * journal and snapshots, and the routes.
 */
public final class BackstopServer implements Closeable {

  /** How long a request waits for the engine thread before answering {@code outcome-unknown}. */
  private static final long WAIT_SECONDS = 60;

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private final ServerConfig config;
  private final Metrics metrics = new Metrics();
  private final EngineService service;
  private final CommandReader reader = new CommandReader();
  private final EngineJson json = new EngineJson();
  private final Map<WsContext, Subscription> subscriptions = new ConcurrentHashMap<>();
  private final Javalin app;

  private BackstopServer(Path dataDir, ServerConfig config) throws IOException {
    this.config = config;
    this.service = new EngineService(dataDir, config, metrics);
    this.app =
        Javalin.create(
            c -> {
              c.showJavalinBanner = false;
              c.startupWatcherEnabled = false;
              c.useVirtualThreads = true;
              c.http.maxRequestSize = config.maxRequestBytes();
            });
    app.post("/api/commands", this::commands);
    app.get("/api/state", ctx -> json(ctx, query(e -> write(() -> json.state(e.state())))));
    app.get("/api/ranking", this::ranking);
    app.get("/api/health", this::health);
    app.get("/fapi/v1/adlQuantile", this::adlQuantile);
    app.get(
        "/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
    app.ws("/ws/events", this::events);
    app.exception(
        EngineService.Refused.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage()));
    app.exception(HttpResponseException.class, this::httpError);
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
    BackstopServer server = new BackstopServer(dataDir, config);
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

  /** Stops listening, then stops the engine thread after the commands already queued. */
  @Override
  public void close() throws IOException {
    app.stop();
    for (Subscription s : subscriptions.values()) {
      s.stop();
    }
    service.close();
  }

  // ============================================================ routes

  private void commands(Context ctx) {
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
      try {
        lines.add(new EngineService.Line(text, reader.read(text)));
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
    for (int i = 0; i < outcome.events().size(); i++) {
      out.append(i == 0 ? "" : ",").append(outcome.events().get(i));
    }
    out.append("]}");
    json(ctx, out.toString());
  }

  private void ranking(Context ctx) {
    String market = ctx.queryParam("market");
    json(
        ctx,
        query(
            e -> {
              List<AdlRanking> rankings = new ArrayList<>();
              if (market == null) {
                for (EngineState.Market m : e.state().markets()) {
                  rankings.add(e.adlRanking(m.market()));
                }
              } else {
                rankings.add(ranking(e, market));
              }
              return write(() -> json.rankings(rankings));
            }));
  }

  private static AdlRanking ranking(Engine engine, String market) {
    try {
      return engine.adlRanking(market);
    } catch (IllegalArgumentException e) {
      throw new EngineService.Refused(404, "unknown-market", "no market named '" + market + "'");
    }
  }

  private void health(Context ctx) {
    json(
        ctx,
        query(
            e -> {
              ObjectNode node = MAPPER.createObjectNode();
              node.put("status", "ok");
              node.put("stateHash", EngineJson.stateHash(e.stateHash()));
              node.put("nextEventSeq", e.nextSequence());
              node.put("events", service.events());
              node.put("engineTime", e.time());
              node.put("commands", service.journal().records());
              node.put("journalBytes", service.journal().forcedBytes());
              return node.toString();
            }));
  }

  /**
   * Binance's {@code GET /fapi/v1/adlQuantile}: per market, the ADL light (0 to 4) of the account's
   * long positions, short positions, and the higher of the two as {@code BOTH}. Until the API has
   * authentication the account is named by the {@code account} parameter.
   */
  private void adlQuantile(Context ctx) {
    String account = ctx.queryParam("account");
    if (account == null || account.isBlank()) {
      throw new EngineService.Refused(
          400, "missing-parameter", "account is required (it stands for the API key until auth)");
    }
    String symbol = ctx.queryParam("symbol");
    json(
        ctx,
        query(
            e -> {
              List<Map<String, Object>> out = new ArrayList<>();
              List<String> markets = new ArrayList<>();
              if (symbol == null) {
                e.state().markets().forEach(m -> markets.add(m.market()));
              } else {
                markets.add(symbol);
              }
              for (String market : markets) {
                int lng = -1;
                int shrt = -1;
                for (AdlRanking.Entry entry : ranking(e, market).entries()) {
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
                Map<String, Integer> quantile = new LinkedHashMap<>();
                quantile.put("LONG", Math.max(lng, 0));
                quantile.put("SHORT", Math.max(shrt, 0));
                quantile.put("BOTH", Math.max(Math.max(lng, shrt), 0));
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("symbol", market);
                row.put("adlQuantile", quantile);
                out.add(row);
              }
              return write(() -> MAPPER.writeValueAsString(out));
            }));
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
          Subscription subscription = new Subscription(ctx, config.eventRing() + 1024);
          try {
            service.feed().subscribe(start, subscription);
          } catch (EventFeed.ResumeRefused e) {
            refuse(ctx, "resume-unavailable", e.getMessage());
            return;
          }
          subscriptions.put(ctx, subscription);
          subscription.start();
        });
    ws.onClose(
        ctx -> {
          Subscription s = subscriptions.remove(ctx);
          if (s != null) {
            s.stop();
          }
        });
    ws.onError(
        ctx -> {
          Subscription s = subscriptions.remove(ctx);
          if (s != null) {
            s.stop();
          }
        });
  }

  private static void refuse(WsContext ctx, String code, String message) {
    ctx.send(errorNode(code, message).toString());
    ctx.closeSession(1008, code);
  }

  /** One WebSocket client: a bounded queue of event lines and a virtual thread sending them. */
  private final class Subscription implements EventFeed.Subscriber {
    private final WsContext ctx;
    private final BlockingQueue<String> lines;
    private volatile Thread sender;
    private volatile boolean overflowed;
    private volatile long lastQueued;

    Subscription(WsContext ctx, int capacity) {
      this.ctx = ctx;
      this.lines = new ArrayBlockingQueue<>(capacity);
    }

    @Override
    public void accept(long seq, String line) {
      if (overflowed) {
        return;
      }
      if (lines.offer(line)) {
        lastQueued = seq;
      } else {
        overflowed = true;
        service.feed().unsubscribe(this);
        lines.clear();
        lines.offer(
            errorNode(
                    "too-slow",
                    "the client fell too far behind; resume with from=" + (lastQueued + 1))
                .toString());
      }
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

    void stop() {
      service.feed().unsubscribe(this);
      Thread t = sender;
      if (t != null) {
        t.interrupt();
      }
    }
  }

  // ============================================================ helpers

  private <T> T query(Function<Engine, T> query) {
    return await(service.query(query));
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
