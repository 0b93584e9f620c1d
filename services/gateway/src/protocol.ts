// The desk feed's wire protocol, shared by WebSocket and SSE. Every decimal is a string, exactly as
// the calculator published it: no number a desk reads has passed through a float.
import type { IndexLevelRecord } from '@indexflow/kafka';
import type { ConstituentView } from './constituents.js';
import type { DeskStateView } from './desk-state.js';
import { BadClientMessageError } from './gateway-errors.js';

/** A published level as the feed sends it: the Avro record without its (optional) constituents. */
export type LevelView = Omit<IndexLevelRecord, 'constituents'>;

export type ServerMessage =
  | {
      readonly type: 'welcome';
      readonly desk: string;
      readonly heartbeatMs: number;
      /** Index ids the desk may subscribe to; `*` for every index. */
      readonly entitled: readonly string[] | '*';
    }
  | { readonly type: 'subscribed'; readonly indices: readonly string[] }
  | { readonly type: 'unsubscribed'; readonly indices: readonly string[] }
  /**
   * The latest level of an index when the client subscribed (null before its first level). When the
   * client was behind and a newer level replaced it before it was written, it is that newer level,
   * and `conflated` says how many it stands for.
   */
  | {
      readonly type: 'snapshot';
      readonly indexId: string;
      readonly sequence: number | null;
      readonly conflated: number;
      readonly level: LevelView | null;
    }
  /** Every level after the snapshot, in sequence; `conflated` > 0 when older ones were skipped. */
  | {
      readonly type: 'level';
      readonly indexId: string;
      readonly sequence: number;
      readonly conflated: number;
      /** Gateway wall clock (epoch ms) when the level was handed to the clients, for latency. */
      readonly gatewayTime: number;
      readonly level: LevelView;
    }
  /** Constituents with weights and contributions as of level `sequence`. */
  | {
      readonly type: 'constituents';
      readonly indexId: string;
      readonly sequence: number;
      readonly source: 'level-record' | 'projection';
      readonly constituents: readonly ConstituentView[];
    }
  /** The index's market and feed state (desk-state.ts), on subscribe and whenever it changes. */
  | { readonly type: 'market_state'; readonly indexId: string; readonly state: DeskStateView }
  | { readonly type: 'heartbeat'; readonly time: number }
  | { readonly type: 'error'; readonly code: string; readonly message: string }
  /** Sent once, just before the gateway disconnects a client that fell too far behind. */
  | {
      readonly type: 'slow_consumer';
      readonly behindMs: number;
      readonly bufferedBytes: number;
      readonly pending: number;
      readonly conflated: number;
    };

export type ClientMessage =
  | { readonly type: 'subscribe'; readonly indices: readonly string[] }
  | { readonly type: 'unsubscribe'; readonly indices: readonly string[] };

/** A message on its way to one client, with its JSON text when it was serialised once for many clients. */
export interface Outbound {
  readonly message: ServerMessage;
  readonly text: string | null;
  /** UTF-8 bytes of `text`, encoded on first use and then shared by every client of a fan-out. */
  bytes?: Buffer;
}

/** Returns an outbound message serialised once, so a fan-out to many clients stringifies it once. */
export function shared(message: ServerMessage): Outbound {
  return { message, text: JSON.stringify(message) };
}

export function textOf(outbound: Outbound): string {
  return outbound.text ?? JSON.stringify(outbound.message);
}

/** The message's UTF-8 JSON, encoded once per shared message rather than once per client. */
export function bytesOf(outbound: Outbound): Buffer {
  if (outbound.bytes !== undefined) return outbound.bytes;
  const bytes = Buffer.from(textOf(outbound), 'utf8');
  if (outbound.text !== null) outbound.bytes = bytes;
  return bytes;
}

/**
 * Merges a waiting message with a newer one of the same key: the newer content, counting what it
 * replaces. A waiting snapshot stays a snapshot, so the client still gets exactly one per subscribe.
 */
export function mergeOutbound(waiting: Outbound, newer: Outbound): Outbound {
  const older = waiting.message;
  const next = newer.message;
  if (next.type === 'level' && (older.type === 'level' || older.type === 'snapshot')) {
    const conflated = older.conflated + 1 + next.conflated;
    return {
      message:
        older.type === 'snapshot'
          ? { ...older, sequence: next.sequence, level: next.level, conflated }
          : { ...next, conflated },
      text: null,
    };
  }
  return newer;
}

/** The outbox key of a message: one waiting slot per index and kind. */
export function outboxKey(message: ServerMessage): string {
  switch (message.type) {
    case 'snapshot':
    case 'level':
      return `level:${message.indexId}`;
    case 'constituents':
      return `constituents:${message.indexId}`;
    case 'market_state':
      return `market_state:${message.indexId}`;
    default:
      return message.type;
  }
}

const MAX_INDICES_PER_MESSAGE = 1000;

/** Parses a client's WebSocket text frame; throws BadClientMessageError naming what was wrong. */
export function parseClientMessage(text: string): ClientMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadClientMessageError(text, 'not JSON');
  }
  if (typeof value !== 'object' || value === null) throw new BadClientMessageError(text, 'not an object');
  const { type, indices } = value as { type?: unknown; indices?: unknown };
  if (type !== 'subscribe' && type !== 'unsubscribe') {
    throw new BadClientMessageError(text, 'type must be "subscribe" or "unsubscribe"');
  }
  if (
    !Array.isArray(indices) ||
    indices.length === 0 ||
    indices.length > MAX_INDICES_PER_MESSAGE ||
    !indices.every((id) => typeof id === 'string' && id.length > 0 && id.length <= 64)
  ) {
    throw new BadClientMessageError(text, `indices must be 1 to ${MAX_INDICES_PER_MESSAGE} index ids`);
  }
  return { type, indices: [...new Set(indices as string[])] };
}

/** The record without its constituents, which travel in their own message. */
export function levelView(record: IndexLevelRecord): LevelView {
  const { constituents: _constituents, ...view } = record;
  return view;
}
