/** A command-line flag whose value cannot be used; names the flag and the value it was given. */
export class FlagError extends Error {
  constructor(
    readonly flag: string,
    readonly value: string,
    expected: string,
  ) {
    super(`${flag} must be ${expected}, was ${JSON.stringify(value)}`);
    this.name = 'FlagError';
  }
}

/** Parses an integer flag in [min, max], or throws FlagError. */
export function integerFlag(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max)
    throw new FlagError(flag, text, `an integer from ${min} to ${max}`);
  return value;
}
