import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { DependencyProbes } from '../src/dependency-probes.js';
import { startOpsServer } from '../src/ops-server.js';

function quietLogger() {
  const lines: string[] = [];
  return {
    lines,
    warn: (obj: object, msg: string) => lines.push(`warn ${msg} ${JSON.stringify(obj)}`),
    info: (obj: object, msg: string) => lines.push(`info ${msg} ${JSON.stringify(obj)}`),
  };
}

/** A dependency the test switches between answering, failing and hanging (a paused broker). */
function switchable(name: string) {
  let mode: 'answer' | 'fail' | 'hang' = 'answer';
  let asked = 0;
  const hung: (() => void)[] = [];
  return {
    asked: () => asked,
    set: (next: typeof mode) => {
      mode = next;
      if (next !== 'hang') for (const release of hung.splice(0)) release();
    },
    probe: {
      name,
      check: () =>
        ++asked > 0 && mode === 'answer'
          ? Promise.resolve('pong')
          : mode === 'fail'
            ? Promise.reject(new Error(`${name} refused the connection`))
            : new Promise<void>((resolve) => hung.push(resolve)),
    },
  };
}

describe('DependencyProbes', () => {
  it('reports a dependency that hangs as down after the timeout, and up again once it answers', async () => {
    const kafka = switchable('kafka');
    const redis = switchable('redis');
    let clock = 1_000;
    const registry = new Registry();
    const logger = quietLogger();
    const probes = new DependencyProbes({
      probes: [kafka.probe, redis.probe],
      registry,
      logger,
      timeoutMs: 20,
      now: () => clock,
    });
    await probes.probeAll();
    expect(probes.down()).toEqual([]);

    kafka.set('hang');
    clock = 2_000;
    await probes.probeAll();
    expect(probes.down()).toEqual([
      { name: 'kafka', up: false, since: 2_000, reason: 'no answer within 20 ms' },
    ]);
    // The hung question is still out: the next round does not pile another one on it.
    const asked = kafka.asked();
    await probes.probeAll();
    expect(probes.down().map((d) => d.name)).toEqual(['kafka']);
    expect(kafka.asked()).toBe(asked);
    // Out for 10 timeouts: abandoned, and the dependency is asked afresh.
    clock += 200;
    await probes.probeAll();
    expect(kafka.asked()).toBe(asked + 1);

    redis.set('fail');
    await probes.probeAll();
    expect(probes.down().map((d) => `${d.name}: ${d.reason}`)).toEqual([
      'kafka: no answer within 20 ms',
      'redis: redis refused the connection',
    ]);

    kafka.set('answer');
    redis.set('answer');
    clock = 7_000;
    await new Promise((resolve) => setImmediate(resolve));
    await probes.probeAll();
    expect(probes.down()).toEqual([]);
    const metrics = await registry.metrics();
    expect(metrics).toContain('indexflow_dependency_outages_total{dependency="kafka"} 1');
    expect(metrics).toContain('indexflow_dependency_outages_total{dependency="redis"} 1');
    expect(metrics).toContain('indexflow_dependency_outage_seconds_total{dependency="kafka"} 5');
    expect(metrics).toContain('indexflow_dependency_up{dependency="kafka"} 1');
    expect(logger.lines.filter((l) => l.startsWith('warn'))).toHaveLength(2);
    expect(logger.lines.some((l) => l.includes('"downForMs":5000'))).toBe(true);
  });

  it('counts a dependency that never answered as down, without an outage', async () => {
    const registry = new Registry();
    const probes = new DependencyProbes({
      probes: [{ name: 'registry', check: () => Promise.reject(new Error('ECONNREFUSED')) }],
      registry,
      logger: quietLogger(),
    });
    expect(probes.down()).toEqual([{ name: 'registry', up: false, since: null, reason: 'not probed yet' }]);
    await probes.probeAll();
    expect(probes.down()[0]!.reason).toBe('ECONNREFUSED');
    expect(await registry.metrics()).not.toContain(
      'indexflow_dependency_outages_total{dependency="registry"} 1',
    );
  });
});

describe('ops server readiness', () => {
  it('answers 503 naming the dependency that is down, while /livez stays 200', async () => {
    const redis = switchable('redis');
    const registry = new Registry();
    const dependencies = new DependencyProbes({
      probes: [redis.probe],
      registry,
      logger: quietLogger(),
      timeoutMs: 20,
    });
    await dependencies.probeAll();
    let ready = false;
    const ops = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      registry,
      isReady: () => ready,
      dependencies,
    });
    try {
      const get = async (path: string) => {
        const response = await fetch(`http://127.0.0.1:${ops.port}${path}`);
        return { code: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      expect(await get('/readyz')).toEqual({
        code: 503,
        body: { status: 'not ready', process: 'starting, recovering or stopping' },
      });
      ready = true;
      expect(await get('/readyz')).toEqual({ code: 200, body: { status: 'ready' } });
      redis.set('fail');
      await dependencies.probeAll();
      const down = await get('/readyz');
      expect(down.code).toBe(503);
      expect(down.body.down).toEqual([
        { name: 'redis', reason: 'redis refused the connection', since: expect.any(Number) },
      ]);
      expect(await get('/livez')).toEqual({ code: 200, body: { status: 'ok' } });
      expect((await get('/healthz')).code).toBe(200);
    } finally {
      await ops.close();
    }
  });
});
