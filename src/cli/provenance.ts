import { basename, dirname, isAbsolute, relative, sep } from 'node:path';
import { commandLine, PROVENANCE_VERSION, type Provenance } from '../export/provenance.js';
import { PACKAGE_ROOT } from './inputs.js';
import type { Session } from './session.js';
import { TOOL } from './version.js';

/**
 * The project root that provenance paths are relative to: the feesim package when the scenario lives
 * in it, else the scenario's own folder. Never the working directory, so that a result reads the same
 * wherever it was produced.
 */
export function projectRoot(scenarioFile: string): { dir: string; kind: Provenance['root'] } {
  const rel = relative(PACKAGE_ROOT, scenarioFile);
  return rel && !rel.startsWith('..') && !isAbsolute(rel)
    ? { dir: PACKAGE_ROOT, kind: 'package' }
    : { dir: dirname(scenarioFile), kind: 'scenario-folder' };
}

/** A path relative to a root, with forward slashes on every platform. */
export function rootRelative(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

/** A command as run: its name, the scenario files (absolute), and its own flags after the common ones. */
export interface Invocation {
  command: 'run' | 'export' | 'sweep' | 'tornado' | 'solve' | 'brief' | 'chart' | 'compare';
  scenarios: string[];
  set?: string[];
  /** --members, absolute. */
  members?: string;
  /** The command's own flags, in a fixed order, already as text. */
  flags?: string[];
  /** Monte Carlo: written as --draws N --seed S. */
  mc?: { seed: number; draws: number } | null;
  /** --format and -o for file outputs; -o is recorded by file name (the folder is the reader's choice). */
  format?: string;
  output?: string;
  /** Trailing flags (e.g. --json). */
  tail?: string[];
}

/** The canonical argument list of an invocation, paths relative to the root. */
export function invocationArgv(inv: Invocation, rootDir: string): string[] {
  return [
    inv.command,
    ...inv.scenarios.map((f) => rootRelative(rootDir, f)),
    ...(inv.set ?? []).flatMap((s) => ['--set', s]),
    ...(inv.members ? ['--members', rootRelative(rootDir, inv.members)] : []),
    ...(inv.flags ?? []),
    ...(inv.mc ? ['--draws', String(inv.mc.draws), '--seed', String(inv.mc.seed)] : []),
    ...(inv.format ? ['--format', inv.format] : []),
    ...(inv.output ? ['-o', basename(inv.output)] : []),
    ...(inv.tail ?? []),
  ];
}

/**
 * The one provenance builder: every output (run --json, exports, sweep/tornado/solve documents, the
 * explorer's exports) calls this with the sessions it ran and the command that regenerates it.
 */
export function buildProvenance(sessions: Session[], inv: Invocation, extra: { view?: string } = {}): Provenance {
  const first = sessions[0]!;
  const root = projectRoot(first.inputs.loaded.file);
  const argv = invocationArgv(inv, root.dir);
  const r = first.inputs.roster.provenance;
  return {
    provenanceVersion: PROVENANCE_VERSION,
    tool: TOOL,
    root: root.kind,
    command: commandLine(argv),
    argv,
    scenarios: sessions.map((s) => ({
      file: rootRelative(root.dir, s.inputs.loaded.file),
      title: s.inputs.loaded.scenario.title,
      resolvedSha256: s.inputs.scenarioHash,
      inputs: s.inputs.files.map((f) => ({ role: f.role, path: rootRelative(root.dir, f.file), sha256: f.sha256 })),
    })),
    overrides: inv.set ?? [],
    roster: { synthetic: r.kind === 'synthetic', label: first.ctx.rosterLabel, memberships: first.inputs.roster.size },
    seed: inv.mc?.seed ?? null,
    draws: inv.mc?.draws ?? null,
    ...(extra.view ? { view: extra.view } : {}),
  };
}

/** An explorer edit as the `--set` override that reproduces it (values as JSON, which YAML reads). */
export function overridesFromSettings(flat: Record<string, unknown>): string[] {
  return Object.entries(flat).map(([path, v]) => `${path}=${typeof v === 'number' ? String(v) : JSON.stringify(v)}`);
}
