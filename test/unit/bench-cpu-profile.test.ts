import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyCalculatorStack } from '../../bench/calculator-stages.js';
import {
  type CpuProfile,
  type CpuProfileNode,
  mainThreadProfilePath,
  readCpuProfile,
  stageMicros,
} from '../../bench/cpu-profile.js';

const ROOT = 'file:///work/indexflow';
const PNPM = `${ROOT}/node_modules/.pnpm`;

/** A call tree given as paths of frames from the root: `[functionName, url]` each. */
function tree(paths: Record<string, readonly (readonly [string, string])[]>) {
  const nodes: (CpuProfileNode & { children: number[] })[] = [
    { id: 1, callFrame: { functionName: '(root)', url: '' }, children: [] },
  ];
  const leafOf = new Map<string, number>();
  for (const [name, frames] of Object.entries(paths)) {
    let parent = nodes[0]!;
    for (const [functionName, url] of frames) {
      let node = parent.children
        .map((id) => nodes.find((n) => n.id === id)!)
        .find((n) => n.callFrame.functionName === functionName && n.callFrame.url === url);
      if (node === undefined) {
        node = { id: nodes.length + 1, callFrame: { functionName, url }, children: [] };
        nodes.push(node);
        parent.children.push(node.id);
      }
      parent = node;
    }
    leafOf.set(name, parent.id);
  }
  return { nodes, leafOf };
}

const CALCULATOR = ['runBatch', `${ROOT}/services/index-calculator/src/calculator.ts`] as const;
const ENCODER = ['messages', `${ROOT}/packages/kafka/src/level-transaction-messages.ts`] as const;
const PUMP = ['#pump', `${ROOT}/packages/kafka/src/native/native-event-source.ts`] as const;

/** One sample of each kind of stack the calculator's profile holds, and where it must be charged. */
const STACKS = {
  gc: [['(garbage collector)', '']],
  idle: [['(idle)', '']],
  engineArithmetic: [
    CALCULATOR,
    ['runPipeline', `${ROOT}/packages/pipeline/src/run-pipeline.ts`],
    ['apply', `${ROOT}/packages/index-engine/src/engine/index-engine.ts`],
    ['quotientHalfEven', `${ROOT}/packages/index-engine/src/fixed-point.ts`],
  ],
  levelPrinting: [
    CALCULATOR,
    ENCODER,
    ['scaledLevelTexts', `${ROOT}/packages/kafka/src/scaled-level-text.ts`],
    ['plainOfScaled', `${ROOT}/packages/index-engine/src/plain-text.ts`],
  ],
  avroEncode: [
    CALCULATOR,
    ENCODER,
    ['', `${ROOT}/packages/kafka/src/avro-serdes.ts`],
    ['Type.encode', `${PNPM}/avsc@5.7.9/node_modules/avsc/lib/types.js`],
    ['writeIndexLevel', ''],
  ],
  avroDecode: [
    PUMP,
    ['', `${ROOT}/packages/kafka/src/kafka-event-source.ts`],
    ['deserializeKnown', `${ROOT}/packages/kafka/src/avro-serdes.ts`],
    ['', `${ROOT}/packages/kafka/src/avro-serdes.ts`],
    ['Type.fromBuffer', `${PNPM}/avsc@5.7.9/node_modules/avsc/lib/types.js`],
    ['utf8Slice', 'node:buffer'],
  ],
  consume: [PUMP, ['from', 'node:buffer']],
  redisReply: [
    ['onread', 'node:net'],
    ['DataHandler', `${PNPM}/ioredis@5.11.1/node_modules/ioredis/built/DataHandler.js`],
  ],
  kafkajsFetch: [
    ['onData', `${PNPM}/kafkajs@2.2.4/node_modules/kafkajs/src/network/connection.js`],
    ['readString', 'node:buffer'],
  ],
  logInPipeline: [
    ['runPipeline', `${ROOT}/packages/pipeline/src/run-pipeline.ts`],
    ['LOG', `${PNPM}/pino@10.4.0/node_modules/pino/lib/tools.js`],
  ],
  merge: [['take', `${ROOT}/packages/pipeline/src/order/event-merge.ts`]],
  nodeOnly: [['processTimers', 'node:internal/timers']],
} as const;

/** Each stack's sample lasts a distinct number of µs, so a misattributed one shows in the totals. */
function profileOfAll(): { profile: CpuProfile; micros: Map<keyof typeof STACKS, number> } {
  const { nodes, leafOf } = tree(STACKS);
  const names = Object.keys(STACKS) as (keyof typeof STACKS)[];
  const micros = new Map(names.map((name, i) => [name, 2 ** i]));
  // Sample i lasts until sample i + 1: the first delta is the start, the rest each previous span.
  const timeDeltas = [0, ...names.slice(0, -1).map((name) => micros.get(name)!)];
  const startTime = 1_000;
  const endTime = startTime + [...micros.values()].reduce((a, b) => a + b, 0);
  const samples = names.map((name) => leafOf.get(name)!);
  return { profile: { nodes, startTime, endTime, samples, timeDeltas }, micros };
}

describe('the calculator profile classifier', () => {
  it('charges each sample to the stage its stack belongs to', () => {
    const { profile, micros } = profileOfAll();
    const us = (...names: (keyof typeof STACKS)[]) => names.reduce((sum, name) => sum + micros.get(name)!, 0);
    expect(Object.fromEntries(stageMicros(profile, classifyCalculatorStack))).toEqual({
      gc: us('gc'),
      idle: us('idle'),
      engine: us('engineArithmetic'),
      levelEncode: us('levelPrinting', 'avroEncode'),
      avroDecode: us('avroDecode'),
      kafkaConsume: us('consume'),
      redis: us('redisReply'),
      kafkaClient: us('kafkajsFetch'),
      logMetrics: us('logInPipeline'),
      merge: us('merge'),
      other: us('nodeOnly'),
    });
  });

  it('counts only the part of each sample inside a window', () => {
    const { profile, micros } = profileOfAll();
    // gc spans [1000, 1001), idle [1001, 1003), engineArithmetic [1003, 1007), levelPrinting [1007, 1015).
    expect(micros.get('levelPrinting')).toBe(8);
    const cut = stageMicros(profile, classifyCalculatorStack, { fromMicros: 1002, toMicros: 1010 });
    expect(Object.fromEntries(cut)).toEqual({ idle: 1, engine: 4, levelEncode: 3 });
  });
});

describe('CPU profile files', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("finds a process's main-thread profile, not its loader thread's nor another pid's", () => {
    dir = mkdtempSync(join(tmpdir(), 'cpu-profile-test-'));
    const { profile } = profileOfAll();
    for (const name of [
      'CPU.20261207.210728.1234.0.001.cpuprofile',
      'CPU.20261207.210728.123.1.002.cpuprofile',
      'CPU.20261207.210729.123.0.001.cpuprofile',
    ])
      writeFileSync(join(dir, name), JSON.stringify(profile));
    expect(mainThreadProfilePath(dir, 123)).toBe(join(dir, 'CPU.20261207.210729.123.0.001.cpuprofile'));
    expect(mainThreadProfilePath(dir, 12)).toBeUndefined();
    expect(readCpuProfile(mainThreadProfilePath(dir, 1234)!).samples).toEqual(profile.samples);
  });

  it('refuses a file that is not a profile, naming it', () => {
    dir = mkdtempSync(join(tmpdir(), 'cpu-profile-test-'));
    const path = join(dir, 'x.cpuprofile');
    writeFileSync(path, JSON.stringify({ nodes: [], samples: [1], timeDeltas: [] }));
    expect(() => readCpuProfile(path)).toThrow(
      `${path} is not a V8 CPU profile: 1 samples but 0 time deltas`,
    );
  });
});
