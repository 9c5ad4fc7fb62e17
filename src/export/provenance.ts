/**
 * The provenance record: what produced a result, complete enough to regenerate it. One record, built
 * in one place (cli/provenance.ts) and carried unchanged by every output: the `--json` documents, the
 * JSON export, the XLSX Provenance sheet, the Markdown provenance section, the CSV sidecar and the
 * explorer's exports. Nothing in it depends on the working directory, the clock, the locale or the
 * time zone: paths are relative to the project root (see `root`).
 */
export const PROVENANCE_VERSION = 1;

/** What an input file is to the run. */
export type InputRole = 'scenario' | 'extends' | 'roster' | 'fee-schedule' | 'country-table';

export interface InputRecord {
  role: InputRole;
  /** Relative to the project root (forward slashes). */
  path: string;
  /** sha256 of the file as read (UTF-8). */
  sha256: string;
}

export interface ScenarioRecord {
  /** Relative to the project root. */
  file: string;
  title: string;
  /** sha256 of the resolved scenario (after `extends` and the `--set` overrides), as canonical JSON. */
  resolvedSha256: string;
  /** Every file read for this scenario, in the order read. */
  inputs: InputRecord[];
}

export interface Provenance {
  provenanceVersion: number;
  tool: { name: string; version: string };
  /**
   * What paths are relative to: `package` — the feesim installation (its scenarios/ and data/);
   * `scenario-folder` — the folder of the (first) scenario file, for scenarios outside it.
   */
  root: 'package' | 'scenario-folder';
  /** The command that regenerates this output, run from the root: `feesim …`, shell-quoted. */
  command: string;
  /** The same command as arguments (without `feesim`): what `feesim verify` runs. */
  argv: string[];
  scenarios: ScenarioRecord[];
  /** `--set` overrides in the order applied (explorer edits are recorded as overrides too). */
  overrides: string[];
  roster: { synthetic: boolean; label: string; memberships: number };
  /** Monte Carlo seed and draws; null for a deterministic run. */
  seed: number | null;
  draws: number | null;
  /** For an explorer export: the view it came from (its numbers are those of `command`). */
  view?: string;
  /**
   * For an explorer export with A and B side by side: the `feesim run` that computes each side (B's
   * is `command`); A's names its own scenario file and overrides.
   */
  sides?: SideRecord[];
  /**
   * For an explorer export (no command regenerates its layout): sha256 of its content as written, so
   * that `feesim verify` detects a changed figure — Markdown: the text before the Provenance section;
   * XLSX: the cell values of every sheet but Provenance (export/content-digest.ts). A CSV set's sidecar
   * lists each file's sha256 instead.
   */
  contentSha256?: string;
}

/** How to reproduce one side of an A/B explorer export. */
export interface SideRecord {
  side: 'A' | 'B';
  /** How the explorer named it (a file name, "pinned", "now"). */
  name: string;
  command: string;
  argv: string[];
  overrides: string[];
}

/** POSIX shell quoting: bare when safe, else single quotes. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./=:,+@%^-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(argv: string[]): string {
  return ['feesim', ...argv].map(shellQuote).join(' ');
}

const ROLE_NAMES: Record<InputRole, string> = {
  scenario: 'scenario',
  extends: 'extends',
  roster: 'roster',
  'fee-schedule': 'fee schedule',
  'country-table': 'country table',
};

/** The record as (item, value) rows: the XLSX Provenance sheet and the Markdown provenance table. */
export function provenanceRows(p: Provenance): [string, string][] {
  const many = p.scenarios.length > 1;
  return [
    ['tool', `${p.tool.name} ${p.tool.version}`],
    ['reproduce (run from the root)', p.command],
    ['root', p.root === 'package' ? 'the feesim package folder (scenarios/, data/)' : 'the folder of the scenario file'],
    ...p.scenarios.flatMap((s, k): [string, string][] => {
      const n = many ? ` ${k + 1}` : '';
      return [
        [`scenario${n}`, `${s.file} — ${s.title}`],
        [`scenario${n} resolved sha256`, s.resolvedSha256],
        ...s.inputs.map((i): [string, string] => [`${ROLE_NAMES[i.role]}${n}`, `${i.path} sha256 ${i.sha256}`]),
      ];
    }),
    ['--set overrides', p.overrides.length ? p.overrides.join('; ') : 'none'],
    ['roster', p.roster.label],
    [
      'roster is synthetic',
      p.roster.synthetic ? 'yes — generated, calibrated to published totals; not real members' : 'no (user-supplied)',
    ],
    ['memberships', String(p.roster.memberships)],
    ['seed', p.seed === null ? 'none (deterministic run)' : String(p.seed)],
    ['draws', p.draws === null ? '0 (deterministic run)' : String(p.draws)],
    ...(p.view ? ([['explorer view', p.view]] as [string, string][]) : []),
    ...(p.sides ?? []).map((x): [string, string] => [`reproduce ${x.side} (${x.name})`, x.command]),
  ];
}

/** Every input of the record, de-duplicated by path (several scenarios share data files). */
export function allInputs(p: Provenance): InputRecord[] {
  const seen = new Map<string, InputRecord>();
  for (const s of p.scenarios) for (const i of s.inputs) if (!seen.has(i.path)) seen.set(i.path, i);
  return [...seen.values()];
}
