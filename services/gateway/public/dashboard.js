// The desk dashboard. Every number shown is the decimal string the gateway sent, rounded for display
// with integer arithmetic; only the chart, which draws pixels, turns levels into floats.
(() => {
  // Set by the gateway from the market calendar, in the line it serves before this script.
  const SHANGHAI_OFFSET_S = globalThis.INDEXFLOW_EXCHANGE_TIME.utcOffsetS;
  const $ = (id) => document.getElementById(id);
  const state = { key: null, indexId: null, socket: null, series: null, chart: null, lastBar: null };

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

  function percent(text) {
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
    const container = $('chart');
    state.chart = LightweightCharts.createChart(container, {
      autoSize: true,
      layout: { background: { color: '#0f1419' }, textColor: '#d8dee4' },
      grid: { vertLines: { color: '#1c2128' }, horzLines: { color: '#1c2128' } },
      timeScale: { timeVisible: true, secondsVisible: true },
    });
    state.series = state.chart.addSeries(LightweightCharts.LineSeries, { color: '#4a90d9', lineWidth: 2 });
  }

  function plot(eventTime, level) {
    const time = chartTime(eventTime);
    const bar = { time, value: Number(level) };
    if (state.lastBar !== null && time < state.lastBar.time) return;
    state.series.update(bar);
    state.lastBar = bar;
    const chart = $('chart');
    chart.dataset.points = String(state.series.data().length);
    chart.dataset.lastTime = String(time);
    chart.dataset.lastValue = level;
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
        `${up ? '+' : ''}${fixed(change, 4)} (${up ? '+' : ''}${percent(level.changePercent ?? '0')}%)`;
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
    table.dataset.sequence = String(sequence);
    const rows = items.map((c) => {
      const row = document.createElement('tr');
      row.dataset.symbol = c.symbol;
      for (const text of [
        c.symbol,
        fixed(c.price, 3),
        fixed(c.fxRate, 4),
        fixed(c.indexShares, 0),
        c.weight === null ? '–' : percent(c.weight),
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

  function connect() {
    if (state.socket !== null) state.socket.close();
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(
      `${scheme}://${location.host}/v1/ws?apiKey=${encodeURIComponent(state.key)}`,
    );
    state.socket = socket;
    socket.addEventListener('open', () => {
      socket.send(JSON.stringify({ type: 'subscribe', indices: [state.indexId] }));
    });
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(event.data);
      if (message.indexId !== undefined && message.indexId !== state.indexId) return;
      switch (message.type) {
        case 'snapshot':
        case 'level':
          setStatus('live', 'live');
          if (message.level !== null) {
            showLevel(message.level);
            plot(message.level.eventTime, message.level.level);
          }
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
    });
    socket.addEventListener('close', () => {
      if (state.socket === socket) setStatus('disconnected', 'closed');
    });
  }

  async function select(indexId) {
    state.indexId = indexId;
    for (const button of $('indices').querySelectorAll('button')) {
      button.setAttribute('aria-pressed', String(button.dataset.index === indexId));
    }
    $('index-name').textContent = indexId;
    ensureChart();
    state.lastBar = null;
    const [detail, history] = await Promise.all([
      api(`/v1/indices/${encodeURIComponent(indexId)}`),
      api(`/v1/indices/${encodeURIComponent(indexId)}/history?intervalMs=1000`).catch(() => ({ points: [] })),
    ]);
    const bars = [];
    for (const point of history.points) {
      const time = chartTime(point.eventTime);
      const bar = { time, value: Number(point.level) };
      if (bars.length > 0 && bars[bars.length - 1].time === time) bars[bars.length - 1] = bar;
      else bars.push(bar);
    }
    state.series.setData(bars);
    state.lastBar = bars.at(-1) ?? null;
    $('chart').dataset.points = String(bars.length);
    showLevel(detail.latest);
    if (detail.constituents !== null) {
      showConstituents(detail.constituents.sequence, detail.constituents.source, detail.constituents.items);
    }
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
      button.addEventListener('click', () => void select(indexId));
      $('indices').append(button);
    }
    const wanted = fromHash.get('index');
    const first = indices.find((i) => i.indexId === wanted) ?? indices[0];
    if (first === undefined) {
      setStatus('no entitled index has levels yet', 'closed');
      return;
    }
    await select(first.indexId);
  }

  start().catch((error) => setStatus(String(error.message ?? error), 'error'));
})();
