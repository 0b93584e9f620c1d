// Registers the Lua scripts of lua/ on an ioredis client. ioredis runs them with EVALSHA and
// falls back to EVAL when the server has not cached them (after a restart or SCRIPT FLUSH).
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

// Names are prefixed because defineCommand adds methods to a client the caller may share.
export interface StateScripts {
  indexflowStateStage(committed: string, pending: string, ...args: string[]): Promise<number>;
  indexflowStatePromote(numberOfKeys: number, ...keysAndArgs: string[]): Promise<number>;
  indexflowStateDiscardPending(pending: string, expectedVersion: string): Promise<number>;
}

export type ScriptedRedis = Redis & StateScripts;

function loadScript(file: string): string {
  return readFileSync(new URL(`./lua/${file}`, import.meta.url), 'utf8');
}

let sources: { stage: string; promote: string; discardPending: string } | undefined;

export function defineStateScripts(redis: Redis): ScriptedRedis {
  sources ??= {
    stage: loadScript('stage.lua'),
    promote: loadScript('promote.lua'),
    discardPending: loadScript('discard-pending.lua'),
  };
  const scripted = redis as ScriptedRedis;
  if (typeof scripted.indexflowStateStage !== 'function') {
    redis.defineCommand('indexflowStateStage', { numberOfKeys: 2, lua: sources.stage });
    redis.defineCommand('indexflowStateDiscardPending', { numberOfKeys: 1, lua: sources.discardPending });
  }
  if (typeof scripted.indexflowStatePromote !== 'function') {
    // The number of projection keys varies per call, so the caller passes it first.
    redis.defineCommand('indexflowStatePromote', { lua: sources.promote });
  }
  return scripted;
}
