import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError, type InputIssue } from '../../domain/issues.js';
import { summarizeMonteCarlo } from '../../engine/montecarlo.js';
import { runDeterministic } from '../../engine/run.js';
import { type Comparison, compareMetrics, formatExpected, junitReport, metricsOf, parseExpected } from '../../results/expected.js';
import { renderText } from '../../results/table.js';
import { checkOutputTarget, publishFile } from '../atomic-write.js';
import { displayPath, readText } from '../inputs.js';
import type { Io } from '../io.js';
import { openSession } from '../session.js';
import { alsoAgainst, monteCarloSamples } from './run.js';

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

/** `# set: path=value` lines: the --set overrides an expected file was recorded with. */
function recordedSets(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((l) => /^#\s*set:\s*(.+?)\s*$/.exec(l)?.[1])
    .filter((x): x is string => x !== undefined);
}

/**
 * How an expected file names its scenario: relative to the project (the nearest folder above the
 * expected file with package.json or .git), else to the expected file's folder; never as typed.
 */
export function recordedScenarioPath(scenario: string, expectedFile: string): string {
  const abs = resolve(scenario);
  let dir = dirname(resolve(expectedFile));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) || existsSync(join(dir, '.git'))) break;
    const up = dirname(dir);
    if (up === dir) {
      dir = dirname(resolve(expectedFile));
      break;
    }
    dir = up;
  }
  const rel = relative(dir, abs);
  return (rel && !isAbsolute(rel) ? rel : abs).split(sep).join('/');
}

function withSets(text: string, sets: string[]): string {
  if (!sets.length) return text;
  return text.replace(/^(# scenario: .*\n)/m, (m) => `${m}${sets.map((x) => `# set: ${x}\n`).join('')}`);
}

/** JUnit for scenarios without an expected file: one suite each, with an error. */
function withMissing(xmlText: string, missing: { name: string; path: string }[]): string {
  if (!missing.length) return xmlText;
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const suites = missing
    .map((m) => {
      const msg = esc(`no expected-results file ${m.path} (create it with --update, then review it)`);
      return `  <testsuite name="${esc(m.name)}" tests="1" failures="0" errors="1">\n    <testcase classname="${esc(m.name)}" name="expected-results file">\n      <error message="${msg}">${msg}</error>\n    </testcase>\n  </testsuite>\n`;
    })
    .join('');
  return xmlText
    .replace(
      /<testsuites name="feesim check" tests="(\d+)"/,
      (_m, n) => `<testsuites name="feesim check" errors="${missing.length}" tests="${Number(n) + missing.length}"`,
    )
    .replace('</testsuites>', `${suites}</testsuites>`);
}

/**
 * `feesim check`: compare a run with reviewed expected results; exit 1 on a regression. A scenario
 * without an expected file is reported as such (and in JUnit) while the others are still checked; the
 * exit code is then 2.
 */
export async function checkCommand(files: string[], opts: CheckOpts, io: Io): Promise<number> {
  if (opts.junit) checkOutputTarget(opts.junit, { flag: '--junit', display: displayPath });
  const suites: { name: string; results: Comparison[] }[] = [];
  const missing: { name: string; path: string }[] = [];
  const issues: InputIssue[] = [];
  const plans = files.map((f) => {
    const path = expectedPathFor(f, opts.expected, files.length > 1);
    const text = readText(path);
    if (text === undefined) return { f, path, expected: undefined, sets: [] as string[] };
    const r = parseExpected(text, displayPath(path));
    for (const i of r.issues) issues.push(i);
    return { f, path, expected: r.expected, sets: recordedSets(text) };
  });
  if (issues.length) throw new InputError(issues);
  let regressions = 0;
  for (const { f, path, expected, sets } of plans) {
    const name = displayPath(f);
    if (!expected && !opts.update) {
      missing.push({ name, path: displayPath(path) });
      io.out(`${name}: no expected-results file ${displayPath(path)} (create it with --update, then review it)\n`);
      continue;
    }
    // the overrides given now, else the ones the expected file was recorded with
    const set = opts.set?.length ? opts.set : sets;
    if (!opts.set?.length && sets.length) io.err(`${name}: with the recorded --set ${sets.join(' --set ')}\n`);
    const s = await openSession(f, { ...opts, set });
    const draws = opts.draws ?? expected?.draws ?? 0;
    const seed = opts.seed ?? expected?.seed ?? (draws ? 1 : null);
    const run = runDeterministic(s.model);
    const samples = draws ? await monteCarloSamples(s.model, draws, seed ?? 1) : undefined;
    const mc = samples ? summarizeMonteCarlo(s.model, seed ?? 1, samples) : undefined;
    const metrics = metricsOf(run, mc, alsoAgainst(s, { mc, samples }));
    if (opts.update) {
      const before = readText(path) ?? '';
      const after = withSets(formatExpected(recordedScenarioPath(f, path), draws, draws ? seed : null, metrics, expected?.lines), set);
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
  if (opts.junit && !opts.update)
    await publishFile(resolve(opts.junit), withMissing(junitReport(suites), missing), { flag: '--junit', display: displayPath });
  if (!opts.update)
    io.out(
      `${suites.reduce((s, x) => s + x.results.length, 0) - regressions} passed, ${regressions} failed${missing.length ? `, ${missing.length} scenario${missing.length > 1 ? 's' : ''} without an expected-results file` : ''}\n`,
    );
  return missing.length ? 2 : regressions ? 1 : 0;
}
