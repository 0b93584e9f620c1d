import { closeSync, openSync, writeSync } from 'node:fs';

/** Appends text to a file through a fixed-size buffer, so memory stays flat however much is written. */
export class BufferedFileWriter {
  readonly #fd: number;
  readonly #limit: number;
  #chunks: string[] = [];
  #pending = 0;
  #bytes = 0;

  constructor(path: string, bufferChars = 1 << 16) {
    this.#fd = openSync(path, 'w');
    this.#limit = bufferChars;
  }

  write(text: string): void {
    this.#chunks.push(text);
    this.#pending += text.length;
    if (this.#pending >= this.#limit) this.flush();
  }

  flush(): void {
    if (this.#chunks.length === 0) return;
    this.#bytes += writeSync(this.#fd, this.#chunks.join(''));
    this.#chunks = [];
    this.#pending = 0;
  }

  /** Flushes, closes the file and returns the bytes written. */
  close(): number {
    this.flush();
    closeSync(this.#fd);
    return this.#bytes;
  }
}
