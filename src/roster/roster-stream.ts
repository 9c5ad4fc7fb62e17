import { CATEGORIES, Cat, Dev } from '../domain/codes.js';
import { didYouMean, type InputIssue } from '../domain/issues.js';
import type { Roster, RosterProvenance } from '../domain/roster.js';
import type { Country, CountryTable } from './countries.js';
import { CodeColumn, SlicedTextColumn } from './text-column.js';

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
 * Longest record (or comment line) read, in characters: longer, it is reported and the rest of the
 * file is not read (an unterminated quote near the top of a large file would otherwise hold all of it).
 */
export const MAX_RECORD_CHARS = 64 * 1024 * 1024;

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
    this.a = make(1024);
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
 * accesses that miss the cache): the rows are sorted by the low 22 bits of their 32-bit hash (a stable
 * radix sort, two passes of 11 bits over typed arrays, so rows of one hash stay in row order), and
 * only rows of the same hash — every row that can repeat a string, and rare collisions — are
 * compared, by string.
 * Returns for each row the first row with the same string (itself when none before it); a row marked
 * in `samePrevious` (its string is the previous row's) gets the previous row's answer, an earlier row
 * with the same string.
 */
export function firstOfSame(
  hashes: Int32Array,
  strings: { same(i: number, j: number): boolean },
  n: number,
  samePrevious?: Uint8Array,
): Int32Array {
  const first = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) if (!samePrevious?.[i]) m++;
  let key = new Uint32Array(m);
  let row = new Int32Array(m);
  m = 0;
  for (let i = 0; i < n; i++) {
    if (samePrevious?.[i]) continue;
    key[m] = hashes[i]!;
    row[m++] = i;
  }
  // stable LSD radix sort of (key, row) by the key's low 22 bits, two passes of 11 bits (both
  // histograms counted in one pass): rows of one hash end up together, in row order, with at most a
  // few rows of other hashes that share those bits
  let key2 = new Uint32Array(m);
  let row2 = new Int32Array(m);
  const count = new Int32Array(2 * 2048);
  for (let j = 0; j < m; j++) {
    const k = key[j]!;
    count[k & 2047]!++;
    count[2048 + ((k >>> 11) & 2047)]!++;
  }
  for (let pass = 0; pass < 2; pass++) {
    const base = pass * 2048;
    const shift = pass * 11;
    let sum = 0;
    for (let d = 0; d < 2048; d++) {
      const c = count[base + d]!;
      count[base + d] = sum;
      sum += c;
    }
    for (let j = 0; j < m; j++) {
      const k = key[j]!;
      const at = count[base + ((k >>> shift) & 2047)]!++;
      key2[at] = k;
      row2[at] = row[j]!;
    }
    [key, key2] = [key2, key];
    [row, row2] = [row2, row];
  }
  for (let i = 0; i < n; i++) first[i] = i;
  // runs of equal low bits, rows in order: each row is compared with the run's earlier rows of the
  // same hash that start a string (first of their own), by string
  const LOW = 0x3fffff;
  for (let a = 0; a < m; ) {
    const low = key[a]! & LOW;
    let b = a + 1;
    while (b < m && (key[b]! & LOW) === low) b++;
    for (let j = a + 1; j < b; j++) {
      const i = row[j]!;
      const h = key[j]!;
      for (let q = a; q < j; q++) {
        const r = row[q]!;
        if (key[q] === h && first[r] === r && strings.same(r, i)) {
          first[i] = r;
          break;
        }
      }
    }
    a = b;
  }
  if (samePrevious) for (let i = 1; i < n; i++) if (samePrevious[i]) first[i] = first[i - 1]!;
  return first;
}

/** A country as the parser uses it: the code, its number in the country columns (CodeColumn) and its row of the country table. */
interface CountryEntry {
  code: string;
  number: number;
  row: Country | undefined;
}

/**
 * The roster reader: an incremental RFC 4180 scanner fed text in chunks of any size (a chunk may end
 * inside a quoted field, between CR and LF, or anywhere else), validating each record as it ends and
 * storing it straight into growable typed-array columns — no object or array per row. Country codes
 * are interned. Every problem is collected with its file, line and column (at most
 * MAX_ROSTER_ISSUES kept, the rest counted), in the same order and with the same messages as a
 * whole-text parse. Pure: the caller reads the file (src/cli/read-input.ts readRosterFile).
 *
 * CSV rules (unchanged from the whole-text reader it replaced): a UTF-8 BOM is skipped; CRLF or LF
 * line ends; fields quoted with `"` (at the start of a field) may hold commas, quotes (`""`) and
 * newlines; lines starting with `#` and blank lines are not records (`#` lines are comments, where a
 * `# feesim:synthetic seed=N` mark is read); a lone CR is data.
 *
 * @example
 * const p = new RosterParser('r.csv', countries);
 * p.push(text.slice(0, 10)); p.push(text.slice(10));
 * const { roster, issues } = p.end();
 */
export class RosterParser {
  private readonly issues: InputIssue[] = [];
  private more = 0;
  private csvError: InputIssue | undefined;
  /** A problem that ends the roster at once: the only one reported (an empty file, not a roster). */
  private fatal: InputIssue | undefined;
  private readonly comments: string[] = [];

  // scanner
  private text = '';
  private pos = 0;
  private state = LINE_START;
  /** Start of the unit being scanned (record or comment line): text before it is no longer needed. */
  private unitStart = 0;
  private line = 1;
  private recordLine = 1;
  private cellStart = 0;
  private quoteEnd = -1;
  private escaped = false;
  private first = true;
  private stopped = false;
  /** Expected input size (expect()), characters given so far, and whether the columns were sized. */
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
  private readonly id = new SlicedTextColumn();
  private readonly entity = new SlicedTextColumn();
  private readonly name = new SlicedTextColumn();
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
  /** hashOf each row's id and entity; duplicates and entity numbers are found at the end (firstOfSame). */
  private readonly idHash = new Column((n) => new Int32Array(n));
  private readonly entityHash = new Column((n) => new Int32Array(n));
  /** 1 when the row's entity is the previous row's (the rows of one organisation usually follow each other). */
  private readonly entitySame = new Column((n) => new Uint8Array(n));

  constructor(
    private readonly file: string,
    private readonly countries: CountryTable,
  ) {}

  /** Number of LF characters read so far (the line of the next character is this + 1). */
  get newlines(): number {
    return this.line - 1;
  }

  /** Characters held for the unit not yet complete: a reader may read at least this much next. */
  get pending(): number {
    return this.text.length - this.unitStart;
  }

  /** False once the rest of the input cannot change the result (not a roster; a record too long). */
  get wants(): boolean {
    return !this.stopped;
  }

  /**
   * The size of the whole input (bytes or characters), when known: after the first rows the columns
   * and tables are sized for the rows expected, instead of doubling their way there.
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
      this.entitySame,
    ];
  }

  /** Reads the next piece of the text. */
  push(chunk: string): void {
    if (chunk === '') return;
    this.consumed += chunk.length;
    if (this.stopped) {
      this.countLines(chunk, 0); // only counted: a reader asks for the line of what it reads
      return;
    }
    if (this.first) {
      this.first = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    const keep = this.unitStart;
    if (keep > 0) this.shift(keep);
    // one flat string to scan: a concatenation (and a decoded chunk with accents is one) stays a tree
    // of pieces that every character access walks, about half as fast; a substring of it is flattened
    this.text = ` ${keep < this.text.length ? this.text.slice(keep) + chunk : chunk}`.substring(1);
    this.scan(false);
    if (!this.reserved && this.expected > 0 && this.n >= 256) this.reserve();
    if (!this.stopped && this.text.length - this.unitStart > MAX_RECORD_CHARS) {
      const issue: InputIssue = {
        file: this.file,
        line: this.state === COMMENT ? this.line : this.recordLine,
        col: 1,
        path: this.state === COMMENT ? `line ${this.line}` : `row ${this.recordLine}`,
        message: `expected a line or record of at most ${MAX_RECORD_CHARS / 1024 / 1024} Mi characters, found a longer one (an unterminated quoted field?); the rest of the file was not read`,
      };
      if (this.header) this.add(issue);
      else this.fatal = issue;
      this.stopped = true;
      this.tooLong = true;
    }
    if (this.stopped) {
      this.countLines(this.text, this.pos);
      this.pos = this.text.length;
      this.text = '';
    }
  }

  private countLines(t: string, from: number): void {
    for (let i = t.indexOf('\n', from); i !== -1; i = t.indexOf('\n', i + 1)) this.line++;
  }

  /** Ends the input: the roster, or every problem found. */
  end(): { roster?: Roster; issues: InputIssue[] } {
    if (!this.stopped) this.scan(true);
    this.text = '';
    if (this.fatal) return { issues: [this.fatal] };
    if (!this.header)
      return {
        issues: [
          {
            file: this.file,
            line: 1,
            col: 1,
            path: 'header',
            message: `expected a header row with columns ${REQUIRED_COLUMNS.join(', ')}, found an empty file`,
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
    const firstEntity = firstOfSame(this.entityHash.a, this.entity, n, this.entitySame.a);
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
      if (f === i || this.id.lengthAt(i) === 0) continue;
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

  /** The text before `by` is dropped: move every offset held. */
  private shift(by: number): void {
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

  /** The value of cell k of the current record, untrimmed. */
  private cell(k: number): string {
    const s = this.cs[k]!;
    const e = this.ce[k]!;
    const q = this.cq[k]!;
    if (q < 0) return this.text.substring(s, e);
    let inner = this.text.substring(s + 1, q);
    if (this.cx[k]) inner = inner.replaceAll('""', '"');
    return q + 1 < e ? inner + this.text.substring(q + 1, e) : inner;
  }

  /** A cell trimmed as every roster value is; '' for a column the file does not have. */
  private get(k: number): string {
    return k < 0 ? '' : this.cell(k).trim();
  }

  /**
   * Scans from `pos`; stops at the end of the text, or (not final) where the next character is needed
   * to decide (a CR, a quote inside a quoted field). Every complete record is handled as it ends.
   */
  private scan(final: boolean): void {
    const t = this.text;
    const n = t.length;
    let i = this.pos;
    let state = this.state;
    /** Position of the next quote from i on (n: none), found once and reused while i is before it. */
    let nextQuote = -1;
    while (!this.stopped) {
      if (state === LINE_START) {
        if (i >= n) break;
        const c = t.charCodeAt(i);
        if (c === HASH) {
          this.unitStart = i;
          state = COMMENT;
          continue;
        }
        if (c === LF) {
          i++;
          this.line++;
          this.unitStart = i;
          continue;
        }
        if (c === CR) {
          if (i + 1 >= n && !final) {
            this.unitStart = i;
            break;
          }
          if (t.charCodeAt(i + 1) === LF) {
            i += 2;
            this.line++;
            this.unitStart = i;
            continue;
          }
        }
        // a record starts
        this.unitStart = i;
        this.recordLine = this.line;
        this.ncells = 0;
        this.cellStart = i;
        this.quoteEnd = -1;
        this.escaped = false;
        // the usual record, one line without quotes: its cells found by searching for commas
        const nl = t.indexOf('\n', i);
        if (nl >= 0) {
          if (nextQuote < i) {
            nextQuote = t.indexOf('"', i);
            if (nextQuote < 0) nextQuote = n;
          }
          if (nextQuote > nl) {
            const end = nl > i && t.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
            let from = i;
            for (let comma = t.indexOf(',', from); comma !== -1 && comma < end; comma = t.indexOf(',', from)) {
              this.cellStart = from;
              this.pushCell(comma);
              from = comma + 1;
            }
            this.cellStart = from;
            i = this.closeRecord(end, nl + 1, true);
            continue;
          }
        } else if (!final) break; // the record is not complete yet
        state = CELL_START;
        continue;
      }
      if (state === COMMENT) {
        const nl = t.indexOf('\n', Math.max(i, this.unitStart + 1));
        if (nl < 0) {
          if (!final) {
            i = n;
            break;
          }
          this.comment(this.unitStart + 1, n);
          i = n;
          state = LINE_START;
          this.unitStart = n;
          continue;
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
        if (t.charCodeAt(i) === QUOTE) {
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
          const c = t.charCodeAt(i);
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
          if (c === LF || (c === CR && i + 1 < n && t.charCodeAt(i + 1) === LF)) {
            i = this.closeRecord(i, c === LF ? i + 1 : i + 2, true);
            state = LINE_START;
            ended = true;
            break;
          }
          if (c === CR && i + 1 >= n && !final) break; // CRLF or a lone CR (data): the next character decides
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
          const c = t.charCodeAt(i);
          if (c === QUOTE) {
            if (i + 1 >= n && !final) break; // "" or the closing quote: decided by the next character
            if (t.charCodeAt(i + 1) === QUOTE) {
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
          // unterminated: the field runs to the end of the text
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
   * The record's last cell ends at `cellEnd`, then its line end (`lineEnd`) up to `next`: the record is
   * read, and the next unit starts at `next`, which is returned.
   */
  private closeRecord(cellEnd: number, next: number, lineEnd: boolean): number {
    this.pushCell(cellEnd);
    if (lineEnd) this.line++;
    this.endRecord();
    this.unitStart = next;
    return next;
  }

  private comment(from: number, to: number): void {
    let c = this.text.slice(from, to);
    if (c.endsWith('\r')) c = c.slice(0, -1);
    this.comments.push(c.trim());
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
    cols.forEach((c, i) => {
      if (!ALL_COLUMNS.includes(c)) {
        const hint = didYouMean(c, ALL_COLUMNS);
        this.add({
          file,
          line,
          col: i + 1,
          path: `header, column ${i + 1}`,
          message: `unknown column ${shown(c)}${hint ? ` (did you mean "${hint}"?)` : ''}; expected columns: ${ALL_COLUMNS.join(', ')}`,
        });
      } else if (at.has(c)) {
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
  }

  /**
   * Appends cell k, trimmed, to a text column: as a range of the text when the cell is unquoted and
   * begins and ends with a printable ASCII character (nothing to trim), else as a string. With
   * `unlessEmpty`, an empty value is not appended and false returned.
   */
  private addText(col: SlicedTextColumn, k: number, unlessEmpty = false): boolean {
    if (k >= 0 && this.cq[k]! < 0) {
      const s = this.cs[k]!;
      const e = this.ce[k]!;
      if (e === s) {
        if (unlessEmpty) return false;
        col.add(this.text, s, e);
        return true;
      }
      const a = this.text.charCodeAt(s);
      const b = this.text.charCodeAt(e - 1);
      if (a > 32 && a < 127 && b > 32 && b < 127) {
        col.add(this.text, s, e);
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
    const t = this.text;
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
              : t.charCodeAt(s) === 97
                ? Cat.Associate
                : Cat.SmePilot;
    if (c < 0) return -1;
    return this.spells(s, len, CATEGORIES[c]!) ? c : -1;
  }

  /**
   * Whether the `len` characters of the text at `s` are `word` (a character loop: String#startsWith
   * with a position was about a fifth of the row checks in a profile).
   */
  private spells(s: number, len: number, word: string): boolean {
    if (len !== word.length) return false;
    const t = this.text;
    for (let k = 0; k < len; k++) if (t.charCodeAt(s + k) !== word.charCodeAt(k)) return false;
    return true;
  }

  /** Class units of a cell spelled `N` or `N/M` in digits (not quoted): the value, or 0 to read it the long way. */
  private classAt(k: number): number {
    const s = this.cs[k]!;
    const e = this.ce[k]!;
    if (this.cq[k]! >= 0 || e === s || e - s > 12) return 0;
    const t = this.text;
    let a = 0;
    let j = s;
    for (; j < e; j++) {
      const d = t.charCodeAt(j) - 48;
      if (d < 0 || d > 9) break;
      a = a * 10 + d;
    }
    if (j === s) return 0;
    if (j === e) return a > 0 ? a : 0;
    if (t.charCodeAt(j) !== 47) return 0; // '/'
    let b = 0;
    const from = ++j;
    for (; j < e; j++) {
      const d = t.charCodeAt(j) - 48;
      if (d < 0 || d > 9) return 0;
      b = b * 10 + d;
    }
    if (j === from) return 0;
    const v = a / b;
    return Number.isFinite(v) && v > 0 ? v : 0;
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
      const t = this.text;
      const s = this.cs[k]!;
      const a = t.charCodeAt(s) - 65;
      const b = t.charCodeAt(s + 1) - 65;
      const c = t.charCodeAt(s + 2) - 65;
      if (a >= 0 && a < 26 && b >= 0 && b < 26 && c >= 0 && c < 26) {
        const key = (a * 26 + b) * 26 + c;
        let e = this.countryByCode[key];
        if (e === undefined) {
          const code = t.substring(s, s + 3);
          e = this.countryEntry(code, code === '' ? undefined : this.countries.get(code));
          this.countryByCode[key] = e;
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
    return { code, number, row };
  }

  /**
   * A number cell: NaN when empty, -1 after reporting a problem. Plain whole numbers are read from the
   * characters; anything else goes through the decimal pattern and Number, as before.
   */
  private numberAt(k: number, name: string, integer: boolean): number {
    if (k < 0) return NaN;
    if (this.cq[k]! < 0) {
      const t = this.text;
      const s = this.cs[k]!;
      const e = this.ce[k]!;
      if (e === s) return NaN;
      if (e - s <= 15) {
        let v = 0;
        let j = s;
        for (; j < e; j++) {
          const d = t.charCodeAt(j) - 48;
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
    if (this.id.lengthAt(i) === 0) this.rowIssue(this.iId, 'id', 'expected a non-empty id');
    else this.idHash.a[i] = this.id.hash(i); // a duplicate is reported at the end, in its place (duplicateIds)
    if (!this.addText(this.entity, this.iEntity, true)) this.entity.addSameAs(this.id, i); // an empty entity: the id
    const eh = this.entity.hash(i);
    this.entityHash.a[i] = eh;
    if (i > 0 && eh === this.entityHash.a[i - 1] && this.entity.same(i, i - 1)) this.entitySame.a[i] = 1;
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
      const c = this.text.charCodeAt(this.cs[this.iSector]!);
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
    this.dev.a[i] = country.row?.dev ?? 0;
    this.gni.a[i] = country.row?.gniPerCapitaUsd ?? NaN;
    this.fullFee.a[i] = parent.row !== undefined && parent.row.dev === Dev.Developed ? 1 : 0;
    this.employees.a[i] = employees < 0 ? NaN : employees;
    this.turnover.a[i] = turnoverUsd < 0 ? NaN : turnoverUsd;
    this.classUnits.a[i] = classUnits;
    this.independent.a[i] = independent ? 1 : 0;
    this.meetings.a[i] = meetingsPerYear < 0 ? NaN : meetingsPerYear;
    this.lines.a[i] = line;
    this.n = i + 1;
  }
}
