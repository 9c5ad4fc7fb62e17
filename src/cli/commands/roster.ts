import { resolve } from 'node:path';
import { summarizeRoster } from '../../results/roster-summary.js';
import { RESULT_SCHEMA_VERSION } from '../../results/schema-version.js';
import { renderText } from '../../results/table.js';
import { parsePilotSmes, rosterCsv, synthesizeRoster } from '../../tools/synthetic-roster/synthesize.js';
import { writeFileAtomic } from '../atomic-write.js';
import { DEFAULTS, loadCountries, loadFeeSchedule, loadRoster, readText } from '../inputs.js';
import type { Io } from '../io.js';

export async function rosterSummaryCommand(file: string | undefined, opts: { json?: boolean }, io: Io): Promise<number> {
  const countries = loadCountries(DEFAULTS.countries);
  const schedule = loadFeeSchedule(DEFAULTS.feeSchedule);
  const { roster, fee } = loadRoster(file ?? DEFAULTS.roster, countries, schedule);
  const tables = summarizeRoster(roster, fee, schedule.sectorMemberUnit);
  if (opts.json) io.out(`${JSON.stringify({ schemaVersion: RESULT_SCHEMA_VERSION, roster: roster.provenance, tables }, null, 2)}\n`);
  else io.out(tables.map((t) => renderText(t)).join('\n'));
  return 0;
}

export async function rosterSynthCommand(opts: { seed: number; output?: string }, io: Io): Promise<number> {
  const countries = loadCountries(DEFAULTS.countries);
  const pilots = parsePilotSmes(readText(DEFAULTS.pilots)!);
  const schedule = loadFeeSchedule(DEFAULTS.feeSchedule);
  const text = rosterCsv(synthesizeRoster(opts.seed, countries, pilots, schedule.lowIncomeLimitUsd), opts.seed);
  if (opts.output) {
    await writeFileAtomic(resolve(opts.output), text);
    io.err(`wrote SYNTHETIC roster (seed ${opts.seed}) to ${opts.output}\n`);
  } else io.out(text);
  return 0;
}
