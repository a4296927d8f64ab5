// Backstop's dashboard: the operator's and a trader's view of one server, from its REST endpoints,
// kept live over its WebSockets (/ws/events for the operator, /ws/account for a trader).
"use strict";

const state = {
  key: sessionStorage.getItem("backstop.key") || "",
  account: sessionStorage.getItem("backstop.account") || "",
  who: null,
  view: "operator",
  socket: null,
  fundChart: null,
  funds: {},
  queueMarket: null,
  timers: {},
};

const $ = (id) => document.getElementById(id);

// ------------------------------------------------------------------ start

function readFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.get("key")) {
    state.key = params.get("key");
    sessionStorage.setItem("backstop.key", state.key);
  }
  if (params.get("account")) {
    state.account = params.get("account");
    sessionStorage.setItem("backstop.account", state.account);
  }
  const view = params.get("view") || (location.hash.slice(1).split("&")[0] || "");
  if (view === "trader" || view === "operator") {
    state.view = view;
  }
  // the key never stays in the address bar or the history
  history.replaceState(null, "", location.pathname + "#" + state.view);
}

async function start() {
  readFragment();
  $("key").value = state.key ? "********" : "";
  $("account").value = state.account;
  $("login").addEventListener("submit", (e) => {
    e.preventDefault();
    const key = $("key").value.trim();
    if (key && key !== "********") {
      state.key = key;
      sessionStorage.setItem("backstop.key", key);
    }
    state.account = $("account").value.trim();
    sessionStorage.setItem("backstop.account", state.account);
    show(state.view);
  });
  for (const tab of document.querySelectorAll("nav a")) {
    tab.addEventListener("click", (e) => {
      e.preventDefault();
      show(tab.dataset.view);
    });
  }
  $("banner-dismiss").addEventListener("click", () => {
    const seq = $("banner").dataset.seq;
    localStorage.setItem("backstop.seen." + traderAccount(), seq);
    $("banner").hidden = true;
  });
  $("queue-market").addEventListener("change", () => {
    state.queueMarket = $("queue-market").value;
    loadQueue();
  });
  show(state.view);
}

async function show(view) {
  state.view = view;
  history.replaceState(null, "", location.pathname + "#" + view);
  for (const tab of document.querySelectorAll("nav a")) {
    tab.classList.toggle("active", tab.dataset.view === view);
  }
  $("operator").hidden = view !== "operator";
  $("trader").hidden = view !== "trader";
  closeSocket();
  try {
    state.who = await api("/api/whoami");
  } catch (e) {
    state.who = null;
    fail(e);
    return;
  }
  $("who").textContent =
    state.who.role === "operator" ? "operator key " + state.who.keyId : "account " + state.who.account;
  clearError();
  if (view === "operator") {
    await loadOperator();
    openSocket("/ws/events", onEvent);
  } else {
    await loadTrader();
    const q = state.who.role === "operator" ? "?account=" + encodeURIComponent(traderAccount()) : "";
    openSocket("/ws/account" + q, onAccountMessage);
  }
}

// ------------------------------------------------------------------ plumbing

async function api(path) {
  const response = await fetch(path, { headers: state.key ? { "X-API-Key": state.key } : {} });
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new Error((body && body.message) || response.statusText);
    error.code = body && body.code;
    throw error;
  }
  return body;
}

function fail(e) {
  $("error").hidden = false;
  $("error").textContent = (e.code ? e.code + ": " : "") + e.message;
}

function clearError() {
  $("error").hidden = true;
}

function later(name, fn, ms) {
  clearTimeout(state.timers[name]);
  state.timers[name] = setTimeout(() => fn().catch(fail), ms);
}

function openSocket(path, onMessage) {
  const url = new URL(path, location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  if (state.key) {
    url.searchParams.set("key", state.key);
  }
  const socket = new WebSocket(url);
  state.socket = socket;
  socket.onopen = () => setLive(true);
  socket.onclose = () => {
    setLive(false);
    if (state.socket === socket) {
      setTimeout(() => state.socket === socket && show(state.view), 2000);
    }
  };
  socket.onmessage = (m) => onMessage(JSON.parse(m.data));
}

function closeSocket() {
  const socket = state.socket;
  state.socket = null;
  if (socket) {
    socket.close();
  }
  setLive(false);
}

function setLive(on) {
  $("live").textContent = on ? "live" : "offline";
  $("live").classList.toggle("on", on);
}

function cell(text, cls) {
  const td = document.createElement("td");
  if (text instanceof Node) {
    td.appendChild(text);
  } else {
    td.textContent = text == null ? "" : String(text);
  }
  if (cls) {
    td.className = cls;
  }
  return td;
}

function row(cells, attrs) {
  const tr = document.createElement("tr");
  for (const c of cells) {
    tr.appendChild(c instanceof HTMLTableCellElement ? c : cell(c));
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    tr.setAttribute(k, v);
  }
  return tr;
}

function fill(tableId, rows) {
  const body = $(tableId).tBodies[0];
  body.replaceChildren(...rows);
}

function prepend(tableId, tr, max) {
  const body = $(tableId).tBodies[0];
  tr.classList.add("fresh");
  body.insertBefore(tr, body.firstChild);
  while (body.rows.length > max) {
    body.deleteRow(body.rows.length - 1);
  }
}

function money(text) {
  if (text == null || text === "") {
    return "";
  }
  const n = Number(text);
  return Number.isFinite(n) ? n.toLocaleString("en-US", { maximumFractionDigits: 2 }) : text;
}

function signed(text) {
  const td = cell(money(text), "num");
  if (Number(text) > 0) td.classList.add("pos");
  if (Number(text) < 0) td.classList.add("neg");
  return td;
}

function clock(ms) {
  return new Date(ms).toISOString().slice(11, 19);
}

/** A category as people say it: counterparty-liquidation is "counterparty liquidation". */
function label(category) {
  const words = category.replace(/-/g, " ");
  return category === "deleveraged" || category === "offsetting" ? words + " (ADL)" : words;
}

function tag(category) {
  const span = document.createElement("span");
  span.className = "tag " + category;
  span.textContent = label(category);
  return span;
}

function lights(lit) {
  const box = document.createElement("span");
  box.className = "lights";
  box.dataset.lit = String(lit);
  box.title = lit + " of 5 ADL lights";
  for (let i = 1; i <= 5; i++) {
    const light = document.createElement("i");
    if (i <= lit) light.className = "on";
    box.appendChild(light);
  }
  return box;
}

// ------------------------------------------------------------------ operator

async function loadOperator() {
  await Promise.all([loadMarkets(), loadFunds(), loadBackstopLog()]);
  await loadQueue();
}

async function loadMarkets() {
  const doc = await api("/api/markets");
  fill(
    "markets",
    doc.markets.map((m) =>
      row(
        [
          m.market,
          m.preset,
          m.rule,
          cell(money(m.mark), "num"),
          cell(m.openInterest, "num"),
          cell(money(m.openInterestNotional), "num"),
          m.longPositions + " / " + m.shortPositions,
          m.insuranceFund,
          cell(money(m.insuranceBalance), "num"),
        ],
        { "data-market": m.market }
      )
    )
  );
  $("totals").textContent = "bad debt " + money(doc.badDebt) + " · fees " + money(doc.feesCollected);
  const select = $("queue-market");
  const names = doc.markets.map((m) => m.market);
  if (select.options.length !== names.length) {
    select.replaceChildren(...names.map((n) => new Option(n, n)));
  }
  if (!state.queueMarket || !names.includes(state.queueMarket)) {
    // the market with the most positions in its queues
    const busiest = doc.markets.reduce(
      (best, m) => (!best || m.longPositions + m.shortPositions > best.longPositions + best.shortPositions ? m : best),
      null
    );
    state.queueMarket = busiest ? busiest.market : null;
  }
  select.value = state.queueMarket || "";
}

async function loadFunds() {
  const doc = await api("/api/insurance?limit=500");
  state.funds = {};
  for (const f of doc.funds) {
    state.funds[f.fund] = f.changes.map((c) => [c.time / 1000, Number(c.balance)]);
  }
  drawFunds();
}

function drawFunds() {
  const names = Object.keys(state.funds).filter((n) => state.funds[n].length > 0);
  const times = [...new Set(names.flatMap((n) => state.funds[n].map((p) => p[0])))].sort((a, b) => a - b);
  const series = names.map((n) => {
    const points = state.funds[n];
    let i = 0;
    let last = null;
    return times.map((t) => {
      while (i < points.length && points[i][0] <= t) last = points[i++][1];
      return last;
    });
  });
  const el = $("fund-chart");
  if (state.fundChart) {
    state.fundChart.destroy();
    state.fundChart = null;
  }
  el.replaceChildren();
  if (times.length === 0) {
    el.textContent = "No insurance fund has moved yet.";
    return;
  }
  const colors = ["#4da3ff", "#f2c45a", "#3fb950", "#ff7b72", "#bc8cff", "#39c5cf"];
  state.fundChart = new uPlot(
    {
      width: Math.max(el.clientWidth, 400),
      height: 240,
      series: [{}].concat(
        names.map((n, k) => ({ label: n, stroke: colors[k % colors.length], width: 2, paths: uPlot.paths.stepped({ align: 1 }) }))
      ),
      axes: [
        { stroke: "#8391a1", grid: { stroke: "#2a333d" } },
        { stroke: "#8391a1", grid: { stroke: "#2a333d" }, size: 70 },
      ],
    },
    [times].concat(series),
    el
  );
}

async function loadBackstopLog() {
  const doc = await api("/api/backstop?limit=200");
  const feed = [];
  const decisions = [];
  for (const e of doc.events) {
    if (e.type === "backstop-applied") decisions.push(decisionRow(e));
    else feed.push(feedRow(e));
  }
  fill("feed", feed.slice(0, 50));
  fill("decisions", decisions.slice(0, 50));
}

function feedRow(e) {
  const detail = {
    liquidated: () => "bankruptcy " + money(e.bankruptcyPrice) + (e.full ? ", full" : ", partial"),
    deleveraged: () => "against the queue, rule " + e.rule,
    offsetting: () => "rank " + e.rank + ", clawed " + money(e.amount),
    "counterparty-liquidation": () => "pool " + e.pool + ", reward " + money(e.reward),
    "option-liquidated": () =>
      "volatility " + e.volatility + " (implied " + e.impliedVolatility + "), penalty " + money(e.penalty),
    "bad-debt-recorded": () => "written off " + money(e.amount),
    haircut: () => "clawed " + money(e.amount) + " (" + e.rule + ")",
    "loss-socialized": () => "charged " + money(e.amount),
  }[e.type];
  const account = e.account || e.user || "";
  const size = e.sizeClosed || e.size || "";
  return row(
    [
      clock(e.time),
      cell(tag(e.type)),
      e.market || e.option,
      account,
      cell(size, "num"),
      cell(money(e.price || e.premium), "num"),
      cell(detail ? detail() : "", "wrap"),
    ],
    { "data-type": e.type, "data-seq": e.seq }
  );
}

function decisionRow(e) {
  return row(
    [
      clock(e.time),
      e.market,
      e.account,
      cell(tag(e.resolution === "deleverage" ? "deleveraged" : e.resolution)),
      e.trigger,
      e.rule,
      cell(money(e.budgetNeeded), "num"),
      cell(money(e.budgetTaken), "num"),
      cell(money(e.residual), "num"),
    ],
    { "data-seq": e.seq }
  );
}

async function loadQueue() {
  if (!state.queueMarket) {
    return;
  }
  const doc = await api("/api/ranking?market=" + encodeURIComponent(state.queueMarket));
  const entries = doc.markets[0].entries;
  for (const side of ["long", "short"]) {
    fill(
      "queue-" + side,
      entries
        .filter((e) => e.side === side)
        .slice(0, 10)
        .map((e) =>
          row(
            [
              cell(e.rank, "num"),
              cell(lights(e.quantile + 1)),
              e.account + (e.margin === "cross" ? "" : " (" + e.margin + ")"),
              cell(e.size, "num"),
              signed(e.unrealizedPnl),
              cell(e.score, "num"),
              cell(e.sizeIfNow, "num"),
            ],
            { "data-account": e.account }
          )
        )
    );
  }
}

const VENUE_TYPES = new Set([
  "liquidated", "deleveraged", "offsetting", "counterparty-liquidation", "option-liquidated",
  "bad-debt-recorded", "haircut", "loss-socialized",
]);

function onEvent(e) {
  if (e.code) {
    fail(e);
    return;
  }
  if (VENUE_TYPES.has(e.type)) {
    prepend("feed", feedRow(e), 50);
  } else if (e.type === "backstop-applied") {
    prepend("decisions", decisionRow(e), 50);
  } else if (e.type === "insurance-fund-changed") {
    (state.funds[e.fund] = state.funds[e.fund] || []).push([e.time / 1000, Number(e.balance)]);
    later("funds", async () => drawFunds(), 200);
  }
  if (["price-updated", "position-changed", "insurance-fund-changed", "market-created"].includes(e.type)) {
    later("markets", loadMarkets, 250);
    later("queue", loadQueue, 300);
  }
}

// ------------------------------------------------------------------ trader

function traderAccount() {
  return state.who && state.who.role === "trader" ? state.who.account : state.account;
}

function accountQuery(prefix) {
  return state.who && state.who.role === "operator"
    ? prefix + "account=" + encodeURIComponent(traderAccount())
    : "";
}

async function loadTrader() {
  $("trader-account").textContent = traderAccount() || "(name an account)";
  if (!traderAccount()) {
    fail(new Error("with the operator key, name the account to view"));
    return;
  }
  await Promise.all([loadPortfolio(), loadTrades(), loadTransfers(), loadNotifications()]);
}

async function loadPortfolio() {
  const p = await api("/api/account" + accountQuery("?"));
  $("equity").textContent = money(p.equity);
  $("collateral").textContent = money(p.collateral);
  $("mm").textContent = money(p.maintenanceMargin);
  $("im").textContent = money(p.initialMargin);
  const rows = [];
  for (const m of p.marginAccounts) {
    for (const pos of m.positions) {
      const adl = pos.adl;
      rows.push(
        row(
          [
            pos.market,
            m.margin,
            cell(pos.side, pos.side === "long" ? "pos" : "neg"),
            cell(pos.size, "num"),
            cell(money(pos.entryPrice), "num"),
            cell(money(pos.markPrice), "num"),
            signed(pos.unrealizedPnl),
            signed(pos.unsettledFunding),
            cell(money(pos.liquidationPrice), "num"),
            cell(lights(adl ? adl.lights : 0)),
            adl ? adl.rank + " of " + adl.of : "",
            cell(adl ? adl.sizeAhead : "", "num"),
          ],
          {
            "data-market": pos.market,
            "data-margin": m.margin,
            "data-lights": adl ? adl.lights : 0,
            "data-funding": pos.unsettledFunding,
          }
        )
      );
    }
  }
  fill("positions", rows);
}

function tradeRow(t) {
  return row(
    [
      clock(t.time),
      cell(tag(t.category)),
      t.market,
      t.side,
      cell(t.size, "num"),
      cell(money(t.price), "num"),
      cell(money(t.fee), "num"),
      signed(t.realizedPnl),
    ],
    { "data-category": t.category, "data-seq": t.seq }
  );
}

function transferRow(t) {
  return row(
    [clock(t.time), cell(tag(t.category)), t.market || "", signed(t.amount), cell(money(t.balance), "num")],
    { "data-category": t.category, "data-seq": t.seq }
  );
}

async function loadTrades() {
  const doc = await api("/api/account/trades?limit=50" + accountQuery("&"));
  fill("trades", doc.trades.map(tradeRow));
}

async function loadTransfers() {
  const doc = await api("/api/account/transfers?limit=50" + accountQuery("&"));
  fill("transfers", doc.transfers.map(transferRow));
}

async function loadNotifications() {
  const doc = await api("/api/account/notifications?limit=1" + accountQuery("&"));
  banner(doc.notifications[0]);
}

const TITLES = {
  "auto-deleveraging": "Your position was auto-deleveraged.",
  "profit-haircut": "Part of your profit covered a bankrupt account.",
  "counterparty-liquidation": "Counterparty liquidation.",
};

function banner(notice) {
  const seen = Number(localStorage.getItem("backstop.seen." + traderAccount()) || 0);
  if (!notice || notice.seq <= seen) {
    $("banner").hidden = true;
    return;
  }
  $("banner").dataset.seq = notice.seq;
  $("banner").dataset.category = notice.category;
  $("banner-title").textContent = TITLES[notice.category] || label(notice.category);
  $("banner-message").textContent = notice.message;
  $("banner").hidden = false;
}

function onAccountMessage(m) {
  if (m.code) {
    fail(m);
    return;
  }
  switch (m.channel) {
    case "trades":
      prepend("trades", tradeRow(m.data), 50);
      later("portfolio", loadPortfolio, 150);
      break;
    case "transfers":
      prepend("transfers", transferRow(m.data), 50);
      later("portfolio", loadPortfolio, 150);
      break;
    case "notifications":
      banner(m.data);
      break;
    case "market":
      later("portfolio", loadPortfolio, 250);
      break;
    default:
      break;
  }
}

start();
