import { Worker } from 'node:worker_threads';
import { type McSamples, mergeSamples } from '../engine/montecarlo.js';
import type { WorkerJob } from './mc-worker.js';

export { defaultThreads, PARALLEL_FROM_DRAWS } from './threads.js';

/**
 * Monte Carlo over worker threads: the draws are cut into consecutive ranges, each worker runs its
 * range (parameter streams skipped ahead, member uniforms keyed by the absolute draw), and the ranges
 * are merged in order, so the samples are identical to a single-threaded run with the same seed.
 */
export async function runMonteCarloParallel(
  job: Omit<WorkerJob, 'firstDraw' | 'draws'>,
  draws: number,
  threads: number,
  onProgress?: (done: number, total: number) => void,
): Promise<McSamples> {
  const n = Math.max(1, Math.min(threads, Math.floor(draws / 100) || 1));
  const size = Math.ceil(draws / n);
  const done = new Array<number>(n).fill(0);
  const parts = await Promise.all(
    Array.from(
      { length: n },
      (_, k) =>
        new Promise<McSamples>((resolveSamples, reject) => {
          const firstDraw = k * size;
          const worker = new Worker(new URL('./mc-worker.js', import.meta.url), {
            workerData: { ...job, firstDraw, draws: Math.max(0, Math.min(size, draws - firstDraw)) } satisfies WorkerJob,
          });
          worker.on('message', (m: { progress?: number; samples?: McSamples }) => {
            if (m.progress !== undefined) {
              done[k] = m.progress;
              onProgress?.(
                done.reduce((a, b) => a + b, 0),
                draws,
              );
            }
            if (m.samples) {
              resolveSamples(m.samples);
              void worker.terminate();
            }
          });
          worker.on('error', reject);
        }),
    ),
  );
  onProgress?.(draws, draws);
  return mergeSamples(parts);
}
