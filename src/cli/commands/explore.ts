import { existsSync } from 'node:fs';
import { basename, dirname, extname, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { InputError } from '../../domain/issues.js';
import type { ExportProvenance } from '../../export/provenance.js';
import type { Table } from '../../results/table.js';
import { loadScenario } from '../../scenario/load-scenario.js';
import { setIn } from '../../scenario/paths.js';
import type { Scenario } from '../../scenario/schema.js';
import { type Settings, settingsOverrides } from '../../tui/explorer-model.js';
import { writeFileAtomic } from '../atomic-write.js';
import { displayPath, nodeScenarioIo, PACKAGE_ROOT, parseOverrides } from '../inputs.js';
import type { Io } from '../io.js';
import { randomSeed } from '../seed.js';
import { openSession } from '../session.js';
import { TOOL } from './run.js';

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
    const p = resolve(dir, `${stem}${k === 1 ? '' : `-${k}`}.${ext}`);
    if (!existsSync(p)) return p;
  }
}

/** Nested YAML from dotted overrides: {'a.b': 1} -> {a: {b: 1}}; a `null` stays, to delete in the file. */
function nest(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, v] of Object.entries(flat)) setIn(out, path, v, false);
  return out;
}

/** Writes tables in a format: CSV one file per table, Markdown and XLSX one file; resolves to the paths written. */
async function writeTables(outDir: string, tables: Table[], format: 'csv' | 'md' | 'xlsx', prov: ExportProvenance): Promise<string> {
  const stem = `feesim-${tables.map((t) => t.id).join('-')}`;
  if (format === 'csv') {
    const { tableToCsv } = await import('../../export/csv.js');
    const paths: string[] = [];
    for (const t of tables) {
      const path = freePath(outDir, tables.length > 1 ? `${stem}-${t.id}` : stem, 'csv');
      await writeFileAtomic(path, tableToCsv(t, prov));
      paths.push(displayPath(path));
    }
    return paths.join(', ');
  }
  const path = freePath(outDir, stem, format);
  if (format === 'md') {
    const { tablesToMarkdown } = await import('../../export/markdown.js');
    await writeFileAtomic(path, tablesToMarkdown(tables, prov, tables[0]!.title));
  } else {
    const { tablesToXlsx } = await import('../../export/xlsx.js');
    await writeFileAtomic(path, await tablesToXlsx(tables, prov));
  }
  return displayPath(path);
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
  try {
    if (!canMountTui()) {
      const { runCommand } = await import('./run.js');
      let code = 0;
      for (const f of list) code = Math.max(code, await runCommand(f, { set: opts.set, members: opts.members }, io));
      return code;
    }
    const [first, second] = list as [string, string | undefined];
    const a = second ? await openSession(first, opts) : undefined;
    const s = await openSession(second ?? first, opts);
    const draws = opts.draws ?? 2000;
    const seed = opts.seed ?? randomSeed(); // shown on the TUI's Monte Carlo line
    const outDir = resolve(opts.outDir ?? '.');
    const sessions = a ? [a, s] : [s];
    const prov: ExportProvenance = {
      tool: TOOL,
      scenarios: sessions.map((x) => ({
        file: displayPath(x.inputs.loaded.file),
        title: x.inputs.loaded.scenario.title,
        sha256: x.inputs.scenarioHash,
      })),
      roster: { label: s.ctx.rosterLabel, synthetic: s.ctx.synthetic, sha256: s.inputs.rosterHash },
      seed: draws ? seed : null,
      draws: draws || null,
    };
    const { runTui } = await import('../../tui/run-tui.js');
    return await runTui({
      scenario: s.model.scenario,
      pop: s.pop,
      ctx: s.ctx,
      draws,
      seed,
      ...(a
        ? {
            a: { scenario: a.model.scenario, pop: a.pop, name: basename(first) },
            name: basename(second!),
          }
        : {}),
      onExport: (tables, format) => writeTables(outDir, tables, format, prov),
      onSave: (settings: Settings) => saveExploredScenario(s.inputs.loaded.file, s.model.scenario, settings, outDir, opts.set),
    });
  } finally {
    // keys typed while loading were kept from the screen in raw mode (bin/feesim.mjs); Ink restores it
    // after a session, this restores it when loading failed
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
  }
}

/**
 * Writes the explorer's settings as a scenario that `extends:` the one explored and sets only what
 * changed; loads it back to make sure `feesim validate` accepts it. Returns the path written.
 */
export async function saveExploredScenario(
  source: string,
  scenario: Scenario,
  settings: Settings,
  outDir: string,
  cliSets: string[] = [],
): Promise<string> {
  const path = freePath(outDir, `${basename(source, extname(source))}-explored`, 'yaml');
  // what --set changed on the command line, then what was changed in the explorer
  const fromCli = Object.fromEntries(parseOverrides(cliSets).map((o) => [o.path.join('.'), o.value]));
  const doc = {
    $schema: relative(dirname(path), resolve(PACKAGE_ROOT, 'schema/scenario.schema.json')),
    extends: relative(dirname(path), source) || basename(source),
    title: `${scenario.title} (explored)`,
    ...nest({ ...fromCli, ...settingsOverrides(scenario, settings) }),
  };
  await writeFileAtomic(
    path,
    `# Saved from feesim explore: the settings changed in the terminal, on top of ${displayPath(source)}.\n${stringify(doc)}`,
  );
  const check = loadScenario(path, nodeScenarioIo);
  if (!check.loaded) throw new InputError(check.issues);
  return displayPath(path);
}
