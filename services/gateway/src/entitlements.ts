// Who may see which index. A desk is configured once (GATEWAY_DESKS) with the indices it is
// entitled to (`*` for all) and the SHA-256 digests of its API keys: the gateway never holds a key
// itself, so neither its configuration nor a heap dump leaks one. A JWT names its desk in `desk`
// (or `sub`) and may narrow the desk's indices with an `indices` claim, never widen them.
import { createHash, timingSafeEqual } from 'node:crypto';

export interface DeskConfig {
  readonly desk: string;
  /** Hex SHA-256 digests of the desk's API keys. */
  readonly apiKeySha256: readonly string[];
  /** Index ids the desk may read; `*` entitles it to every index. */
  readonly indices: readonly string[];
}

/** What an authenticated desk may read. */
export class Entitlements {
  readonly desk: string;
  readonly #indices: ReadonlySet<string> | '*';

  constructor(desk: string, indices: readonly string[] | '*') {
    this.desk = desk;
    this.#indices = indices === '*' || indices.includes('*') ? '*' : new Set(indices);
  }

  allows(indexId: string): boolean {
    return this.#indices === '*' || this.#indices.has(indexId);
  }

  /** The entitled index ids, or `*`. */
  get indices(): readonly string[] | '*' {
    return this.#indices === '*' ? '*' : [...this.#indices].sort();
  }

  /** Returns entitlements limited to `claim` as well (a token's `indices` claim). */
  narrow(claim: readonly string[]): Entitlements {
    const allowed = claim.includes('*') ? null : claim.filter((id) => this.allows(id));
    if (allowed === null) return this;
    return new Entitlements(this.desk, allowed);
  }
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Finds desks by API key or by name. */
export class DeskDirectory {
  readonly #byName: ReadonlyMap<string, DeskConfig>;
  readonly #digests: readonly { digest: Buffer; desk: DeskConfig }[];

  constructor(desks: readonly DeskConfig[]) {
    this.#byName = new Map(desks.map((d) => [d.desk, d]));
    this.#digests = desks.flatMap((desk) =>
      desk.apiKeySha256.map((hex) => ({ digest: Buffer.from(hex.toLowerCase(), 'hex'), desk })),
    );
  }

  /** Returns the entitlements of the desk holding `apiKey`, or null. Compares digests in constant time. */
  byApiKey(apiKey: string): Entitlements | null {
    const digest = createHash('sha256').update(apiKey, 'utf8').digest();
    let found: DeskConfig | null = null;
    // Every digest is compared, so the time taken does not say how many desks were tried.
    for (const entry of this.#digests) {
      if (timingSafeEqual(entry.digest, digest)) found = entry.desk;
    }
    return found === null ? null : new Entitlements(found.desk, found.indices);
  }

  byDesk(desk: string): Entitlements | null {
    const config = this.#byName.get(desk);
    return config === undefined ? null : new Entitlements(config.desk, config.indices);
  }
}
