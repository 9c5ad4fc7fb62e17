import { basename, extname, resolve } from 'node:path';
import { InputError } from '../../domain/issues.js';
import { resolveRule } from '../../engine/options/eligibility.js';
import { tableToMarkdown } from '../../export/markdown.js';
import { type DiffRow, diffScenarios, diffTable } from '../../results/scenario-diff.js';
import { renderText, type Table } from '../../results/table.js';
import { type LoadedScenario, loadScenario } from '../../scenario/load-scenario.js';
import { displayPath, nodeScenarioIo, parseOverrides } from '../inputs.js';
import type { Io } from '../io.js';

export interface DiffOpts {
  set?: string[];
  json?: boolean;
  markdown?: boolean;
}

function load(file: string, set: string[] = []): LoadedScenario {
  const { loaded, issues } = loadScenario(resolve(file), nodeScenarioIo, parseOverrides(set));
  if (!loaded) throw new InputError(issues.map((i) => ({ ...i, file: displayPath(i.file) })));
  return loaded;
}

/** Resolved scenario plus its input files (as displayed paths), for comparison. */
function comparable(l: LoadedScenario) {
  const { $schema: _, roster: __, feeSchedule: ___, countries: ____, ...rest } = l.scenario as Record<string, unknown>;
  // An eligibility preset is shown with the rule it resolves to, so "res209 → pp18" also reads "≤ 250 → ≤ 300 staff".
  const options = Object.fromEntries(
    Object.entries(l.scenario.options).map(([id, o]) => [
      id,
      'eligibility' in o ? { ...o, eligibility: { ...o.eligibility, resolved: ruleText(resolveRule(o.eligibility)) } } : o,
    ]),
  );
  return {
    ...rest,
    options,
    roster: displayPath(l.paths.roster),
    feeSchedule: displayPath(l.paths.feeSchedule),
    countries: displayPath(l.paths.countries),
  };
}

function ruleText(r: ReturnType<typeof resolveRule>): string {
  const turnover =
    r.financial === 'none' || !Number.isFinite(r.maxTurnoverUsd)
      ? 'no turnover test'
      : `turnover ≤ USD ${r.maxTurnoverUsd.toLocaleString('en-GB')} (${r.financial === 'and' ? 'and' : 'or'} headcount)`;
  return `≤ ${r.maxEmployees} staff; ${turnover}; ${r.requireIndependent ? 'independent' : 'independence not required'}`;
}

/**
 * The changes of `child` against `parent` (default: the scenario it extends), as a table of resolved
 * values side by side. `--set` applies to the child.
 */
export function scenarioDiff(
  childFile: string,
  parentFile: string | undefined,
  set: string[] = [],
): { rows: DiffRow[]; table: Table; parent: string; child: string } {
  const child = load(childFile, set);
  const parentPath = parentFile ?? child.chain[1];
  if (!parentPath)
    throw new InputError([
      {
        file: displayPath(resolve(childFile)),
        path: 'extends',
        message: 'this scenario extends no other; name the second scenario: feesim diff child.yaml parent.yaml',
      },
    ]);
  const parent = load(parentPath);
  const rows = diffScenarios(comparable(parent), comparable(child), ['title', 'description']);
  const names = { before: basename(parent.file, extname(parent.file)), after: basename(child.file, extname(child.file)) };
  return { rows, table: diffTable(rows, names), parent: displayPath(parent.file), child: displayPath(child.file) };
}

/** `feesim diff child.yaml [parent.yaml]`. */
export async function diffCommand(childFile: string, parentFile: string | undefined, opts: DiffOpts, io: Io): Promise<number> {
  const d = scenarioDiff(childFile, parentFile, opts.set);
  if (opts.json) io.out(`${JSON.stringify({ schemaVersion: 1, parent: d.parent, child: d.child, changes: d.rows }, null, 2)}\n`);
  else if (opts.markdown) io.out(tableToMarkdown(d.table, { headingLevel: 2 }));
  else if (!d.rows.length) io.out(`${d.child} and ${d.parent} resolve to the same settings (title and description aside).\n`);
  else io.out(renderText(d.table, { footnotes: false }));
  return 0;
}
