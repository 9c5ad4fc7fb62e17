import { Worker } from 'node:worker_threads';
import { type Roster, type TextColumn, textValues } from '../domain/roster.js';
import { type McSamples, mergeSamples } from '../engine/montecarlo.js';
import type { WorkerInputs, WorkerJob } from './mc-worker.js';
import type { Session } from './session.js';

export { defaultThreads, PARALLEL_FROM_DRAWS } from './threads.js';

/** A worker thread running one range of a Monte Carlo's draws (mc-worker.ts). */
export interface McWorker {
  /** Gives the worker the opened scenario (workerInputs): it compiles its model and starts drawing. */
  start(inputs: WorkerInputs): void;
  /** The range's samples, when the worker is done (rejects if it failed). */
  samples: Promise<McSamples>;
  /** Stops the worker (the run failed or was interrupted); harmless once it is done. */
  cancel(): void;
}

/**
 * What a worker compiles its model from: the session's own inputs (mc-worker.ts WorkerInputs). The
 * roster's text columns (id, entity, name, country, parent HQ) are objects read in place from the
 * file's text (roster/text-column.ts), which a thread cannot receive with their methods; a worker gets
 * each as an array of strings (an array is a TextColumn too). Typed-array columns cross as they are.
 */
export function workerInputs(s: Session): WorkerInputs {
  const { loaded, roster, fee, schedule } = s.inputs;
  const columns: { [k in TextColumnKey]: string[] } = {
    id: textValues(roster.id),
    entity: textValues(roster.entity),
    name: textValues(roster.name),
    country: textValues(roster.country),
    parentHq: textValues(roster.parentHq),
  };
  return { scenario: loaded.scenario, roster: { ...roster, ...columns }, fee, schedule, file: loaded.file };
}

/** The roster's TextColumn fields: a new one is a compile error in workerInputs until it is listed there. */
type TextColumnKey = { [K in keyof Roster]: Roster[K] extends TextColumn ? K : never }[keyof Roster];

/**
 * Starts a worker on draws job.firstDraw … job.firstDraw + job.draws − 1. It loads its modules at
 * once and waits for start(inputs): a run can start it before opening the scenario, so that the
 * worker's start-up and the main thread's reading of the inputs overlap (README, Performance).
 */
export function startMcWorker(job: WorkerJob, onProgress?: (done: number) => void): McWorker {
  const worker = new Worker(new URL('./mc-worker.js', import.meta.url), { workerData: job satisfies WorkerJob });
  const samples = new Promise<McSamples>((resolveSamples, reject) => {
    worker.on('message', (m: { progress?: number; samples?: McSamples }) => {
      if (m.progress !== undefined) onProgress?.(m.progress);
      if (m.samples) {
        resolveSamples(m.samples);
        void worker.terminate();
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`Monte Carlo worker stopped (exit ${code}) before sending its draws`)));
  });
  samples.catch(() => {}); // a cancelled worker's rejection is not an unhandled one; awaiting it still throws
  return {
    start: (inputs) => worker.postMessage(inputs),
    samples,
    cancel: () => void worker.terminate(),
  };
}

/**
 * Monte Carlo over worker threads: the draws are cut into consecutive ranges, each worker runs its
 * range (parameter streams skipped ahead, member uniforms keyed by the absolute draw), and the ranges
 * are merged in order, so the samples are identical to a single-threaded run with the same seed.
 */
export async function runMonteCarloParallel(
  s: Session,
  seed: number,
  draws: number,
  threads: number,
  onProgress?: (done: number, total: number) => void,
): Promise<McSamples> {
  const n = Math.max(1, Math.min(threads, Math.floor(draws / 100) || 1));
  const size = Math.ceil(draws / n);
  const done = new Array<number>(n).fill(0);
  const workers = Array.from({ length: n }, (_, k) => {
    const firstDraw = k * size;
    return startMcWorker({ seed, firstDraw, draws: Math.max(0, Math.min(size, draws - firstDraw)) }, (d) => {
      done[k] = d;
      onProgress?.(
        done.reduce((a, b) => a + b, 0),
        draws,
      );
    });
  });
  try {
    const inputs = workerInputs(s); // once for all workers (a large roster's text columns are copied here)
    for (const w of workers) w.start(inputs);
    const parts = await Promise.all(workers.map((w) => w.samples));
    onProgress?.(draws, draws);
    return mergeSamples(parts);
  } finally {
    for (const w of workers) w.cancel();
  }
}
