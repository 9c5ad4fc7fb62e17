import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRoster, readRoster } from '../src/cli/inputs.js';
import { HASH_OFF_THREAD_BYTES, READ_CHUNK, streamInputFile } from '../src/cli/read-input.js';
import { rosterFromRows, textValues } from '../src/domain/roster.js';
import { runDeterministic } from '../src/engine/run.js';
import { computeFees } from '../src/fees/fee-schedule.js';
import { RosterParser } from '../src/roster/parse-roster.js';
import { countries, modelOf, ROOT, scenarioWith, schedule } from './helpers.js';
import { plainRoster } from './plain-roster.js';
import { parseRoster as parseWhole } from './reference/parse-roster-whole.js';

/**
 * The large-roster path (a file streamed in 1 MiB chunks into typed columns, text columns read in
 * place, duplicates and entities by a radix sort of hashes; the deterministic run's per-member lists)
 * against the small path on the same rows: the whole-text reference reader (test/reference) and
 * rosterFromRows (plain string columns). The roster is the bench's (bench/run.mjs millionRoster): the
 * bundled roster repeated with unique ids and entities, here 40 times (≈ 40,000 rows, 3 MiB: several
 * chunks, rows cut at chunk ends).
 */
const dir = mkdtempSync(join(tmpdir(), 'feesim-large-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function repeatedRoster(times: number): string {
  const lines = readFileSync(resolve(ROOT, 'data/roster-synthetic.csv'), 'utf8').split('\n');
  const header = lines.find((l) => l.startsWith('id,'))!;
  const rows = lines.filter((l) => l && !l.startsWith('#') && l !== header);
  const out = ['# repeated roster', header];
  for (let c = 0; c < times; c++)
    for (const r of rows) {
      const a = r.indexOf(',');
      const b = r.indexOf(',', a + 1);
      // every 7th name quoted with blanks around it (read as a string, not a range), every 11th entity empty (the id)
      const k = out.length;
      const rest = r.slice(b + 1);
      const name = rest.slice(0, rest.indexOf(','));
      const cells = `${k % 11 === 0 ? '' : `${r.slice(a + 1, b)}-${c}`},${k % 7 === 0 ? `" ${name} "` : name}${rest.slice(name.length)}`;
      out.push(`${r.slice(0, a)}-${c},${cells}`);
    }
  return `${out.join('\n')}\n`;
}

describe('a large roster read and run = the small path on the same rows', () => {
  const text = repeatedRoster(40);
  const file = join(dir, 'large.csv');
  writeFileSync(file, text);
  const streamed = loadRoster(file, countries, schedule);
  const whole = parseWhole(text, 'large.csv', countries);
  if (!whole.roster) throw new Error(JSON.stringify(whole.issues.slice(0, 3)));
  const reference = whole.roster;

  it('spans several read chunks', () => {
    expect(text.length).toBeGreaterThan(2 * READ_CHUNK);
    expect(streamed.roster.size).toBe(reference.size);
    expect(streamed.roster.size).toBeGreaterThan(39_000);
  });

  it('the same roster column by column, and the same fees', () => {
    const { provenance: _a, ...got } = plainRoster(streamed.roster);
    const { provenance: _b, ...want } = reference;
    expect(got).toEqual(want);
    expect(Array.from(streamed.fee)).toEqual(Array.from(computeFees(reference, schedule).fee));
    // the quoted names were trimmed, the empty entities took the id
    expect(text).toContain(`," ${streamed.roster.name.at(5)} ",`);
    expect(streamed.roster.name.at(5)).toBe(reference.name.at(5));
    expect(textValues(streamed.roster.entity).filter((e, i) => e === streamed.roster.id.at(i)).length).toBeGreaterThan(3000);
  });

  it('the same deterministic run, per-member lists included', () => {
    const scenario = scenarioWith('scenarios/pp18-options.yaml', {});
    const big = runDeterministic(modelOf(scenario, streamed));
    const small = runDeterministic(
      modelOf(scenario, { roster: rosterFromRows(rowsOf(reference), reference.provenance), fee: streamed.fee }),
    );
    expect(big).toEqual(small);
    // largest saving first, ties by id
    expect(Math.max(...Object.values(big.payingLess).map((l) => l.length))).toBeGreaterThan(1000);
    for (const batched of Object.values(big.payingLess)) {
      const list = batched.rows();
      for (let k = 1; k < list.length; k++) {
        const [a, b] = [list[k - 1]!, list[k]!];
        expect(a.saving > b.saving || (a.saving === b.saving && a.id < b.id)).toBe(true);
        expect(b.saving).toBe(b.feeToday - b.feeUnderOption);
      }
    }
  });

  it('a run given the per-member tables of the same run (as against a further baseline) = the full run', () => {
    const model = modelOf(scenarioWith('scenarios/pp18-options.yaml', {}), streamed);
    const full = runDeterministic(model);
    expect(runDeterministic(model, undefined, full)).toEqual(full);
  });
});

describe('a roster over HASH_OFF_THREAD_BYTES read asynchronously (hashed on another thread)', () => {
  const text = repeatedRoster(Math.ceil(HASH_OFF_THREAD_BYTES / 70_000)); // the bundled roster is ~75 KB
  const file = join(dir, 'hashed-off-thread.csv');
  writeFileSync(file, text);

  it('= the same file read on this thread: the same roster and fees, and the sha256 of its bytes', async () => {
    expect(Buffer.byteLength(text)).toBeGreaterThan(HASH_OFF_THREAD_BYTES);
    const here = loadRoster(file, countries, schedule);
    const there = await readRoster(file, countries, schedule);
    const want = createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(here.sha256).toBe(want);
    expect(there.sha256).toBe(want);
    // (column by column, the in-place read is checked against the reference reader above)
    expect(there.roster.size).toBe(here.roster.size);
    expect(textValues(there.roster.id)).toEqual(textValues(here.roster.id));
    expect(Array.from(there.fee)).toEqual(Array.from(here.fee));
  });
});

describe('a file the parser stops reading early (not a roster), over HASH_OFF_THREAD_BYTES', () => {
  // line 1 is no roster header: the parser stops there and the rest is only counted (lines, UTF-8)
  const file = join(dir, 'not-a-roster.csv');
  const bytes = Buffer.concat([Buffer.from('hello,world\n'), Buffer.alloc(HASH_OFF_THREAD_BYTES + 3 * READ_CHUNK + 5, 0x41)]);
  writeFileSync(file, bytes);

  it('reads the rest into one reused buffer (never held whole), and its sha256 is still the whole file’s', async () => {
    const parser = new RosterParser('not-a-roster.csv', countries);
    const targets = new Set<ArrayBufferLike>();
    const readTarget = parser.readTarget.bind(parser);
    parser.readTarget = (want: number) => {
      const t = readTarget(want);
      if (!parser.wants) targets.add(t.buffer);
      return t;
    };
    const read = await streamInputFile(file, 'roster', 'roster', 'not-a-roster.csv', parser);
    expect(read.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(parser.wants).toBe(false);
    expect(targets.size).toBe(1); // the chunks after the stop, each read into the same ordinary buffer
    expect([...targets][0]).toBeInstanceOf(ArrayBuffer);
    expect(parser.end().roster).toBeUndefined();
  });
});

/** The reference roster's rows as MemberRows (rosterFromRows builds plain string columns from them). */
function rowsOf(r: ReturnType<typeof rosterFromRows>) {
  return Array.from({ length: r.size }, (_, i) => ({
    id: r.id.at(i)!,
    entity: r.entity.at(i)!,
    name: r.name.at(i)!,
    category: r.category[i]!,
    sector: r.sector[i]!,
    country: r.country.at(i)!,
    dev: r.dev[i]!,
    gniPerCapitaUsd: r.gniPerCapitaUsd[i]!,
    parentHq: r.parentHq.at(i)!,
    fullFee: r.fullFee[i] === 1,
    employees: r.employees[i]!,
    turnoverUsd: r.turnoverUsd[i]!,
    classUnits: r.classUnits[i]!,
    independent: r.independent[i] === 1,
    meetingsPerYear: r.meetingsPerYear[i]!,
    line: r.line[i]!,
  }));
}
