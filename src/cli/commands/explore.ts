import { existsSync } from 'node:fs';
import { basename, dirname, extname, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { InputError } from '../../domain/issues.js';
import { tableToCsv } from '../../export/csv.js';
import { tablesToMarkdown } from '../../export/markdown.js';
import { tablesToXlsx } from '../../export/xlsx.js';
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
import { runCommand, TOOL } from './run.js';

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

/** `feesim explore` (and `feesim` alone): the TUI on a terminal, the overview table anywhere else. */
export async function exploreCommand(file: string, opts: ExploreOpts, io: Io): Promise<number> {
  if (!canMountTui()) return runCommand(file, { set: opts.set, members: opts.members }, io);
  const s = await openSession(file, opts);
  const draws = opts.draws ?? 2000;
  const seed = opts.seed ?? randomSeed(); // shown on the TUI's Monte Carlo line
  const outDir = resolve(opts.outDir ?? '.');
  const prov = {
    tool: TOOL,
    scenarios: [{ file: displayPath(s.inputs.loaded.file), title: s.inputs.loaded.scenario.title, sha256: s.inputs.scenarioHash }],
    roster: { label: s.ctx.rosterLabel, synthetic: s.ctx.synthetic, sha256: s.inputs.rosterHash },
    seed: draws ? seed : null,
    draws: draws || null,
  };
  const { runTui } = await import('../../tui/run-tui.js');
  return runTui({
    scenario: s.model.scenario,
    pop: s.pop,
    ctx: s.ctx,
    draws,
    seed,
    async onExport(table: Table, format) {
      const path = freePath(outDir, `feesim-${table.id}`, format);
      const data =
        format === 'csv'
          ? tableToCsv(table, prov)
          : format === 'md'
            ? tablesToMarkdown([table], prov, table.title)
            : await tablesToXlsx([table], prov);
      await writeFileAtomic(path, data);
      return displayPath(path);
    },
    onSave: (settings: Settings) => saveExploredScenario(s.inputs.loaded.file, s.model.scenario, settings, outDir, opts.set),
  });
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
