import './zod-jitless.js';
import { parentPort, workerData } from 'node:worker_threads';
import type { Roster } from '../domain/roster.js';
import { loadExpressionEngineFor } from '../engine/expr/compile-expression.js';
import { compileModel } from '../engine/model.js';
import { createMonteCarlo } from '../engine/montecarlo.js';
import { makePopulation } from '../engine/population.js';
import type { FeeSchedule } from '../fees/fee-schedule.js';
import type { Scenario } from '../scenario/schema.js';

/**
 * A worker thread running draws firstDraw … firstDraw + draws − 1 of a Monte Carlo run, and sending the
 * raw per-draw results back; the main thread merges them in order (cli/parallel-mc.ts). It reads no
 * file: the main thread, which has opened and checked the scenario, sends what the model is compiled
 * from (WorkerInputs: plain data and typed arrays; a model holds closures, which do not cross threads).
 * So a worker can be started before the scenario is opened, and load its modules meanwhile.
 */
export interface WorkerJob {
  seed: number;
  firstDraw: number;
  draws: number;
}

/** What the main thread's session compiled its model from (cli/session.ts openSession). */
export interface WorkerInputs {
  scenario: Scenario;
  roster: Roster;
  fee: Float64Array;
  schedule: FeeSchedule;
  /** The scenario as messages name it. */
  file: string;
}

const job = workerData as WorkerJob;
parentPort!.once('message', async (inputs: WorkerInputs) => {
  await loadExpressionEngineFor(inputs.scenario);
  const model = compileModel(inputs.scenario, makePopulation(inputs.roster, inputs.fee, inputs.schedule), inputs.file);
  const mc = createMonteCarlo(model, { draws: job.draws, seed: job.seed, firstDraw: job.firstDraw });
  const chunk = Math.max(100, Math.ceil(job.draws / 50));
  while (!mc.step(chunk)) parentPort!.postMessage({ progress: mc.done });
  const x = mc.samples();
  const buffers = [...x.total, ...x.discounted, ...x.participants, ...x.yearly.flat(), x.pilotCost].map((a) => a.buffer as ArrayBuffer);
  parentPort!.postMessage({ samples: x }, [...new Set(buffers)]);
});
