import { describe, expect, it } from 'vitest';
import { authenticate, credentialsOf } from './auth.js';
import { DeskDirectory, Entitlements, sha256Hex } from './entitlements.js';
import { UnauthenticatedError } from './gateway-errors.js';

const directory = new DeskDirectory([
  { desk: 'equities', apiKeySha256: [sha256Hex('eq-key-1'), sha256Hex('eq-key-2')], indices: ['995365.SSI'] },
  { desk: 'risk', apiKeySha256: [sha256Hex('risk-key')], indices: ['*'] },
]);

describe('entitlements', () => {
  it('finds the desk by any of its API keys and entitles it to its indices only', () => {
    for (const key of ['eq-key-1', 'eq-key-2']) {
      const entitlements = directory.byApiKey(key);
      expect(entitlements?.desk).toBe('equities');
      expect(entitlements?.allows('995365.SSI')).toBe(true);
      expect(entitlements?.allows('995366.SSI')).toBe(false);
    }
    expect(directory.byApiKey('risk-key')?.allows('anything')).toBe(true);
    expect(directory.byApiKey('eq-key-3')).toBeNull();
  });

  it('narrows by a token claim but never widens', () => {
    const equities = new Entitlements('equities', ['995365.SSI', '995366.SSI']);
    expect(equities.narrow(['995366.SSI', '995367.SSI']).indices).toEqual(['995366.SSI']);
    expect(equities.narrow(['*']).indices).toEqual(['995365.SSI', '995366.SSI']);
    expect(new Entitlements('risk', '*').narrow(['995367.SSI']).indices).toEqual(['995367.SSI']);
  });
});

describe('authenticate', () => {
  const verifyJwt = (token: string) => {
    if (!token.startsWith('valid:')) throw new Error('bad signature');
    return JSON.parse(token.slice(6)) as Record<string, unknown>;
  };
  const options = { mode: 'required' as const, directory, verifyJwt };

  it('reads credentials from headers before the query', () => {
    expect(credentialsOf({ 'x-api-key': 'h' }, { apiKey: 'q' })).toEqual({ apiKey: 'h', token: undefined });
    expect(credentialsOf({}, { apiKey: 'q', access_token: 't' })).toEqual({ apiKey: 'q', token: 't' });
    expect(credentialsOf({ authorization: 'Bearer abc' }, {})).toEqual({ apiKey: undefined, token: 'abc' });
  });

  it('accepts a JWT naming a configured desk, narrowed by its indices claim', () => {
    const token = `valid:${JSON.stringify({ desk: 'risk', indices: ['995367.SSI'] })}`;
    const entitlements = authenticate(options, { apiKey: undefined, token });
    expect(entitlements.desk).toBe('risk');
    expect(entitlements.allows('995367.SSI')).toBe(true);
    expect(entitlements.allows('995365.SSI')).toBe(false);
  });

  it('refuses unknown keys, bad tokens, unknown desks and missing credentials without echoing the secret', () => {
    const attempts = [
      { apiKey: 'guess-123', token: undefined },
      { apiKey: undefined, token: 'forged-token-xyz' },
      { apiKey: undefined, token: `valid:${JSON.stringify({ desk: 'nobody' })}` },
      { apiKey: undefined, token: undefined },
    ];
    for (const credentials of attempts) {
      let caught: unknown;
      try {
        authenticate(options, credentials);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(UnauthenticatedError);
      const message = (caught as Error).message;
      expect(message).not.toContain('guess-123');
      expect(message).not.toContain('forged-token-xyz');
    }
  });

  it('lets anonymous requests read everything only in open mode', () => {
    const open = authenticate({ ...options, mode: 'open' }, { apiKey: undefined, token: undefined });
    expect(open.desk).toBe('anonymous');
    expect(open.allows('995366.SSI')).toBe(true);
  });
});
