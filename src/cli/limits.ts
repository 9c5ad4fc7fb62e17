import { InputError } from '../domain/issues.js';
import { formatGrouped } from '../domain/number-format.js';

/**
 * Workload caps (docs/scenario-format.md "Limits"): a run whose size would take minutes and gigabytes
 * is refused up front with the limit in the message, instead of running out of memory.
 */
export const WORKLOAD_LIMITS = {
  /** Monte Carlo draws × memberships evaluated (e.g. 1,000 members × 1,000,000 draws). */
  memberDraws: 2e9,
  /** Cells of a sweep or grid (rows × columns). */
  sweepCells: 250_000,
  /** Cells × memberships (every cell evaluates every member; deterministic sweeps). */
  memberCells: 5e9,
  /** Threshold fast path: samples kept per figure (threshold segments × draws; 4 figures × 8 bytes each). */
  sweepSamples: 2.5e7,
} as const;

const n = (x: number) => (x >= 1e7 ? x.toExponential(1).replace('e+', 'e') : formatGrouped(x));

export function checkDraws(draws: number | undefined, members: number, flag = '--draws'): void {
  if (!draws) return;
  if (draws * members > WORKLOAD_LIMITS.memberDraws)
    throw new InputError([
      {
        file: flag,
        path: String(draws),
        message: `${n(draws)} draws × ${n(members)} memberships = ${n(draws * members)} member-draws, over the limit of ${n(WORKLOAD_LIMITS.memberDraws)}; use at most ${n(Math.floor(WORKLOAD_LIMITS.memberDraws / Math.max(members, 1)))} draws`,
      },
    ]);
}

/**
 * What a sweep or grid will run, for its workload cap: `rows` values of the swept parameter × `cols`
 * columns (1 for a one-parameter sweep). `fastPath`: the swept parameter is an option's employee
 * threshold (engine/sweep.ts sweepMethod), so each column draws every member once per draw and closes
 * the year once per threshold segment (engine/threshold-sweep.ts) instead of re-running the model per value.
 */
export interface SweepWork {
  rows: number;
  cols: number;
  members: number;
  draws?: number;
  fastPath: boolean;
}

/**
 * The work of a sweep in member-evaluations (member-draws with draws), by the path that will run:
 * the threshold fast path costs draws × memberships + thresholds × draws per column; the generic path
 * re-runs the model per cell, cells × draws × memberships. Returns the number and how it was counted.
 */
export function sweepCost(w: SweepWork): { cost: number; text: string } {
  const d = w.draws || 0;
  const col = w.cols > 1 ? `${n(w.cols)} columns × ` : '';
  if (w.fastPath) {
    const per = d ? d * w.members + w.rows * d : w.members + w.rows;
    const inner = d
      ? `${n(d)} draws × ${n(w.members)} memberships + ${n(w.rows)} thresholds × ${n(d)} draws`
      : `${n(w.members)} memberships + ${n(w.rows)} thresholds`;
    return { cost: w.cols * per, text: w.cols > 1 ? `${col}(${inner})` : inner };
  }
  const cells = w.rows * w.cols;
  return d
    ? { cost: cells * d * w.members, text: `${n(cells)} cells × ${n(d)} draws × ${n(w.members)} memberships` }
    : { cost: cells * w.members, text: `${n(cells)} cells × ${n(w.members)} memberships` };
}

/**
 * Refuses a sweep or grid whose work would take minutes and gigabytes, estimated for the path that
 * will run (sweepCost), with the limit in the message: too many cells; cells × memberships (generic
 * path, deterministic); member-draws over WORKLOAD_LIMITS.memberDraws; and, on the fast path, the
 * per-threshold samples it keeps (segments × draws, WORKLOAD_LIMITS.sweepSamples).
 */
export function checkSweepWork(w: SweepWork, flag = '--step'): void {
  const cells = w.rows * w.cols;
  const problems: string[] = [];
  const { cost, text } = sweepCost(w);
  const path = w.fastPath ? ' (threshold fast path)' : '';
  if (cells > WORKLOAD_LIMITS.sweepCells)
    problems.push(
      `${n(w.rows)} × ${n(w.cols)} = ${n(cells)} cells, over the limit of ${n(WORKLOAD_LIMITS.sweepCells)} cells; use larger steps`,
    );
  else if (!w.draws && cost > WORKLOAD_LIMITS.memberCells)
    problems.push(`${text} = ${n(cost)}${path}, over the limit of ${n(WORKLOAD_LIMITS.memberCells)}; use larger steps`);
  else if (w.draws && cost > WORKLOAD_LIMITS.memberDraws)
    problems.push(
      `${text} = ${n(cost)} member-draws${path}, over the limit of ${n(WORKLOAD_LIMITS.memberDraws)}; use fewer draws or larger steps`,
    );
  else if (w.draws && w.fastPath && Math.min(w.rows, w.members + 1) * w.draws > WORKLOAD_LIMITS.sweepSamples)
    problems.push(
      `${n(Math.min(w.rows, w.members + 1))} threshold segments × ${n(w.draws)} draws = ${n(Math.min(w.rows, w.members + 1) * w.draws)} samples kept per figure, over the limit of ${n(WORKLOAD_LIMITS.sweepSamples)}; use fewer draws or larger steps`,
    );
  if (problems.length) throw new InputError(problems.map((message) => ({ file: flag, path: '', message })));
}

/** The cap of a sweep that re-runs the model per cell (checkSweepWork on the generic path). */
export function checkSweepCells(rows: number, cols: number, members: number, draws = 0, flag = '--step', fastPath = false): void {
  checkSweepWork({ rows, cols, members, draws, fastPath }, flag);
}

/** Values a sweep from `from` to `to` by `step` has, counted without building the list. */
export function countSteps(from: number, to: number, step: number): number {
  return Math.floor((to - from) / step + 1e-9) + 1;
}
