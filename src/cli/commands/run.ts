import { describeBaseline } from '../../domain/baseline-pilot.js';
import { EngineError, InputError } from '../../domain/issues.js';
import { escapeControl } from '../../domain/text.js';
import { samplesAgainst, withBaselinePilot } from '../../engine/against-baseline.js';
import { explainMember } from '../../engine/explain.js';
import {
  createMonteCarlo,
  type McResult,
  type McSamples,
  mergeSamples,
  type SummaryMemo,
  summarizeMonteCarlo,
} from '../../engine/montecarlo.js';
import { type RunResult, runDeterministic } from '../../engine/run.js';
import type { Provenance } from '../../export/provenance.js';
import { writeJsonPretty } from '../../results/json-stream.js';
import { againstDocument, runDocument } from '../../results/result-document.js';
import { attributionTable, baselineTable, comparisonTable, switchingLossTable, yearlyTable } from '../../results/run-tables.js';
import { renderText } from '../../results/table.js';
import type { Io } from '../io.js';
import { defaultThreads, type McWorker, runMonteCarloParallel, startMcWorker, workerInputs } from '../parallel-mc.js';
import { progressReporter } from '../progress.js';
import { buildProvenance, type Invocation } from '../provenance.js';
import { announceSeed, randomSeed, seedFor } from '../seed.js';
import { locatedEngineIssues, openSession, type Session } from '../session.js';
import { TOOL } from '../version.js';

export { TOOL };

export interface RunOpts {
  set?: string[];
  members?: string;
  json?: boolean;
  draws?: number;
  seed?: number;
  threads?: number;
}

/** The provenance of a single-scenario output (run --json, sweep/tornado/solve documents, brief). */
export function provenance(s: Session, mc?: { seed: number; draws: number } | null, inv?: Partial<Invocation>): Provenance {
  return buildProvenance([s], {
    command: 'run',
    scenarios: [s.inputs.loaded.file],
    set: s.inputs.overrides,
    members: s.inputs.membersFile,
    mc: mc ? { seed: mc.seed, draws: mc.draws } : null,
    ...inv,
  });
}

/** The later draws of a Monte Carlo run, started on a worker thread before the scenario was opened (startEarly). */
export interface EarlyDraws {
  seed: number;
  /** The seed was chosen here (no --seed): computeRun prints it, as seedFor would have. */
  chosen: boolean;
  /** Draws 0 … first − 1 are the main thread's; first … draws − 1 the worker's. */
  first: number;
  worker: McWorker;
  /** Draws the worker has done so far. */
  done(): number;
}

/**
 * Start-up overlap (README, Performance, "Threads"): a run that two threads share (--threads 2, or the
 * default from 50,000 draws on two cores) starts the worker's half of the draws before the main thread
 * opens the scenario, so that both load at the same time, and then each runs its half. The ranges are consecutive and merged in order,
 * so the result is the one a single thread gives (the draws are keyed by their absolute index).
 * Undefined when the run is single-threaded (a handful of draws, one core, or --threads 1).
 */
export function startEarly(opts: RunOpts): EarlyDraws | undefined {
  const draws = opts.draws;
  if (!draws || (opts.threads ?? defaultThreads(draws)) !== 2) return undefined;
  const seed = opts.seed ?? randomSeed();
  const first = Math.ceil(draws / 2);
  let done = 0;
  const worker = startMcWorker({ seed, firstDraw: first, draws: draws - first }, (d) => {
    done = d;
  });
  return { seed, chosen: opts.seed === undefined, first, worker, done: () => done };
}

/**
 * Deterministic run, plus Monte Carlo when draws were asked for (with its per-draw samples). Seeds are
 * chosen here (or by startEarly), never in the engine.
 */
export async function computeRun(
  s: Session,
  opts: RunOpts,
  io: Io,
  early?: EarlyDraws,
): Promise<{ run: RunResult; mc?: McResult; samples?: McSamples; memo?: SummaryMemo }> {
  early?.worker.start(workerInputs(s)); // the worker compiles its model while this thread runs the deterministic figures
  const run = runDeterministic(s.model);
  if (early?.chosen) announceSeed(early.seed, io);
  const seed = early?.seed ?? seedFor(opts, io);
  const draws = opts.draws;
  if (!draws || seed === undefined) return { run };
  const threads = opts.threads ?? defaultThreads(draws);
  const progress = progressReporter(io, 'Monte Carlo');
  const samples = await withLocatedIssues(s, async () => {
    if (early) {
      const mine = await monteCarloSamples(s.model, early.first, seed, progress && ((d) => progress(d + early.done(), draws)));
      const theirs = await early.worker.samples;
      progress?.(draws, draws);
      return mergeSamples([mine, theirs]);
    }
    return threads > 1 ? runMonteCarloParallel(s, seed, draws, threads, progress) : monteCarloSamples(s.model, draws, seed, progress);
  });
  const memo: SummaryMemo = new Map();
  const mc = summarizeMonteCarlo(s.model, seed, samples, memo);
  if (mc.nonFinite) io.err(`warning: ${mc.nonFinite} non-finite results were excluded from the summaries\n`);
  return { run, mc, samples, memo };
}

/** A draw with a non-finite value (engine EngineError 'non-finite') as an input error at the scenario line of the parameter. */
async function withLocatedIssues<T>(s: Session, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof EngineError) throw locatedEngineIssues(s.inputs, e.issues);
    throw e;
  }
}

/**
 * Monte Carlo in chunks that yield to the event loop, so that Ctrl+C (SIGINT, handled in main.ts) stops
 * a long run cleanly instead of waiting for the last draw. Returns the per-draw samples.
 */
export async function monteCarloSamples(
  model: Session['model'],
  draws: number,
  seed: number,
  onProgress?: (done: number, total: number) => void,
): Promise<McSamples> {
  const mc = createMonteCarlo(model, { draws, seed });
  const chunk = Math.max(100, Math.ceil(draws / 100));
  while (!mc.step(chunk)) {
    onProgress?.(mc.done, draws);
    await new Promise((r) => setImmediate(r));
  }
  onProgress?.(mc.done, draws);
  return mc.samples();
}

/**
 * The same comparison against each further baseline of the scenario (baseline.alsoAgainst), from the
 * same run: only the pilot cost each option is credited with saving changes (engine/against-baseline.ts).
 */
export function alsoAgainst(s: Session, computed: { run?: RunResult; mc?: McResult; samples?: McSamples; memo?: SummaryMemo }) {
  const primary = s.model.scenario.baseline.pilot ?? 'continues';
  return [...new Set(s.model.scenario.baseline.alsoAgainst ?? [])]
    .filter((b) => b !== primary)
    .map((b) => {
      const model = withBaselinePilot(s.model, b);
      const alt: Session = { ...s, model, ctx: { ...s.ctx, baseline: describeBaseline(b) } };
      const mc =
        computed.mc && computed.samples
          ? summarizeMonteCarlo(model, computed.mc.seed, samplesAgainst(s.model, model, computed.samples), computed.memo)
          : undefined;
      // the per-member tables do not depend on the baseline: the scenario's own run's serve
      return { baseline: b, s: alt, run: runDeterministic(model, undefined, computed.run), mc };
    });
}

export function runJson(s: Session, run: RunResult, mc?: McResult, prov: Provenance | null = provenance(s, mc, { tail: ['--json'] })) {
  const pilot = s.model.scenario.baseline.pilot ?? 'continues';
  return runDocument(run, mc, prov, { pilot, description: s.ctx.baseline ?? describeBaseline(pilot) });
}

export async function runCommand(file: string, opts: RunOpts, io: Io): Promise<number> {
  const early = startEarly(opts);
  try {
    return await runWith(await openSession(file, opts), opts, io, early);
  } finally {
    early?.worker.cancel();
  }
}

async function runWith(s: Session, opts: RunOpts, io: Io, early: EarlyDraws | undefined): Promise<number> {
  const computed = await computeRun(s, opts, io, early);
  const { run, mc } = computed;
  const alts = alsoAgainst(s, computed);
  if (opts.json) {
    const doc = {
      ...runJson(s, run, mc),
      // an against document keeps no provenance (againstDocument): none is built for it
      alsoAgainst: alts.map((a) => againstDocument(runJson(a.s, a.run, a.mc, null))),
    };
    // written in pieces: on a large roster the document is tens of MB (src/results/json-stream.ts)
    writeJsonPretty(doc, (t) => io.out(t));
    io.out('\n');
    return 0;
  }
  io.out(`${escapeControl(s.ctx.scenarioTitle)}\n\n`); // the tables' headings say what each table is; this says which scenario
  const primary = comparisonTable(run, s.ctx, mc);
  io.out(`${renderText(primary)}\n`);
  io.out(`${renderText(baselineTable(run, s.ctx), { footnotes: false })}\n`);
  io.out(`${renderText(yearlyTable(run, s.ctx, mc), { footnotes: false })}\n`);
  if (run.arms.some((a) => a.attribution)) io.out(`${renderText(attributionTable(run, s.ctx), { footnotes: false })}\n`);
  const switching = switchingLossTable(run, s.ctx);
  if (switching.rows.length) io.out(`${renderText(switching, { footnotes: false })}\n`);
  // last, so that every table above reads against the scenario's own baseline; each with the footnotes
  // that differ from the first table's (its baseline, its baseline income and pilot cost)
  for (const alt of alts) {
    const t = comparisonTable(alt.run, alt.s.ctx, alt.mc);
    io.out(`${renderText({ ...t, footnotes: t.footnotes.filter((f) => !primary.footnotes.includes(f)) })}\n`);
  }
  return 0;
}

export async function explainCommand(file: string, opts: { member: string; set?: string[]; members?: string }, io: Io): Promise<number> {
  const s = await openSession(file, opts);
  const row = s.inputs.roster.id.indexOf(opts.member);
  if (row < 0)
    throw new InputError([
      { file: '--member', path: opts.member, message: `no membership with id "${opts.member}" in ${s.ctx.rosterLabel}` },
    ]);
  const e = explainMember(s.model, row);
  io.out(
    `${[
      ...e.header,
      '',
      ...e.steps.flatMap((st) => [`${st.option} — ${st.summary}:`, ...st.lines.map((l) => `  - ${l}`)]),
      '',
      s.ctx.synthetic ? `(${s.ctx.rosterLabel}: synthetic data)` : '',
    ].join('\n')}\n`,
  );
  return 0;
}
