import './zod-jitless.js';
import { parentPort, workerData } from 'node:worker_threads';
import { createMonteCarlo } from '../engine/montecarlo.js';
import { openSession } from './session.js';

/**
 * A worker thread running draws firstDraw … firstDraw + draws − 1 of a Monte Carlo run. It loads the
 * scenario itself (models hold typed arrays and closures, which do not cross threads) and sends the
 * raw per-draw results back; the main thread merges them in order (cli/parallel-mc.ts).
 */
export interface WorkerJob {
  file: string;
  set?: string[];
  members?: string;
  seed: number;
  firstDraw: number;
  draws: number;
}

const job = workerData as WorkerJob;
const s = await openSession(job.file, { set: job.set, members: job.members });
const mc = createMonteCarlo(s.model, { draws: job.draws, seed: job.seed, firstDraw: job.firstDraw });
const chunk = Math.max(100, Math.ceil(job.draws / 50));
while (!mc.step(chunk)) parentPort!.postMessage({ progress: mc.done });
const x = mc.samples();
const buffers = [...x.total, ...x.discounted, ...x.participants, ...x.yearly.flat(), x.pilotCost].map((a) => a.buffer as ArrayBuffer);
parentPort!.postMessage({ samples: x }, [...new Set(buffers)]);
