import { existsSync } from 'node:fs';
import { basename, dirname, extname, relative, resolve, sep } from 'node:path';
import { InputError } from '../../domain/issues.js';
import { escapeControl } from '../../domain/text.js';
import { commandLine, type Provenance, type SideRecord } from '../../export/provenance.js';
import type { Table } from '../../results/table.js';
import { loadScenario } from '../../scenario/load-scenario.js';
import { setIn } from '../../scenario/paths.js';
import type { Scenario } from '../../scenario/schema.js';
import { yamlLibrary } from '../../scenario/yaml-lib.js';
import type { Settings } from '../../tui/explorer-model.js';
import { loadTui } from '../../tui/load-tui.js';
import { displayPath, nodeScenarioIo, PACKAGE_ROOT, parseOverrides, sha256 } from '../inputs.js';
import type { Io } from '../io.js';
import { buildProvenance, type Invocation, invocationArgv, overridesFromSettings, projectRoot } from '../provenance.js';
import { randomSeed } from '../seed.js';
import { openSession, type Session } from '../session.js';

export interface ExploreOpts {
  set?: string[];
  members?: string;
  draws?: number;
  seed?: number;
  outDir?: string;
}

/**
 * Whether the TUI may mount: decided before Ink is imported (ENGINEERING.md, "Ink"). CI is detected
 * the way Ink itself does (its is-in-ci: CI present, even empty, unless "0" or "false";
 * CONTINUOUS_INTEGRATION; any CI_* variable), since Ink in CI mode draws only the last frame.
 */
export function isInCi(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.CI === '0' || env.CI === 'false') return false;
  return 'CI' in env || 'CONTINUOUS_INTEGRATION' in env || Object.keys(env).some((k) => k.startsWith('CI_'));
}

export function canMountTui(): boolean {
  return process.stdin.isTTY === true && process.stdout.isTTY === true && !isInCi();
}

function freePath(dir: string, stem: string, ext: string): string {
  for (let k = 1; ; k++) {
    const p = resolve(dir, `${stem}${k === 1 ? '' : `-${k}`}${ext ? `.${ext}` : ''}`);
    if (!existsSync(p)) return p;
  }
}

/** Nested YAML from dotted overrides: {'a.b': 1} -> {a: {b: 1}}; a `null` stays, to delete in the file. */
function nest(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, v] of Object.entries(flat)) setIn(out, path, v, false);
  return out;
}

/**
 * Writes the tables of a view through the exporter registry (CSV: a set folder with provenance.json;
 * Markdown and XLSX: one file); resolves to the path written.
 */
async function writeTables(outDir: string, tables: Table[], format: 'csv' | 'md' | 'xlsx', prov: Provenance): Promise<string> {
  const { exporterFor } = await import('../../export/registry.js');
  const { writeExport } = await import('../write-export.js');
  const exporter = exporterFor(format)!;
  const stem = `feesim-${tables.map((t) => t.id).join('-')}`;
  const path = exporter.output === 'set' ? freePath(outDir, stem, '') : freePath(outDir, stem, exporter.extension);
  await writeExport(exporter, { title: tables[0]!.title, tables, provenance: prov }, exporter.output === 'set' ? `${path}.csv` : path);
  return displayPath(path);
}

/**
 * The provenance of an explorer export, built by the one builder (cli/provenance.ts): the explored
 * session's inputs (and the pinned A scenario's, when comparing), the command line's --set overrides
 * and then the explorer's edits as --set overrides, and the Monte Carlo settings. Its command is the
 * `feesim run` that computes the explored figures; `view` names the view exported.
 */
export function explorerProvenance(
  sessions: Session[],
  edits: Record<string, unknown>,
  mc: { seed: number; draws: number } | null,
  view: string,
  ab?: ExplorerAb,
): Provenance {
  const s = sessions[0]!;
  const set = [...s.inputs.overrides, ...overridesFromSettings(edits)];
  const inv = (x: Session, overrides: string[]): Invocation => ({
    command: 'run',
    scenarios: [x.inputs.loaded.file],
    set: overrides,
    members: x.inputs.membersFile,
    mc,
  });
  const p = buildProvenance(sessions, inv(s, set));
  // the resolved scenario is the edited one: load it the way `feesim run --set …` would, and hash that
  const edited = loadScenario(s.inputs.loaded.file, nodeScenarioIo, parseOverrides(set));
  if (!edited.loaded) throw new InputError(edited.issues);
  const scenarios = p.scenarios.map((sc, k) => (k === 0 ? { ...sc, resolvedSha256: sha256(JSON.stringify(edited.loaded!.scenario)) } : sc));
  if (!ab) return { ...p, scenarios, view };
  // A/B: the run that computes each side, A's from its own scenario file and overrides
  const aSet = [...ab.a.session.inputs.overrides, ...overridesFromSettings(ab.a.edits)];
  const aArgv = invocationArgv(inv(ab.a.session, aSet), projectRoot(s.inputs.loaded.file).dir);
  const sides: SideRecord[] = [
    { side: 'A', name: ab.a.name, command: commandLine(aArgv), argv: aArgv, overrides: aSet },
    { side: 'B', name: ab.bName, command: p.command, argv: p.argv, overrides: p.overrides },
  ];
  return { ...p, scenarios, view, sides };
}

/** A/B in an explorer export: A's session (the file pinned, or the one explored) and edits; B's name. */
export interface ExplorerAb {
  a: { session: Session; edits: Record<string, unknown>; name: string };
  bName: string;
}

/**
 * Keys typed while the explorer loads (raw mode, set in bin/feesim.mjs, keeps them from the screen)
 * are read and dropped until the explorer reads keys itself; read all at once they would reach it as
 * one mangled input. Ctrl+C among them is honoured at once: exit 130.
 */
export function dropTypedAhead(stdin: NodeJS.ReadStream = process.stdin): {
  stop(): Promise<void>;
  release(): void;
  /** The plain-text first frame is on screen, its last line without a line end (Ink replaces it in place). */
  framePrinted(): void;
} {
  let lineOpen = false;
  const onData = (chunk: Buffer | string) => {
    if (String(chunk).includes('\u0003')) {
      stdin.setRawMode(false);
      // the shell's prompt on a line of its own, not after the frame's "starting…"
      if (lineOpen) process.stdout.write('\n');
      process.exit(130);
    }
  };
  stdin.on('data', onData);
  return {
    framePrinted() {
      lineOpen = true;
    },
    /** Before the explorer reads keys: what the terminal already holds read and dropped, then the listener off. */
    async stop() {
      await new Promise((r) => setImmediate(r)); // what the terminal already holds is read first
      stdin.off('data', onData); // not paused: pausing it here would leave Ctrl+C to the terminal, not the explorer
    },
    /**
     * When the explorer has ended, or did not start (a bad scenario: an error on its way to exit code
     * 2): the listener off and stdin paused, or its flowing would keep node running after the message.
     */
    release() {
      stdin.off('data', onData);
      stdin.pause();
    },
  };
}

/**
 * `feesim explore [scenario] [b.yaml]` (and `feesim` alone): the TUI on a terminal, the overview table
 * anywhere else. With two scenarios the first is pinned as A and the second explored as B.
 */
export async function exploreCommand(files: string | string[], opts: ExploreOpts, io: Io): Promise<number> {
  const list = Array.isArray(files) ? files : [files];
  if (list.length > 2) {
    io.err(`feesim explore: at most two scenarios (A and B), found ${list.length}\n`);
    return 2;
  }
  let typedAhead: ReturnType<typeof dropTypedAhead> | undefined;
  try {
    const terminal = canMountTui();
    const noWasm = (globalThis as { WebAssembly?: unknown }).WebAssembly === undefined;
    if (!terminal || noWasm) {
      // Ink lays its screens out with yoga, which is WebAssembly: without it (node --jitless) the
      // overview is printed instead, as off a terminal
      if (terminal)
        io.err(
          'feesim explore: the explorer needs WebAssembly (its layout engine), which this node has not (--jitless?): the overview instead\n',
        );
      const { runCommand } = await import('./run.js');
      let code = 0;
      for (const f of list) code = Math.max(code, await runCommand(f, { set: opts.set, members: opts.members }, io));
      return code;
    }
    typedAhead = dropTypedAhead();
    const [first, second] = list as [string, string | undefined];
    const a = second ? await openSession(first, opts) : undefined;
    const s = await openSession(second ?? first, opts);
    const draws = opts.draws ?? 2000;
    // The first frame, in plain text: the deterministic figures and "Monte Carlo running", from the
    // session's model (the explorer's own first frame, at the scenario's settings, is the same run).
    // Only what it needs is loaded before it; Ink and React (the larger part of start-up) after it:
    // loading them alongside took main-thread time from the frame.
    const [{ firstFrame }, { runDeterministic }] = await Promise.all([import('../../tui/first-frame.js'), import('../../engine/run.js')]);
    const size = { columns: process.stdout.columns || 80, rows: process.stdout.rows || 24 };
    const d = { scenario: s.model.scenario, model: s.model, run: runDeterministic(s.model) };
    const pre = firstFrame(d, s.ctx, { ...size, draws, focus: d.model.arms[0]?.id });
    process.stdout.write(pre.join('\n'));
    typedAhead.framePrinted();
    // React's production build unless asked otherwise: the development build (React's default when
    // NODE_ENV is unset) is larger, slower to load and checks every render; the explorer is a shipped program
    process.env.NODE_ENV ??= 'production';
    const loadingTui = loadTui();
    const seed = opts.seed ?? randomSeed(); // shown on the TUI's Monte Carlo line
    const outDir = resolve(opts.outDir ?? '.');
    const { runTui } = await loadingTui;
    await typedAhead.stop();
    return await runTui({
      replaceLines: pre.length,
      scenario: s.model.scenario,
      pop: s.pop,
      ctx: s.ctx,
      draws,
      seed,
      ...(a
        ? {
            a: { scenario: a.model.scenario, pop: a.pop, name: basename(first), ctx: a.ctx },
            name: basename(second!),
          }
        : {}),
      onExport: async (tables, format, settings, pinned) => {
        const { settingsOverrides } = await import('../../tui/explorer-model.js');
        // A is the file given first (its own settings) or the settings pinned on the one explored
        const aSession = pinned?.file && a ? a : s;
        return writeTables(
          outDir,
          tables,
          format,
          explorerProvenance(
            a ? [s, a] : [s],
            settings ? settingsOverrides(s.model.scenario, settings) : {},
            draws ? { seed, draws } : null,
            tables.map((t) => t.id).join(', '),
            pinned
              ? {
                  a: { session: aSession, edits: settingsOverrides(aSession.model.scenario, pinned.settings), name: pinned.name },
                  bName: pinned.bName,
                }
              : undefined,
          ),
        );
      },
      onSave: (settings: Settings) =>
        saveExploredScenario(s.inputs.loaded.file, s.model.scenario, settings, outDir, opts.set, {
          members: opts.members,
          paths: s.inputs.loaded.paths,
        }),
    });
  } finally {
    typedAhead?.release();
    // keys typed while loading were kept from the screen in raw mode (bin/feesim.mjs); Ink restores it
    // after a session, this restores it when loading failed
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
  }
}

/** The files the explorer ran on that a saved scenario must name itself (they are not in the file it extends). */
export interface ExploredFiles {
  /** --members: the roster explored, instead of the scenario's. */
  members?: string;
  /** The scenario's roster, fee schedule and country table as resolved (a --set roster=… among them). */
  paths?: Partial<Record<'roster' | 'feeSchedule' | 'countries', string>>;
}

/**
 * Writes the explorer's settings as a scenario that `extends:` the one explored and sets only what
 * changed; loads it back to make sure `feesim validate` accepts it. Returns the path written. The
 * roster explored with --members is named as `roster:`, and a roster, fee schedule or country table
 * set with --set is named as the file it resolved to, each relative to the saved file (as scenarios
 * name paths), so that `feesim run` on it runs on the same files.
 */
export async function saveExploredScenario(
  source: string,
  scenario: Scenario,
  settings: Settings,
  outDir: string,
  cliSets: string[] = [],
  files: ExploredFiles = {},
): Promise<string> {
  const [{ settingsOverrides }, { writeFileAtomic }] = await Promise.all([
    import('../../tui/explorer-model.js'),
    import('../atomic-write.js'),
  ]);
  const path = freePath(outDir, `${basename(source, extname(source))}-explored`, 'yaml');
  // what --set changed on the command line, then what was changed in the explorer
  const fromCli: Record<string, unknown> = Object.fromEntries(parseOverrides(cliSets).map((o) => [o.path.join('.'), o.value]));
  const named = (file: string) => relative(dirname(path), resolve(file)).split(sep).join('/') || basename(file);
  // a path set with --set was resolved against the scenario explored, not the saved file
  for (const k of ['roster', 'feeSchedule', 'countries'] as const)
    if (typeof fromCli[k] === 'string' && files.paths?.[k]) fromCli[k] = named(files.paths[k]!);
  if (files.members) fromCli.roster = named(files.members);
  const doc = {
    $schema: relative(dirname(path), resolve(PACKAGE_ROOT, 'schema/scenario.schema.json')),
    extends: relative(dirname(path), source) || basename(source),
    title: `${scenario.title} (explored)`,
    ...nest({ ...fromCli, ...settingsOverrides(scenario, settings) }),
  };
  // file names in the comment on one line each: a newline in a name must not start a YAML line
  const line = (t: string) => escapeControl(t, { newlines: false });
  const rosterNote = files.members
    ? `\n# Roster: ${line(named(files.members))}, the one explored (--members ${line(displayPath(resolve(files.members)))}).`
    : '';
  const text = `# Saved from feesim explore: the settings changed in the terminal, on top of ${line(displayPath(source))}.${rosterNote}\n${yamlLibrary().stringify(doc)}`;
  // checked the way `feesim validate` will read it before anything is written: a refused file is never left behind
  const check = loadScenario(path, { ...nodeScenarioIo, read: (f) => (f === path ? text : nodeScenarioIo.read(f)) });
  if (!check.loaded) throw new InputError(check.issues);
  await writeFileAtomic(path, text);
  return displayPath(path);
}
