import { isBatchedList } from '../domain/batched-list.js';

/**
 * `JSON.stringify(value, null, 2)` written in pieces: the same characters, without building one
 * string of the whole document (a run on a 1,000,000-membership roster lists every member paying
 * less: ~60 MB of JSON, up to twice that as a JavaScript string, and a copy again to write it).
 *
 * The top levels are walked here; every part below (and long arrays, BATCH elements at a time) is
 * printed by JSON.stringify itself, wrapped in as many one-element arrays as its depth so that it
 * comes out indented exactly as in the whole document, then unwrapped. A batched list
 * (domain/batched-list.ts: the who-pays-less lists) is printed as the array its toJSON gives, a slice
 * at a time, its rows made for each slice and dropped after it.
 *
 * @example
 * let s = ''; writeJsonPretty({ a: [1, 2] }, (t) => { s += t; }); s === JSON.stringify({ a: [1, 2] }, null, 2) // => true
 */
export function writeJsonPretty(value: unknown, out: (text: string) => void, flushAt = 1 << 20): void {
  const w = new PieceWriter(out, flushAt);
  const v = prepare(value, '');
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return; // as JSON.stringify: nothing
  const uses = new Map<unknown, number>();
  longArraysMet(v, 0, uses);
  encode(v, 0, { w, uses, printed: new Map() });
  w.flush();
}

/**
 * The writer, and what it repeats: how many times each long array is still to be met (longArraysMet),
 * and the text of those met more than once, kept from their first place until their last.
 */
interface Encoder {
  w: PieceWriter;
  uses: Map<unknown, number>;
  printed: Map<unknown, { depth: number; pieces: string[] }>;
}

/** Objects above this depth are walked key by key. */
const WALK_DEPTH = 3;
/**
 * Arrays longer than this are printed this many elements at a time. A batch of who-pays-less rows is
 * ~1 MB of text, a string large enough that V8 puts it straight in its large-object space: 256 rows
 * (~125 kB, under the limit) were made in the young generation and copied out of it by each scavenge
 * that found them still waiting to be written or kept for a repeat — ~40 ms of the 1M-row run's GC.
 */
export const BATCH = 2048;

/**
 * How many times encode will meet each array longer than BATCH (`uses`). One met more than once — the
 * same array under two keys, as a run's who-pays-less list shared by a combination and its option
 * (engine/run.ts whoPaysLess) — has its text kept the first time and repeated at the same depth,
 * rather than printed again: the same characters, as JSON.stringify prints a shared array in full at
 * each place. The walk follows encode's (objects above WALK_DEPTH, key by key) but not through toJSON:
 * what a toJSON returns is not looked for, and is only printed the usual way. For plain data, as
 * feesim's documents are: the upper levels' properties are read twice (a getter runs twice), and a
 * toJSON inside a repeated array runs once, at its first place (JSON.stringify calls it at each: the
 * same text, unless it answers differently each time).
 */
function longArraysMet(v: unknown, depth: number, uses: Map<unknown, number>): void {
  if (v === null || typeof v !== 'object') return;
  if (Array.isArray(v) || isBatchedList(v)) {
    if (v.length > BATCH) uses.set(v, (uses.get(v) ?? 0) + 1);
    return;
  }
  if (depth >= WALK_DEPTH || typeof (v as { toJSON?: unknown }).toJSON === 'function') return;
  for (const k of Object.keys(v)) longArraysMet((v as Record<string, unknown>)[k], depth + 1, uses);
}

/**
 * Pieces joined into texts of about `flushAt` characters for `out`. A long piece (a batch's text, ~1 MB)
 * goes out on its own, after what is waiting: joined to the pieces before it, it would be a rope that
 * the write must first copy into one flat string — 62 MB copied, ~60 ms of the 1M-row run's writes.
 */
class PieceWriter {
  private buf = '';
  constructor(
    private readonly out: (text: string) => void,
    private readonly flushAt: number,
  ) {}
  put(text: string): void {
    if (text.length >= LONG_PIECE) {
      this.flush();
      this.out(text);
      return;
    }
    this.buf += text;
    if (this.buf.length >= this.flushAt) this.flush();
  }
  flush(): void {
    if (this.buf) this.out(this.buf);
    this.buf = '';
  }
}

/** A piece this long is written on its own (PieceWriter). */
const LONG_PIECE = 1 << 16;

/** The value after toJSON and unboxing, as JSON.stringify sees it. */
function prepare(value: unknown, key: string): unknown {
  let v = value;
  if (isBatchedList(v)) return v; // printed a slice at a time (encode), not through its toJSON
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
  const batched = isBatchedList(v);
  if (Array.isArray(v) || batched) {
    if (v.length === 0) {
      w.put('[]');
      return;
    }
    if (depth >= WALK_DEPTH && v.length <= BATCH) {
      w.put(elementsAt([batched ? v.slice() : v], depth).slice(2 * depth));
      return;
    }
    // met once more (counted by longArraysMet, or 0): its text is let go after its last place
    const uses = e.uses.get(v);
    const left = uses === undefined ? 0 : uses - 1;
    if (uses !== undefined) e.uses.set(v, left);
    const kept = e.printed.get(v);
    if (left === 0) e.printed.delete(v);
    if (kept && kept.depth === depth) {
      for (const piece of kept.pieces) w.put(piece);
      return;
    }
    const pieces: string[] | undefined = left > 0 && !kept ? [] : undefined;
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
