import { inflateSync } from 'node:zlib';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export interface DecodedPng {
  readonly width: number;
  readonly height: number;
  /** 8-bit RGBA, row by row. */
  readonly rgba: Uint8Array;
}

/** The chunks of a PNG file: type and data, in file order. */
function chunks(png: Uint8Array): { type: string; data: Uint8Array }[] {
  if (!SIGNATURE.every((byte, i) => png[i] === byte)) throw new Error('not a PNG: the signature differs');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const found: { type: string; data: Uint8Array }[] = [];
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    found.push({ type, data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return found;
}

/** Width and height from the IHDR chunk, which a PNG must start with. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const ihdr = chunks(png)[0];
  if (ihdr?.type !== 'IHDR') throw new Error(`the first chunk was ${ihdr?.type}, not IHDR`);
  const view = new DataView(ihdr.data.buffer, ihdr.data.byteOffset, ihdr.data.byteLength);
  return { width: view.getUint32(0), height: view.getUint32(4) };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes a non-interlaced 8-bit RGBA PNG (what the renderer writes): enough to look at pixels in a test. */
export function decodePng(png: Uint8Array): DecodedPng {
  const { width, height } = pngSize(png);
  const header = chunks(png)[0]!.data;
  if (header[8] !== 8 || header[9] !== 6 || header[12] !== 0)
    throw new Error(`expected 8-bit RGBA non-interlaced, got depth ${header[8]} colour type ${header[9]}`);
  const idat = chunks(png).filter((c) => c.type === 'IDAT');
  const raw = inflateSync(Buffer.concat(idat.map((c) => c.data)));
  const stride = width * 4;
  const rgba = new Uint8Array(height * stride);
  for (let row = 0; row < height; row++) {
    const filter = raw[row * (stride + 1)]!;
    const line = raw.subarray(row * (stride + 1) + 1, (row + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= 4 ? rgba[row * stride + i - 4]! : 0;
      const b = row > 0 ? rgba[(row - 1) * stride + i]! : 0;
      const c = i >= 4 && row > 0 ? rgba[(row - 1) * stride + i - 4]! : 0;
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter];
      if (predictor === undefined) throw new Error(`row ${row} has an unknown filter type ${filter}`);
      rgba[row * stride + i] = (line[i]! + predictor) & 0xff;
    }
  }
  return { width, height, rgba };
}
