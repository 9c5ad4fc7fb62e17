import { Buffer } from 'node:buffer';
import type { TextColumn } from '../domain/roster.js';

/**
 * A column of a few distinct values (country codes): each row holds the number of its value in a
 * list of the values seen, so a million rows hold a million small integers and no pointers.
 *
 * @example
 * const c = new CodeColumn(); c.add('CHE'); c.add('KEN'); c.add('CHE');
 * c.at(2) // => 'CHE'
 */
export class CodeColumn implements TextColumn {
  length = 0;
  private readonly values: string[] = [];
  private readonly numbers = new Map<string, number>();
  private code = new Int32Array(1024);

  constructor() {
    this.code = new Int32Array(1024); // stored twice: see BytesTextColumn's constructor
  }

  /** Room for n rows. */
  reserve(n: number): void {
    if (n <= this.code.length) return;
    const b = new Int32Array(n);
    b.set(this.code.subarray(0, this.length));
    this.code = b;
  }

  /** The number of `value` in the list (added when new): add it with addNumber. */
  numberOf(value: string): number {
    let k = this.numbers.get(value);
    if (k === undefined) {
      k = this.values.length;
      this.values.push(value);
      this.numbers.set(value, k);
    }
    return k;
  }

  /** Appends the value numbered k (numberOf). */
  addNumber(k: number): void {
    const i = this.length;
    if (i === this.code.length) this.reserve(i * 2);
    this.code[i] = k;
    this.length = i + 1;
  }

  add(value: string): void {
    this.addNumber(this.numberOf(value));
  }

  /** Appends the values numbered `numbers` (numberOf), in order. */
  addNumbers(numbers: Int32Array): void {
    const i = this.length;
    const n = numbers.length;
    if (i + n > this.code.length) this.reserve(Math.max(i + n, this.code.length * 2));
    this.code.set(numbers, i);
    this.length = i + n;
  }

  at(i: number): string | undefined {
    return i >= 0 && i < this.length ? this.values[this.code[i]!] : undefined;
  }

  indexOf(value: string): number {
    const k = this.numbers.get(value);
    if (k === undefined) return -1;
    return this.code.subarray(0, this.length).indexOf(k);
  }
}

/** FNV-1a over bytes[from, to), finished as hashRange (for UTF-8 bytes: the hash of hashBytesOf their text). */
export function hashBytes(bytes: Uint8Array, from: number, to: number): number {
  // the offset basis 0x811c9dc5 as a signed 32-bit integer (the same bits, and the same hashes: imul
  // and ^ read their operands as int32); above 2^31 it is a double, and V8 kept the loop's hash in
  // doubles, a conversion each way per byte
  let h = 0x811c9dc5 | 0;
  for (let i = from; i < to; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return finishHash(h);
}

/** The finishing multiply-xorshift of hashRange and hashBytes. */
export function finishHash(h: number): number {
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}

/** hashBytes of a string's UTF-8 bytes. */
export function hashBytesOf(s: string): number {
  const b = Buffer.from(s, 'utf8');
  return hashBytes(b, 0, b.length);
}

/**
 * Each roster's buffers read as Latin-1 (BytesTextColumn.allValues), shared by its three text
 * columns (which share the list of buffers) and kept while the roster is.
 */
const LATIN1 = new WeakMap<readonly Buffer[], (string | undefined)[]>();

/**
 * A text column read in place from the bytes of a roster file: each row's value is a byte range of
 * one of the buffers the roster parser read the file into (`segments`, shared with the parser and kept
 * while the roster lives), decoded to a string only when asked for. A range always holds valid UTF-8
 * and is cut at ASCII bytes (commas, line ends), so decoding it gives exactly the characters a decode
 * of the whole file has there, and two ranges hold the same text exactly when they hold the same
 * bytes. A value that is not a plain range — quoted, with blanks to trim, or with bytes that are not
 * valid UTF-8 (read as U+FFFD) — is stored as a string (`special`).
 *
 * @example
 * const segs = [Buffer.from('a,bc\n')];
 * const c = new BytesTextColumn(segs);
 * c.add(0, 2, 4); c.addString('x');
 * c.at(0) // => 'bc'
 */
export class BytesTextColumn implements TextColumn {
  length = 0;
  /** Per row: index into `segments`, start and end of the range; start −1 for a value in `special`. */
  private seg = new Int32Array(1024);
  private start = new Int32Array(1024);
  private end = new Int32Array(1024);
  private readonly special = new Map<number, string>();
  /** The UTF-8 bytes of values in `special`, once compare() asked for them. */
  private encoded: Map<number, Buffer> | undefined;

  constructor(private readonly segments: readonly Buffer[]) {
    // each array stored a second time: V8 takes a field stored once as constant, and code optimised
    // while it was (the roster parser's fastRow, after its first rows) was thrown away when the first
    // grow stored it again, and compiled anew while the rows ran unoptimised
    this.seg = new Int32Array(1024);
    this.start = new Int32Array(1024);
    this.end = new Int32Array(1024);
  }

  /** Room for n rows. */
  reserve(n: number): void {
    if (n <= this.seg.length) return;
    const grow = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a.subarray(0, this.length));
      return b;
    };
    this.seg = grow(this.seg);
    this.start = grow(this.start);
    this.end = grow(this.end);
  }

  /** Appends the value held by bytes [start, end) of segment `seg` (valid UTF-8). */
  add(seg: number, start: number, end: number): void {
    const i = this.length;
    if (i === this.seg.length) this.reserve(i * 2);
    this.seg[i] = seg;
    this.start[i] = start;
    this.end[i] = end;
    this.length = i + 1;
  }

  /** Appends the values held by bytes [starts[k], ends[k]) of segment `seg` (valid UTF-8), in order. */
  addRanges(seg: number, starts: Int32Array, ends: Int32Array): void {
    const i = this.length;
    const n = starts.length;
    if (i + n > this.seg.length) this.reserve(Math.max(i + n, this.seg.length * 2));
    this.seg.fill(seg, i, i + n);
    this.start.set(starts, i);
    this.end.set(ends, i);
    this.length = i + n;
  }

  /** Appends a value given as a string. */
  addString(value: string): void {
    const i = this.length;
    if (i === this.seg.length) this.reserve(i * 2);
    this.start[i] = -1;
    this.special.set(i, value);
    this.length = i + 1;
  }

  /** Appends row j's value of `other` again (an entity left empty takes the row's id). */
  addSameAs(other: BytesTextColumn, j: number): void {
    const s = other.start[j]!;
    if (s < 0) this.addString(other.special.get(j)!);
    else this.add(other.seg[j]!, s, other.end[j]!);
  }

  at(i: number): string | undefined {
    if (!(i >= 0 && i < this.length)) return undefined;
    const s = this.start[i]!;
    if (s < 0) return this.special.get(i);
    const b = this.segments[this.seg[i]!]!;
    const e = this.end[i]!;
    // ASCII (the usual id or name) as Latin-1: the same string, made about twice as fast
    for (let k = s; k < e; k++) if (b[k]! >= 0x80) return b.toString('utf8', s, e);
    return b.toString('latin1', s, e);
  }

  /**
   * Every row's value (textValues: the roster sent to worker threads), = at(i) for each row: each buffer
   * is read once as Latin-1, and an ASCII value is cut from that string (a substring is cheaper than a
   * decode per value; for ASCII bytes the offsets are the same); any other value is decoded as at().
   */
  allValues(): string[] {
    const out: string[] = new Array(this.length);
    let latin1 = LATIN1.get(this.segments);
    if (latin1 === undefined) {
      latin1 = [];
      LATIN1.set(this.segments, latin1);
    }
    for (let i = 0; i < this.length; i++) {
      const s = this.start[i]!;
      if (s < 0) {
        out[i] = this.special.get(i)!;
        continue;
      }
      const g = this.seg[i]!;
      const b = this.segments[g]!;
      const e = this.end[i]!;
      let ascii = true;
      for (let k = s; k < e; k++)
        if (b[k]! >= 0x80) {
          ascii = false;
          break;
        }
      if (!ascii) {
        out[i] = b.toString('utf8', s, e);
        continue;
      }
      let t = latin1[g];
      if (t === undefined) {
        t = b.toString('latin1');
        latin1[g] = t;
      }
      out[i] = t.substring(s, e);
    }
    return out;
  }

  /** Whether row i's value is the empty string. */
  isEmpty(i: number): boolean {
    const s = this.start[i]!;
    return s < 0 ? this.special.get(i) === '' : this.end[i] === s;
  }

  /** hashBytesOf(row i's value), without making a string for a range. */
  hash(i: number): number {
    const s = this.start[i]!;
    return s < 0 ? hashBytesOf(this.special.get(i)!) : hashBytes(this.segments[this.seg[i]!]!, s, this.end[i]!);
  }

  /** FNV-1a over the UTF-16 code units of row i's value, as engine/random/streams.ts hashText (no string made for an ASCII range). */
  fnv1a(i: number): number {
    const s = this.start[i]!;
    let h = 0x811c9dc5 | 0; // as in hashBytes
    if (s >= 0) {
      const b = this.segments[this.seg[i]!]!;
      const e = this.end[i]!;
      let high = 0;
      for (let k = s; k < e; k++) {
        const c = b[k]!;
        high |= c;
        h = Math.imul(h ^ c, 0x01000193);
      }
      if (high < 0x80) return h >>> 0; // ASCII: a byte is a UTF-16 code unit
      h = 0x811c9dc5 | 0;
    }
    const text = this.at(i)!;
    for (let k = 0; k < text.length; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
    return h >>> 0;
  }

  /** Whether rows i and j hold the same text (no string made for ranges). */
  same(i: number, j: number): boolean {
    const a = this.start[i]!;
    const b = this.start[j]!;
    if (a < 0 || b < 0) return this.at(i) === this.at(j);
    const len = this.end[i]! - a;
    if (this.end[j]! - b !== len) return false;
    const ti = this.segments[this.seg[i]!]!;
    const tj = this.segments[this.seg[j]!]!;
    for (let k = 0; k < len; k++) if (ti[a + k] !== tj[b + k]) return false;
    return true;
  }

  /**
   * The order of rows i and j by the UTF-8 bytes of their values (negative, 0 or positive; 0 exactly
   * when `same`), without making a string for a range (firstOfSame, for many values sharing one hash).
   */
  compare(i: number, j: number): number {
    const [ti, a, ea] = this.bytesOf(i);
    const [tj, b, eb] = this.bytesOf(j);
    const len = Math.min(ea - a, eb - b);
    for (let k = 0; k < len; k++) {
      const d = ti[a + k]! - tj[b + k]!;
      if (d !== 0) return d;
    }
    return ea - a - (eb - b);
  }

  /** Row i's value as bytes: a buffer, start and end (a string value encoded once and kept). */
  private bytesOf(i: number): [Uint8Array, number, number] {
    const s = this.start[i]!;
    if (s >= 0) return [this.segments[this.seg[i]!]!, s, this.end[i]!];
    this.encoded ??= new Map();
    let e = this.encoded.get(i);
    if (e === undefined) {
      e = Buffer.from(this.special.get(i)!, 'utf8');
      this.encoded.set(i, e);
    }
    return [e, 0, e.length];
  }

  /** The first row holding `value`, or −1 (as an array's indexOf). */
  indexOf(value: string): number {
    const want = Buffer.from(value, 'utf8');
    const len = want.length;
    const ranges = want.toString('utf8') === value; // a lone surrogate is in no decoded range
    for (let i = 0; i < this.length; i++) {
      const s = this.start[i]!;
      if (s < 0) {
        if (this.special.get(i) === value) return i;
        continue;
      }
      if (!ranges) continue;
      if (this.end[i]! - s !== len) continue;
      const b = this.segments[this.seg[i]!]!;
      let k = 0;
      while (k < len && b[s + k] === want[k]) k++;
      if (k === len) return i;
    }
    return -1;
  }
}
