import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../src/cli/main.js';
import { formatPair, formatValue } from '../src/engine/options/plain.js';
import { KINDS, kindOf } from '../src/engine/options/registry.js';
import { getIn, setIn } from '../src/scenario/paths.js';
import { scenarioWith } from './helpers.js';

/**
 * Issue 10 item 1: what a reader sees next to a figure describes the settings actually run. For every
 * kind and every parameter its summary states, a --set changes the parameter; the new value must appear
 * in the CLI table, the JSON, a Markdown export and a sweep row, and the old summary nowhere.
 */

async function run(args: string[]): Promise<string> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t), stderrIsTty: false });
  if (code !== 0) throw new Error(`feesim ${args.join(' ')} exited ${code}: ${err}`);
  return out;
}

/** Other values that must move with one (the exit shares of a ceased pilot sum to 1). */
const COMPANION: Record<string, (path: string, v: number, s: Record<string, unknown>) => Record<string, number>> = {
  'cease-pilot': (path, v, s) => {
    const id = path.split('.')[1]!;
    const num = (p: string) => getIn(s, `options.${id}.${p}`) as number;
    if (path.endsWith('.concentration')) return {};
    return path.endsWith('.leave')
      ? { [`options.${id}.joinDelegation`]: 1 - v - num('joinAssociate') }
      : path.endsWith('.joinAssociate')
        ? { [`options.${id}.leave`]: 1 - v - num('joinDelegation') }
        : { [`options.${id}.leave`]: 1 - v - num('joinAssociate') };
  },
};

const dir = mkdtempSync(join(tmpdir(), 'feesim-desc-'));

describe.each(KINDS.map((k) => [k.kind]))('kind %s', (kind) => {
  const file = `scenarios/option-${kind}.yaml`;
  const scenario = scenarioWith(file, {});
  const [id, spec] = Object.entries(scenario.options).find(([, o]) => o.kind === kind)!;
  const k = kindOf(spec);
  const inSummary = k.parameters(spec).filter((p) => p.inSummary);

  test('its summary states some parameter', () => expect(inSummary.length).toBeGreaterThan(0));

  test.each(inSummary.map((p) => [p.path, p]))('--set %s shows the new value everywhere', async (_, p) => {
    const path = `options.${id}.${p.path}`;
    const old = getIn(scenario, path);
    const stepped = typeof old === 'number' ? (old + p.step <= p.max ? old + p.step : old - p.step) : p.min + 7 * p.step;
    const value = Number(stepped.toPrecision(12));
    const sets: Record<string, number> = { [path]: value, ...(COMPANION[kind]?.(path, value, scenario as never) ?? {}) };
    const changed = structuredClone(scenario) as unknown as Record<string, unknown>;
    for (const [q, v] of Object.entries(sets)) setIn(changed, q, v);
    const newSpec = (changed as unknown as typeof scenario).options[id]!;
    const oldSummary = k.summary(spec);
    const newSummary = kindOf(newSpec).summary(newSpec);
    const shown = formatValue(value, p.format);
    expect(newSummary).not.toBe(oldSummary);
    expect(newSummary).toContain(shown);
    if (typeof old === 'number') expect(formatPair(old, value, p.format)[0]).not.toBe(shown);

    const setArgs = Object.entries(sets).flatMap(([q, v]) => ['--set', `${q}=${v}`]);
    const table = await run(['run', file, ...setArgs]);
    const json = await run(['run', file, ...setArgs, '--json']);
    const md = join(dir, `${kind}-${p.path}.md`);
    await run(['run', file, ...setArgs, '-o', md]);
    const markdown = readFileSync(md, 'utf8');
    const sweep = await run([
      'sweep',
      file,
      ...setArgs,
      '--param',
      'baseline.pilotAdminCostPerParticipant',
      '--from',
      '400',
      '--to',
      '500',
      '--step',
      '100',
      '--json',
    ]);

    expect(table).toContain(shown);
    const arms = JSON.parse(json).arms as { id: string; summary: string }[];
    expect(arms.find((a) => a.id === id)!.summary).toBe(newSummary);
    expect(markdown).toContain(newSummary);
    const rows = JSON.parse(sweep).sweep.rows as { arm: string; summary: string }[];
    for (const r of rows.filter((x) => x.arm === id)) expect(r.summary).toBe(newSummary);
    for (const text of [json, markdown, sweep]) expect(text).not.toContain(oldSummary);
  });
});

test('tornado: human names, low/high in the parameter format and never printed alike', async () => {
  const out = JSON.parse(await run(['tornado', 'scenarios/pp18-options.yaml', '--option', 'extend-pilot', '--json']));
  const bars = out.tornado[0].bars as { param: string; name: string; lowText: string; highText: string }[];
  expect(bars.length).toBeGreaterThan(2);
  for (const b of bars) {
    expect(b.name).not.toMatch(/^options\./);
    expect(b.lowText).not.toBe(b.highText);
  }
  // leakage.rate: uniform(0, 0.04), P10 0.004 and P90 0.036 (issue 10: once printed "0 | 0")
  const leak = bars.find((b) => b.param.endsWith('leakage.rate'))!;
  expect([leak.lowText, leak.highText]).toEqual(['0.4 %', '3.6 %']);
  const table = await run(['tornado', 'scenarios/pp18-options.yaml', '--option', 'extend-pilot']);
  expect(table).toContain('Leakage to the free pilot (2. Extend the pilot)');
  expect(table).toMatch(/0\.4 %\s+3\.6 %/);
});

test('formatPair separates values that round alike', () => {
  expect(formatPair(0.004, 0.036, 'percent')).toEqual(['0.4 %', '3.6 %']);
  expect(formatPair(0.7, 0.7004, 'percent')).toEqual(['70 %', '70.04 %']);
  expect(formatPair(3975, 3975.4, 'chf')).toEqual(['CHF 3,975', 'CHF 3,975.4']);
  expect(formatPair(3975, 4100, 'chf')).toEqual(['CHF 3,975', 'CHF 4,100']);
  expect(formatValue(1 / 16, 'unit-fraction')).toBe('1/16 of the unit');
  expect(formatValue(50e6, 'usd')).toBe('USD 50 M');
});
