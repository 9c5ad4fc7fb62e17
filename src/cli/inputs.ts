import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { formatIssue, InputError, type InputIssue, isPseudoSource } from '../domain/issues.js';
import type { Roster } from '../domain/roster.js';
import type { InputRole } from '../export/provenance.js';
import { computeFees, type FeeSchedule, FeeScheduleSchema } from '../fees/fee-schedule.js';
import { type CountryTable, parseCountries } from '../roster/countries.js';
import { RosterParser } from '../roster/roster-stream.js';
import { type LoadedScenario, loadScenario, type Override, parseOverride, type ScenarioIo } from '../scenario/load-scenario.js';
import { parseYaml, validateYaml } from '../scenario/yaml-source.js';
import { type InputKind, readInputFile, type StreamResult, streamInputFile, streamInputFileSync, warn } from './read-input.js';

export { DEFAULTS, PACKAGE_ROOT } from './defaults.js';

/** Paths in messages are shown relative to the working directory when that is shorter. */
export function displayPath(file: string): string {
  if (file.startsWith('--')) return file;
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

export function readText(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Called with every input file read for a run, so that its provenance can name and hash it (sha256 in hex). */
export type ReadRecorder = (file: string, sha256: string) => void;

/** Where a run input was named: the scenario line (`roster: …`), a flag, or nowhere (a default). */
export type InputOrigin = Pick<InputIssue, 'file' | 'line' | 'col' | 'path'>;

/**
 * The input's path for a message about it at `origin`, with a leading blank: '' when the origin is a
 * flag (`--members`), whose issue shows the path as given already.
 */
function namedAgain(origin: InputOrigin, file: string): string {
  return isPseudoSource(origin.file) ? '' : ` ${displayPath(file)}`;
}

/**
 * Reads a run input through readInputFile (regular files only, size limits, UTF-8 check; recorded so
 * no output may replace it). A problem is reported at the place that named the file when known.
 */
function mustRead(
  file: string,
  what: string,
  kind: InputKind,
  record?: ReadRecorder,
  origin?: InputOrigin,
): { text: string; bytes: Uint8Array } {
  const r = readInputFile(file, what, kind, displayPath(file));
  if (r.text === undefined)
    throw new InputError([
      origin
        ? { ...origin, message: `${what}${namedAgain(origin, file)} ${r.problem}` }
        : { file: displayPath(file), path: '', message: `${what} ${r.problem}` },
    ]);
  record?.(file, sha256(r.bytes));
  return r;
}

export const nodeScenarioIo: ScenarioIo = {
  read: (f) => {
    const r = readInputFile(f, 'scenario', 'scenario', displayPath(f));
    return r.text ?? (r.missing ? undefined : { problem: r.problem });
  },
  resolve: (from, rel) => resolve(dirname(from), rel),
  display: displayPath,
};

export function loadCountries(file: string, record?: ReadRecorder, origin?: InputOrigin): CountryTable {
  const { table, issues } = parseCountries(mustRead(file, 'country table', 'table', record, origin).text, displayPath(file));
  if (issues.length) throw new InputError(issues);
  return table;
}

export function loadFeeSchedule(file: string, record?: ReadRecorder, origin?: InputOrigin): FeeSchedule {
  const { source, issues, warnings } = parseYaml(mustRead(file, 'fee schedule', 'table', record, origin).text, displayPath(file));
  for (const w of warnings) warn(formatIssue(w));
  if (!source) throw new InputError(issues);
  const r = validateYaml(source, FeeScheduleSchema);
  if (!r.data) throw new InputError(r.issues);
  return r.data;
}

export interface RosterWithFees {
  roster: Roster;
  fee: Float64Array;
  schedule: FeeSchedule;
  /** sha256 of the roster file's bytes. */
  sha256: string;
}

/** Roster problems and fee-class problems, all reported together. */
function rosterWithFees(
  file: string,
  parser: RosterParser,
  read: StreamResult,
  schedule: FeeSchedule,
  record?: ReadRecorder,
  origin?: InputOrigin,
): RosterWithFees {
  if (read.problem !== undefined)
    throw new InputError([
      origin
        ? { ...origin, message: `roster${namedAgain(origin, file)} ${read.problem}` }
        : { file: displayPath(file), path: '', message: `roster ${read.problem}` },
    ]);
  record?.(file, read.sha256);
  const { roster, issues, warnings } = parser.end();
  for (const w of warnings) warn(formatIssue(w));
  if (!roster) {
    // also name the place that chose this file: the scenario line or --members
    if (origin)
      issues.push({
        ...origin,
        message: isPseudoSource(origin.file)
          ? 'the roster named here has the problems above'
          : `the roster named here, ${displayPath(file)}, has the problems above`,
      });
    throw new InputError(issues);
  }
  const fees = computeFees(roster, schedule, displayPath(file));
  if (fees.issues.length) throw new InputError(fees.issues);
  return { roster, fee: fees.fee, schedule, sha256: read.sha256 };
}

/**
 * Reads a roster file in chunks straight into the columnar Roster (RosterParser; no whole-file string,
 * no object per row), hashing the same chunks, then computes today's fees. Synchronous: for tests and
 * callers that cannot wait; the CLI uses readRoster, which answers signals while it reads.
 */
export function loadRoster(
  file: string,
  countries: CountryTable,
  schedule: FeeSchedule,
  record?: ReadRecorder,
  origin?: InputOrigin,
): RosterWithFees {
  const parser = new RosterParser(displayPath(file), countries);
  const read = streamInputFileSync(file, 'roster', 'roster', displayPath(file), parser);
  return rosterWithFees(file, parser, read, schedule, record, origin);
}

/** loadRoster reading asynchronously: a signal (Ctrl+C, SIGTERM) stops a long read at once. */
export async function readRoster(
  file: string,
  countries: CountryTable,
  schedule: FeeSchedule,
  record?: ReadRecorder,
  origin?: InputOrigin,
): Promise<RosterWithFees> {
  const parser = new RosterParser(displayPath(file), countries);
  const read = await streamInputFile(file, 'roster', 'roster', displayPath(file), parser);
  return rosterWithFees(file, parser, read, schedule, record, origin);
}

export function parseOverrides(list: string[]): Override[] {
  const issues: InputIssue[] = [];
  const out: Override[] = [];
  for (const t of list) {
    const r = parseOverride(t);
    if (r.issue) issues.push(r.issue);
    else out.push(r.override!);
  }
  if (issues.length) throw new InputError(issues);
  return out;
}

/** One input file as read: absolute path and the sha256 of its bytes. */
export interface InputFile {
  role: InputRole;
  file: string;
  sha256: string;
}

export interface ScenarioInputs extends RosterWithFees {
  loaded: LoadedScenario;
  countries: CountryTable;
  /** sha256 of the resolved scenario (after extends and --set) and of the roster file. */
  scenarioHash: string;
  rosterHash: string;
  /** --members as an absolute path, when given. */
  membersFile?: string;
  /** --set overrides as given, in order. */
  overrides: string[];
  /** Every file the run read, in the order read: the scenario, its extends parents, country table, fee schedule, roster. */
  files: InputFile[];
}

/** Everything a scenario run reads, its roster read synchronously (tests; the CLI uses readScenarioInputs). */
export function loadScenarioInputs(file: string, overrides: Override[] = [], membersFile?: string): ScenarioInputs {
  const p = scenarioTables(file, overrides, membersFile);
  return withRoster(p, loadRoster(p.rosterFile, p.countries, p.schedule, p.record, p.rosterOrigin));
}

/** loadScenarioInputs with the roster streamed asynchronously: a signal stops a long read at once. */
export async function readScenarioInputs(file: string, overrides: Override[] = [], membersFile?: string): Promise<ScenarioInputs> {
  const p = scenarioTables(file, overrides, membersFile);
  return withRoster(p, await readRoster(p.rosterFile, p.countries, p.schedule, p.record, p.rosterOrigin));
}

interface ScenarioTables {
  loaded: LoadedScenario;
  countries: CountryTable;
  schedule: FeeSchedule;
  rosterFile: string;
  rosterOrigin: InputOrigin | undefined;
  record: ReadRecorder;
  files: InputFile[];
  overrides: Override[];
  membersFile: string | undefined;
}

/** The scenario, its extends chain, country table and fee schedule: every problem of them in one pass. */
function scenarioTables(file: string, overrides: Override[], membersFile: string | undefined): ScenarioTables {
  const abs = resolve(file);
  const files: InputFile[] = [];
  const chainTexts = new Map<string, string>();
  const io: ScenarioIo = {
    ...nodeScenarioIo,
    read: (f) => {
      const text = nodeScenarioIo.read(f);
      if (typeof text === 'string') chainTexts.set(f, text);
      return text;
    },
  };
  const { loaded, issues, warnings } = loadScenario(abs, io, overrides);
  for (const w of warnings ?? []) warn(formatIssue({ ...w, file: displayPath(w.file) }));
  if (!loaded) throw new InputError(issues.map((i) => ({ ...i, file: displayPath(i.file) })));
  loaded.chain.forEach((f, k) => files.push({ role: k === 0 ? 'scenario' : 'extends', file: f, sha256: sha256(chainTexts.get(f) ?? '') }));
  const recorder =
    (role: InputRole): ReadRecorder =>
    (f, hash) =>
      files.push({ role, file: f, sha256: hash });
  const at = (k: 'roster' | 'feeSchedule' | 'countries'): InputOrigin | undefined => {
    const o = loaded.origins?.[k];
    return o && { ...o, file: displayPath(o.file) };
  };
  // the three tables, each problem located at the line that names the file, all in one pass
  const problems: InputIssue[] = [];
  const attempt = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      for (const i of e.issues) problems.push(i);
      return undefined;
    }
  };
  const countries = attempt(() => loadCountries(loaded.paths.countries, recorder('country-table'), at('countries')));
  const schedule = attempt(() => loadFeeSchedule(loaded.paths.feeSchedule, recorder('fee-schedule'), at('feeSchedule')));
  const rosterFile = membersFile ? resolve(membersFile) : loaded.paths.roster;
  const rosterOrigin: InputOrigin | undefined = membersFile ? { file: '--members', path: membersFile } : at('roster');
  if (!countries || !schedule) {
    if (!existsSync(rosterFile)) attempt(() => mustRead(rosterFile, 'roster', 'roster', undefined, rosterOrigin));
    throw new InputError(problems);
  }
  return { loaded, countries, schedule, rosterFile, rosterOrigin, record: recorder('roster'), files, overrides, membersFile };
}

function withRoster(p: ScenarioTables, r: RosterWithFees): ScenarioInputs {
  return {
    ...r,
    loaded: p.loaded,
    countries: p.countries,
    scenarioHash: sha256(JSON.stringify(p.loaded.scenario)),
    rosterHash: r.sha256,
    ...(p.membersFile ? { membersFile: resolve(p.membersFile) } : {}),
    overrides: p.overrides.map((o) => o.raw),
    files: p.files,
  };
}

/** sha256 of text as UTF-8 (the bytes of the file it was read from, for UTF-8 files). */
export const sha256 = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex');
