/**
 * `JSON.stringify(value, null, 2)` written in pieces: the same characters, without building one
 * string of the whole document (a run on a 1,000,000-membership roster lists every member paying
 * less: ~60 MB of JSON, twice that as a JavaScript string, and a copy again to write it).
 *
 * @example
 * let s = ''; writeJsonPretty({ a: [1, 2] }, (t) => { s += t; }); s === JSON.stringify({ a: [1, 2] }, null, 2) // => true
 */
export function writeJsonPretty(value: unknown, out: (text: string) => void, flushAt = 1 << 20): void {
  const w = new PieceWriter(out, flushAt);
  const text = encode(value, '', '', w);
  if (text === undefined) return; // as JSON.stringify(undefined): nothing
  w.put(text);
  w.flush();
}

class PieceWriter {
  private buf = '';
  constructor(
    private readonly out: (text: string) => void,
    private readonly flushAt: number,
  ) {}
  put(text: string): void {
    this.buf += text;
    if (this.buf.length >= this.flushAt) this.flush();
  }
  flush(): void {
    if (this.buf) this.out(this.buf);
    this.buf = '';
  }
}

/** The value after toJSON and unboxing, as JSON.stringify sees it. */
function prepare(value: unknown, key: string): unknown {
  let v = value;
  if (v !== null && (typeof v === 'object' || typeof v === 'bigint') && typeof (v as { toJSON?: unknown }).toJSON === 'function')
    v = (v as { toJSON(k: string): unknown }).toJSON(key);
  if (v instanceof Number || v instanceof String || v instanceof Boolean) v = v.valueOf();
  return v;
}

/** True for an array or plain object none of whose values is itself an array or object: printed in one call. */
function isFlat(v: object): boolean {
  const values = Array.isArray(v) ? v : Object.values(v);
  for (const x of values) if (x !== null && typeof x === 'object') return false;
  return true;
}

/**
 * Either returns the text of `value` (small values, and scalars), or writes it to `w` piece by piece
 * and returns ''. `undefined` when JSON.stringify would leave the value out.
 */
function encode(value: unknown, key: string, indent: string, w: PieceWriter): string | undefined {
  return encodePrepared(prepare(value, key), indent, w);
}

function encodePrepared(v: unknown, indent: string, w: PieceWriter): string | undefined {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (isFlat(v)) {
    const text = JSON.stringify(v, null, 2);
    return indent ? text.replaceAll('\n', `\n${indent}`) : text;
  }
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    w.put('[');
    for (let i = 0; i < v.length; i++) {
      w.put(i === 0 ? `\n${inner}` : `,\n${inner}`);
      const t = encode(v[i], String(i), inner, w);
      w.put(t === undefined ? 'null' : t);
    }
    w.put(`\n${indent}]`);
    return '';
  }
  let first = true;
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    // JSON.stringify leaves out keys whose value is undefined, a function or a symbol (after toJSON)
    const px = prepare(x, k);
    if (px === undefined || typeof px === 'function' || typeof px === 'symbol') continue;
    w.put(first ? `{\n${inner}${JSON.stringify(k)}: ` : `,\n${inner}${JSON.stringify(k)}: `);
    first = false;
    w.put(encodePrepared(px, inner, w) ?? 'null');
  }
  if (first) return '{}';
  w.put(`\n${indent}}`);
  return '';
}
