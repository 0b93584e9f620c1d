/** An input file of an EOD command (actions, closing prices, FX) has a row it cannot use. */
export class EodInputError extends Error {
  override readonly name = 'EodInputError';
  readonly retriable = false;
  readonly file: string;
  readonly line: number;

  constructor(args: { file: string; line: number; detail: string }) {
    super(`${args.file}:${args.line}: ${args.detail}`);
    this.file = args.file;
    this.line = args.line;
  }
}

/**
 * The opening file cannot be built: the stored close does not reproduce its own level, or the
 * engine refused one of the date's actions. Not retriable: the close or the actions must change.
 */
export class OpeningFileError extends Error {
  override readonly name = 'OpeningFileError';
  readonly retriable = false;
}
