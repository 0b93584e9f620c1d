import { describe, expect, it } from 'vitest';
import { nativeOperationError } from './native-client.js';

// librdkafka errors as the binding hands them over: a numeric code and its own flags.
const failure = (code: number, flags: { isRetriable?: boolean; isFatal?: boolean } = {}) =>
  Object.assign(new Error(`librdkafka error ${code}`), {
    code,
    isRetriable: false,
    isFatal: false,
    ...flags,
  });

describe('nativeOperationError', () => {
  it('makes brokers that do not answer retriable, so a start waits for them instead of exiting', () => {
    for (const code of [-193, -195, -187, -185])
      expect(nativeOperationError('list topics', '*', failure(code)).retriable, String(code)).toBe(true);
  });

  it('keeps what librdkafka marks retriable, and nothing fatal', () => {
    expect(nativeOperationError('commit', 'tx', failure(15, { isRetriable: true })).retriable).toBe(true);
    expect(nativeOperationError('consume', 'g', failure(-195, { isFatal: true })).retriable).toBe(false);
    expect(nativeOperationError('consume', 'g', failure(-150, { isFatal: true })).retriable).toBe(false);
  });

  it('leaves other failures fatal (a missing topic, refused authorization, a non-librdkafka error)', () => {
    expect(nativeOperationError('create topic', 't', failure(3)).retriable).toBe(false);
    expect(nativeOperationError('create topic', 't', failure(29)).retriable).toBe(false);
    expect(nativeOperationError('create topic', 't', new Error('boom')).retriable).toBe(false);
  });
});
