import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { EngineError, formatIssue, InputError, type InputIssue } from '../../domain/issues.js';
import { escapeControl } from '../../domain/text.js';
import { summarizeMonteCarlo } from '../../engine/montecarlo.js';
import { runDeterministic } from '../../engine/run.js';
import { type Comparison, compareMetrics, formatExpected, junitReport, metricsOf, parseExpected } from '../../results/expected.js';
import { renderText } from '../../results/table.js';
import { shownSetArg } from '../../scenario/load-scenario.js';
import { checkOutputTarget, declareOutput, forgetInput, publishFile } from '../atomic-write.js';
import { displayPath } from '../inputs.js';
import type { Io } from '../io.js';
import { readInputFile } from '../read-input.js';
import { issueLines } from '../report-issues.js';
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

/**
 * Characters a `--set` recorded in an expected file may not hold: every C0 control (tab and newline
 * included), DEL, the C1 controls, line/paragraph separators, bidirectional controls. A newline would
 * end the `# set:` line and forge further lines (a metric, a `# seed:`); the others would not survive
 * an editor or a terminal unchanged. Inside a YAML double-quoted value they are written as escapes
 * (`--set 'title="a\nb"'`), which round-trip as typed.
 */
const SET_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;

function unsafeCharShown(text: string): string | undefined {
  const ch = SET_UNSAFE.exec(text)?.[0];
  if (ch === undefined) return undefined;
  const c = ch.charCodeAt(0);
  return ch === '\n'
    ? '\\n (a newline)'
    : ch === '\t'
      ? '\\t (a tab)'
      : ch === '\r'
        ? '\\r'
        : c <= 0xff
          ? `\\x${c.toString(16).padStart(2, '0')}`
          : `\\u${c.toString(16).padStart(4, '0')}`;
}

/** `--update` records each --set on one `# set:` line: one holding a control character is refused. */
function unrecordableSets(sets: readonly string[]): InputIssue[] {
  return sets.flatMap((raw) => {
    const ch = unsafeCharShown(raw);
    return ch === undefined
      ? []
      : [
          {
            file: '--set',
            path: shownSetArg(raw),
            message: `holds a control character (${ch}); check --update records each --set as one '# set:' line of the expected file, which must read back exactly: write it inside a YAML double-quoted value as an escape, e.g. --set 'title="a\\nb"'`,
          },
        ];
  });
}

/** `# set: path=value` lines: the --set overrides an expected file was recorded with (one holding a control character is refused). */
function recordedSets(text: string | undefined, file: string): { sets: string[]; issues: InputIssue[] } {
  const sets: string[] = [];
  const issues: InputIssue[] = [];
  (text ?? '').split(/\r?\n/).forEach((l, k) => {
    const m = /^#[ \t]*set:(.*)$/s.exec(l);
    if (!m) return;
    const ch = unsafeCharShown(m[1]!.replace(/^[ \t]+|[ \t]+$/g, ''));
    if (ch !== undefined)
      issues.push({
        file,
        line: k + 1,
        path: '# set',
        message: `a recorded --set holds a control character (${ch}): it would not apply as recorded; re-record the file with check --update`,
      });
    else if (m[1]!.trim()) sets.push(m[1]!.trim());
  });
  return { sets, issues };
}

/** The project folder of an expected file: the nearest folder above it with package.json or .git, else its own folder. */
function projectDir(expectedFile: string): string {
  let dir = dirname(resolve(expectedFile));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) || existsSync(join(dir, '.git'))) return dir;
    const up = dirname(dir);
    if (up === dir) return dirname(resolve(expectedFile));
    dir = up;
  }
}

/**
 * How an expected file names its scenario: relative to the project (the nearest folder above the
 * expected file with package.json or .git), else to the expected file's folder; never as typed.
 */
export function recordedScenarioPath(scenario: string, expectedFile: string): string {
  const abs = resolve(scenario);
  const rel = relative(projectDir(expectedFile), abs);
  return (rel && !isAbsolute(rel) ? rel : abs).split(sep).join('/');
}

const real = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

/**
 * Whether the `# scenario:` line of an expected file names this scenario: the path `--update` would
 * write now, or (files written before the path was normalised, or edited by hand) a path that, read
 * relative to the project, the expected file's folder or the current folder, is the same file.
 */
export function namesScenario(recorded: string, scenario: string, expectedFile: string): boolean {
  if (recorded === recordedScenarioPath(scenario, expectedFile)) return true;
  const target = real(resolve(scenario));
  const bases = isAbsolute(recorded) ? [''] : [projectDir(expectedFile), dirname(resolve(expectedFile)), process.cwd()];
  return bases.some((b) => real(resolve(b, recorded)) === target);
}

function withSets(text: string, sets: string[]): string {
  if (!sets.length) return text;
  return text.replace(/^(# scenario: .*\n)/m, (m) => `${m}${sets.map((x) => `# set: ${x}\n`).join('')}`);
}

/** A scenario that could not be checked: no expected file, or one recorded for another scenario. */
interface Unchecked {
  name: string;
  /** the test case's name and message */
  test: string;
  message: string;
}

/** JUnit for scenarios that could not be checked: one suite each, with an error. */
function withUnchecked(xmlText: string, unchecked: Unchecked[]): string {
  if (!unchecked.length) return xmlText;
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const suites = unchecked
    .map((m) => {
      const msg = esc(m.message);
      return `  <testsuite name="${esc(m.name)}" tests="1" failures="0" errors="1">\n    <testcase classname="${esc(m.name)}" name="${esc(m.test)}">\n      <error message="${msg}">${msg}</error>\n    </testcase>\n  </testsuite>\n`;
    })
    .join('');
  return xmlText
    .replace(
      /<testsuites name="feesim check" tests="(\d+)"/,
      (_m, n) => `<testsuites name="feesim check" errors="${unchecked.length}" tests="${Number(n) + unchecked.length}"`,
    )
    .replace('</testsuites>', `${suites}</testsuites>`);
}

/**
 * `feesim check`: compare a run with reviewed expected results; exit 1 on a regression. A scenario
 * that cannot be checked — no expected file, or an expected file whose `# scenario:` line names another
 * scenario — is reported as such (and in JUnit) while the others are still checked; the exit code is
 * then 2. `--update` rewrites a file recorded for another scenario, saying so on stderr.
 */
export async function checkCommand(files: string[], opts: CheckOpts, io: Io): Promise<number> {
  if (opts.update) {
    const bad = unrecordableSets(opts.set ?? []);
    if (bad.length) throw new InputError(bad);
  }
  if (opts.junit) checkOutputTarget(opts.junit, { flag: '--junit', display: displayPath });
  // --update records results and checks nothing: there is no test report to write
  if (opts.junit && opts.update) io.err(`--junit ${displayPath(opts.junit)}: not written: check --update compares nothing\n`);
  const suites: { name: string; results: Comparison[] }[] = [];
  const unchecked: Unchecked[] = [];
  let missing = 0;
  let mismatched = 0;
  let failedInput = 0;
  const issues: InputIssue[] = [];
  const plans = files.map((f) => {
    const path = expectedPathFor(f, opts.expected, files.length > 1);
    // a regular file within the data-table size limit: a FIFO or a device is refused, never waited on
    // or read without end; read, it is an input of this check, which --junit must never replace
    // (--update rewrites it, and writes no JUnit)
    // its problems are this scenario's: reported with it, the other scenarios still checked
    const read = readInputFile(path, 'expected-results file', 'table', displayPath(path));
    if (read.problem !== undefined) {
      const problems: InputIssue[] = read.missing
        ? []
        : [{ file: displayPath(path), path: '(document)', message: `expected-results file ${read.problem}` }];
      return { f, path, text: undefined, expected: undefined, sets: [] as string[], problems };
    }
    if (opts.update) forgetInput(path);
    const r = parseExpected(read.text, displayPath(path));
    const recorded = recordedSets(read.text, displayPath(path));
    return { f, path, text: read.text, expected: r.expected, sets: recorded.sets, problems: [...r.issues, ...recorded.issues] };
  });
  if (opts.junit && !opts.update) declareOutput(opts.junit, { flag: '--junit', display: displayPath });
  // two different scenarios paired with one expected file: one of them is checked against the other's
  // results, and --update would write one over the other
  const byFile = new Map<string, string[]>();
  for (const { f, path } of plans) {
    const key = real(resolve(path));
    const list = byFile.get(key) ?? [];
    if (!list.some((g) => real(resolve(g)) === real(resolve(f)))) list.push(f);
    byFile.set(key, list);
  }
  for (const [key, list] of byFile)
    if (list.length > 1)
      issues.push({
        file: '--expected',
        path: displayPath(key),
        message: `one expected-results file for ${list.length} scenarios (${list.map(displayPath).join(', ')}); give each scenario its own file (--expected <folder> pairs them by name)`,
      });
  if (issues.length) throw new InputError(issues);
  let regressions = 0;
  for (const { f, path, text, expected, sets, problems } of plans) {
    const name = displayPath(f);
    // a scenario (or its expected file) that cannot be read is reported, located, on stderr, counted
    // and written to JUnit as an error; the other scenarios are still checked
    const inputError = (found: InputIssue[]) => {
      failedInput++;
      io.err(issueLines(found));
      const first = escapeControl(formatIssue(found[0]!), { newlines: false });
      const message = `${opts.update ? 'not updated' : 'not checked'}: ${found.length === 1 ? 'an input problem' : `${found.length} input problems`} (on stderr): ${first}${found.length > 1 ? ' …' : ''}`;
      unchecked.push({ name, test: 'scenario input', message });
      io.out(`${name}: ${message}\n`);
    };
    if (problems.length) {
      inputError(problems);
      continue;
    }
    if (!expected && !opts.update) {
      missing++;
      const message = `no expected-results file ${displayPath(path)} (create it with --update, then review it)`;
      unchecked.push({ name, test: 'expected-results file', message });
      io.out(`${name}: ${message}\n`);
      continue;
    }
    const recorded = expected?.scenario?.path;
    if (recorded !== undefined && !namesScenario(recorded, f, path)) {
      const shown = escapeControl(recorded, { newlines: false });
      if (opts.update) io.err(`${name}: ${displayPath(path)} was recorded for ${shown}; --update rewrites it for ${name}\n`);
      else {
        mismatched++;
        const message = `${displayPath(path)} was recorded for scenario ${shown} (line ${expected!.scenario!.line}), not ${name}: not compared (pair each scenario with its own file, or rewrite this one with --update)`;
        unchecked.push({ name, test: 'scenario of the expected-results file', message });
        io.out(`${name}: ${message}\n`);
        continue;
      }
    }
    // the overrides given now, else the ones the expected file was recorded with
    const set = opts.set?.length ? opts.set : sets;
    if (!opts.set?.length && sets.length) io.err(`${name}: with the recorded --set ${sets.join(' --set ')}\n`);
    const draws = opts.draws ?? expected?.draws ?? 0;
    const seed = opts.seed ?? expected?.seed ?? (draws ? 1 : null);
    let metrics: ReturnType<typeof metricsOf>;
    try {
      const s = await openSession(f, { ...opts, set });
      const run = runDeterministic(s.model);
      const samples = draws ? await monteCarloSamples(s.model, draws, seed ?? 1) : undefined;
      const mc = samples ? summarizeMonteCarlo(s.model, seed ?? 1, samples) : undefined;
      metrics = metricsOf(run, mc, alsoAgainst(s, { run, mc, samples }));
    } catch (e) {
      // --junit naming one of this scenario's inputs: refused for the whole check, before computing more
      if (e instanceof InputError && e.issues.every((i) => i.file === '--junit')) throw e;
      if (e instanceof InputError) inputError(e.issues);
      else if (e instanceof EngineError) inputError(e.issues.map((i) => ({ file: name, path: i.path, message: i.message })));
      else throw e;
      continue;
    }
    if (opts.update) {
      const before = text ?? '';
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
    await publishFile(resolve(opts.junit), withUnchecked(junitReport(suites), unchecked), { flag: '--junit', display: displayPath });
  const plural = (n: number) => `${n} scenario${n > 1 ? 's' : ''}`;
  if (!opts.update)
    io.out(
      `${suites.reduce((s, x) => s + x.results.length, 0) - regressions} passed, ${regressions} failed${missing ? `, ${plural(missing)} without an expected-results file` : ''}${mismatched ? `, ${plural(mismatched)} whose expected-results file names another scenario` : ''}${failedInput ? `, ${plural(failedInput)} not checked for input errors` : ''}\n`,
    );
  else if (failedInput) io.out(`${plural(failedInput)} not updated for input errors\n`);
  return unchecked.length ? 2 : regressions ? 1 : 0;
}
