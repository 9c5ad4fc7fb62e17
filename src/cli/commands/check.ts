import { existsSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { InputError, type InputIssue } from '../../domain/issues.js';
import { runDeterministic } from '../../engine/run.js';
import { type Comparison, compareMetrics, formatExpected, junitReport, metricsOf, parseExpected } from '../../results/expected.js';
import { renderText } from '../../results/table.js';
import { checkOutputTarget, publishFile } from '../atomic-write.js';
import { displayPath, readText } from '../inputs.js';
import type { Io } from '../io.js';
import { openSession } from '../session.js';
import { runMonteCarloYielding } from './run.js';

export interface CheckOpts {
  expected: string;
  update?: boolean;
  junit?: string;
  set?: string[];
  members?: string;
  draws?: number;
  seed?: number;
}

function expectedPathFor(scenario: string, expected: string, many: boolean): string {
  const isDir = existsSync(expected) ? statSync(expected).isDirectory() : many || !extname(expected);
  return isDir ? join(expected, `${basename(scenario, extname(scenario))}.expected`) : expected;
}

/** `feesim check`: compare a run with reviewed expected results; exit 1 on a regression. */
export async function checkCommand(files: string[], opts: CheckOpts, io: Io): Promise<number> {
  if (opts.junit) checkOutputTarget(opts.junit, { flag: '--junit', display: displayPath });
  const suites: { name: string; results: Comparison[] }[] = [];
  const issues: InputIssue[] = [];
  const plans = files.map((f) => {
    const path = expectedPathFor(f, opts.expected, files.length > 1);
    const text = readText(path);
    if (text === undefined) {
      if (!opts.update)
        issues.push({
          file: displayPath(path),
          path: '',
          message: `expected-results file not found (create it with --update, then review it)`,
        });
      return { f, path, expected: undefined };
    }
    const r = parseExpected(text, displayPath(path));
    issues.push(...r.issues);
    return { f, path, expected: r.expected };
  });
  if (issues.length) throw new InputError(issues);
  let regressions = 0;
  for (const { f, path, expected } of plans) {
    const s = await openSession(f, opts);
    const draws = opts.draws ?? expected?.draws ?? 0;
    const seed = opts.seed ?? expected?.seed ?? (draws ? 1 : null);
    const run = runDeterministic(s.model);
    const mc = draws ? await runMonteCarloYielding(s.model, draws, seed ?? 1) : undefined;
    const metrics = metricsOf(run, mc);
    const name = displayPath(f);
    if (opts.update) {
      const before = readText(path) ?? '';
      const after = formatExpected(name, draws, draws ? seed : null, metrics, expected?.lines);
      const old = new Set(before.split('\n')),
        now = new Set(after.split('\n'));
      const diff = [
        ...before
          .split('\n')
          .filter((l) => l && !now.has(l))
          .map((l) => `- ${l}`),
        ...after
          .split('\n')
          .filter((l) => l && !old.has(l))
          .map((l) => `+ ${l}`),
      ];
      await publishFile(resolve(path), after, { flag: '--expected', display: displayPath });
      io.out(
        `${displayPath(path)}: ${diff.length ? `updated (${diff.length} changed lines)` : 'unchanged'}\n${diff.join('\n')}${diff.length ? '\n' : ''}`,
      );
      continue;
    }
    const results = compareMetrics(expected!, metrics);
    suites.push({ name, results });
    const moved = results.filter((r) => !r.ok);
    regressions += moved.length;
    if (moved.length) {
      io.out(
        `${renderText({
          id: 'moved',
          title: `${name}: ${moved.length} of ${results.length} metrics moved (${displayPath(path)})`,
          columns: [
            { id: 'metric', header: 'Metric', kind: 'text' },
            { id: 'expected', header: 'Expected', kind: 'text' },
            { id: 'actual', header: 'Actual', kind: 'text' },
            { id: 'difference', header: 'Difference', kind: 'text' },
            { id: 'tolerance', header: 'Tolerance', kind: 'text' },
          ],
          rows: moved.map((r) => ({
            metric: r.metric,
            expected: r.expected === null ? '(new)' : String(r.expected),
            actual: r.actual === null ? '(missing)' : String(r.actual),
            difference: r.difference === null ? '' : String(r.difference),
            tolerance: String(r.tolerance),
          })),
          footnotes: [],
        })}\n`,
      );
    } else io.out(`${name}: ${results.length} metrics within tolerance\n`);
  }
  if (opts.junit && !opts.update) await publishFile(resolve(opts.junit), junitReport(suites), { flag: '--junit', display: displayPath });
  if (!opts.update) io.out(`${suites.reduce((s, x) => s + x.results.length, 0) - regressions} passed, ${regressions} failed\n`);
  return regressions ? 1 : 0;
}
