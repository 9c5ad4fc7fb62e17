import { Buffer, isUtf8 } from 'node:buffer';

/**
 * Length of the part of `data` that ends on a character boundary: a multi-byte UTF-8 sequence cut
 * by the end of the chunk is left for the next one. Splitting just before a byte that is not a
 * continuation byte is always safe: a decoder starts afresh there whether or not what came before
 * was a complete sequence, so decoding the pieces gives the same text as decoding the whole.
 */
export function completeLength(data: Uint8Array): number {
  const n = data.length;
  for (let k = n - 1; k >= 0 && k >= n - 3; k--) {
    const b = data[k]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = b >= 0xf8 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return k + need > n ? k : n;
  }
  return n;
}

/**
 * Decodes UTF-8 arriving in chunks of any size (a chunk may end inside a character) into the same
 * text as decoding the whole file at once, invalid bytes becoming U+FFFD. Notes whether any byte was
 * invalid and the line of the first U+FFFD of the text, for the "not valid UTF-8" warning.
 *
 * @example
 * const d = new Utf8Stream();
 * d.decode(Buffer.from([0xc3]), 0) + d.decode(Buffer.from([0xa9]), 0) + d.end(0) // => 'é'
 */
export class Utf8Stream {
  private readonly chars = new CharacterCarry();
  /** True once a byte sequence was not valid UTF-8. */
  invalid = false;
  /** 1-based line of the first U+FFFD in the text decoded so far. */
  replacementLine: number | undefined;

  /** The text of `chunk` (and of the character cut at the end of the previous one); `linesBefore`: LFs decoded so far. */
  decode(chunk: Uint8Array, linesBefore: number): string {
    return this.text(this.chars.take(chunk), linesBefore);
  }

  /** The text of a character left incomplete at the end of the input (always invalid), or ''. */
  end(linesBefore: number): string {
    const c = this.chars.rest();
    return c ? this.text(c, linesBefore) : '';
  }

  private text(bytes: Buffer, linesBefore: number): string {
    if (bytes.length === 0) return '';
    const first = firstNonAscii(bytes, 0);
    if (first === bytes.length) return bytes.toString('latin1'); // ASCII: valid, and no U+FFFD to look for
    const t = decodeUtf8(bytes, first);
    const valid = isUtf8(bytes);
    if (!valid) this.invalid = true;
    // a U+FFFD in the text comes from an invalid sequence or from its own bytes (EF BF BD): without
    // either, the text is not searched
    if (this.replacementLine === undefined && (!valid || bytes.indexOf(REPLACEMENT_BYTES) >= 0)) {
      const at = t.indexOf('\uFFFD');
      if (at >= 0) this.replacementLine = lineAt(t, at, linesBefore);
    }
    return t;
  }
}

const HIGH_BITS = 0x80808080 | 0;
const REPLACEMENT_BYTES = Buffer.from([0xef, 0xbf, 0xbd]);

/** Index of the first byte ≥ 0x80 at or after `from` (four bytes at a time), or the length. */
export function firstNonAscii(b: Uint8Array, from: number): number {
  const n = b.length;
  let i = from;
  for (; i < n && (b.byteOffset + i) % 4 !== 0; i++) if (b[i]! >= 0x80) return i;
  const words = (n - i) >> 2;
  if (words > 0) {
    const w = new Int32Array(b.buffer, b.byteOffset + i, words); // signed: the loop stays in 32-bit integers
    let k = 0;
    while (k < words && (w[k]! & HIGH_BITS) === 0) k++;
    i += k * 4;
  }
  for (; i < n; i++) if (b[i]! >= 0x80) return i;
  return n;
}

/** Most non-ASCII runs decoded apart in one chunk; more, and the chunk is decoded whole. */
const MAX_RUNS = 64;

/**
 * `b.toString('utf8')`, faster for text that is mostly ASCII (the usual roster: a few accented names):
 * ASCII runs are copied as Latin-1 and only the runs of bytes ≥ 0x80 go through the UTF-8 decoder.
 * `first`: firstNonAscii(b, 0), when the caller has it.
 * Cutting just before and after such a run gives the same text (an ASCII byte always ends a sequence).
 */
export function decodeUtf8(b: Buffer, first = firstNonAscii(b, 0)): string {
  const n = b.length;
  let out = '';
  let start = 0;
  let runs = 0;
  for (let j = first; j < n; j = firstNonAscii(b, start)) {
    if (++runs > MAX_RUNS) return b.toString('utf8');
    let k = j + 1;
    while (k < n && b[k]! >= 0x80) k++;
    out += b.toString('latin1', start, j) + b.toString('utf8', j, k);
    start = k;
  }
  return start === 0 ? b.toString('latin1') : out + b.toString('latin1', start, n);
}

/**
 * Checks UTF-8 arriving in chunks of any size without decoding it (a reader that hands the bytes on
 * as they are, RosterParser.pushBytes): notes, as Utf8Stream does for the text it decodes, whether any
 * byte was invalid and the line of the first U+FFFD a decoder would produce — at an invalid sequence
 * or at the bytes of a U+FFFD (EF BF BD) in the file. A chunk that is valid UTF-8 costs a native
 * validation and a search for those three bytes; only a chunk with an invalid sequence is decoded.
 *
 * @example
 * const c = new Utf8Check();
 * c.check(Buffer.from('a\n'), 0); c.check(Buffer.from([0xff]), 1); c.end(1);
 * [c.invalid, c.replacementLine] // => [true, 2]
 */
export class Utf8Check {
  private readonly chars = new CharacterCarry();
  /** True once a byte sequence was not valid UTF-8. */
  invalid = false;
  /** 1-based line of the first U+FFFD of the text decoded from the bytes checked so far. */
  replacementLine: number | undefined;

  /** Checks `chunk` (and the character cut at the end of the previous one); `linesBefore`: LFs before it. */
  check(chunk: Uint8Array, linesBefore: number): void {
    this.piece(this.chars.take(chunk), linesBefore);
  }

  /** Checks a character left incomplete at the end of the input (always invalid). */
  end(linesBefore: number): void {
    const c = this.chars.rest();
    if (c) this.piece(c, linesBefore);
  }

  private piece(bytes: Buffer, linesBefore: number): void {
    if (bytes.length === 0) return;
    const valid = isUtf8(bytes);
    if (!valid) this.invalid = true;
    if (this.replacementLine !== undefined) return;
    if (valid) {
      const at = bytes.indexOf(REPLACEMENT_BYTES);
      if (at >= 0) this.replacementLine = lineAt(bytes, at, linesBefore);
    } else {
      const t = bytes.toString('utf8');
      this.replacementLine = lineAt(t, t.indexOf('\uFFFD'), linesBefore);
    }
  }
}

/**
 * The character cut by the end of a chunk, kept for the next one (Utf8Stream and Utf8Check): each
 * chunk handed on ends on a character boundary (completeLength).
 */
class CharacterCarry {
  private carry: Buffer | undefined;

  /** The complete characters of `chunk`, after the bytes carried from the chunk before. */
  take(chunk: Uint8Array): Buffer {
    const data = this.carry
      ? Buffer.concat([this.carry, chunk])
      : Buffer.from(chunk.buffer as ArrayBuffer, chunk.byteOffset, chunk.byteLength);
    const cut = completeLength(data);
    this.carry = cut < data.length ? Buffer.from(data.subarray(cut)) : undefined;
    return data.subarray(0, cut);
  }

  /** The bytes of a character left incomplete at the end of the input, if any. */
  rest(): Buffer | undefined {
    const c = this.carry;
    this.carry = undefined;
    return c;
  }
}

/** 1-based line of position `at` in text or bytes that start after `linesBefore` line feeds. */
function lineAt(text: string | Buffer, at: number, linesBefore: number): number {
  const nl = (from: number) => (typeof text === 'string' ? text.indexOf('\n', from) : text.indexOf(10, from));
  let line = linesBefore + 1;
  for (let i = nl(0); i !== -1 && i < at; i = nl(i + 1)) line++;
  return line;
}
