import { basename, extname } from 'node:path';
import { flagError } from '../../domain/issues.js';
import type { McResult, McSamples } from '../../engine/montecarlo.js';
import type { RunResult } from '../../engine/run.js';
import { parseColumns, selectColumns } from '../../results/columns.js';
import { type ArmRef, armDifference, type ComparedScenario, compareTable, describeDifference, parseArmRef } from '../../results/compare.js';
import { renderText } from '../../results/table.js';
import { displayPath } from '../inputs.js';
import type { Io } from '../io.js';
import { seedFor } from '../seed.js';
import { openSession, type Session } from '../session.js';
import { computeRun, type RunOpts, TOOL } from './run.js';

/** One scenario opened and run, as commands over several scenarios need it. */
export interface ScenarioRun {
  name: string;
  file: string;
  session: Session;
  run: RunResult;
  mc?: McResult;
  samples?: McSamples;
}

/** Short names for the scenarios' arms: file names without extension, made unique with a position. */
export function scenarioNames(files: string[]): string[] {
  const base = files.map((f) => basename(f, extname(f)));
  return base.map((b, k) => (base.filter((x) => x === b).length > 1 ? `${k + 1}-${b}` : b));
}

/**
 * Opens and runs each scenario. The seed is chosen once, so every scenario's Monte Carlo sees the
 * same random numbers (common random numbers); with `samples`, the per-draw results are kept (for
 * differences between arms of different scenarios).
 */
export async function openRuns(files: string[], opts: RunOpts, io: Io, keep: { samples?: boolean } = {}): Promise<ScenarioRun[]> {
  const seed = seedFor(opts, io);
  const names = scenarioNames(files);
  const out: ScenarioRun[] = [];
  // every scenario opened before any is computed: an -o naming one of their inputs is refused first
  const sessions: Session[] = [];
  for (const file of files) sessions.push(await openSession(file, opts));
  for (const [k, file] of files.entries()) {
    const session = sessions[k]!;
    const { run, mc, samples } = await computeRun(session, { ...opts, seed }, io);
    out.push({ name: names[k]!, file, session, run, mc, ...(keep.samples && samples ? { samples } : {}) });
  }
  return out;
}

export function compared(runs: ScenarioRun[]): ComparedScenario[] {
  return runs.map((r) => ({
    name: r.name,
    title: r.session.ctx.scenarioTitle,
    baseline: r.session.ctx.baseline,
    run: r.run,
    mc: r.mc,
    samples: r.samples,
    armIds: r.session.model.arms.map((a) => a.id),
  }));
}

function refOf(scs: ComparedScenario[], text: string, flag: string): ArmRef {
  try {
    return parseArmRef(scs, text);
  } catch (e) {
    throw flagError(flag, (e as Error).message, text);
  }
}

export interface CompareOpts extends RunOpts {
  a?: string;
  b?: string;
  columns?: string;
}

/**
 * The default pair: the same option in the first two scenarios when there is one, else the two
 * best-ranked arms.
 */
export function defaultPair(scs: ComparedScenario[]): [ArmRef, ArmRef] {
  if (scs.length > 1) {
    const same = scs[1]!.run.arms.find((a) => scs[0]!.run.arms.some((x) => x.id === a.id));
    if (same)
      return [
        { scenario: 0, arm: same.id },
        { scenario: 1, arm: same.id },
      ];
  }
  const ranked = scs.flatMap((s, k) => s.run.arms.map((a) => ({ scenario: k, arm: a.id, net: a.total.net }))).sort((x, y) => y.net - x.net);
  return [
    { scenario: ranked[0]!.scenario, arm: ranked[0]!.arm },
    { scenario: ranked[1]?.scenario ?? ranked[0]!.scenario, arm: ranked[1]?.arm ?? ranked[0]!.arm },
  ];
}

/** `feesim compare a.yaml b.yaml …`: every arm of every scenario in one ranked table, and A − B. */
export async function compareCommand(files: string[], opts: CompareOpts, io: Io): Promise<number> {
  const runs = await openRuns(files, opts, io, { samples: true });
  const scs = compared(runs);
  const [da, db] = defaultPair(scs);
  const a = opts.a ? refOf(scs, opts.a, '--a') : da;
  const b = opts.b ? refOf(scs, opts.b, '--b') : db;
  const diff = armDifference(scs, a, b);
  const ctx = { ...runs[0]!.session.ctx, seed: runs[0]!.mc?.seed, draws: runs[0]!.mc?.draws };
  let table = compareTable(scs, ctx, b);
  try {
    table = selectColumns(table, parseColumns(opts.columns, 'all'));
  } catch (e) {
    throw flagError('--columns', (e as Error).message);
  }
  if (opts.json) {
    io.out(
      `${JSON.stringify(
        {
          schemaVersion: 1,
          tool: TOOL,
          scenarios: runs.map((r) => ({
            name: r.name,
            file: displayPath(r.session.inputs.loaded.file),
            title: r.session.ctx.scenarioTitle,
            sha256: r.session.inputs.scenarioHash,
          })),
          monteCarlo: runs[0]!.mc ? { seed: runs[0]!.mc.seed, draws: runs[0]!.mc.draws } : null,
          rows: table.rows,
          difference: diff,
        },
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  io.out(renderText(table));
  io.out(`\nDifference (A − B): ${describeDifference(diff)}\n`);
  return 0;
}
