/** A simulator input that cannot be used; names the field and the value it was given. */
export class SimulationInputError extends Error {
  readonly field: string;
  readonly value: unknown;

  constructor(field: string, value: unknown, expected: string) {
    super(`${field} was ${JSON.stringify(value)}, expected ${expected}`);
    this.name = 'SimulationInputError';
    this.field = field;
    this.value = value;
  }
}
