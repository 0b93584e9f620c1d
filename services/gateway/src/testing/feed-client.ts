// A desk client of the gateway's WebSocket feed, for integration tests and the benchmark: collects
// every message and waits for conditions on them.
import { waitFor } from '@indexflow/testkit';
import WebSocket from 'ws';
import type { ServerMessage } from '../protocol.js';

export class FeedClient {
  readonly messages: ServerMessage[] = [];
  readonly socket: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(
    url: string,
    options: {
      headers?: Record<string, string>;
      /** CA certificates to trust for `wss://` (e.g. a test's self-signed certificate). */
      ca?: Buffer;
      onMessage?: (m: ServerMessage, receivedAt: number) => void;
    } = {},
  ) {
    this.socket = new WebSocket(url, {
      headers: options.headers ?? {},
      ...(options.ca === undefined ? {} : { ca: options.ca }),
    });
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('unexpected-response', (_request, response) =>
        reject(new Error(`upgrade refused: HTTP ${response.statusCode}`)),
      );
      this.socket.once('error', reject);
    });
    this.closed = new Promise((resolve) =>
      this.socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    this.socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      if (options.onMessage) options.onMessage(message, Date.now());
      else this.messages.push(message);
    });
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  of<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }>[] {
    return this.messages.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type);
  }

  async waitFor<T extends ServerMessage['type']>(
    type: T,
    predicate: (m: Extract<ServerMessage, { type: T }>) => boolean = () => true,
    timeoutMs = 15_000,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    return waitFor(() => this.of(type).find(predicate), {
      timeoutMs,
      intervalMs: 20,
      description: `a ${type} message`,
    });
  }

  close(): void {
    this.socket.close();
  }
}
