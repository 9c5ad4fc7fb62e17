import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { InputError, type InputIssue } from '../domain/issues.js';
import type { Roster } from '../domain/roster.js';
import type { InputRole } from '../export/provenance.js';
import { computeFees, type FeeSchedule, FeeScheduleSchema } from '../fees/fee-schedule.js';
import { type CountryTable, parseCountries } from '../roster/countries.js';
import { parseRoster } from '../roster/parse-roster.js';
import { type LoadedScenario, loadScenario, type Override, parseOverride, type ScenarioIo } from '../scenario/load-scenario.js';
import { parseYaml, validateYaml } from '../scenario/yaml-source.js';
import { noteInput } from './atomic-write.js';

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

/** Called with every input file read for a run, so that its provenance can name and hash it. */
export type ReadRecorder = (file: string, text: string) => void;

/** Reads a run input and records it, so that no output of this run can replace it (atomic-write.ts). */
export function readInput(file: string, what: string): string | undefined {
  const text = readText(file);
  if (text !== undefined) noteInput(file, what);
  return text;
}

function mustRead(file: string, what: string, record?: ReadRecorder): string {
  const text = readInput(file, what);
  if (text === undefined) throw new InputError([{ file: displayPath(file), path: '', message: `${what} not found` }]);
  record?.(file, text);
  return text;
}

export const nodeScenarioIo: ScenarioIo = {
  read: (f) => readInput(f, 'scenario'),
  resolve: (from, rel) => resolve(dirname(from), rel),
  display: displayPath,
};

export function loadCountries(file: string, record?: ReadRecorder): CountryTable {
  const { table, issues } = parseCountries(mustRead(file, 'country table', record), displayPath(file));
  if (issues.length) throw new InputError(issues);
  return table;
}

export function loadFeeSchedule(file: string, record?: ReadRecorder): FeeSchedule {
  const { source, issues } = parseYaml(mustRead(file, 'fee schedule', record), displayPath(file));
  if (!source) throw new InputError(issues);
  const r = validateYaml(source, FeeScheduleSchema);
  if (!r.data) throw new InputError(r.issues);
  return r.data;
}

export interface RosterWithFees {
  roster: Roster;
  fee: Float64Array;
  schedule: FeeSchedule;
  text: string;
}

/** Roster problems and fee-class problems, all reported together. */
export function loadRoster(file: string, countries: CountryTable, schedule: FeeSchedule, record?: ReadRecorder): RosterWithFees {
  const text = mustRead(file, 'roster', record);
  const { roster, issues } = parseRoster(text, displayPath(file), countries);
  if (!roster) throw new InputError(issues);
  const fees = computeFees(roster, schedule, displayPath(file));
  if (fees.issues.length) throw new InputError(fees.issues);
  return { roster, fee: fees.fee, schedule, text };
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

export function loadScenarioInputs(file: string, overrides: Override[] = [], membersFile?: string): ScenarioInputs {
  const abs = resolve(file);
  const files: InputFile[] = [];
  const chainTexts = new Map<string, string>();
  const io: ScenarioIo = {
    ...nodeScenarioIo,
    read: (f) => {
      const text = nodeScenarioIo.read(f);
      if (text !== undefined) chainTexts.set(f, text);
      return text;
    },
  };
  const { loaded, issues } = loadScenario(abs, io, overrides);
  if (!loaded) throw new InputError(issues.map((i) => ({ ...i, file: displayPath(i.file) })));
  loaded.chain.forEach((f, k) => files.push({ role: k === 0 ? 'scenario' : 'extends', file: f, sha256: sha256(chainTexts.get(f) ?? '') }));
  const recorder =
    (role: InputRole): ReadRecorder =>
    (f, text) =>
      files.push({ role, file: f, sha256: sha256(text) });
  const countries = loadCountries(loaded.paths.countries, recorder('country-table'));
  const schedule = loadFeeSchedule(loaded.paths.feeSchedule, recorder('fee-schedule'));
  const rosterFile = membersFile ? resolve(membersFile) : loaded.paths.roster;
  const r = loadRoster(rosterFile, countries, schedule, recorder('roster'));
  return {
    ...r,
    loaded,
    countries,
    scenarioHash: sha256(JSON.stringify(loaded.scenario)),
    rosterHash: sha256(r.text),
    ...(membersFile ? { membersFile: resolve(membersFile) } : {}),
    overrides: overrides.map((o) => o.raw),
    files,
  };
}

/** sha256 of text as UTF-8 (the bytes of the file it was read from, for UTF-8 files). */
export const sha256 = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex');
