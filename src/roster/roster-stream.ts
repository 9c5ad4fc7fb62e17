import { Buffer, isUtf8 } from 'node:buffer';
import { CATEGORIES, Cat, Dev } from '../domain/codes.js';
import { didYouMean, type InputIssue } from '../domain/issues.js';
import type { Roster, RosterProvenance } from '../domain/roster.js';
import type { Country, CountryTable } from './countries.js';
import {
  BYTES_AT,
  C_CATEGORY,
  C_CLASS,
  C_COUNTRY,
  C_DEV,
  C_EMPLOYEES,
  C_EN_E,
  C_EN_H,
  C_EN_S,
  C_FULL_FEE,
  C_GNI,
  C_ID_E,
  C_ID_H,
  C_ID_S,
  C_INDEPENDENT,
  C_LINE,
  C_MEETINGS,
  C_NM_E,
  C_NM_S,
  C_PARENT,
  C_SECTOR,
  C_TURNOVER,
  COUNTRY_AT,
  E_DEV_AT,
  E_FULL_FEE_AT,
  E_GNI_AT,
  E_NUMBER_AT,
  END_AT,
  MAX_ENTRIES,
  ROLES_AT,
  type RowKernel,
  rowKernel,
  TAPE_ROWS,
} from './row-kernel.js';
import { BytesTextColumn, CodeColumn, finishHash } from './text-column.js';
import { completeLength } from './utf8-stream.js';

/** Roster CSV columns (docs/roster-format.md). */
export const REQUIRED_COLUMNS = [
  'id',
  'entity',
  'name',
  'category',
  'sector',
  'country',
  'employees',
  'class_units',
  'independent',
] as const;
export const OPTIONAL_COLUMNS = ['turnover_usd', 'meetings_per_year', 'parent_hq_country'] as const;
const ALL_COLUMNS: readonly string[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

/** Problems kept per roster; the rest are counted (a broken million-row file must not exhaust memory). */
export const MAX_ROSTER_ISSUES = 10_000;

/**
 * Longest record (or comment line) read, in bytes of the file (UTF-8), without its line end: longer,
 * it is reported at the line where it starts and the rest of the file is not read (an unterminated
 * quote near the top of a large file would otherwise hold all of it). Checked when a record or comment
 * line ends, and while an unfinished one grows, so the outcome does not depend on how the file is cut
 * into reads.
 */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** RosterParser's options. */
export interface RosterParserOptions {
  /** The record-length limit in bytes (tests use a small one); MAX_RECORD_BYTES by default. */
  maxRecordBytes?: number;
  /**
   * Whether usual rows may be read by the WebAssembly kernel (row-kernel.ts; true by default): false
   * reads them with fastRow alone, as where WebAssembly is not available (tests compare the two).
   */
  wasm?: boolean;
  /**
   * The roster size in bytes (announced by `expect`, or read so far) from which the kernel reads usual
   * rows: KERNEL_FROM by default; 0 from the first row (tests).
   */
  wasmFrom?: number;
}

/**
 * Rosters smaller than this (~12,000 rows) are read by fastRow alone: assembling, compiling and
 * starting the kernel (~15 ms, once per process) costs more than it saves on them — the bundled roster
 * of 987 rows took ~15 ms longer with it, and 8 MB more memory.
 */
const KERNEL_FROM = 1 << 20;

/**
 * Bytes the row kernel reads at most per window (a copy of the parser's bytes in its memory): a chunk
 * (read-input.ts READ_CHUNK, 1 MiB) and what is left of the one before, mostly; a longer stretch is
 * read a window at a time.
 */
const KERNEL_WINDOW = 256 << 10;

/**
 * Rows a call of the kernel must read to pay for itself (a call, and the row it stops at read again by
 * fastRow, cost about what fastRow takes for 3 usual rows more than the kernel): see kMisses.
 */
const KERNEL_HIT = 4;

/** Rows the kernel read in one call below which they are stored row by row, not a copy per column. */
const KERNEL_FEW = 32;

/** A byte count as a message says it: `67,108,864 bytes (64 MiB)`. */
function bytesText(n: number): string {
  const mib = n / (1024 * 1024);
  return `${n.toLocaleString('en-GB')} bytes${Number.isInteger(mib) ? ` (${mib} MiB)` : ''}`;
}

/** A `# feesim:synthetic seed=N` comment marks a generated roster (roster synth writes it). */
const SYNTHETIC_MARK = /^feesim:synthetic\s+seed=(\d+)/;

const BOOLEAN = new Map<string, boolean>(
  Object.entries({ true: true, false: false, yes: true, no: false, '1': true, '0': false, y: true, n: false }),
);

/** Parses "1/2", "0.5", "2" into units. */
export function parseClassUnits(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(\d+))?\s*$/.exec(text);
  if (!m) return undefined;
  const v = Number(m[1]) / (m[2] === undefined ? 1 : Number(m[2]));
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

/** Plain decimal numbers only: `0x10`, `1_000`, `Infinity` and blanks inside are not numbers in a roster. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A cell as shown in a message: quoted, at most 40 characters. */
export function shown(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function hintFor(word: string, options: readonly string[]): string {
  const h = didYouMean(word, options);
  return h ? ` (did you mean "${h}"?)` : '';
}

/**
 * What a file without a header row holds, as its message says it: `an empty file`, `only blank
 * lines`, `only 2 comment lines` (and blank lines).
 */
export function noHeaderFound(comments: number, blankLines: boolean): string {
  if (comments === 0) return blankLines ? 'only blank lines' : 'an empty file';
  return `only ${comments} comment line${comments > 1 ? 's' : ''}${blankLines ? ' and blank lines' : ''}`;
}

export function syntheticMark(seed: number): string {
  return `feesim:synthetic seed=${seed}`;
}

function provenanceFrom(comments: string[], file: string): RosterProvenance {
  for (const c of comments) {
    const m = SYNTHETIC_MARK.exec(c);
    if (m) return { kind: 'synthetic', seed: Number(m[1]), file, label: `SYNTHETIC roster (seed ${m[1]}), ${file}` };
  }
  return { kind: 'file', file, label: file };
}

// character codes
const LF = 10;
const CR = 13;
const QUOTE = 34;
const COMMA = 44;
const HASH = 35;

// scanner states
const LINE_START = 0;
const COMMENT = 1;
const CELL_START = 2;
const UNQUOTED = 3;
const QUOTED = 4;

/** Growable typed column (capacity doubles). */
class Column<T extends Float64Array | Uint8Array | Uint32Array | Int32Array> {
  a: T;
  constructor(private readonly make: (n: number) => T) {
    this.a = make(0);
    this.a = make(1024); // stored twice: see BytesTextColumn's constructor
  }
  grow(n: number): void {
    this.resize(Math.max(n, this.a.length * 2));
  }
  resize(n: number): void {
    const b = this.make(n);
    b.set(this.a.length > n ? this.a.subarray(0, n) : this.a);
    this.a = b;
  }
  /** The first n values (a view when the slack is small, else a copy of exactly that length). */
  done(n: number): T {
    if (this.a.length === n) return this.a;
    return (this.a.length - n <= n / 16 ? this.a.subarray(0, n) : this.a.slice(0, n)) as T;
  }
}

/**
 * Rows grouped by equal strings, for a million rows without a hash table probed per row (random
 * accesses that miss the cache). First, the rows that may repeat a string: those whose hash falls in
 * a slot of a bit table (its high bits, SLOT_BITS) that another row's hash falls in too —
 * every row whose string another row holds, and a few percent more; any other row's string is its
 * own. Only those rows are then sorted by the low 22 bits of their 32-bit hash (a stable radix sort,
 * two passes of 11 bits over typed arrays, so rows of one hash stay in row order), and only rows of
 * the same hash — every row that can repeat a string, and rare collisions — are compared, by string.
 * A run of rows sharing those bits whose comparisons exceed a small budget (RUN_WORK per row: strings
 * crafted to share one hash) is sorted instead, by hash, string and row (sortRun), so that the work
 * stays O(n log n) comparisons on any input, with the same answer.
 * Returns for each row the first row with the same string (itself when none before it); a row marked
 * in `samePrevious` (its string is the previous row's) gets the previous row's answer, an earlier row
 * with the same string.
 */
export function firstOfSame(hashes: Int32Array, strings: SameStrings, n: number, samePrevious?: Uint8Array): Int32Array {
  const first = new Int32Array(n);
  // every loop below runs over blocks of BLOCK elements through a small function: the function is
  // optimised after its first blocks, where one long loop ran mostly unoptimised on the first two
  // calls of a process (ids, then entities: 2-2.5x the time of an optimised call)
  for (let a = 0; a < n; a += BLOCK) identity(first, a, Math.min(a + BLOCK, n));
  // the bit table (SLOT_BITS): 32 slots a pair of words, a slot's bit in the first word when a row's
  // hash fell in it, in the second when another did (one cache line for both)
  const bits = Math.min(Math.max(Math.ceil(Math.log2(n + 1)) + SLOT_BITS, 10), 26);
  const shift = 32 - bits;
  const table = new Int32Array(1 << (bits - 4));
  // rows that fell in a slot a row before them had: a slot of t rows has t - 1 of them, and t ≤ 2(t - 1)
  let later = 0;
  for (let a = 0; a < n; a += BLOCK) later += markSlots(hashes, samePrevious, table, shift, a, Math.min(a + BLOCK, n));
  let key = new Uint32Array(2 * later);
  let row = new Int32Array(2 * later);
  let m = 0;
  for (let a = 0; a < n; a += BLOCK) m = gather(hashes, samePrevious, table, shift, key, row, a, Math.min(a + BLOCK, n), m);
  key = key.subarray(0, m);
  row = row.subarray(0, m);
  // stable LSD radix sort of (key, row) by the key's low 22 bits, two passes of 11 bits (both
  // histograms counted in one pass): rows of one hash end up together, in row order, with at most a
  // few rows of other hashes that share those bits
  let key2 = new Uint32Array(m);
  let row2 = new Int32Array(m);
  const count = new Int32Array(2 * 2048);
  for (let a = 0; a < m; a += BLOCK) histogram(key, count, a, Math.min(a + BLOCK, m));
  for (let pass = 0; pass < 2; pass++) {
    const base = pass * 2048;
    let sum = 0;
    for (let d = 0; d < 2048; d++) {
      const c = count[base + d]!;
      count[base + d] = sum;
      sum += c;
    }
    for (let a = 0; a < m; a += BLOCK) scatter(key, row, key2, row2, count, base, pass * 11, a, Math.min(a + BLOCK, m));
    [key, key2] = [key2, key];
    [row, row2] = [row2, row];
  }
  // runs of equal low bits, rows in order: each row is compared with the run's earlier rows of the
  // same hash that start a string (first of their own), by string
  for (let a = 0; a < m; ) a = matchRuns(key, row, first, strings, a, Math.min(a + BLOCK, m), m);
  if (samePrevious) for (let i = 1; i < n; i++) if (samePrevious[i]) first[i] = first[i - 1]!;
  return first;
}

/**
 * 1 for each row whose string is the previous row's (firstOfSame's `samePrevious`): the rows of one
 * organisation usually follow each other, and so need not be sorted.
 */
export function sameAsPrevious(hashes: Int32Array, strings: SameStrings, n: number): Uint8Array {
  const marks = new Uint8Array(n);
  for (let a = 1; a < n; a += BLOCK) markSameAsPrevious(hashes, strings, marks, a, Math.min(a + BLOCK, n));
  return marks;
}

function markSameAsPrevious(hashes: Int32Array, strings: SameStrings, marks: Uint8Array, from: number, to: number): void {
  for (let i = from; i < to; i++) if (hashes[i] === hashes[i - 1] && strings.same(i, i - 1)) marks[i] = 1;
}

/** Elements per call of firstOfSame's loop functions. */
const BLOCK = 1 << 14;

/**
 * log2 of firstOfSame's bit-table slots a row (8): about one row in nine falls in a slot with another
 * (and is sorted) although its string is its own.
 */
const SLOT_BITS = 3;

/**
 * The slots of the rows from..to not marked (firstOfSame's table): one bit when a row fell in the
 * slot, the other when a second one did. Returns the number of rows that fell in a slot taken before.
 */
function markSlots(hashes: Int32Array, marks: Uint8Array | undefined, table: Int32Array, shift: number, from: number, to: number): number {
  let later = 0;
  for (let i = from; i < to; i++) {
    if (marks?.[i]) continue;
    const slot = hashes[i]! >>> shift;
    const w = (slot >>> 5) << 1;
    const bit = 1 << (slot & 31);
    const taken = table[w]! & bit;
    table[w + 1]! |= taken;
    table[w]! |= bit;
    if (taken !== 0) later++;
  }
  return later;
}

/** The rows from..to not marked whose slot another row shares, with their hashes, appended at m; returns the new m. */
function gather(
  hashes: Int32Array,
  marks: Uint8Array | undefined,
  table: Int32Array,
  shift: number,
  key: Uint32Array,
  row: Int32Array,
  from: number,
  to: number,
  m: number,
): number {
  for (let i = from; i < to; i++) {
    if (marks?.[i]) continue;
    const h = hashes[i]!;
    const slot = h >>> shift;
    if ((table[((slot >>> 5) << 1) + 1]! & (1 << (slot & 31))) === 0) continue;
    key[m] = h;
    row[m++] = i;
  }
  return m;
}

function histogram(key: Uint32Array, count: Int32Array, from: number, to: number): void {
  for (let j = from; j < to; j++) {
    const k = key[j]!;
    count[k & 2047]!++;
    count[2048 + ((k >>> 11) & 2047)]!++;
  }
}

function scatter(
  key: Uint32Array,
  row: Int32Array,
  key2: Uint32Array,
  row2: Int32Array,
  count: Int32Array,
  base: number,
  shift: number,
  from: number,
  to: number,
): void {
  for (let j = from; j < to; j++) {
    const k = key[j]!;
    const at = count[base + ((k >>> shift) & 2047)]!++;
    key2[at] = k;
    row2[at] = row[j]!;
  }
}

function identity(first: Int32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) first[i] = i;
}

/**
 * The strings firstOfSame groups (a text column): whether rows i and j hold the same string, and their
 * order (negative, 0 or positive; 0 exactly when `same`): any total order consistent with `same`.
 */
export interface SameStrings {
  same(i: number, j: number): boolean;
  compare(i: number, j: number): number;
}

/**
 * Comparisons (loop steps) a run of rows sharing the low bits may take per row, plus RUN_SLACK, before
 * it is sorted instead (sortRun). An ordinary run — a string and its repeats, a rare collision — stays
 * far below: each row finds its string among the first rows it is compared with.
 */
const RUN_WORK = 8;
const RUN_SLACK = 64;

/** The runs of equal low 22 bits that start in [from, to) (each read to its end, up to m); returns where the next run starts. */
function matchRuns(
  key: Uint32Array,
  row: Int32Array,
  first: Int32Array,
  strings: SameStrings,
  from: number,
  to: number,
  m: number,
): number {
  const LOW = 0x3fffff;
  let a = from;
  while (a < to) {
    const low = key[a]! & LOW;
    let b = a + 1;
    while (b < m && (key[b]! & LOW) === low) b++;
    if (b - a > 1 && !matchRun(key, row, first, strings, a, b)) sortRun(key, row, first, strings, a, b);
    a = b;
  }
  return a;
}

/**
 * The run [a, b): each row compared with the run's earlier rows of the same hash that start a string
 * (first of their own), by string. Returns false, the run's rows left as they were, when that would
 * take more than RUN_WORK steps per row (plus RUN_SLACK): many strings sharing one hash.
 */
function matchRun(key: Uint32Array, row: Int32Array, first: Int32Array, strings: SameStrings, a: number, b: number): boolean {
  let budget = RUN_WORK * (b - a) + RUN_SLACK;
  for (let j = a + 1; j < b; j++) {
    const i = row[j]!;
    const h = key[j]!;
    for (let q = a; q < j; q++) {
      if (--budget < 0) {
        for (let k = a; k < j; k++) first[row[k]!] = row[k]!;
        return false;
      }
      const r = row[q]!;
      if (key[q] === h && first[r] === r && strings.same(r, i)) {
        first[i] = r;
        break;
      }
    }
  }
  return true;
}

/**
 * The run [a, b) sorted by hash, then string, then row (a comparison sort: O(r log r) comparisons for
 * r rows on any input, and the same order every time); the rows of one string are then adjacent, the
 * first of them the earliest row — matchRun's answer.
 */
function sortRun(key: Uint32Array, row: Int32Array, first: Int32Array, strings: SameStrings, a: number, b: number): void {
  const order: number[] = [];
  for (let q = a; q < b; q++) order.push(q);
  order.sort((x, y) => {
    const kx = key[x]!;
    const ky = key[y]!;
    if (kx !== ky) return kx < ky ? -1 : 1;
    return strings.compare(row[x]!, row[y]!) || row[x]! - row[y]!;
  });
  let g = order[0]!;
  for (let k = 1; k < order.length; k++) {
    const p = order[k]!;
    if (key[p] === key[g] && strings.same(row[g]!, row[p]!)) first[row[p]!] = row[g]!;
    else g = p;
  }
}

/**
 * A country as the parser uses it: the code, its number in the country columns (CodeColumn), its row
 * of the country table, and what a row stores of it (0, NaN and 0 without a row).
 */
interface CountryEntry {
  code: string;
  number: number;
  row: Country | undefined;
  dev: number;
  gni: number;
  /** 1 for a parent headquarters in a developed country: the full fee (Roster.fullFee). */
  fullFee: number;
}

// what a column holds, for the one-pass reading of a usual row (RosterParser.fastRow); the three text
// columns first (fastRow tells them by role <= R_NAME). row-kernel.ts spells the same numbers (the
// parser hands it its roles): test/roster-kernel.test.ts compares the two readers on every role
const R_ID = 1;
const R_ENTITY = 2;
const R_NAME = 3;
const R_CATEGORY = 4;
const R_SECTOR = 5;
const R_COUNTRY = 6;
const R_EMPLOYEES = 7;
const R_TURNOVER = 8;
const R_CLASS = 9;
const R_INDEPENDENT = 10;
const R_MEETINGS = 11;
const R_PARENT = 12;

/** fastRow's answers besides the next position: read the record the long way; the record is not complete yet. */
const SLOW = -1;
const MORE = -2;

/** The categories' spellings as bytes (ASCII). */
const CATEGORY_BYTES = CATEGORIES.map((c) => Uint8Array.from(Buffer.from(c, 'latin1')));

const EMPTY = Buffer.alloc(0);

/** Parsers made so far in this process (RosterParser.serial). */
let parsers = 0;

/** Number of LF bytes in b[from, to). */
function countLf(b: Uint8Array, from: number, to: number): number {
  let k = 0;
  for (let i = from; i < to; i++) if (b[i] === LF) k++;
  return k;
}

/** Whether b[from, to) holds a byte ≥ 0x80. */
function hasHigh(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i]! >= 0x80) return true;
  return false;
}

// Category numbers as constants for fastRow (see there): a property of Cat read on a path not taken
// before fastRow was optimised (the first exempt row) threw the optimised code away.
const SECTOR_MEMBER: number = Cat.SectorMember;
const ASSOCIATE: number = Cat.Associate;
const ACADEMIA: number = Cat.Academia;
const SME_PILOT: number = Cat.SmePilot;
const EXEMPT: number = Cat.Exempt;
/** 1 for the categories whose rows need a headcount (SME eligibility). */
const NEEDS_SIZE = Uint8Array.from(CATEGORIES, (_, c) => (c === Cat.SectorMember || c === Cat.Associate || c === Cat.SmePilot ? 1 : 0));

// What fastRow's cell readers found besides their result: module variables, not an object per cell;
// small integers only (a number such as a turnover stored here was a new heap number per row).
/** The OR of a text cell's bytes (≥ 0x80: not ASCII). */
let cellHigh = 0;
/** hashBytes of a hashed text cell. */
let cellHash = 0;
/** Where a number cell ends (digitsValue), or MORE. */
let cellEnd = 0;

/** Where the text cell starting at j ends (at a comma, quote, CR or LF), or MORE; the OR of its bytes in cellHigh. */
function textEnd(b: Uint8Array, j: number, n: number): number {
  let high = 0;
  for (; j < n; j++) {
    const c = b[j]!;
    if (c <= COMMA && (c === COMMA || c === LF || c === CR || c === QUOTE)) break;
    high |= c;
  }
  cellHigh = high;
  return j < n ? j : MORE;
}

/** textEnd, with the cell's hashBytes in cellHash. */
function hashedTextEnd(b: Uint8Array, j: number, n: number): number {
  let high = 0;
  // FNV-1a as hashBytes, its numbers written out: an imported constant was read from memory, as a
  // double, for every byte
  let h = 0x811c9dc5 | 0;
  for (; j < n; j++) {
    const c = b[j]!;
    if (c <= COMMA && (c === COMMA || c === LF || c === CR || c === QUOTE)) break;
    h = Math.imul(h ^ c, 0x01000193);
    high |= c;
  }
  cellHigh = high;
  cellHash = finishHash(h);
  return j < n ? j : MORE;
}

/** The value of the digits starting at j (NaN for none); where they end in cellEnd, or MORE. */
function digitsValue(b: Uint8Array, j: number, n: number): number {
  const s = j;
  let v = 0;
  for (; j < n; j++) {
    const d = b[j]! - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
  }
  cellEnd = j < n ? j : MORE;
  return j > s ? v : NaN;
}

/** Class units of bytes [s, e) spelled `N` or `N/M` in digits: the value, or 0 to read it the long way. */
function classOf(t: Uint8Array, s: number, e: number): number {
  if (e === s || e - s > 12) return 0;
  let a = 0;
  let j = s;
  for (; j < e; j++) {
    const d = t[j]! - 48;
    if (d < 0 || d > 9) break;
    a = a * 10 + d;
  }
  if (j === s) return 0;
  if (j === e) return a > 0 ? a : 0;
  if (t[j] !== 47) return 0; // '/'
  let b = 0;
  const from = ++j;
  for (; j < e; j++) {
    const d = t[j]! - 48;
    if (d < 0 || d > 9) return 0;
    b = b * 10 + d;
  }
  if (j === from) return 0;
  const v = a / b;
  return Number.isFinite(v) && v > 0 ? v : 0;
}

/**
 * The roster reader: an incremental RFC 4180 scanner fed the file's bytes in chunks of any size (a
 * chunk may end inside a character, a quoted field, between CR and LF, or anywhere else), validating
 * each record as it ends and storing it straight into growable typed-array columns — no object or
 * array per row, no string per row, the file never decoded as a whole. Every problem is collected
 * with its file, line and column (at most MAX_ROSTER_ISSUES kept, the rest counted), in the same
 * order and with the same messages as a whole-text parse of the decoded file. Pure: the caller reads
 * the file (src/cli/read-input.ts streamInputFile) and checks that it is valid UTF-8.
 *
 * The bytes are kept in buffers (`segs`; one buffer the size of the file when the size is announced
 * with expect()), which the text columns read their values from. A usual row — one line, no quote,
 * every value spelled the usual way — is read in one pass over its bytes (fastRow): numbers from the
 * digits, categories, Sectors, country codes and `true`/`false` from the bytes, id and entity hashed
 * on the way. Any other record (quotes, blanks to trim, a problem to report, a first or last
 * character that is not printable ASCII, bytes that are not valid UTF-8) is split into cells and
 * checked the long way (readRow), which decodes only the cells it needs. Delimiters are ASCII and a
 * UTF-8 sequence never holds an ASCII byte, so a cell's bytes decode to exactly the cell of the
 * decoded file.
 *
 * CSV rules (unchanged from the whole-text reader it replaced): a UTF-8 BOM is skipped; CRLF or LF
 * line ends; fields quoted with `"` (at the start of a field) may hold commas, quotes (`""`) and
 * newlines; lines starting with `#` and blank lines are not records (`#` lines are comments, where a
 * `# feesim:synthetic seed=N` mark is read); a lone CR is data.
 *
 * @example
 * const p = new RosterParser('r.csv', countries);
 * p.pushBytes(bytes.subarray(0, 10)); p.pushBytes(bytes.subarray(10));
 * const { roster, issues } = p.end();
 */
export class RosterParser {
  private readonly issues: InputIssue[] = [];
  private more = 0;
  private csvError: InputIssue | undefined;
  /** A problem that ends the roster at once: the only one reported (an empty file, not a roster). */
  private fatal: InputIssue | undefined;
  private readonly comments: string[] = [];
  /**
   * Lines after the header read as comments (they start with `#`) although they hold a row's fields:
   * most likely a membership whose id starts with `#`, which would vanish from every figure — warned.
   */
  private readonly rowLikeComments: number[] = [];
  /** Whether a blank line was read (a file of blank and comment lines only says so). */
  private blankLines = false;

  // the bytes: `buf` (and `bytes`, the same memory as a plain Uint8Array) holds `len` bytes; it is
  // segment `seg` of `segs`, which the text columns read from
  private buf: Buffer = EMPTY;
  private bytes: Uint8Array = EMPTY;
  private len = 0;
  private seg = -1;
  private readonly segs: Buffer[] = [];
  /**
   * Where readTarget has the bytes read once the parser stopped (they are only counted): one ordinary
   * buffer, reused — a new one per chunk would hold the rest of a file that may be hundreds of MB.
   */
  private spare: Uint8Array = EMPTY;
  /** push(text): a high surrogate that ended the previous piece, waiting for its low surrogate. */
  private highSurrogate = '';
  /**
   * The bytes of `bytes` before this are valid UTF-8 and end on a character boundary (checked as they
   * come, checkUtf8): a cell of a row that ends before it is valid UTF-8 (cut at ASCII delimiters). It
   * stops for good at the first chunk with an invalid sequence.
   */
  private utf8Valid = 0;
  private utf8Invalid = false;

  // scanner
  private pos = 0;
  private state = LINE_START;
  /** Start of the unit being scanned (record or comment line): bytes before it are no longer needed. */
  private unitStart = 0;
  private line = 1;
  private recordLine = 1;
  private cellStart = 0;
  private quoteEnd = -1;
  private escaped = false;
  private first = true;
  private stopped = false;
  /** Records fastRow handed to the long way (longWayRows). */
  private longWay = 0;
  /** Expected input size (expect()), bytes given so far, and whether the columns were sized. */
  private expected = 0;
  private consumed = 0;
  private reserved = false;
  private tooLong = false;
  // cells of the record being scanned: start, end, closing quote (-1 when unquoted), "" inside
  private cs = new Int32Array(32);
  private ce = new Int32Array(32);
  private cq = new Int32Array(32);
  private cx = new Uint8Array(32);
  private ncells = 0;

  // header
  private header = false;
  private ncols = 0;
  private skipRows = false;
  /** What each column holds (R_…), when every column is known and appears once: rows may be read by fastRow. */
  private roles: Uint8Array | undefined;
  private iId = -1;
  private iEntity = -1;
  private iName = -1;
  private iCategory = -1;
  private iSector = -1;
  private iCountry = -1;
  private iEmployees = -1;
  private iTurnover = -1;
  private iClass = -1;
  private iIndependent = -1;
  private iMeetings = -1;
  private iParent = -1;
  private headerLine = 0;

  // columns
  private n = 0;
  private rows = 0;
  private readonly countryCache = new Map<string, CountryEntry>();
  private noCountry: CountryEntry | undefined;
  private readonly countryByCode: (CountryEntry | undefined)[] = new Array(26 * 26 * 26).fill(undefined);
  private readonly id = new BytesTextColumn(this.segs);
  private readonly entity = new BytesTextColumn(this.segs);
  private readonly name = new BytesTextColumn(this.segs);
  /** Country and parent-headquarters codes, numbered in one list (CountryEntry.number). */
  private readonly country = new CodeColumn();
  private readonly parentHq = new CodeColumn();
  private readonly category = new Column((n) => new Uint8Array(n));
  private readonly sector = new Column((n) => new Uint8Array(n));
  private readonly dev = new Column((n) => new Uint8Array(n));
  private readonly gni = new Column((n) => new Float64Array(n));
  private readonly fullFee = new Column((n) => new Uint8Array(n));
  private readonly employees = new Column((n) => new Float64Array(n));
  private readonly turnover = new Column((n) => new Float64Array(n));
  private readonly classUnits = new Column((n) => new Float64Array(n));
  private readonly independent = new Column((n) => new Uint8Array(n));
  private readonly meetings = new Column((n) => new Float64Array(n));
  private readonly lines = new Column((n) => new Uint32Array(n));
  /** hashBytes of each row's id and entity; duplicates and entity numbers are found at the end (firstOfSame). */
  private readonly idHash = new Column((n) => new Int32Array(n));
  private readonly entityHash = new Column((n) => new Int32Array(n));

  /** The record-length limit in bytes (MAX_RECORD_BYTES unless a test sets another). */
  private readonly maxRecord: number;

  // the row kernel (wasmRows): null when not used (WebAssembly not available, or the option)
  private kernel: RowKernel | null | undefined;
  /** The roster size from which the kernel reads (RosterParserOptions.wasmFrom). */
  private readonly kernelFrom: number;
  /** This parser's number, as the kernel remembers whose tables it holds (RowKernel.owner). */
  private readonly serial = ++parsers;
  /** The window of `kBytes` copied into the kernel's memory: bytes [kBase, kEnd). */
  private kBytes: Uint8Array = EMPTY;
  private kBase = 0;
  private kEnd = 0;
  /** Where the kernel last stopped (a record it cannot read): fastRow reads it, not the kernel again. */
  private kStop = -1;
  /** The country entries the kernel's country table numbers, and the codes (26³ keys) not yet in it. */
  private readonly kEntries: CountryEntry[] = [];
  private readonly kPending: number[] = [];
  /** Rows the kernel read (kernelRows). */
  private kRows = 0;
  /**
   * Calls in a row in which the kernel read fewer than KERNEL_HIT rows, and the records to leave to
   * fastRow before the next call: a file of rows the kernel cannot read (every name quoted, say), or
   * reads a few at a time, would otherwise pay a call (and the read of the row it stops at, which
   * fastRow reads again) per row or few (15 % more CPU on 1,000,000 quoted rows). Which path reads a
   * row changes nothing of the result.
   */
  private kMisses = 0;
  private kSkip = 0;

  constructor(
    private readonly file: string,
    private readonly countries: CountryTable,
    options: RosterParserOptions = {},
  ) {
    this.maxRecord = options.maxRecordBytes ?? MAX_RECORD_BYTES;
    if (options.wasm === false) this.kernel = null;
    this.kernelFrom = options.wasmFrom ?? KERNEL_FROM;
  }

  /**
   * Records the one-pass reading (fastRow) handed to the long way, once every column was known: the
   * first row of each country, rows to report or to trim, quoted ones (tests: what stays on the fast path).
   */
  get longWayRows(): number {
    return this.longWay;
  }

  /** Rows read by the WebAssembly kernel (tests: that it reads the usual rows, and stops where it must). */
  get kernelRows(): number {
    return this.kRows;
  }

  /** Number of LF characters read so far (the line of the next character is this + 1). */
  get newlines(): number {
    return this.line - 1;
  }

  /** Bytes held for the unit not yet complete: a reader may read at least this much next. */
  get pending(): number {
    return this.len - this.unitStart;
  }

  /** False once the rest of the input cannot change the result (not a roster; a record too long). */
  get wants(): boolean {
    return !this.stopped;
  }

  /**
   * The size of the whole input in bytes, when known: the bytes are read into one buffer of that size,
   * and after the first rows the columns and tables are sized for the rows expected, instead of
   * doubling their way there.
   */
  expect(size: number): void {
    this.expected = size;
  }

  private reserve(): void {
    this.reserved = true;
    const read = this.consumed - this.pending;
    if (read <= 0) return;
    const rows = Math.ceil(((this.expected * this.n) / read) * 1.02) + 64;
    if (rows <= this.category.a.length) return;
    for (const c of this.columns()) c.resize(rows);
    for (const c of [this.id, this.entity, this.name]) c.reserve(rows);
    this.country.reserve(rows);
    this.parentHq.reserve(rows);
  }

  private columns() {
    return [
      this.category,
      this.sector,
      this.dev,
      this.gni,
      this.fullFee,
      this.employees,
      this.turnover,
      this.classUnits,
      this.independent,
      this.meetings,
      this.lines,
      this.idHash,
      this.entityHash,
    ];
  }

  /**
   * Reads the next piece of the text (tests, parseRoster): its UTF-8 bytes. A piece may end between
   * the two halves of a surrogate pair: the first half waits for the next piece.
   */
  push(chunk: string): void {
    if (this.highSurrogate) {
      chunk = this.highSurrogate + chunk;
      this.highSurrogate = '';
    }
    const last = chunk.charCodeAt(chunk.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.highSurrogate = chunk.slice(-1);
      chunk = chunk.slice(0, -1);
    }
    if (chunk !== '') this.pushBytes(Buffer.from(chunk, 'utf8'));
  }

  /** Reads the next piece of the file's bytes (copied: the caller may reuse `chunk`). */
  pushBytes(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.stopped) {
      this.consumed += chunk.length;
      this.line += countLf(chunk, 0, chunk.length); // only counted: a reader asks for the line of what it reads
      return;
    }
    this.readTarget(chunk.length).set(chunk);
    this.pushedInPlace(chunk.length);
  }

  /**
   * Where the next `want` bytes of the input may be read straight into (read-input.ts readChunks, which
   * then calls pushedInPlace): the parser's own buffer past the bytes it holds, with room made as for a
   * chunk given to pushBytes, so a file's bytes are not copied chunk by chunk. The memory is shared
   * (SharedArrayBuffer) so that another thread can hash the very bytes read, and never written again
   * once read (a new buffer is taken when one is full). Once the parser has stopped, the same ordinary
   * buffer every time (the rest is only counted): a reader hashing elsewhere must copy those bytes.
   */
  readTarget(want: number): Uint8Array {
    if (this.stopped) {
      if (this.spare.length < want) this.spare = new Uint8Array(want);
      return this.spare.subarray(0, want);
    }
    this.room(want);
    return this.bytes.subarray(this.len, this.len + want);
  }

  /**
   * Where the `want` bytes that follow the next `ahead` bytes (read where readTarget said, not pushed
   * yet) may be read before those are pushed: the buffer past them, when it has room for them already
   * (the file's size was announced); undefined otherwise. readTarget then names the same memory once
   * the `ahead` bytes are pushed, unless the parser has stopped. A reader reads the next chunk there
   * while the parser reads this one (read-input.ts readChunks).
   */
  readTargetAhead(ahead: number, want: number): Uint8Array | undefined {
    if (this.stopped) return undefined;
    const at = this.len + ahead;
    return at + want <= this.buf.length ? this.bytes.subarray(at, at + want) : undefined;
  }

  /** Reads the `n` bytes put where readTarget said. */
  pushedInPlace(n: number): void {
    if (n === 0) return;
    this.consumed += n;
    if (this.stopped) {
      this.line += countLf(this.spare, 0, n);
      return;
    }
    this.len += n;
    this.checkUtf8();
    this.scan(false);
    if (!this.reserved && this.expected > 0 && this.n >= 256) this.reserve();
    // an unfinished record or comment line already over the limit (its last byte may be the CR of its
    // line end, not counted) is reported now, without waiting for its end (an unterminated quote)
    if (!this.stopped && this.len - this.unitStart - (this.bytes[this.len - 1] === CR ? 1 : 0) > this.maxRecord)
      this.tooLongUnit(this.state === COMMENT);
    if (this.stopped) {
      this.line += countLf(this.bytes, this.pos, this.len);
      this.pos = this.len;
    }
  }

  /**
   * The record (or comment line) being read is longer than the limit: reported at the line where it
   * starts (the only problem when it is the header), and the rest of the file is not read.
   */
  private tooLongUnit(comment: boolean): void {
    const line = comment ? this.line : this.recordLine;
    const issue: InputIssue = {
      file: this.file,
      line,
      col: 1,
      path: comment ? `line ${line}` : this.header ? `row ${line}` : 'header',
      // a record that long is most likely a quote left open; a comment line has no quotes
      message: `expected a line or record of at most ${bytesText(this.maxRecord)} of UTF-8 (without its line end), found a longer one${comment ? '' : ' (an unterminated quoted field?)'}; the rest of the file was not read`,
    };
    if (this.header) this.add(issue);
    else this.fatal = issue;
    this.stopped = true;
    this.tooLong = true;
  }

  /** Room for `want` more bytes after the bytes held: a new buffer (a new segment) when they do not fit. */
  private room(want: number): void {
    if (this.len + want <= this.buf.length) return;
    // a new buffer holding the unit not yet complete and room for the bytes to come: the file's size
    // (as announced) when it is still to come, else twice what it will hold
    const keep = this.unitStart;
    const held = this.len - keep + want;
    const cap = Math.max(held + Math.max(this.expected - this.consumed - want, 0), 2 * held, 1 << 16);
    // shared (readTarget), and zeroed: the same bytes past the end on every run
    const b = Buffer.from(new SharedArrayBuffer(cap));
    const bytes = new Uint8Array(b.buffer, b.byteOffset, b.length);
    bytes.set(this.bytes.subarray(keep, this.len), 0);
    if (keep > 0) this.shift(keep);
    this.buf = b;
    this.bytes = bytes;
    this.len -= keep;
    this.segs.push(b);
    this.seg = this.segs.length - 1;
  }

  /**
   * Moves utf8Valid over the bytes read since, up to their last character boundary, when they are
   * valid UTF-8 (one native check a chunk; fastRow needs no check of its own for a row of accented
   * names).
   */
  private checkUtf8(): void {
    if (this.utf8Invalid) return;
    const fresh = this.bytes.subarray(this.utf8Valid, this.len);
    const whole = completeLength(fresh);
    if (isUtf8(fresh.subarray(0, whole))) this.utf8Valid += whole;
    else this.utf8Invalid = true;
  }

  /** Ends the input: the roster, or every problem found. */
  end(): { roster?: Roster; issues: InputIssue[]; warnings: InputIssue[] } {
    const r = this.finish();
    return { ...r, warnings: this.warnings() };
  }

  private finish(): { roster?: Roster; issues: InputIssue[] } {
    if (this.highSurrogate) {
      const h = this.highSurrogate;
      this.highSurrogate = '';
      this.pushBytes(Buffer.from(h, 'utf8'));
    }
    if (!this.stopped) this.scan(true);
    if (this.fatal) return { issues: [this.fatal] };
    if (!this.header)
      return {
        issues: [
          {
            file: this.file,
            line: 1,
            col: 1,
            path: 'header',
            message: `expected a header row with columns ${REQUIRED_COLUMNS.join(', ')}, found ${noHeaderFound(this.comments.length, this.blankLines)}`,
          },
        ],
      };
    const { issues, file } = this;
    const n = this.n;
    this.duplicateIds();
    if (this.csvError) {
      // the reader reports structural problems first
      if (issues.length >= MAX_ROSTER_ISSUES) {
        issues.pop();
        this.more++;
      }
      issues.unshift(this.csvError);
    }
    if (this.skipRows) return { issues };
    if (this.rows === 0 && !this.tooLong)
      this.add({ file, line: this.headerLine, col: 1, path: 'rows', message: 'expected at least one membership row, found none' });
    if (this.more)
      issues.push({
        file,
        path: 'rows',
        message: `… and ${this.more.toLocaleString('en-GB')} more problems in this file (the first ${MAX_ROSTER_ISSUES.toLocaleString('en-GB')} are listed)`,
      });
    if (issues.length) return { issues };
    // entities numbered in order of first appearance
    const firstEntity = firstOfSame(this.entityHash.a, this.entity, n, sameAsPrevious(this.entityHash.a, this.entity, n));
    const entityIndex = new Int32Array(n);
    let entityCount = 0;
    for (let i = 0; i < n; i++) entityIndex[i] = firstEntity[i] === i ? entityCount++ : entityIndex[firstEntity[i]!]!;
    const roster: Roster = {
      provenance: provenanceFrom(this.comments, file),
      size: n,
      id: this.id,
      entity: this.entity,
      entityIndex,
      entityCount,
      name: this.name,
      country: this.country,
      category: this.category.done(n),
      sector: this.sector.done(n),
      dev: this.dev.done(n),
      gniPerCapitaUsd: this.gni.done(n),
      parentHq: this.parentHq,
      fullFee: this.fullFee.done(n),
      employees: this.employees.done(n),
      turnoverUsd: this.turnover.done(n),
      classUnits: this.classUnits.done(n),
      independent: this.independent.done(n),
      meetingsPerYear: this.meetings.done(n),
      line: this.lines.done(n),
    };
    return { roster, issues };
  }

  /**
   * Duplicate ids, each reported as a problem of its row (before the row's other problems, where a
   * row-by-row check puts it): merged into the problems kept, which are in line order, and the cap
   * applied again — the same list as checking each row against the ids before it.
   */
  private duplicateIds(): void {
    const n = this.n;
    if (n < 2) return;
    const first = firstOfSame(this.idHash.a, this.id, n);
    const dups: InputIssue[] = [];
    const line = this.lines.a;
    const col = this.iId + 1;
    for (let i = 0; i < n; i++) {
      const f = first[i]!;
      if (f === i || this.id.isEmpty(i)) continue;
      const l = line[i]!;
      dups.push({
        file: this.file,
        line: l,
        col,
        path: `row ${l}, column id`,
        message: `duplicate id "${this.id.at(i)}" (first on line ${line[f]})`,
      });
    }
    if (!dups.length) return;
    const kept = this.issues;
    const merged: InputIssue[] = [];
    let a = 0;
    for (const d of dups) {
      while (a < kept.length && (kept[a]!.line ?? 0) < d.line!) merged.push(kept[a++]!);
      merged.push(d);
    }
    while (a < kept.length) merged.push(kept[a++]!);
    const over = merged.length - MAX_ROSTER_ISSUES;
    if (over > 0) {
      merged.length = MAX_ROSTER_ISSUES;
      this.more += over;
    }
    kept.length = 0;
    for (const i of merged) kept.push(i);
  }

  private add(i: InputIssue): void {
    if (this.issues.length < MAX_ROSTER_ISSUES) this.issues.push(i);
    else this.more++;
  }

  /** The bytes before `by` are dropped: move every offset held. */
  private shift(by: number): void {
    // the bytes kept start a record or comment line: a character boundary
    this.utf8Valid = Math.max(this.utf8Valid - by, 0);
    this.pos -= by;
    this.unitStart -= by;
    this.cellStart -= by;
    if (this.quoteEnd >= 0) this.quoteEnd -= by;
    for (let k = 0; k < this.ncells; k++) {
      this.cs[k]! -= by;
      this.ce[k]! -= by;
      if (this.cq[k]! >= 0) this.cq[k]! -= by;
    }
  }

  private pushCell(end: number): void {
    const k = this.ncells;
    if (k === this.cs.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T, b: T) => {
        b.set(a);
        return b;
      };
      this.cs = grow(this.cs, new Int32Array(k * 2));
      this.ce = grow(this.ce, new Int32Array(k * 2));
      this.cq = grow(this.cq, new Int32Array(k * 2));
      this.cx = grow(this.cx, new Uint8Array(k * 2));
    }
    this.cs[k] = this.cellStart;
    this.ce[k] = end;
    this.cq[k] = this.quoteEnd;
    this.cx[k] = this.escaped ? 1 : 0;
    this.ncells = k + 1;
  }

  /** The text of bytes [s, e) (cut at ASCII bytes or at the end of the input). */
  private decode(s: number, e: number): string {
    return this.buf.toString('utf8', s, e);
  }

  /** The value of cell k of the current record, untrimmed. */
  private cell(k: number): string {
    const s = this.cs[k]!;
    const e = this.ce[k]!;
    const q = this.cq[k]!;
    if (q < 0) return this.decode(s, e);
    let inner = this.decode(s + 1, q);
    if (this.cx[k]) inner = inner.replaceAll('""', '"');
    return q + 1 < e ? inner + this.decode(q + 1, e) : inner;
  }

  /** A cell trimmed as every roster value is; '' for a column the file does not have. */
  private get(k: number): string {
    return k < 0 ? '' : this.cell(k).trim();
  }

  /**
   * Scans from `pos`; stops at the end of the bytes, or (not final) where the next byte is needed
   * to decide (a CR, a quote inside a quoted field) or where a record is not complete yet. Every
   * complete record is handled as it ends.
   */
  private scan(final: boolean): void {
    const t = this.bytes;
    const n = this.len;
    let i = this.pos;
    let state = this.state;
    if (this.first) {
      if (n - i < 3 && !final) return; // three bytes tell whether the file starts with a BOM
      this.first = false;
      if (n - i >= 3 && t[i] === 0xef && t[i + 1] === 0xbb && t[i + 2] === 0xbf) {
        i += 3;
        this.unitStart = i;
      }
    }
    while (!this.stopped) {
      if (state === LINE_START) {
        if (i >= n) break;
        const c = t[i]!;
        if (c === HASH) {
          this.unitStart = i;
          state = COMMENT;
          continue;
        }
        if (c === LF) {
          i++;
          this.line++;
          this.unitStart = i;
          this.blankLines = true;
          continue;
        }
        if (c === CR) {
          if (i + 1 >= n && !final) {
            this.unitStart = i;
            break;
          }
          if (i + 1 < n && t[i + 1] === LF) {
            i += 2;
            this.line++;
            this.unitStart = i;
            this.blankLines = true;
            continue;
          }
        }
        // a record starts
        this.unitStart = i;
        this.recordLine = this.line;
        if (this.roles !== undefined) {
          // usual rows, read by the kernel as many as it can; then one by fastRow
          if (this.kernel !== null && i !== this.kStop) {
            if (this.kSkip > 0) this.kSkip--;
            else {
              const after = this.wasmRows(t, i, n);
              if (after >= 0) {
                i = after;
                continue;
              }
            }
          }
          // a usual row, read in one pass
          const next = this.fastRow(t, i, n);
          if (next >= 0) {
            i = next;
            continue;
          }
          if (next === MORE && !final) break; // the record is not complete yet
          this.longWay++;
        }
        this.ncells = 0;
        this.cellStart = i;
        this.quoteEnd = -1;
        this.escaped = false;
        // a record of one line without quotes: its cells found by looking for commas
        let j = i;
        while (j < n) {
          const c2 = t[j]!;
          if (c2 === LF || c2 === QUOTE) break;
          j++;
        }
        if (j < n && t[j] === LF) {
          const nl = j;
          const end = nl > i && t[nl - 1] === CR ? nl - 1 : nl;
          let from = i;
          for (let k = i; k < end; k++) {
            if (t[k] !== COMMA) continue;
            this.cellStart = from;
            this.pushCell(k);
            from = k + 1;
          }
          this.cellStart = from;
          i = this.closeRecord(end, nl + 1, true);
          continue;
        }
        if (j >= n && !final) break; // the record is not complete yet
        state = CELL_START;
        continue;
      }
      if (state === COMMENT) {
        let nl = Math.max(i, this.unitStart + 1);
        while (nl < n && t[nl] !== LF) nl++;
        if (nl >= n) {
          if (!final) {
            i = n;
            break;
          }
          if (n - this.unitStart > this.maxRecord) {
            this.tooLongUnit(true);
            break;
          }
          this.comment(this.unitStart + 1, n);
          i = n;
          state = LINE_START;
          this.unitStart = n;
          continue;
        }
        if ((nl > this.unitStart && t[nl - 1] === CR ? nl - 1 : nl) - this.unitStart > this.maxRecord) {
          this.tooLongUnit(true);
          break;
        }
        this.comment(this.unitStart + 1, nl);
        i = nl + 1;
        this.line++;
        this.unitStart = i;
        state = LINE_START;
        continue;
      }
      if (state === CELL_START) {
        if (i >= n) {
          if (!final) break;
          this.closeRecord(i, i, false);
          state = LINE_START;
          continue;
        }
        if (t[i] === QUOTE) {
          i++;
          state = QUOTED;
          continue;
        }
        state = UNQUOTED;
        continue;
      }
      if (state === UNQUOTED) {
        let ended = false;
        while (i < n) {
          const c = t[i]!;
          if (c > COMMA) {
            i++;
            continue;
          }
          if (c === COMMA) {
            this.pushCell(i);
            i++;
            this.cellStart = i;
            this.quoteEnd = -1;
            this.escaped = false;
            state = CELL_START;
            ended = true;
            break;
          }
          if (c === LF || (c === CR && i + 1 < n && t[i + 1] === LF)) {
            i = this.closeRecord(i, c === LF ? i + 1 : i + 2, true);
            state = LINE_START;
            ended = true;
            break;
          }
          if (c === CR && i + 1 >= n && !final) break; // CRLF or a lone CR (data): the next byte decides
          i++;
        }
        if (ended) continue;
        if (i >= n && final) {
          this.closeRecord(i, i, false);
          state = LINE_START;
          continue;
        }
        break;
      }
      if (state === QUOTED) {
        let closed = false;
        while (i < n) {
          const c = t[i]!;
          if (c === QUOTE) {
            if (i + 1 >= n && !final) break; // "" or the closing quote: decided by the next byte
            if (i + 1 < n && t[i + 1] === QUOTE) {
              this.escaped = true;
              i += 2;
              continue;
            }
            this.quoteEnd = i;
            i++;
            closed = true;
            break;
          }
          if (c === LF) this.line++;
          i++;
        }
        if (closed) {
          state = UNQUOTED;
          continue;
        }
        if (i >= n && final) {
          // unterminated: the field runs to the end of the input (a record over the limit is reported as that)
          if (n - this.unitStart > this.maxRecord) {
            this.tooLongUnit(false);
            break;
          }
          this.csvError ??= {
            file: this.file,
            line: this.recordLine,
            col: 1,
            path: `row ${this.recordLine}`,
            message: 'unterminated quoted field',
          };
          this.quoteEnd = n;
          this.closeRecord(n, n, false);
          state = LINE_START;
          continue;
        }
        break;
      }
    }
    this.pos = i;
    this.state = state;
  }

  /**
   * The usual rows from `i` on, read by the WebAssembly kernel (row-kernel.ts: fastRow's reading,
   * check for check) and stored as fastRow stores them: the position after the last, or -1 when it read
   * none (the kernel is not available, the columns are full, or the row at `i` is not one fastRow
   * would store). The kernel stops at the first row it does not read; `kStop` marks it, so that fastRow
   * (and the long way) take that row exactly as they would without the kernel.
   */
  private wasmRows(t: Uint8Array, i: number, n: number): number {
    const room = this.category.a.length - this.n;
    if (room <= 0) return -1;
    if (this.kernel === undefined) {
      if (Math.max(this.expected, this.consumed) < this.kernelFrom) return -1; // a small roster: fastRow
      this.kernel = rowKernel(KERNEL_WINDOW) ?? null;
    }
    const k = this.kernel;
    if (k === null) return -1;
    if (k.owner !== this.serial) {
      // the kernel (one per process) was last used by another parser, or never: the roles, every
      // country met so far, and a new window
      k.owner = this.serial;
      k.memory.fill(0, ROLES_AT, ROLES_AT + 64);
      k.memory.set(this.roles!, ROLES_AT);
      k.i32.fill(-1, COUNTRY_AT >> 2, (COUNTRY_AT >> 2) + 26 * 26 * 26);
      this.kEntries.length = 0;
      this.kernelEntry(k, this.noCountry!); // entry 0: a parent headquarters left empty
      this.kPending.length = 0;
      this.countryByCode.forEach((e, key) => {
        if (e?.row !== undefined) this.kPending.push(key);
      });
      this.kBytes = EMPTY;
    }
    for (const key of this.kPending)
      if (this.kEntries.length < MAX_ENTRIES) k.i32[(COUNTRY_AT >> 2) + key] = this.kernelEntry(k, this.countryByCode[key]!);
    this.kPending.length = 0;
    // the window: a copy of the bytes from i on, KERNEL_WINDOW at most, made anew from i when i is past
    // it or near its end and more bytes wait, else extended (the bytes of a buffer never change once read)
    if (
      t !== this.kBytes ||
      i < this.kBase ||
      i > this.kEnd ||
      (n > this.kEnd && this.kEnd - this.kBase >= KERNEL_WINDOW && this.kEnd - i < KERNEL_WINDOW / 2)
    ) {
      this.kBytes = t;
      this.kBase = i;
      this.kEnd = i;
    }
    const want = Math.min(n, this.kBase + KERNEL_WINDOW);
    if (want > this.kEnd) {
      k.memory.set(t.subarray(this.kEnd, want), BYTES_AT + this.kEnd - this.kBase);
      this.kEnd = want;
    }
    const base = this.kBase;
    const most = Math.min(room, TAPE_ROWS);
    const got = k.rows(i - base, this.kEnd - base, most, this.ncols, this.utf8Valid - base, this.maxRecord, base, this.line);
    // from the fourth call in a row that read fewer than KERNEL_HIT rows on, 2, 4, 8, … records (at
    // most 64: a call that reads no row costs ~0.5 µs, ~10 ns a record then) are left to fastRow
    if (got >= KERNEL_HIT) this.kMisses = 0;
    else if (++this.kMisses >= 4) this.kSkip = Math.min(2 ** (this.kMisses - 3), 64);
    if (got === 0) {
      this.kStop = i;
      return -1;
    }
    const end = this.storeKernelRows(k, got, base);
    // fewer rows than asked for: the kernel stopped at the next one
    if (got < most) this.kStop = end;
    return end;
  }

  /** Country entry e in the kernel's tables (row-kernel.ts E_…): its number there. */
  private kernelEntry(k: RowKernel, e: CountryEntry): number {
    const at = this.kEntries.length;
    this.kEntries.push(e);
    k.i32[(E_NUMBER_AT >> 2) + at] = e.number;
    k.f64[(E_GNI_AT >> 3) + at] = e.gni;
    k.memory[E_DEV_AT + at] = e.dev;
    k.memory[E_FULL_FEE_AT + at] = e.fullFee;
    return at;
  }

  /**
   * Appends the `got` rows the kernel read to the columns (a copy per column); returns where the last
   * ends (the kernel's positions are relative to `base`, but for the text columns' ranges).
   */
  private storeKernelRows(k: RowKernel, got: number, base: number): number {
    const r = this.n;
    if (got < KERNEL_FEW) this.storeFewKernelRows(k, got);
    else this.storeManyKernelRows(k, got);
    this.n = r + got;
    this.rows += got;
    this.kRows += got;
    this.line += got;
    this.recordLine = this.line - 1;
    const end = k.i32[END_AT >> 2]! + base;
    this.unitStart = end;
    return end;
  }

  /** storeKernelRows for a few rows: row by row (a typed-array copy per column costs ~2 µs a call in all). */
  private storeFewKernelRows(k: RowKernel, got: number): void {
    const a = k.i32;
    const f = k.f64;
    const m = k.memory;
    const seg = this.seg;
    for (let q = 0, r = this.n; q < got; q++, r++) {
      this.id.add(seg, a[(C_ID_S >> 2) + q]!, a[(C_ID_E >> 2) + q]!);
      this.entity.add(seg, a[(C_EN_S >> 2) + q]!, a[(C_EN_E >> 2) + q]!);
      this.name.add(seg, a[(C_NM_S >> 2) + q]!, a[(C_NM_E >> 2) + q]!);
      this.idHash.a[r] = a[(C_ID_H >> 2) + q]!;
      this.entityHash.a[r] = a[(C_EN_H >> 2) + q]!;
      this.country.addNumber(a[(C_COUNTRY >> 2) + q]!);
      this.parentHq.addNumber(a[(C_PARENT >> 2) + q]!);
      this.category.a[r] = m[C_CATEGORY + q]!;
      this.sector.a[r] = m[C_SECTOR + q]!;
      this.dev.a[r] = m[C_DEV + q]!;
      this.gni.a[r] = f[(C_GNI >> 3) + q]!;
      this.fullFee.a[r] = m[C_FULL_FEE + q]!;
      this.employees.a[r] = f[(C_EMPLOYEES >> 3) + q]!;
      this.turnover.a[r] = f[(C_TURNOVER >> 3) + q]!;
      this.classUnits.a[r] = f[(C_CLASS >> 3) + q]!;
      this.independent.a[r] = m[C_INDEPENDENT + q]!;
      this.meetings.a[r] = f[(C_MEETINGS >> 3) + q]!;
      this.lines.a[r] = k.u32[(C_LINE >> 2) + q]!;
    }
  }

  /** storeKernelRows for many rows: a copy per column. */
  private storeManyKernelRows(k: RowKernel, got: number): void {
    const r = this.n;
    const i32s = (at: number) => k.i32.subarray(at >> 2, (at >> 2) + got);
    const f64s = (at: number) => k.f64.subarray(at >> 3, (at >> 3) + got);
    const u8s = (at: number) => k.memory.subarray(at, at + got);
    this.id.addRanges(this.seg, i32s(C_ID_S), i32s(C_ID_E));
    this.entity.addRanges(this.seg, i32s(C_EN_S), i32s(C_EN_E));
    this.name.addRanges(this.seg, i32s(C_NM_S), i32s(C_NM_E));
    this.idHash.a.set(i32s(C_ID_H), r);
    this.entityHash.a.set(i32s(C_EN_H), r);
    this.country.addNumbers(i32s(C_COUNTRY));
    this.parentHq.addNumbers(i32s(C_PARENT));
    this.category.a.set(u8s(C_CATEGORY), r);
    this.sector.a.set(u8s(C_SECTOR), r);
    this.dev.a.set(u8s(C_DEV), r);
    this.gni.a.set(f64s(C_GNI), r);
    this.fullFee.a.set(u8s(C_FULL_FEE), r);
    this.employees.a.set(f64s(C_EMPLOYEES), r);
    this.turnover.a.set(f64s(C_TURNOVER), r);
    this.classUnits.a.set(f64s(C_CLASS), r);
    this.independent.a.set(u8s(C_INDEPENDENT), r);
    this.meetings.a.set(f64s(C_MEETINGS), r);
    this.lines.a.set(k.u32.subarray(C_LINE >> 2, (C_LINE >> 2) + got), r);
  }

  /**
   * Reads the usual row starting at `i` in one pass over its bytes: one line (LF or CRLF), no quote,
   * as many fields as the header, every value spelled the usual way (text with printable ASCII at both
   * ends and valid UTF-8 inside; categories, Sectors and `true`/`false` exactly; whole numbers in
   * digits; classes `N` or `N/M`; country codes of the country table) and nothing to report. Stores the
   * row and returns the position after its line end; SLOW when the record must be read the long way
   * (which finds the same values, or reports the problem), MORE when the bytes end first.
   *
   * The bytes are looked at by small functions (textEnd, hashedTextEnd, digitsValue), optimised after
   * a few rows, while this function is still run unoptimised (for its first thousands of rows, while
   * V8 compiles it). What happens rarely — a country not met before, columns full, text not checked
   * as UTF-8 — is left to the long way, and the checks run on every row: a call, a property read or a
   * comparison here that had never run when this function was optimised (for the first exempt row,
   * the first new country, thousands of rows in) threw the optimised code away.
   */
  private fastRow(b: Uint8Array, i: number, n: number): number {
    const roles = this.roles!;
    const ncols = this.ncols;
    let j = i;
    let c = 0;
    let idS = 0;
    let idE = 0;
    let idH = 0;
    let enS = 0;
    let enE = 0;
    let enH = 0;
    let nmS = 0;
    let nmE = 0;
    let category = -1;
    let sector = -1;
    let country = this.noCountry!;
    let parent = country;
    let employees = NaN;
    let turnover = NaN;
    let meetings = NaN;
    let clS = 0;
    let clE = 0;
    let independent = -1;
    // the OR of the text cells' bytes
    let high = 0;
    for (let k = 0; k < ncols; k++) {
      const s = j;
      const role = roles[k]!;
      if (role <= R_NAME) {
        // id, entity, name: the name, the longest text of a row, is not hashed
        j = role === R_NAME ? textEnd(b, s, n) : hashedTextEnd(b, s, n);
        if (j === MORE) return MORE;
        if (j > s) {
          const a = b[s]!;
          const z = b[j - 1]!;
          if (a <= 32 || a >= 127 || z <= 32 || z >= 127) return SLOW; // blanks to trim, or not a plain range
        }
        high |= cellHigh;
        if (role === R_ID) {
          if (j === s) return SLOW; // an empty id: reported
          idS = s;
          idE = j;
          idH = cellHash;
        } else if (role === R_ENTITY) {
          enS = s;
          enE = j;
          enH = cellHash;
        } else {
          nmS = s;
          nmE = j;
        }
        c = b[j]!;
      } else if (role === R_EMPLOYEES || role === R_TURNOVER || role === R_MEETINGS) {
        const v = digitsValue(b, s, n);
        j = cellEnd;
        if (j === MORE) return MORE;
        if (j - s > 15) return SLOW;
        if (role === R_EMPLOYEES) employees = v;
        else if (role === R_TURNOVER) turnover = v;
        else meetings = v;
        c = b[j]!;
      } else if (role === R_CLASS) {
        j = textEnd(b, s, n);
        if (j === MORE) return MORE;
        clS = s;
        clE = j;
        c = b[j]!;
      } else {
        // a code or word of a known length: its bytes compared where they should be, then the
        // delimiter after them (read the long way if it is not one)
        if (j >= n) return MORE;
        const x = b[s]!;
        if (role === R_CATEGORY) {
          // the first two letters tell the candidate
          const y = s + 1 < n ? b[s + 1]! : 0;
          const cand = x === 115 ? (y === 101 ? SECTOR_MEMBER : SME_PILOT) : x === 97 ? (y === 115 ? ASSOCIATE : ACADEMIA) : EXEMPT;
          const w = CATEGORY_BYTES[cand]!;
          const len = w.length;
          if (s + len >= n) return SLOW; // cut by the end of the bytes: the long way (which waits for the line end)
          for (let q = 0; q < len; q++) if (b[s + q] !== w[q]) return SLOW;
          category = cand;
          j = s + len;
        } else if (role === R_SECTOR) {
          // no byte past the bytes held is read (the next chunk may be being read there: readTargetAhead)
          if (s + 1 >= n) return SLOW; // cut by the end of the bytes: the long way (which waits for the line end)
          sector = x === 82 ? 0 : x === 84 ? 1 : x === 68 ? 2 : -1; // R T D
          if (sector < 0) return SLOW;
          j = s + 1;
        } else if (role === R_COUNTRY || (role === R_PARENT && x !== COMMA && x !== LF && x !== CR)) {
          if (s + 3 >= n) return SLOW; // cut by the end of the bytes: the long way (which waits for the line end)
          const xx = x - 65;
          const y = b[s + 1]! - 65;
          const z = b[s + 2]! - 65;
          if (xx < 0 || xx >= 26 || y < 0 || y >= 26 || z < 0 || z >= 26) return SLOW;
          // a code met before, in the table; the first of each (and one not in the table, reported) the long way
          const e = this.countryByCode[(xx * 26 + y) * 26 + z];
          if (e === undefined || e.row === undefined) return SLOW;
          if (role === R_COUNTRY) country = e;
          else parent = e;
          j = s + 3;
        } else if (role === R_INDEPENDENT) {
          if (x === 116) {
            if (s + 4 >= n) return SLOW; // cut by the end of the bytes: the long way (which waits for the line end)
            if (b[s + 1] !== 114 || b[s + 2] !== 117 || b[s + 3] !== 101) return SLOW; // true
            independent = 1;
            j = s + 4;
          } else if (x === 102) {
            if (s + 5 >= n) return SLOW; // cut by the end of the bytes: the long way (which waits for the line end)
            if (b[s + 1] !== 97 || b[s + 2] !== 108 || b[s + 3] !== 115 || b[s + 4] !== 101) return SLOW; // false
            independent = 0;
            j = s + 5;
          } else return SLOW;
        }
        // R_PARENT empty: j stays at s
        c = b[j]!;
      }
      // the field's end: a comma before the last field, the line end after it
      if (k < ncols - 1) {
        if (c !== COMMA) return SLOW;
        j++;
      } else if (c === LF) j++;
      else if (c === CR) {
        if (j + 1 >= n) return MORE;
        if (b[j + 1] !== LF) return SLOW; // a lone CR is data
        j += 2;
      } else return SLOW;
    }
    // a record over the length limit (counted with its line end here) is read the long way, which checks it
    if (j - i > this.maxRecord) return SLOW;
    // text that is not ASCII: valid UTF-8 when the row's bytes were checked (checkUtf8); past an invalid
    // sequence (checkUtf8 stops there for good) the row's own bytes are checked — its cells, cut at ASCII
    // delimiters, are then valid too — so that one stray byte, in a comment say, does not send every
    // later row with an accented name the long way (red team: 2.2 s against 1.5 s for validate on 1M rows)
    if (high >= 0x80 && j > this.utf8Valid && !isUtf8(b.subarray(i, j))) return SLOW;
    if (country.row === undefined) return SLOW; // no country column: reported
    // the checks that need the category (each compare made on every row: see above)
    if (NEEDS_SIZE[category] === 1 && Number.isNaN(employees)) return SLOW;
    let classUnits = NaN;
    if (category === SECTOR_MEMBER) {
      classUnits = classOf(b, clS, clE);
      if (classUnits === 0) return SLOW;
    } else if (clE > clS) return SLOW;
    const r = this.n;
    if (r === this.category.a.length) return SLOW; // the columns are full: grown the long way
    // the row is good: stored
    const seg = this.seg;
    this.id.add(seg, idS, idE);
    this.idHash.a[r] = idH;
    if (enE === enS) {
      // an empty entity: the id
      enS = idS;
      enE = idE;
      enH = idH;
    }
    this.entity.add(seg, enS, enE);
    this.entityHash.a[r] = enH;
    this.name.add(seg, nmS, nmE);
    this.country.addNumber(country.number);
    this.parentHq.addNumber(parent.number);
    this.category.a[r] = category;
    this.sector.a[r] = sector;
    this.dev.a[r] = country.dev;
    this.gni.a[r] = country.gni;
    this.fullFee.a[r] = parent.fullFee;
    this.employees.a[r] = employees;
    this.turnover.a[r] = turnover;
    this.classUnits.a[r] = classUnits;
    this.independent.a[r] = independent;
    this.meetings.a[r] = meetings;
    this.lines.a[r] = this.recordLine;
    this.n = r + 1;
    this.rows++;
    this.line++;
    this.unitStart = j;
    return j;
  }

  /**
   * The record's last cell ends at `cellEnd`, then its line end (`lineEnd`) up to `next`: the record is
   * read, and the next unit starts at `next`, which is returned.
   */
  private closeRecord(cellEnd: number, next: number, lineEnd: boolean): number {
    if (cellEnd - this.unitStart > this.maxRecord) {
      this.tooLongUnit(false);
      if (lineEnd) this.line++;
      return next;
    }
    this.pushCell(cellEnd);
    if (lineEnd) this.line++;
    this.endRecord();
    this.unitStart = next;
    return next;
  }

  private comment(from: number, to: number): void {
    let c = this.decode(from, to);
    if (c.endsWith('\r')) c = c.slice(0, -1);
    this.comments.push(c.trim());
    if (this.header && this.ncols > 1) {
      let commas = 0;
      for (let k = c.indexOf(','); k !== -1; k = c.indexOf(',', k + 1)) commas++;
      if (commas >= this.ncols - 1) this.rowLikeComments.push(this.line);
    }
  }

  /** What the roster reader warns of (the roster is read all the same): comment lines shaped like rows. */
  private warnings(): InputIssue[] {
    const lines = this.rowLikeComments;
    if (lines.length === 0) return [];
    const where =
      lines.length === 1 ? '' : ` (lines ${lines.slice(0, 5).join(', ')}${lines.length > 5 ? ` and ${lines.length - 5} more` : ''})`;
    const what =
      lines.length === 1
        ? "read as a comment (it starts with #), though it holds a row's fields"
        : `${lines.length} lines after the header${where} are read as comments (they start with #), though they hold a row's fields`;
    return [
      {
        file: this.file,
        line: lines[0]!,
        col: 1,
        path: `line ${lines[0]}`,
        message: `${what}: a membership whose id starts with # is read only when the id is quoted ("#…")`,
      },
    ];
  }

  private endRecord(): void {
    if (!this.header) this.readHeader();
    else if (!this.skipRows) this.readRow();
    else this.rows++;
    this.ncells = 0;
  }

  private readHeader(): void {
    this.header = true;
    const file = this.file;
    const line = this.recordLine;
    this.headerLine = line;
    const cols: string[] = [];
    for (let k = 0; k < this.ncells; k++) cols.push(this.cell(k).trim());
    this.ncols = cols.length;
    if (!cols.some((c) => ALL_COLUMNS.includes(c))) {
      // not a roster at all (e.g. `roster: /etc/passwd`): say so without echoing the file's contents
      this.fatal = {
        file,
        line,
        col: 1,
        path: 'header',
        message: `expected a roster header with columns ${REQUIRED_COLUMNS.join(', ')}; line ${line} has none of them (its contents are not shown)`,
      };
      this.stopped = true;
      return;
    }
    const at = new Map<string, number>();
    let plain = true;
    cols.forEach((c, i) => {
      if (!ALL_COLUMNS.includes(c)) {
        plain = false;
        const hint = didYouMean(c, ALL_COLUMNS);
        this.add({
          file,
          line,
          col: i + 1,
          path: `header, column ${i + 1}`,
          message: `unknown column ${shown(c)}${hint ? ` (did you mean "${hint}"?)` : ''}; expected columns: ${ALL_COLUMNS.join(', ')}`,
        });
      } else if (at.has(c)) {
        plain = false;
        this.add({ file, line, col: i + 1, path: `header, column ${i + 1}`, message: `column "${c}" appears twice` });
      } else at.set(c, i);
    });
    const missing = REQUIRED_COLUMNS.filter((c) => !at.has(c));
    if (missing.length) {
      this.add({
        file,
        line,
        col: 1,
        path: 'header',
        message: `missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      });
      this.skipRows = true;
      return;
    }
    const col = (c: string) => at.get(c) ?? -1;
    this.iId = col('id');
    this.iEntity = col('entity');
    this.iName = col('name');
    this.iCategory = col('category');
    this.iSector = col('sector');
    this.iCountry = col('country');
    this.iEmployees = col('employees');
    this.iTurnover = col('turnover_usd');
    this.iClass = col('class_units');
    this.iIndependent = col('independent');
    this.iMeetings = col('meetings_per_year');
    this.iParent = col('parent_hq_country');
    this.noCountry ??= this.countryEntry('', undefined);
    if (plain) {
      // every column known, each once: usual rows are read in one pass (fastRow)
      const roles = new Uint8Array(this.ncols);
      const role: [number, number][] = [
        [this.iId, R_ID],
        [this.iEntity, R_ENTITY],
        [this.iName, R_NAME],
        [this.iCategory, R_CATEGORY],
        [this.iSector, R_SECTOR],
        [this.iCountry, R_COUNTRY],
        [this.iEmployees, R_EMPLOYEES],
        [this.iTurnover, R_TURNOVER],
        [this.iClass, R_CLASS],
        [this.iIndependent, R_INDEPENDENT],
        [this.iMeetings, R_MEETINGS],
        [this.iParent, R_PARENT],
      ];
      for (const [k, r] of role) if (k >= 0) roles[k] = r;
      if (roles.every((r) => r > 0)) this.roles = roles;
    }
  }

  /**
   * Appends cell k, trimmed, to a text column: as a byte range when the cell is unquoted, begins and
   * ends with a printable ASCII character (nothing to trim) and is valid UTF-8, else as a string. With
   * `unlessEmpty`, an empty value is not appended and false returned.
   */
  private addText(col: BytesTextColumn, k: number, unlessEmpty = false): boolean {
    if (k >= 0 && this.cq[k]! < 0) {
      const s = this.cs[k]!;
      const e = this.ce[k]!;
      const t = this.bytes;
      if (e === s) {
        if (unlessEmpty) return false;
        col.add(this.seg, s, e);
        return true;
      }
      const a = t[s]!;
      const b = t[e - 1]!;
      if (a > 32 && a < 127 && b > 32 && b < 127 && (!hasHigh(t, s, e) || isUtf8(t.subarray(s, e)))) {
        col.add(this.seg, s, e);
        return true;
      }
    }
    const v = this.get(k);
    if (unlessEmpty && v === '') return false;
    col.addString(v);
    return true;
  }

  private rowIssue(col: number, name: string, message: string): void {
    const line = this.recordLine;
    this.add({ file: this.file, line, col: col + 1, path: `row ${line}, column ${name}`, message });
  }

  /** Index into CATEGORIES of cell k when it is spelled exactly (no blanks, not quoted), else -1. */
  private categoryAt(k: number): number {
    const s = this.cs[k]!;
    const len = this.ce[k]! - s;
    if (this.cq[k]! >= 0) return -1;
    const t = this.bytes;
    // the length and the first letter tell the candidate; then it is compared
    const c: number =
      len === 13
        ? Cat.SectorMember
        : len === 8
          ? Cat.Academia
          : len === 6
            ? Cat.Exempt
            : len !== 9
              ? -1
              : t[s] === 97
                ? Cat.Associate
                : Cat.SmePilot;
    if (c < 0) return -1;
    return this.spells(s, len, CATEGORIES[c]!) ? c : -1;
  }

  /** Whether the `len` bytes at `s` are the ASCII `word`. */
  private spells(s: number, len: number, word: string): boolean {
    if (len !== word.length) return false;
    const t = this.bytes;
    for (let k = 0; k < len; k++) if (t[s + k] !== word.charCodeAt(k)) return false;
    return true;
  }

  /** Class units of cell k (not quoted) spelled `N` or `N/M`: the value, or 0 to read it the long way. */
  private classAt(k: number): number {
    if (this.cq[k]! >= 0) return 0;
    return classOf(this.bytes, this.cs[k]!, this.ce[k]!);
  }

  /** `true` or `false` spelled exactly (not quoted); undefined otherwise (read the long way). */
  private trueFalseAt(k: number): boolean | undefined {
    if (k < 0 || this.cq[k]! >= 0) return undefined;
    const s = this.cs[k]!;
    const len = this.ce[k]! - s;
    if (this.spells(s, len, 'true')) return true;
    if (this.spells(s, len, 'false')) return false;
    return undefined;
  }

  /** Country code of cell k (trimmed), interned, with its row of the country table. */
  private countryAt(k: number): CountryEntry {
    if (k >= 0 && this.cq[k]! < 0 && this.ce[k]! - this.cs[k]! === 3) {
      // three capital letters: a direct look-up
      const t = this.bytes;
      const s = this.cs[k]!;
      const a = t[s]! - 65;
      const b = t[s + 1]! - 65;
      const c = t[s + 2]! - 65;
      if (a >= 0 && a < 26 && b >= 0 && b < 26 && c >= 0 && c < 26) {
        const key = (a * 26 + b) * 26 + c;
        let e = this.countryByCode[key];
        if (e === undefined) {
          const code = this.decode(s, s + 3);
          e = this.countryEntry(code, code === '' ? undefined : this.countries.get(code));
          this.countryByCode[key] = e;
          if (e.row !== undefined) this.kPending.push(key); // the kernel reads it from now on
        }
        return e;
      }
    }
    if (k < 0 || (this.cq[k]! < 0 && this.ce[k] === this.cs[k])) {
      this.noCountry ??= this.countryEntry('', undefined); // an empty cell (a parent HQ mostly is)
      return this.noCountry;
    }
    const raw = this.cell(k);
    let e = this.countryCache.get(raw);
    if (e === undefined) {
      const code = raw.trim();
      e = this.countryEntry(code, code === '' ? undefined : this.countries.get(code));
      if (this.countryCache.size < 4096) this.countryCache.set(raw, e);
    }
    return e;
  }

  /** A country entry: the code numbered once for both country columns. */
  private countryEntry(code: string, row: Country | undefined): CountryEntry {
    const number = this.country.numberOf(code);
    this.parentHq.numberOf(code); // the same numbers in both columns
    return {
      code,
      number,
      row,
      dev: row?.dev ?? 0,
      gni: row?.gniPerCapitaUsd ?? NaN,
      fullFee: row !== undefined && row.dev === Dev.Developed ? 1 : 0,
    };
  }

  /**
   * A number cell: NaN when empty, -1 after reporting a problem. Plain whole numbers are read from the
   * bytes; anything else goes through the decimal pattern and Number, as before.
   */
  private numberAt(k: number, name: string, integer: boolean): number {
    if (k < 0) return NaN;
    if (this.cq[k]! < 0) {
      const t = this.bytes;
      const s = this.cs[k]!;
      const e = this.ce[k]!;
      if (e === s) return NaN;
      if (e - s <= 15) {
        let v = 0;
        let j = s;
        for (; j < e; j++) {
          const d = t[j]! - 48;
          if (d < 0 || d > 9) break;
          v = v * 10 + d;
        }
        if (j === e) return v;
      }
    }
    const text = this.cell(k).trim();
    if (text === '') return NaN;
    const v = DECIMAL.test(text) ? Number(text) : NaN;
    if (!Number.isFinite(v) || v < 0 || (integer && !Number.isInteger(v))) {
      this.rowIssue(k, name, `expected ${integer ? 'a whole number' : 'a number'} ≥ 0 in plain decimal digits, found ${shown(text)}`);
      return -1;
    }
    return v;
  }

  private readRow(): void {
    const line = this.recordLine;
    this.rows++;
    if (this.ncells !== this.ncols) {
      this.add({
        file: this.file,
        line,
        col: 1,
        path: `row ${line}`,
        message: `expected ${this.ncols} fields, found ${this.ncells}`,
      });
      return;
    }
    const i = this.n;
    if (i === this.category.a.length) for (const c of this.columns()) c.grow(i + 1);
    this.addText(this.id, this.iId);
    if (this.id.isEmpty(i)) this.rowIssue(this.iId, 'id', 'expected a non-empty id');
    else this.idHash.a[i] = this.id.hash(i); // a duplicate is reported at the end, in its place (duplicateIds)
    if (!this.addText(this.entity, this.iEntity, true)) this.entity.addSameAs(this.id, i); // an empty entity: the id
    this.entityHash.a[i] = this.entity.hash(i);
    this.addText(this.name, this.iName);
    let category = this.categoryAt(this.iCategory);
    let catText = category >= 0 ? CATEGORIES[category]! : '';
    if (category < 0) {
      catText = this.get(this.iCategory);
      category = CATEGORIES.indexOf(catText as never);
      if (category < 0)
        this.rowIssue(
          this.iCategory,
          'category',
          `expected one of ${CATEGORIES.join(', ')}, found ${shown(catText)}${hintFor(catText, CATEGORIES)}`,
        );
    }
    let sector = -1;
    if (this.ce[this.iSector]! - this.cs[this.iSector]! === 1 && this.cq[this.iSector]! < 0) {
      const c = this.bytes[this.cs[this.iSector]!];
      sector = c === 82 ? 0 : c === 84 ? 1 : c === 68 ? 2 : -1; // R T D
    }
    const secText = sector < 0 ? this.get(this.iSector) : '';
    if (sector < 0) sector = secText === 'R' ? 0 : secText === 'T' ? 1 : secText === 'D' ? 2 : -1;
    if (sector < 0) this.rowIssue(this.iSector, 'sector', `expected one of R, T, D, found ${shown(secText)}`);
    const country = this.countryAt(this.iCountry);
    if (country.row === undefined)
      this.rowIssue(
        this.iCountry,
        'country',
        `expected an ISO 3166 alpha-3 code listed in the country table, found ${shown(country.code)}`,
      );
    const parent = this.countryAt(this.iParent);
    if (parent.code !== '' && parent.row === undefined)
      this.rowIssue(
        this.iParent,
        'parent_hq_country',
        `expected an empty cell or an ISO 3166 alpha-3 code listed in the country table, found ${shown(parent.code)}`,
      );
    const employees = this.numberAt(this.iEmployees, 'employees', true);
    const needsSize = category === Cat.SectorMember || category === Cat.Associate || category === Cat.SmePilot;
    if (needsSize && Number.isNaN(employees))
      this.rowIssue(
        this.iEmployees,
        'employees',
        `expected a headcount for a ${catText} (needed for SME eligibility), found an empty cell`,
      );
    const turnoverUsd = this.numberAt(this.iTurnover, 'turnover_usd', false);
    const meetingsPerYear = this.numberAt(this.iMeetings, 'meetings_per_year', false);
    let classUnits = NaN;
    if (category === Cat.SectorMember) {
      const fast = this.classAt(this.iClass);
      const classText = fast > 0 ? '' : this.get(this.iClass);
      const u = fast > 0 ? fast : parseClassUnits(classText);
      if (u === undefined)
        this.rowIssue(this.iClass, 'class_units', `expected a class for a sector-member (e.g. 1/2, 1, 2), found ${shown(classText)}`);
      else classUnits = u;
    } else if (category >= 0 && this.iClass >= 0 && this.ce[this.iClass]! > this.cs[this.iClass]!) {
      const classText = this.get(this.iClass);
      if (classText !== '')
        this.rowIssue(
          this.iClass,
          'class_units',
          `expected an empty cell: only sector-member rows have a class, found ${shown(classText)}`,
        );
    }
    let independent = this.trueFalseAt(this.iIndependent);
    if (independent === undefined) {
      const indText = this.get(this.iIndependent);
      independent = BOOLEAN.get(indText.toLowerCase());
      if (independent === undefined) this.rowIssue(this.iIndependent, 'independent', `expected true or false, found ${shown(indText)}`);
    }
    this.country.addNumber(country.number);
    this.parentHq.addNumber(parent.number);
    this.category.a[i] = category;
    this.sector.a[i] = sector;
    this.dev.a[i] = country.dev;
    this.gni.a[i] = country.gni;
    this.fullFee.a[i] = parent.fullFee;
    this.employees.a[i] = employees < 0 ? NaN : employees;
    this.turnover.a[i] = turnoverUsd < 0 ? NaN : turnoverUsd;
    this.classUnits.a[i] = classUnits;
    this.independent.a[i] = independent ? 1 : 0;
    this.meetings.a[i] = meetingsPerYear < 0 ? NaN : meetingsPerYear;
    this.lines.a[i] = line;
    this.n = i + 1;
  }
}
