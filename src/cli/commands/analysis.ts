import { EngineError, flagError, InputError } from '../../domain/issues.js';
import { escapeControl } from '../../domain/text.js';
import { describeParameter } from '../../engine/catalogue.js';
import { formatValue } from '../../engine/options/plain.js';
import { armSummaryText } from '../../engine/run.js';
import { breakEvenThreshold, maxParticipationThreshold, revenueNeutralFee } from '../../engine/solvers.js';
import { scenarioAt, stepValues, sweep, sweepMethod } from '../../engine/sweep.js';
import { tornado } from '../../engine/tornado.js';
import { renderHeatMap, renderTornadoBars, sweepTable, tornadoTable } from '../../results/analysis-tables.js';
import { RESULT_SCHEMA_VERSION } from '../../results/schema-version.js';
import { renderText } from '../../results/table.js';
import { optionName } from '../../scenario/option-parts.js';
import type { Io } from '../io.js';
import { checkSweepWork, countSteps } from '../limits.js';
import { seedFor } from '../seed.js';
import { openSession, type Session } from '../session.js';
import { provenance } from './run.js';

export interface SweepOpts {
  set?: string[];
  members?: string;
  param: string;
  from: number;
  to: number;
  step: number;
  param2?: string;
  from2?: number;
  to2?: number;
  step2?: number;
  draws?: number;
  seed?: number;
  json?: boolean;
}

function checkRange(from: number, to: number, step: number, suffix = '') {
  if (!(step > 0)) throw flagError(`--step${suffix}`, `expected a positive step, found ${step}`);
  if (to < from) throw flagError(`--to${suffix}`, `expected --to${suffix} ≥ --from${suffix}, found ${to} < ${from}`);
  if ((to - from) / step > 100_000) throw flagError(`--step${suffix}`, 'more than 100,000 steps; use a larger step');
}

/**
 * Engine issues (typed, with the scenario path concerned) as input errors naming the flag that
 * supplied the path: `flags` maps a path to its flag, `flag` is the default.
 */
function wrapEngineError<T>(f: () => T, flag: string, flags: Record<string, string> = {}): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (e instanceof EngineError)
      throw new InputError(e.issues.map((i) => ({ file: flags[i.path] ?? flag, path: i.path, message: i.message })));
    throw flagError(flag, (e as Error).message);
  }
}

/** The flags that regenerate a sweep document. */
function sweepFlags(o: SweepOpts): string[] {
  const f = ['--param', o.param, '--from', String(o.from), '--to', String(o.to), '--step', String(o.step)];
  if (o.param2) f.push('--param2', o.param2, '--from2', String(o.from2), '--to2', String(o.to2), '--step2', String(o.step2));
  return f;
}

export async function sweepCommand(file: string, opts: SweepOpts, io: Io): Promise<number> {
  checkRange(opts.from, opts.to, opts.step);
  const s = await openSession(file, opts);
  const seed = seedFor(opts, io);
  const prov = () =>
    provenance(s, seed === undefined ? null : { seed, draws: opts.draws! }, {
      command: 'sweep',
      flags: sweepFlags(opts),
      tail: ['--json'],
    });
  const values = stepValues(opts.from, opts.to, opts.step);
  const ctx = { ...s.ctx, seed, draws: opts.draws };
  if (opts.param2) {
    if (opts.from2 === undefined || opts.to2 === undefined || opts.step2 === undefined)
      throw flagError('--param2', 'a grid needs --from2, --to2 and --step2');
    checkRange(opts.from2, opts.to2, opts.step2, '2');
    // each column is one sweep of --param (its fast path when --param is an employee threshold)
    checkSweepWork(
      {
        rows: countSteps(opts.from, opts.to, opts.step),
        cols: countSteps(opts.from2, opts.to2, opts.step2),
        members: s.inputs.roster.size,
        draws: opts.draws,
        fastPath: sweepMethod(s.model.scenario, opts.param) === 'threshold',
      },
      '--step2',
    );
    const cols = stepValues(opts.from2, opts.to2, opts.step2);
    const grid = cols.map((c) =>
      wrapEngineError(
        () =>
          sweep(scenarioAt(s.model.scenario, opts.param2!, c), s.pop, opts.param, values, {
            draws: opts.draws,
            seed,
            rememberUniforms: true,
          }),
        '--param',
        { [opts.param2!]: '--param2' },
      ),
    );
    const armIds = [...new Set(grid[0]!.rows.map((r) => r.arm))];
    const name1 = describeParameter(s.model.scenario, opts.param);
    const name2 = describeParameter(s.model.scenario, opts.param2);
    const netAt = (arm: string) => (r: number, c: number) => grid[c]!.rows.find((x) => x.arm === arm && x.value === values[r])!.net;
    if (opts.json) {
      io.out(
        `${JSON.stringify(
          {
            schemaVersion: RESULT_SCHEMA_VERSION,
            document: 'feesim-sweep-grid',
            provenance: prov(),
            param: opts.param,
            param2: opts.param2,
            values,
            values2: cols,
            grid: grid.map((g, c) => ({ value2: cols[c], rows: g.rows })),
          },
          null,
          2,
        )}\n`,
      );
      return 0;
    }
    for (const arm of armIds) {
      io.out(`${escapeControl(`${s.ctx.scenarioTitle} — net impact of ${arm} (horizon, CHF)`)}\n`);
      io.out(
        renderText({
          id: 'grid',
          title: `${name1.name} (rows) × ${name2.name} (columns)`,
          columns: [
            { id: 'row', header: name1.name, kind: 'text' },
            ...cols.map((c) => ({ id: String(c), header: formatValue(c, name2.format, 6), kind: 'chf' as const })),
          ],
          rows: values.map((v, r) => ({
            row: formatValue(v, name1.format, 6),
            ...Object.fromEntries(cols.map((c, k) => [String(c), netAt(arm)(r, k)])),
          })),
          footnotes: [],
        }),
      );
      io.out(`${renderHeatMap(opts.param.split('.').pop()!, opts.param2.split('.').pop()!, values, cols, netAt(arm))}\n`);
    }
    return 0;
  }
  checkSweepWork({
    rows: values.length,
    cols: 1,
    members: s.inputs.roster.size,
    draws: opts.draws,
    fastPath: sweepMethod(s.model.scenario, opts.param) === 'threshold',
  });
  const result = wrapEngineError(() => sweep(s.model.scenario, s.pop, opts.param, values, { draws: opts.draws, seed }), '--param');
  if (opts.json)
    io.out(
      `${JSON.stringify({ schemaVersion: RESULT_SCHEMA_VERSION, document: 'feesim-sweep', provenance: prov(), sweep: result }, null, 2)}\n`,
    );
  else io.out(renderText(sweepTable(result, ctx)));
  return 0;
}

export async function tornadoCommand(
  file: string,
  opts: { set?: string[]; members?: string; option?: string; json?: boolean },
  io: Io,
): Promise<number> {
  const s = await openSession(file, opts);
  const ids = opts.option ? [opts.option] : s.model.arms.map((a) => a.id);
  for (const id of ids)
    if (!s.model.arms.some((a) => a.id === id))
      throw flagError(
        '--option',
        `unknown option "${escapeControl(id, { newlines: false })}"; options are ${s.model.arms.map((a) => a.id).join(', ')}`,
      );
  const results = ids.map((id) => ({ id, ...tornado(s.model, id) }));
  if (opts.json) {
    const prov = provenance(s, null, { command: 'tornado', flags: opts.option ? ['--option', opts.option] : [], tail: ['--json'] });
    io.out(
      `${JSON.stringify({ schemaVersion: RESULT_SCHEMA_VERSION, document: 'feesim-tornado', provenance: prov, tornado: results }, null, 2)}\n`,
    );
    return 0;
  }
  for (const r of results) {
    const arm = s.model.arms.find((a) => a.id === r.id)!;
    io.out(renderText(tornadoTable(r.base, r.bars, arm.label, s.ctx, armSummaryText(s.model, arm))));
    if (r.bars.length) io.out(`${renderTornadoBars(r.base, r.bars)}\n`);
  }
  return 0;
}

export interface SolveOpts {
  set?: string[];
  members?: string;
  option: string;
  breakEven?: number;
  neutralFee?: boolean;
  maxParticipation?: number;
  upper: number;
  json?: boolean;
}

export async function solveCommand(file: string, opts: SolveOpts, io: Io): Promise<number> {
  const s: Session = await openSession(file, opts);
  // own ids only: `--option constructor` (or __proto__, prototype) is an unknown id, not Object.prototype's
  const spec = Object.hasOwn(s.model.scenario.options, opts.option) ? s.model.scenario.options[opts.option] : undefined;
  if (!spec)
    throw flagError(
      '--option',
      `unknown option "${escapeControl(opts.option, { newlines: false })}"; options are ${Object.keys(s.model.scenario.options).join(', ')}`,
    );
  const sc = s.model.scenario;
  const out: Record<string, unknown> = {};
  const lines: string[] = [];
  if (opts.breakEven !== undefined) {
    const a = wrapEngineError(() => breakEvenThreshold(sc, s.pop, opts.option, opts.breakEven!, opts.upper), '--option');
    out.breakEvenThreshold = { toleranceChf: opts.breakEven, ...a };
    lines.push(
      `Break-even threshold (loss ≤ CHF ${opts.breakEven.toLocaleString('en-GB')}): ${a.threshold === null ? 'none' : `${a.threshold} employees`}; net there CHF ${Math.round(a.net).toLocaleString('en-GB')}`,
      `  method: ${a.method}`,
    );
  }
  if (opts.neutralFee) {
    const a = wrapEngineError(() => revenueNeutralFee(sc, s.pop, opts.option), '--option');
    out.revenueNeutralFee = a;
    lines.push(
      `Revenue-neutral SME fee: ${a.factor === null ? 'none in range' : `${a.factor.toFixed(6)} × the scenario's fee table`}; net there CHF ${Math.round(a.net).toLocaleString('en-GB')}`,
    );
    if (a.feeChf)
      lines.push(...Object.entries(a.feeChf).map(([k, v]) => `  ${k}: CHF ${v.toLocaleString('en-GB', { maximumFractionDigits: 2 })}`));
    lines.push(`  method: ${a.method}`);
  }
  if (opts.maxParticipation !== undefined) {
    const a = wrapEngineError(() => maxParticipationThreshold(sc, s.pop, opts.option, opts.maxParticipation!, opts.upper), '--option');
    out.maxParticipationThreshold = { floorChf: opts.maxParticipation, ...a };
    lines.push(
      a.threshold === null
        ? `Threshold maximising SME participation with net ≥ CHF ${opts.maxParticipation.toLocaleString('en-GB')}: none (${a.method})`
        : `Threshold maximising SME participation with net ≥ CHF ${opts.maxParticipation.toLocaleString('en-GB')}: ${a.threshold} employees; ${a.participants.toFixed(1)} participants; net CHF ${Math.round(a.net).toLocaleString('en-GB')}`,
      `  method: ${a.method}`,
    );
  }
  if (!lines.length)
    throw new InputError([
      {
        file: 'solve',
        path: 'flags',
        message: 'ask for at least one of --break-even <chf>, --neutral-fee, --max-participation <floor-chf>',
      },
    ]);
  const flags = [
    '--option',
    opts.option,
    ...(opts.breakEven !== undefined ? ['--break-even', String(opts.breakEven)] : []),
    ...(opts.neutralFee ? ['--neutral-fee'] : []),
    ...(opts.maxParticipation !== undefined ? ['--max-participation', String(opts.maxParticipation)] : []),
    '--upper',
    String(opts.upper),
  ];
  const prov = provenance(s, null, { command: 'solve', flags, tail: ['--json'] });
  if (opts.json)
    io.out(
      `${JSON.stringify({ schemaVersion: RESULT_SCHEMA_VERSION, document: 'feesim-solve', provenance: prov, option: opts.option, ...out }, null, 2)}\n`,
    );
  else
    io.out(
      `${[
        escapeControl(`${s.ctx.scenarioTitle} — ${optionName(spec, opts.option)}`),
        ...lines,
        s.ctx.synthetic ? `(${s.ctx.rosterLabel}: synthetic data)` : '',
      ].join('\n')}\n`,
    );
  return 0;
}
