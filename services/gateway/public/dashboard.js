// The desk dashboard. Every number shown is the decimal string the gateway sent, rounded for display
// with integer arithmetic; only the chart, which draws pixels, turns levels into floats.
import { mergeHistory } from './level-merge.js';

/** After a dropped connection, the page subscribes again this long after. */
const RECONNECT_MS = 2000;

(() => {
  // Set by the gateway from the market calendar, in the line it serves before this script.
  const SHANGHAI_OFFSET_S = globalThis.INDEXFLOW_EXCHANGE_TIME.utcOffsetS;
  const $ = (id) => document.getElementById(id);
  const state = {
    key: null,
    indexId: null,
    socket: null,
    /** Feed messages held while a day loads (subscribed first, so none is lost); null when live. */
    pending: null,
    /** The last sequence the loaded history drew: a live level at or below it is drawn already. */
    drawnUpTo: null,
    lines: [],
    axis: null,
    chart: null,
    lastBar: null,
    session: null,
    prevCloseLine: null,
    staleAfterMs: 30_000,
    heartbeatMs: 5000,
    lastMessageAt: 0,
    loadId: 0,
    deskState: null,
  };

  /** Rounds a decimal string half-up to `dp` places without floating point. */
  function fixed(text, dp) {
    if (text === null || text === undefined) return '–';
    const negative = text.startsWith('-');
    const [whole, fraction = ''] = (negative ? text.slice(1) : text).split('.');
    const padded = (fraction + '0'.repeat(dp + 1)).slice(0, dp + 1);
    let scaled = BigInt(whole + padded.slice(0, dp));
    if (Number(padded[dp]) >= 5) scaled += 1n;
    const digits = scaled.toString().padStart(dp + 1, '0');
    const out = dp === 0 ? digits : `${digits.slice(0, -dp)}.${digits.slice(-dp)}`;
    return negative && scaled !== 0n ? `-${out}` : out;
  }

  // A fraction of 1 (a constituent's weight) as a percentage to 2 dp, exactly: the decimal point
  // moves two places.
  function percentOfFraction(text) {
    if (text === null || text === undefined) return '–';
    const negative = text.startsWith('-');
    const [whole, fraction = ''] = (negative ? text.slice(1) : text).split('.');
    const shifted = `${whole}${(`${fraction}00`).slice(0, 2)}.${fraction.slice(2) || '0'}`;
    return fixed(`${negative ? '-' : ''}${shifted.replace(/^0+(?=\d)/, '')}`, 2);
  }

  function setStatus(text, stateName) {
    $('status').textContent = text;
    $('status').dataset.state = stateName;
  }

  async function api(path) {
    const response = await fetch(path, { headers: { 'x-api-key': state.key } });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  }

  function chartTime(eventTime) {
    return Math.floor(eventTime / 1000) + SHANGHAI_OFFSET_S;
  }

  function ensureChart() {
    if (state.chart !== null) return;
    state.chart = LightweightCharts.createChart($('chart'), {
      autoSize: true,
      layout: { background: { color: '#0f1419' }, textColor: '#d8dee4' },
      grid: { vertLines: { color: '#1c2128' }, horzLines: { color: '#1c2128' } },
      // The session fixes the range: no scrolling with each new level.
      // A session is ~20,000 one-second points on ~900 px: below the default minimum bar spacing.
      timeScale: {
        timeVisible: true,
        secondsVisible: false,
        shiftVisibleRangeOnNewBar: false,
        minBarSpacing: 0.001,
      },
      handleScroll: false,
      handleScale: false,
    });
    // The previous close, one point per second of the session: the x-axis spans the whole day
    // (lunch included, as empty space) however far the levels have come. Whitespace would not do:
    // the chart's fit and logical range stop at the last point with a value.
    state.axis = state.chart.addSeries(LightweightCharts.LineSeries, {
      color: '#8b949e',
      lineWidth: 1,
      lineStyle: LightweightCharts.LineStyle.Dashed,
      lastValueVisible: false,
      priceLineVisible: false,
      crosshairMarkerVisible: false,
    });
    state.chart.timeScale().subscribeVisibleLogicalRangeChange(readAxis);
    // autoSize lays the chart out later and keeps the bar spacing, not the range: fit again then.
    new ResizeObserver(() => state.chart.timeScale().fitContent()).observe($('chart'));
  }

  /** The axis as drawn: the times at the ends of the chart's visible range, read from the chart. */
  function readAxis(range) {
    if (range === null) return;
    const scale = state.chart.timeScale();
    const timeAt = (index) => scale.coordinateToTime(scale.logicalToCoordinate(index));
    const first = timeAt(Math.ceil(range.from));
    const last = timeAt(Math.floor(range.to));
    if (first === null || last === null) return;
    $('chart').dataset.axisFrom = String(epochMs(first));
    $('chart').dataset.axisTo = String(epochMs(last));
  }

  function epochMs(time) {
    return (time - SHANGHAI_OFFSET_S) * 1000;
  }

  /** One line series per trading span: no line crosses a lunch gap. */
  function drawSession(session) {
    state.session = session;
    for (const line of state.lines) state.chart.removeSeries(line);
    state.prevCloseLine = null;
    const chart = $('chart');
    const spans = session === null ? [] : session.trading;
    state.lines = spans.map(() =>
      state.chart.addSeries(LightweightCharts.LineSeries, { color: '#4a90d9', lineWidth: 2 }),
    );
    if (session === null) {
      delete chart.dataset.sessionOpen;
      return;
    }
    chart.dataset.sessionOpen = String(session.open);
    chart.dataset.sessionClose = String(session.close);
    chart.dataset.gaps = JSON.stringify(session.gaps);
  }

  /** The previous-close line across the session; without a previous close (day one) it is hidden. */
  function drawAxis(prevClose, fallback) {
    const session = state.session;
    const value = Number(prevClose ?? fallback);
    const axis = [];
    if (session !== null && Number.isFinite(value)) {
      for (let t = chartTime(session.open); t <= chartTime(session.close); t += 1)
        axis.push({ time: t, value });
    }
    state.axis.applyOptions({ lineVisible: prevClose !== null && prevClose !== undefined });
    state.axis.setData(axis);
    state.chart.timeScale().fitContent();
  }

  /** The line a level goes on: the trading span it falls in (its close included), else the last before it. */
  function lineOf(eventTime) {
    const spans = state.session?.trading ?? [];
    let index = -1;
    spans.forEach((span, i) => {
      if (eventTime >= span.start) index = i;
    });
    return state.lines[Math.max(0, index)] ?? null;
  }

  function drawPrevClose(prevClose) {
    const line = state.lines[0];
    if (line === undefined) return;
    if (state.prevCloseLine !== null) line.removePriceLine(state.prevCloseLine);
    state.prevCloseLine = null;
    drawAxis(prevClose, state.lastBar?.value);
    if (prevClose === null || prevClose === undefined) return;
    state.prevCloseLine = line.createPriceLine({
      price: Number(prevClose),
      color: '#8b949e',
      lineWidth: 1,
      lineStyle: LightweightCharts.LineStyle.Dashed,
      axisLabelVisible: true,
      title: 'prev close',
    });
    // Read back from the chart, so the page says what was drawn.
    $('chart').dataset.prevCloseLine = String(line.priceLines()[0].options().price);
  }

  /** What the lines hold: drawn points, runs of connected points, points inside a gap. */
  function describeLine() {
    const gaps = state.session?.gaps ?? [];
    let points = 0;
    let runs = 0;
    let inGaps = 0;
    for (const line of state.lines) {
      const data = line.data().filter((item) => item.value !== undefined);
      points += data.length;
      if (data.length > 0) runs += 1;
      inGaps += data.filter((item) =>
        gaps.some((g) => epochMs(item.time) > g.start && epochMs(item.time) < g.end),
      ).length;
    }
    const chart = $('chart');
    chart.dataset.points = String(points);
    chart.dataset.runs = String(runs);
    chart.dataset.pointsInGaps = String(inGaps);
  }

  function plot(eventTime, level) {
    const time = chartTime(eventTime);
    const bar = { time, value: Number(level) };
    const line = lineOf(eventTime);
    if (line === null || (state.lastBar !== null && time < state.lastBar.time)) return;
    line.update(bar);
    state.lastBar = bar;
    describeLine();
    $('chart').dataset.lastTime = String(time);
    $('chart').dataset.lastValue = level;
  }

  /** History points as one bar per second, on the line of their trading span. */
  function drawHistory(points) {
    const byLine = new Map(state.lines.map((line) => [line, []]));
    for (const point of points) {
      const bars = byLine.get(lineOf(point.eventTime));
      if (bars === undefined) continue;
      const bar = { time: chartTime(point.eventTime), value: Number(point.level) };
      if (bars.at(-1)?.time === bar.time) bars[bars.length - 1] = bar;
      else bars.push(bar);
      state.lastBar = bar;
    }
    for (const [line, bars] of byLine) line.setData(bars);
  }

  function showDeskState(view) {
    state.deskState = view;
    const badge = $('market-state');
    if (view === null) {
      badge.textContent = '–';
      badge.dataset.state = '';
      return;
    }
    badge.textContent = view.label;
    badge.dataset.state = view.badge;
    badge.dataset.market = view.market;
    badge.title = view.reason ?? `trading date ${view.date}`;
  }

  /** The gateway sends a heartbeat every heartbeatMs: silence beyond the stale limit is a dead link. */
  function watchLink() {
    setInterval(() => {
      if (state.socket === null || state.lastMessageAt === 0) return;
      const limit = Math.max(state.staleAfterMs, 3 * state.heartbeatMs);
      if (Date.now() - state.lastMessageAt <= limit) return;
      showDeskState({
        ...(state.deskState ?? { market: '', date: '' }),
        badge: 'stale',
        label: 'stale feed',
        reason: `no message from the gateway for ${Math.round(limit / 1000)} s`,
      });
    }, 1000);
  }

  function showLevel(level) {
    if (level === null) return;
    $('level').textContent = fixed(level.level, 4);
    $('level').dataset.sequence = String(level.sequence);
    $('level').dataset.value = level.level;
    const change = level.change;
    if (change === null) {
      $('change').textContent = '–';
      $('change').dataset.sign = '';
    } else {
      const up = !change.startsWith('-');
      $('change').textContent =
        `${up ? '+' : ''}${fixed(change, 4)} (${up ? '+' : ''}${fixed(level.changePercent ?? '0', 2)}%)`;
      $('change').dataset.sign = up ? 'up' : 'down';
    }
    $('prev-close').textContent = fixed(level.prevClose, 4);
    $('open').textContent = fixed(level.open, 4);
    $('high').textContent = fixed(level.high, 4);
    $('low').textContent = fixed(level.low, 4);
    $('time').textContent = new Date(level.eventTime + SHANGHAI_OFFSET_S * 1000).toISOString().slice(11, 23);
  }

  function showConstituents(sequence, source, items) {
    const table = $('constituents');
    // The REST table and the feed's race while a day loads: the newer one stays.
    if (table.dataset.sequence !== '' && sequence < Number(table.dataset.sequence)) return;
    table.dataset.sequence = String(sequence);
    const rows = items.map((c) => {
      const row = document.createElement('tr');
      row.dataset.symbol = c.symbol;
      for (const text of [
        c.symbol,
        fixed(c.price, 3),
        fixed(c.fxRate, 4),
        fixed(c.indexShares, 0),
        c.weight === null ? '–' : percentOfFraction(c.weight),
        fixed(c.contribution, 4),
      ]) {
        const cell = document.createElement('td');
        cell.textContent = text;
        row.append(cell);
      }
      return row;
    });
    table.tBodies[0].replaceChildren(...rows);
    $('constituents-source').textContent = `as of level #${sequence} (${source})`;
  }

  function onLevel(level) {
    // A level of the next trading day: load that day, holding this level and the feed meanwhile.
    if (state.session !== null && level.eventTime >= state.session.day.end) {
      state.pending = [{ type: 'level', level }];
      loadDay(state.socket);
      return;
    }
    showLevel(level);
    if (state.drawnUpTo === null || level.sequence > state.drawnUpTo) plot(level.eventTime, level.level);
    if (String(level.prevClose) !== $('chart').dataset.prevClose) {
      $('chart').dataset.prevClose = String(level.prevClose);
      drawPrevClose(level.prevClose);
    }
  }

  /** A feed message, live or held while a day loads. */
  function receive(message) {
    if (state.pending !== null) state.pending.push(message);
    else dispatch(message);
  }

  function dispatch(message) {
    switch (message.type) {
      case 'level':
        onLevel(message.level);
        break;
      case 'market_state':
        showDeskState(message.state);
        break;
      case 'constituents':
        showConstituents(message.sequence, message.source, message.constituents);
        break;
      case 'slow_consumer':
        setStatus('dropped: too slow', 'error');
        break;
      case 'error':
        setStatus(message.message, 'error');
        break;
      default:
        break;
    }
  }

  /**
   * Subscribes, then loads the day once the snapshot confirms the subscription: every level
   * published from then on reaches the page, held until the history is drawn (on every connect,
   * the first and each reconnect).
   */
  function connect() {
    if (state.socket !== null) state.socket.close();
    state.pending = [];
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(
      `${scheme}://${location.host}/v1/ws?apiKey=${encodeURIComponent(state.key)}`,
    );
    state.socket = socket;
    socket.addEventListener('open', () => {
      socket.send(JSON.stringify({ type: 'subscribe', indices: [state.indexId] }));
    });
    socket.addEventListener('message', (event) => {
      if (state.socket !== socket) return;
      const message = JSON.parse(event.data);
      state.lastMessageAt = Date.now();
      if (message.indexId !== undefined && message.indexId !== state.indexId) return;
      if (message.type === 'welcome') {
        state.heartbeatMs = message.heartbeatMs;
      } else if (message.type === 'snapshot') {
        setStatus('connected', 'connected');
        state.pending = message.level === null ? [] : [{ type: 'level', level: message.level }];
        loadDay(socket);
      } else {
        receive(message);
      }
    });
    socket.addEventListener('close', () => {
      if (state.socket !== socket) return;
      setStatus('disconnected', 'closed');
      showDeskState({
        ...(state.deskState ?? { market: '', date: '' }),
        badge: 'stale',
        label: 'stale feed',
        reason: 'disconnected',
      });
      setTimeout(() => {
        if (state.socket === socket) connect();
      }, RECONNECT_MS);
    });
  }

  /** Loads the day for the feed on `socket`; a failure drops the connection, which reconnects. */
  function loadDay(socket) {
    const load = ++state.loadId;
    const current = () => state.socket === socket && state.loadId === load;
    fetchDay(state.indexId)
      .then((day) => {
        if (current()) drawDay(day);
      })
      .catch((error) => {
        if (!current()) return;
        setStatus(String(error.message ?? error), 'error');
        socket.close();
      });
  }

  async function fetchDay(indexId) {
    const id = encodeURIComponent(indexId);
    const [detail, history] = await Promise.all([
      api(`/v1/indices/${id}`),
      api(`/v1/indices/${id}/history?intervalMs=1000`).catch(() => ({ points: [] })),
    ]);
    const date = history.date === undefined ? '' : `?date=${history.date}`;
    const session = await api(`/v1/indices/${id}/session${date}`);
    return { detail, history, session };
  }

  /** The fetched day merged with the feed held meanwhile; then the feed goes live. */
  function drawDay({ detail, history, session }) {
    const held = state.pending;
    state.pending = null;
    state.staleAfterMs = session.staleAfterMs;
    state.lastBar = null;
    drawSession(session.session);
    showDeskState(session.state);
    const levels = held.filter((m) => m.type === 'level').map((m) => m.level);
    const merged = mergeHistory(history.points, levels, session.session?.day ?? null);
    drawHistory(merged.points);
    state.drawnUpTo = merged.points.at(-1)?.sequence ?? null;
    describeLine();
    const latest = merged.latest ?? detail.latest;
    $('chart').dataset.prevClose = String(latest?.prevClose);
    drawPrevClose(latest?.prevClose);
    showLevel(latest);
    if (detail.constituents !== null) {
      showConstituents(detail.constituents.sequence, detail.constituents.source, detail.constituents.items);
    }
    for (const message of held) if (message.type !== 'level') dispatch(message);
    for (const level of merged.later) receive({ type: 'level', level });
  }

  function select(indexId) {
    state.indexId = indexId;
    for (const button of $('indices').querySelectorAll('button')) {
      button.setAttribute('aria-pressed', String(button.dataset.index === indexId));
    }
    $('index-name').textContent = indexId;
    ensureChart();
    $('constituents').dataset.sequence = '';
    connect();
  }

  async function start() {
    const fromHash = new URLSearchParams(location.hash.slice(1));
    state.key = fromHash.get('apiKey') ?? sessionStorage.getItem('indexflow-api-key');
    if (state.key === null) {
      $('key-form').hidden = false;
      setStatus('API key needed', 'closed');
      $('key-form').addEventListener('submit', (event) => {
        event.preventDefault();
        sessionStorage.setItem('indexflow-api-key', $('key-input').value);
        location.reload();
      });
      return;
    }
    sessionStorage.setItem('indexflow-api-key', state.key);
    const { indices } = await api('/v1/indices');
    for (const { indexId } of indices) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = indexId;
      button.dataset.index = indexId;
      button.addEventListener('click', () => select(indexId));
      $('indices').append(button);
    }
    const wanted = fromHash.get('index');
    const first = indices.find((i) => i.indexId === wanted) ?? indices[0];
    if (first === undefined) {
      setStatus('no entitled index has levels yet', 'closed');
      return;
    }
    select(first.indexId);
  }

  watchLink();
  start().catch((error) => setStatus(String(error.message ?? error), 'error'));
})();
