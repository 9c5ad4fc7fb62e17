/**
 * A fast reader for the plain subset of YAML that scenario and fee-schedule files are written in:
 * block mappings and sequences, one-line flow collections (`{ dist: pert, min: 1 }`, `[a, b]`),
 * plain, single- and double-quoted one-line scalars, comments. It gives exactly the value the `yaml`
 * library gives (core schema, the same resolution of null, booleans, integers and floats) — or
 * `undefined` ("declined") for anything else: anchors, aliases, tags, block scalars, multi-line
 * scalars, escapes, tabs, CR line ends, duplicate or unusual keys, documents markers. A declined
 * text goes to the `yaml` library (yaml-source.ts), which also reports every error with its line.
 *
 * Why: the `yaml` library spent ~55-60 ms of a ~290 ms `feesim validate` on its first, cold parse of
 * pp18-options.yaml (issue 12's start-up targets); this reader takes a few milliseconds. The
 * library is still loaded, lazily, when a located message needs the document (yaml-source.ts).
 * test/yaml-subset.test.ts compares the two on every shipped file and on thousands of mutations.
 *
 * @example
 * readYamlSubset('a: 1\nb: [x, "y z"]  # note\n')?.value // → { a: 1, b: ['x', 'y z'] }
 * readYamlSubset('a: &anchor 1\n') // → undefined (anchors are left to the library)
 */

export interface YamlSubsetResult {
  value: Record<string, unknown>;
  /** Offset in the text of each top-level (text) key's value, for a value written on the key's line. */
  topValueOffsets: Map<string, number>;
  /** Offset at which each line starts (line k + 1 starts at lineStarts[k]). */
  lineStarts: number[];
}

/** Thrown inside the reader when the text leaves the subset; never escapes it. */
class Declined {}
const DECLINED = new Declined();

interface Line {
  indent: number;
  /** Offset of the first non-space character in the text. */
  start: number;
  /** The line from its first non-space character, end of line excluded. */
  text: string;
}

// The core schema's tests, in the library's order (yaml/dist/schema/core/*.js).
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** A plain scalar's value under the core schema, as the `yaml` library resolves it. */
export function resolvePlain(s: string): unknown {
  if (NULL.test(s)) return null;
  if (BOOL.test(s)) return s[0] === 't' || s[0] === 'T';
  if (INT_OCT.test(s)) return parseInt(s.substring(2), 8);
  if (INT.test(s)) return parseInt(s, 10);
  if (INT_HEX.test(s)) return parseInt(s.substring(2), 16);
  if (FLOAT_NAN.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? Number.NaN : s[0] === '-' ? -Infinity : Infinity;
  if (FLOAT_EXP.test(s) || FLOAT.test(s)) return parseFloat(s);
  return s;
}

// Characters that may not start a plain scalar here (indicators), and characters refused anywhere:
// control characters other than newline (tabs included), CR, BOM, NEL and the Unicode line separators.
const PLAIN_START = /^[^\s\-?:,[\]{}#&*!|>'"%@`]|^[-?:][^\s,[\]{}]/;
const REFUSED_CHARS = /[\u0000-\u0009\u000b-\u001f\u007f\u0085\u2028\u2029\ufeff]/;
// A key: a plain word (letters, digits, `$`, `_`, `-`, `.`, `/`) that resolves to text, or a plain
// integer (its text is the object key the library makes of it); then `:` and a space or the line end.
const KEY_WORD = String.raw`([A-Za-z_$][\w$.\-/]*|0|[1-9][0-9]{0,14})`;
const KEY = new RegExp(`^${KEY_WORD}:(?: +|$)`);
const FLOW_KEY = new RegExp(`${KEY_WORD}: +`, 'y');
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype', '<<']);

/** Declines a key the library would treat otherwise: reserved, repeated, or not text (`null:`, `true:`). */
function checkKey(key: string, taken: boolean): void {
  if (taken || RESERVED_KEYS.has(key)) throw DECLINED;
  if (!/^[0-9]/.test(key) && typeof resolvePlain(key) !== 'string') throw DECLINED;
}
/**
 * Nesting beyond this (block levels, and flow levels, each) is left to the library, which reports its
 * own limit (~800 levels) as an error: the reader must not accept what it rejects, nor overflow the
 * stack itself. Scenario files nest 4–6 levels.
 */
const MAX_DEPTH = 64;

/** Reads `text` (BOM already removed) if it is in the subset; `undefined` otherwise. */
export function readYamlSubset(text: string): YamlSubsetResult | undefined {
  if (REFUSED_CHARS.test(text)) return undefined;
  const lineStarts: number[] = [0];
  const lines: Line[] = [];
  let pos = 0;
  while (pos <= text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    let i = pos;
    while (i < end && text.charCodeAt(i) === 32) i++;
    const content = text.slice(i, end);
    if (content !== '' && content[0] !== '#') {
      if (i === pos && (content.startsWith('---') || content.startsWith('...') || content[0] === '%')) return undefined;
      lines.push({ indent: i - pos, start: i, text: content });
    }
    if (end === text.length) break;
    pos = end + 1;
    lineStarts.push(pos);
  }
  if (!lines.length || lines[0]!.indent !== 0) return undefined; // empty, or not a mapping at the left edge
  try {
    const reader = new BlockReader(lines);
    const topValueOffsets = new Map<string, number>();
    const value = reader.mapping(0, topValueOffsets);
    if (reader.next < lines.length) return undefined;
    return { value, topValueOffsets, lineStarts };
  } catch (e) {
    // (a RangeError — stack or string length — cannot come from MAX_DEPTH-bounded input; declined all the same)
    if (e instanceof Declined || e instanceof RangeError) return undefined;
    throw e;
  }
}

/**
 * One value written on a single line (`300`, `"ends 2020"`, `{ dist: pert, min: 1 }`), as `--set`
 * takes it; `undefined` when it is not in the subset.
 */
export function readYamlInlineValue(text: string): { value: unknown } | undefined {
  // `---` and `...` at the start are document markers to the library (`--- a` is "a", `...` is null)
  if (REFUSED_CHARS.test(text) || text.includes('\n') || text.startsWith('---') || text.startsWith('...')) return undefined;
  const trimmed = text.replace(/^ +/, '');
  if (trimmed === '' || trimmed[0] === '#') return undefined; // the library's own answer for "no value"
  try {
    const { value, end } = inlineValue(trimmed, 0);
    return afterValue(trimmed, end) ? { value } : undefined;
  } catch (e) {
    // (a RangeError — stack or string length — cannot come from MAX_DEPTH-bounded input; declined all the same)
    if (e instanceof Declined || e instanceof RangeError) return undefined;
    throw e;
  }
}

class BlockReader {
  next = 0;
  private depth = 0;
  constructor(private readonly lines: Line[]) {}

  /** The block value that starts on the next line, when it is indented more than `parent` (else null). */
  private nested(parent: number, sequenceAllowedAt: number): unknown {
    const line = this.lines[this.next];
    if (!line) return null;
    const nests = line.indent > parent || (line.indent === sequenceAllowedAt && isSequenceItem(line.text));
    if (!nests) return null;
    if (++this.depth > MAX_DEPTH) throw DECLINED;
    // a sequence may sit at its key's own indentation: `key:\n- a\n- b`
    const value = line.indent > parent ? this.block(line.indent) : this.sequence(line.indent);
    this.depth--;
    return value;
  }

  private block(indent: number): unknown {
    return isSequenceItem(this.lines[this.next]!.text) ? this.sequence(indent) : this.mapping(indent);
  }

  mapping(indent: number, topValueOffsets?: Map<string, number>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    for (let line = this.lines[this.next]; line && line.indent === indent; line = this.lines[this.next]) {
      if (isSequenceItem(line.text)) break;
      const m = KEY.exec(line.text);
      if (!m) throw DECLINED;
      const key = m[1]!;
      if (key.length > 1000) throw DECLINED; // the library's limit for an implicit key
      checkKey(key, seen.has(key));
      seen.add(key);
      this.next++;
      const rest = line.text.slice(m[0].length);
      if (rest === '' || rest[0] === '#') {
        out[key] = this.nested(indent, indent);
      } else {
        const { value, end } = inlineValue(rest, 0);
        if (!afterValue(rest, end)) throw DECLINED;
        out[key] = value;
        // (a numeric key is a number in the library's document, which `locate` by text does not find there)
        if (!/^[0-9]/.test(key)) topValueOffsets?.set(key, line.start + m[0].length);
        this.noContinuation(indent);
      }
    }
    return out;
  }

  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    for (let line = this.lines[this.next]; line && line.indent === indent && isSequenceItem(line.text); line = this.lines[this.next]) {
      let skip = 1;
      while (line.text.charCodeAt(skip) === 32) skip++;
      const rest = line.text.slice(skip);
      if (rest === '' || rest[0] === '#') {
        this.next++;
        out.push(this.nested(indent, -1));
      } else if (isSequenceItem(rest)) {
        throw DECLINED; // `- - a`
      } else if (KEY.test(rest)) {
        // a mapping that starts on the item's line: its keys line up with the first one
        this.lines[this.next] = { indent: indent + skip, start: line.start + skip, text: rest };
        if (++this.depth > MAX_DEPTH) throw DECLINED;
        out.push(this.mapping(indent + skip));
        this.depth--;
      } else {
        this.next++;
        const { value, end } = inlineValue(rest, 0);
        if (!afterValue(rest, end)) throw DECLINED;
        out.push(value);
        this.noContinuation(indent);
      }
    }
    return out;
  }

  /** After a value on its key's line, a more indented line would continue a scalar: not in the subset. */
  private noContinuation(indent: number): void {
    const line = this.lines[this.next];
    if (line && line.indent > indent) throw DECLINED;
  }
}

function isSequenceItem(text: string): boolean {
  return text[0] === '-' && (text.length === 1 || text[1] === ' ');
}

/** True when only spaces and a comment follow position `end`. */
function afterValue(s: string, end: number): boolean {
  let i = end;
  while (s.charCodeAt(i) === 32) i++;
  return i === s.length || (s[i] === '#' && i > end);
}

/** End of s[i, end) without its trailing spaces (a loop: a `/ +$/` regex backtracks quadratically on inner runs of spaces). */
function trimEnd(s: string, i: number, end: number): number {
  while (end > i && s.charCodeAt(end - 1) === 32) end--;
  return end;
}

/** A value on one line from position i: a flow collection, a quoted scalar or a plain scalar (block context). */
function inlineValue(s: string, i: number): { value: unknown; end: number } {
  const c = s[i];
  if (c === '{' || c === '[') return flowCollection(s, i, 1);
  if (c === '"' || c === "'") return quoted(s, i);
  // a plain scalar runs to a comment (` #`) or the line's end
  let end = s.indexOf(' #', i);
  if (end < 0) end = s.length;
  const raw = s.slice(i, trimEnd(s, i, end));
  if (!PLAIN_START.test(raw) || raw.includes(': ') || raw.endsWith(':')) throw DECLINED;
  return { value: resolvePlain(raw), end: i + raw.length };
}

/** A one-line quoted scalar without escapes (`\` in a double-quoted one is left to the library). */
function quoted(s: string, i: number): { value: string; end: number } {
  const q = s[i]!;
  let out = '';
  let j = i + 1;
  for (;;) {
    const k = s.indexOf(q, j);
    if (k < 0) throw DECLINED; // continues on the next line
    out += s.slice(j, k);
    if (q === "'" && s[k + 1] === "'") {
      out += "'";
      j = k + 2;
      continue;
    }
    j = k + 1;
    break;
  }
  if (q === '"' && out.includes('\\')) throw DECLINED;
  return { value: out, end: j };
}

const FLOW_PLAIN = /[^,[\]{}:#]*/y;

/** `{ k: v, … }` or `[a, …]` closed on the same line; nested collections allowed (to MAX_DEPTH). */
function flowCollection(s: string, i: number, depth: number): { value: unknown; end: number } {
  if (depth > MAX_DEPTH) throw DECLINED;
  const close = s[i] === '{' ? '}' : ']';
  const isMap = close === '}';
  const map: Record<string, unknown> = {};
  const list: unknown[] = [];
  let j = skipSpaces(s, i + 1);
  if (s[j] === close) return { value: isMap ? map : list, end: j + 1 };
  for (;;) {
    if (isMap) {
      FLOW_KEY.lastIndex = j;
      const m = FLOW_KEY.exec(s);
      if (!m) throw DECLINED;
      const key = m[1]!;
      checkKey(key, Object.hasOwn(map, key));
      const v = flowValue(s, j + m[0].length, depth);
      map[key] = v.value;
      j = v.end;
    } else {
      const v = flowValue(s, j, depth);
      list.push(v.value);
      j = v.end;
    }
    j = skipSpaces(s, j);
    if (s[j] === close) return { value: isMap ? map : list, end: j + 1 };
    if (s[j] !== ',') throw DECLINED;
    j = skipSpaces(s, j + 1);
    if (s[j] === close || s[j] === ',') throw DECLINED; // a trailing or empty entry
  }
}

function flowValue(s: string, i: number, depth: number): { value: unknown; end: number } {
  const c = s[i];
  if (c === '{' || c === '[') return flowCollection(s, i, depth + 1);
  if (c === '"' || c === "'") return quoted(s, i);
  // a plain scalar in a flow collection ends at `,`, `]` or `}`; `:` and `#` inside are left to the library
  FLOW_PLAIN.lastIndex = i;
  const stopAt = i + FLOW_PLAIN.exec(s)![0].length;
  const raw = s.slice(i, trimEnd(s, i, stopAt));
  if (raw === '' || !PLAIN_START.test(raw)) throw DECLINED;
  const stop = s[stopAt];
  if (stop === ':' || stop === '#' || stop === '[' || stop === '{') throw DECLINED;
  return { value: resolvePlain(raw), end: i + raw.length };
}

function skipSpaces(s: string, i: number): number {
  while (s.charCodeAt(i) === 32) i++;
  return i;
}
