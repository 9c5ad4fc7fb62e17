import type { Document, LineCounter } from 'yaml';
import type { InputIssue } from '../domain/issues.js';
import { reservedKeyMessage, reservedKeyPaths } from './paths.js';
import { yamlLibrary } from './yaml-lib.js';
import { readYamlSubset, type YamlSubsetResult } from './yaml-subset.js';

/** A parsed YAML file that can say where any path inside it is. */
export interface YamlSource {
  file: string;
  /** The library's document (parsed on first use when the file was read by the subset reader). */
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
  value: unknown;
  /** What the subset reader found, when it read the file: locates top-level values without the library. */
  readonly subset?: YamlSubsetResult;
}

/** A file the subset reader read: the library parses it only if a message must be located inside it. */
class SubsetSource implements YamlSource {
  #parsed?: { doc: Document.Parsed; lines: LineCounter };
  constructor(
    readonly file: string,
    readonly value: unknown,
    readonly subset: YamlSubsetResult,
    private readonly text: string,
  ) {}
  get doc(): Document.Parsed {
    return this.parsed().doc;
  }
  get lines(): LineCounter {
    return this.parsed().lines;
  }
  private parsed(): { doc: Document.Parsed; lines: LineCounter } {
    this.#parsed ??= parseWithLibrary(this.text);
    return this.#parsed;
  }
}

function parseWithLibrary(text: string): { doc: Document.Parsed; lines: LineCounter } {
  const { LineCounter, parseDocument } = yamlLibrary();
  const lines = new LineCounter();
  return { doc: parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true }), lines };
}

/**
 * Parses one YAML document with line numbers. `warnings` holds what is accepted but suspicious: an
 * unknown tag (`!!js/function`, `!foo`) whose value is read as plain text. A file in the plain subset
 * (yaml-subset.ts: what scenario files are written in) is read without the `yaml` library, to the
 * same value; anything else, and every error, goes through the library.
 */
export function parseYaml(text: string, file: string): { source?: YamlSource; issues: InputIssue[]; warnings: InputIssue[] } {
  const body = text.replace(/^\uFEFF/, '');
  const subset = readYamlSubset(body);
  // the subset reader refuses `__proto__`, `constructor` and `prototype` keys: the library reports them below
  if (subset) return { source: new SubsetSource(file, subset.value, subset, body), issues: [], warnings: [] };
  const { doc, lines } = parseWithLibrary(body);
  const issues: InputIssue[] = doc.errors.map((e) => ({
    file,
    line: e.linePos?.[0].line,
    col: e.linePos?.[0].col,
    path: '',
    message: `YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
  }));
  if (issues.length) return { issues, warnings: [] };
  const warnings: InputIssue[] = doc.warnings.map((w) => ({
    file,
    line: w.linePos?.[0].line,
    col: w.linePos?.[0].col,
    path: '',
    message:
      w.code === 'TAG_RESOLVE_FAILED'
        ? `warning: unknown YAML tag ${w.message.split(' ')[2]?.replace(/^tag:yaml\.org,2002:/, '!!') ?? ''}; its value is read as plain text`
        : `warning: YAML: ${w.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
  }));
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { issues: [{ file, line: 1, col: 1, path: '', message: `YAML: ${(e as Error).message}` }], warnings };
  }
  const source: YamlSource = { file, doc, lines, value };
  // `__proto__`, `constructor`, `prototype` as keys: reported at the key, never merged (paths.ts)
  const reserved = reservedKeyPaths(value).map((p) => ({
    file,
    ...locate(source, p.slice(0, -1), p[p.length - 1]),
    path: p.join('.'),
    message: reservedKeyMessage(p[p.length - 1]!),
  }));
  if (reserved.length) return { issues: reserved, warnings };
  return { source, issues: [], warnings };
}

/** True when the document has a node at this path. */
export function hasPath(src: YamlSource, path: readonly PropertyKey[]): boolean {
  const { isMap, isSeq } = yamlLibrary();
  let node: unknown = src.doc.contents;
  for (const seg of path) {
    if (!(isMap(node) || isSeq(node))) return false;
    node = node.get(seg as never, true);
    if (node === undefined) return false;
  }
  return true;
}

/** Line and column of the deepest node that exists along the path (the key itself for unknown keys). */
export function locate(src: YamlSource, path: readonly PropertyKey[], unknownKey?: string): { line: number; col: number } {
  // a top-level value written on its key's line (roster, extends, …): known without the library
  const top = path.length === 1 && unknownKey === undefined ? src.subset?.topValueOffsets.get(String(path[0])) : undefined;
  if (top !== undefined) return linePos(src.subset!.lineStarts, top);
  const { isMap, isNode, isScalar, isSeq } = yamlLibrary();
  let node: unknown = src.doc.contents;
  let best: unknown = node;
  for (const seg of path) {
    if (!(isMap(node) || isSeq(node))) break;
    const next = node.get(typeof seg === 'symbol' ? String(seg) : seg, true);
    if (next === undefined) break;
    node = next;
    if (isNode(node) && node.range) best = node;
    else if (isMap(node) || isSeq(node)) best = node;
  }
  if (unknownKey !== undefined && isMap(node)) {
    const key = node.items.find((p) => isScalar(p.key) && p.key.value === unknownKey)?.key;
    if (isNode(key)) best = key;
  }
  const offset = isNode(best) && best.range ? best.range[0] : 0;
  return src.lines.linePos(offset);
}

/** Line and column (from 1) of an offset, as the library's LineCounter.linePos gives them. */
function linePos(lineStarts: readonly number[], offset: number): { line: number; col: number } {
  let low = 0;
  let high = lineStarts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (lineStarts[mid]! < offset) low = mid + 1;
    else high = mid;
  }
  if (lineStarts[low] === offset) return { line: low + 1, col: 1 };
  if (low === 0) return { line: 0, col: offset };
  return { line: low, col: offset - lineStarts[low - 1]! + 1 };
}

/** Validates a single YAML document against a zod schema, locating each issue in the file. */
export function validateYaml<T>(
  src: YamlSource,
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string; code: string; keys?: string[] }[] } };
  },
): { data?: T; issues: InputIssue[] } {
  const r = schema.safeParse(src.value);
  if (r.success) return { data: r.data, issues: [] };
  return {
    issues: r.error.issues.map((i) => {
      const key = i.code === 'unrecognized_keys' ? i.keys?.[0] : undefined;
      return {
        file: src.file,
        ...locate(src, i.path, key),
        path: [...i.path, ...(key ? [key] : [])].map(String).join('.'),
        message: key ? `unknown key "${key}"` : i.message,
      };
    }),
  };
}
