import { z } from 'zod';
import { didYouMean, type InputIssue } from '../domain/issues.js';
import { getIn, isReservedKey, reservedKeyMessage, reservedKeyPaths, setIn } from './paths.js';
import { OPTION_KINDS, type Scenario, ScenarioSchema } from './schema.js';
import { yamlLibrary } from './yaml-lib.js';
import { hasPath, locate, parseYaml, type YamlSource } from './yaml-source.js';
import { readYamlInlineValue } from './yaml-subset.js';

/** File access, injected so that loading stays pure and testable. */
export interface ScenarioIo {
  /** Text of a file, undefined when it does not exist, or why it cannot be read (a FIFO, too large, …). */
  read(file: string): string | undefined | { problem: string };
  /** A path relative to the file that names it, made absolute. */
  resolve(fromFile: string, relative: string): string;
  /** How a file is named in messages (e.g. relative to the working folder); default: as is. */
  display?(file: string): string;
}

/** One `--set path=value` override. */
export interface Override {
  path: string[];
  value: unknown;
  raw: string;
}

export interface LoadedScenario {
  file: string;
  scenario: Scenario;
  /** roster, feeSchedule and countries, resolved against the file that set each. */
  paths: { roster: string; feeSchedule: string; countries: string };
  /** The `extends` chain, this file first. */
  chain: string[];
  /** Where each of `paths` was named: the scenario line, or the `--set` argument. */
  origins: Partial<Record<'roster' | 'feeSchedule' | 'countries', { file: string; line?: number; col?: number; path: string }>>;
  /** The `--set` overrides applied. */
  overrides: Override[];
}

/** Longest string accepted anywhere in a scenario (labels and titles: LABEL_MAX). */
export const STRING_MAX = 10_000;
export const LABEL_MAX = 200;

/** Longest --set argument a message repeats whole; a longer one is cut, with its length. */
export const SET_ARG_SHOWN = 120;
/**
 * A --set argument as messages show it: whole up to SET_ARG_SHOWN characters, else its start and its
 * length (a 6,000-character expression or a 100,000-character title must not fill the screen, twice).
 */
export function shownSetArg(raw: string): string {
  return raw.length <= SET_ARG_SHOWN ? raw : `${raw.slice(0, SET_ARG_SHOWN - 20)}… (${raw.length.toLocaleString('en-US')} characters)`;
}

/** Parses `path=value`; the value is read as YAML, so numbers, booleans and `{dist: …}` work. */
export function parseOverride(text: string): { override?: Override; issue?: InputIssue } {
  const eq = text.indexOf('=');
  const path = eq > 0 ? text.slice(0, eq).trim() : '';
  const shown = shownSetArg(text);
  if (!path || !/^[\w$-]+(\.[\w$-]+)*$/.test(path))
    return { issue: { file: '--set', path: shown, message: 'expected path=value, for example --set horizon.years=6' } };
  const keys = path.split('.');
  const reserved = keys.find(isReservedKey);
  if (reserved) return { issue: { file: '--set', path: shown, message: reservedKeyMessage(reserved) } };
  let value: unknown;
  try {
    const raw = text.slice(eq + 1);
    const fast = readYamlInlineValue(raw); // the library's own value, without loading it (yaml-subset.ts)
    value = fast ? fast.value : yamlLibrary().parse(raw);
  } catch (e) {
    return { issue: { file: '--set', path: shown, message: `value is not valid YAML: ${(e as Error).message.split('\n')[0]}` } };
  }
  const inValue = reservedKeyPaths(value)[0];
  if (inValue) return { issue: { file: '--set', path: shown, message: reservedKeyMessage(inValue[inValue.length - 1]!) } };
  return { override: { path: keys, value, raw: text } };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Child over parent: objects merge key by key, `null` deletes a key, anything else replaces. */
export function deepMerge(parent: unknown, child: unknown): unknown {
  if (!isPlainObject(parent) || !isPlainObject(child)) return child;
  const out: Record<string, unknown> = { ...parent };
  for (const [k, v] of Object.entries(child)) {
    if (isReservedKey(k)) continue; // reported by parseYaml / parseOverride; never merged
    if (v === null) delete out[k];
    // A distribution is atomic: `{dist: normal, …}` replaces a parent's triangular, it does not merge into it.
    else if (isPlainObject(v) && 'dist' in v) out[k] = v;
    else out[k] = deepMerge(parent[k], v);
  }
  return out;
}

const PATH_KEYS = ['roster', 'feeSchedule', 'countries'] as const;

/**
 * Loads a scenario: YAML with line numbers, `extends` chains (child wins; cycles and missing parents
 * reported), `--set` overrides, then the zod schema. Every issue, located, in one pass.
 */
export function loadScenario(
  file: string,
  io: ScenarioIo,
  overrides: Override[] = [],
): { loaded?: LoadedScenario; issues: InputIssue[]; warnings?: InputIssue[] } {
  const sources: YamlSource[] = [];
  const issues: InputIssue[] = [];
  const warnings: InputIssue[] = [];
  const chain: string[] = [];
  const show = (f: string) => io.display?.(f) ?? f;
  let current: string | undefined = file;
  let from: { file: string; line?: number; col?: number } | undefined;
  while (current !== undefined) {
    if (chain.includes(current)) {
      issues.push({
        file: from!.file,
        line: from!.line,
        col: from!.col,
        path: 'extends',
        message: `circular extends: ${[...chain, current].map(show).join(' -> ')}`,
      });
      break;
    }
    chain.push(current);
    const read = io.read(current);
    if (typeof read === 'object') {
      issues.push(
        from
          ? { file: from.file, line: from.line, col: from.col, path: 'extends', message: `extends ${show(current)}, which ${read.problem}` }
          : { file: current, path: '', message: `scenario file ${read.problem}` },
      );
      break;
    }
    const text = read;
    if (text === undefined) {
      issues.push(
        from
          ? {
              file: from.file,
              line: from.line,
              col: from.col,
              path: 'extends',
              message: `extends a file that does not exist: ${show(current)}`,
            }
          : { file: current, path: '', message: 'scenario file not found' },
      );
      break;
    }
    const { source, issues: yamlIssues, warnings: yamlWarnings } = parseYaml(text, current);
    for (const i of yamlIssues) issues.push(i);
    for (const w of yamlWarnings) warnings.push(w);
    if (!source) break;
    if (!isPlainObject(source.value)) {
      issues.push({
        file: current,
        line: 1,
        col: 1,
        path: '',
        message: `expected a mapping of scenario keys, found ${source.value === null ? 'an empty document' : Array.isArray(source.value) ? 'a list' : typeof source.value}`,
      });
      break;
    }
    sources.push(source);
    const ext = source.value.extends;
    if (ext === undefined) current = undefined;
    else if (typeof ext !== 'string') {
      issues.push({ file: current, ...locate(source, ['extends']), path: 'extends', message: `expected a file path, found ${typeof ext}` });
      current = undefined;
    } else {
      from = { file: current, ...locate(source, ['extends']) };
      current = io.resolve(current, ext);
    }
  }
  if (issues.length) return { issues, warnings };

  // Merge parents first, child last; resolve file paths against the file that set them.
  let merged: Record<string, unknown> = {};
  const paths: Record<string, string> = {};
  const origins: LoadedScenario['origins'] = {};
  for (const src of [...sources].reverse()) {
    const v = src.value as Record<string, unknown>;
    merged = deepMerge(merged, v) as Record<string, unknown>;
    for (const k of PATH_KEYS)
      if (typeof v[k] === 'string') {
        paths[k] = io.resolve(src.file, v[k] as string);
        origins[k] = { file: src.file, ...locate(src, [k]), path: k };
      }
  }
  delete merged.extends;
  for (const o of overrides) {
    setIn(merged, o.path, o.value);
    const k = o.path[0];
    if (o.path.length === 1 && (PATH_KEYS as readonly string[]).includes(k!) && typeof o.value === 'string') {
      paths[k!] = io.resolve(file, o.value);
      origins[k as (typeof PATH_KEYS)[number]] = { file: '--set', path: shownSetArg(o.raw) };
    }
  }

  // Strings of any length would reach tables and terminals: bounded before the schema runs.
  for (const issue of longStrings(merged)) issues.push(locateIssue(issue as z.core.$ZodIssue, sources, overrides, merged));
  const parsed = ScenarioSchema.safeParse(merged);
  if (!parsed.success || issues.length) {
    for (const issue of parsed.error?.issues ?? []) issues.push(locateIssue(issue, sources, overrides, merged));
    return { issues: sortIssues(issues), warnings };
  }
  return {
    loaded: {
      file,
      scenario: parsed.data,
      chain,
      paths: { roster: paths.roster!, feeSchedule: paths.feeSchedule!, countries: paths.countries! },
      origins,
      overrides,
    },
    issues: [],
    warnings,
  };
}

/** Every string longer than its limit, as zod-style custom issues (iterative: no depth limit). */
function longStrings(root: unknown): { code: 'custom'; path: (string | number)[]; message: string; input: unknown }[] {
  const out: { code: 'custom'; path: (string | number)[]; message: string; input: unknown }[] = [];
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: root, path: [] }];
  while (stack.length && out.length < 100) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'string') {
      const key = path[path.length - 1];
      const max = key === 'label' || key === 'title' ? LABEL_MAX : STRING_MAX;
      if (v.length > max)
        out.push({
          code: 'custom',
          path,
          input: v,
          message: `text of ${v.length.toLocaleString('en-GB')} characters; at most ${max.toLocaleString('en-GB')} are allowed here`,
        });
    } else if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, path: [...path, i] }));
    else if (isPlainObject(v)) for (const [k, x] of Object.entries(v)) stack.push({ v: x, path: [...path, k] });
  }
  return out;
}

function sortIssues(list: InputIssue[]): InputIssue[] {
  return list.sort((a, b) => (a.file === b.file ? (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0) : 0));
}

function locateIssue(issue: z.core.$ZodIssue, sources: YamlSource[], overrides: Override[], merged: unknown): InputIssue {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const fullPath = unknownKey === undefined ? path : [...path, unknownKey];
  const dotted = fullPath.join('.');
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    message = issue.keys
      .map((k) => {
        const hint = didYouMean(k, knownKeys());
        return `unknown key "${k}"${hint ? ` (did you mean "${hint}"?)` : ''}`;
      })
      .join('; ');
  } else if (getIn(merged, path) === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) {
    message = `missing required key "${String(path[path.length - 1])}"`;
  } else if (issue.code === 'invalid_union' && path[path.length - 1] === 'kind') {
    message = `unknown option kind; expected one of ${OPTION_KINDS.join(', ')}`;
  } else if (issue.code === 'invalid_union') {
    message = unionMessage(issue, getIn(merged, path)) ?? message;
  } else if (issue.code === 'invalid_type' && issue.expected === 'number' && typeof getIn(merged, path) === 'string') {
    message = `expected a number, found the text ${quote(getIn(merged, path) as string)}${TEXT_HINT}`;
  }
  // An override that set this path, or a value inside it, or that introduced this (unknown) key.
  const ov = [...overrides]
    .reverse()
    .find(
      (o) =>
        o.path.every((seg, i) => String(fullPath[i]) === seg) ||
        (fullPath.every((seg, i) => o.path[i] === String(seg)) && !sources.some((src) => hasPath(src, fullPath))),
    );
  if (ov) return { file: '--set', path: dotted, message: `${message} (from --set ${shownSetArg(ov.raw)})` };
  // The file that defines the longest prefix of the path, child first.
  let best: YamlSource | undefined;
  let bestLen = -1;
  for (const src of sources) {
    for (let len = fullPath.length; len > bestLen; len--) {
      if (hasPath(src, fullPath.slice(0, len))) {
        best = src;
        bestLen = len;
        break;
      }
    }
  }
  const src = best ?? sources[0]!;
  return { file: src.file, ...locate(src, path, unknownKey), path: dotted, message };
}

const TEXT_HINT = ' (quotes or !!str make a value text; write the number bare)';
const quote = (t: string) => JSON.stringify(t.length > 40 ? `${t.slice(0, 40)}…` : t);

/** "Invalid input" from a union says what was expected instead: a number or a distribution, which one, which parameter. */
function unionMessage(issue: z.core.$ZodIssue & { code: 'invalid_union' }, value: unknown): string | undefined {
  const all = issue.errors.flat();
  const disc = all.find((i) => i.code === 'invalid_union' && 'discriminator' in i) as
    | (z.core.$ZodIssue & { discriminator?: string; options?: unknown[] })
    | undefined;
  const DIST_HELP = 'a number or a distribution such as {dist: normal, mean: …, sd: …}';
  if (typeof value === 'string') return `expected ${disc ? DIST_HELP : 'a number'}, found the text ${quote(value)}${TEXT_HINT}`;
  if (typeof value === 'boolean' || Array.isArray(value))
    return `expected ${disc ? DIST_HELP : 'a number'}, found ${Array.isArray(value) ? 'a list' : 'true/false'}`;
  if (!isPlainObject(value)) return undefined;
  if (disc && value[disc.discriminator ?? 'dist'] === undefined)
    return `expected ${DIST_HELP}, found a mapping without "${disc.discriminator ?? 'dist'}"`;
  if (disc)
    return `unknown distribution ${quote(String(value[disc.discriminator ?? 'dist']))}; expected one of ${(disc.options ?? []).join(', ')}`;
  // the branch the mapping was meant for: the one whose problems are inside it
  const branch = issue.errors.find((b) => b.length && b.every((i) => i.path.length > 0));
  if (!branch) return undefined;
  return branch
    .map((i) => {
      const key = i.path.map(String).join('.');
      if (i.code === 'invalid_type' && getIn(value, i.path as PropertyKey[]) === undefined) return `missing parameter "${key}"`;
      if (i.code === 'unrecognized_keys')
        return `unknown parameter${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')}`;
      return `${key}: ${i.message}`;
    })
    .join('; ');
}

let keyCache: string[] | undefined;
/** Every key name the schema knows, for "did you mean". */
function knownKeys(): string[] {
  if (keyCache) return keyCache;
  const keys = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (!isPlainObject(node)) return;
    if (isPlainObject(node.properties)) Object.keys(node.properties).forEach((k) => keys.add(k));
    Object.values(node).forEach(walk);
  };
  walk(z.toJSONSchema(ScenarioSchema, { unrepresentable: 'any', io: 'input' }));
  keyCache = [...keys];
  return keyCache;
}
