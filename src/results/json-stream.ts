/**
 * `JSON.stringify(value, null, 2)` written in pieces: the same characters, without building one
 * string of the whole document (a run on a 1,000,000-membership roster lists every member paying
 * less: ~60 MB of JSON, up to twice that as a JavaScript string, and a copy again to write it).
 *
 * The top levels are walked here; every part below (and long arrays, 256 elements at a time) is
 * printed by JSON.stringify itself, wrapped in as many one-element arrays as its depth so that it
 * comes out indented exactly as in the whole document, then unwrapped.
 *
 * @example
 * let s = ''; writeJsonPretty({ a: [1, 2] }, (t) => { s += t; }); s === JSON.stringify({ a: [1, 2] }, null, 2) // => true
 */
export function writeJsonPretty(value: unknown, out: (text: string) => void, flushAt = 1 << 20): void {
  const w = new PieceWriter(out, flushAt);
  const v = prepare(value, '');
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return; // as JSON.stringify: nothing
  const seen = new Set<unknown>();
  const repeated = new Set<unknown>();
  longArraysMet(v, 0, seen, repeated);
  encode(v, 0, { w, repeated, printed: new Map() });
  w.flush();
}

/** The writer, and what it repeats: long arrays met more than once, and the text of those printed so far. */
interface Encoder {
  w: PieceWriter;
  repeated: Set<unknown>;
  printed: Map<unknown, { depth: number; pieces: string[] }>;
}

/** Objects above this depth are walked key by key; arrays longer than BATCH are printed BATCH elements at a time. */
const WALK_DEPTH = 3;
const BATCH = 256;

/**
 * The arrays longer than BATCH that encode will meet more than once (`repeated`): the same array under
 * two keys, as a run's who-pays-less list shared by a combination and its option (engine/run.ts
 * whoPaysLess). Their text is kept the first time and repeated, rather than printed again — the same
 * characters, as JSON.stringify prints a shared array in full at each place. The walk follows encode's
 * (objects above WALK_DEPTH, key by key) but not through toJSON: what a toJSON returns is not looked
 * for, and is only printed the usual way. A toJSON inside a repeated array runs once, at its first
 * place (JSON.stringify calls it at each: the same text, unless it answers differently each time).
 */
function longArraysMet(v: unknown, depth: number, seen: Set<unknown>, repeated: Set<unknown>): void {
  if (v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    if (v.length <= BATCH) return;
    if (seen.has(v)) repeated.add(v);
    else seen.add(v);
    return;
  }
  if (depth >= WALK_DEPTH || typeof (v as { toJSON?: unknown }).toJSON === 'function') return;
  for (const k of Object.keys(v)) longArraysMet((v as Record<string, unknown>)[k], depth + 1, seen, repeated);
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

const pad = (depth: number) => '  '.repeat(depth);

/**
 * The elements of `items`, as they are printed inside an array at `depth` (each on its own line,
 * indented, separated by ",\n"): JSON.stringify of the items wrapped in depth − 1 arrays, unwrapped.
 */
function elementsAt(items: unknown[], depth: number): string {
  let wrapped: unknown = items;
  for (let k = 1; k < depth; k++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  let head = 0;
  for (let k = 0; k < depth; k++) head += 2 * k + 2; // "[\n" at each depth above
  let tail = 0;
  for (let k = 0; k < depth; k++) tail += 2 * k + 2; // "\n]" at each depth above
  return text.slice(head, text.length - tail);
}

/** Writes `v` (already prepared) as it is printed at `depth`, the cursor after its key or its indentation. */
function encode(v: unknown, depth: number, e: Encoder): void {
  const { w } = e;
  if (v === null || typeof v !== 'object') {
    w.put(JSON.stringify(v) ?? 'null');
    return;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) {
      w.put('[]');
      return;
    }
    if (depth >= WALK_DEPTH && v.length <= BATCH) {
      w.put(elementsAt([v], depth).slice(2 * depth));
      return;
    }
    const kept = e.printed.get(v);
    if (kept && kept.depth === depth) {
      for (const piece of kept.pieces) w.put(piece);
      return;
    }
    const pieces: string[] | undefined = e.repeated.has(v) && !kept ? [] : undefined;
    const put = (text: string) => {
      w.put(text);
      pieces?.push(text);
    };
    put('[');
    for (let i = 0; i < v.length; i += BATCH) {
      put(i === 0 ? '\n' : ',\n');
      // elements already prepared by JSON.stringify itself (toJSON with the element's index)
      put(elementsAt(v.slice(i, i + BATCH), depth + 1));
    }
    put(`\n${pad(depth)}]`);
    if (pieces) e.printed.set(v, { depth, pieces });
    return;
  }
  if (depth >= WALK_DEPTH) {
    w.put(elementsAt([v], depth).slice(2 * depth));
    return;
  }
  let first = true;
  for (const k of Object.keys(v)) {
    // JSON.stringify leaves out keys whose value is undefined, a function or a symbol (after toJSON)
    const x = prepare((v as Record<string, unknown>)[k], k);
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
    w.put(`${first ? '{' : ','}\n${pad(depth + 1)}${JSON.stringify(k)}: `);
    first = false;
    encode(x, depth + 1, e);
  }
  w.put(first ? '{}' : `\n${pad(depth)}}`);
}
