import { InputError, type InputIssue } from '../../domain/issues.js';
import { DEFAULTS, displayPath, loadCountries, loadFeeSchedule, parseOverrides, readRoster } from '../inputs.js';
import type { Io } from '../io.js';
import { openSession } from '../session.js';

/**
 * `feesim validate <file…>`: every problem in every file, in one pass, and nothing else runs.
 * A file is checked as a scenario (with its roster, fee schedule and country table) or, when it ends in
 * .csv, as a roster with the bundled country table and fee schedule.
 */
export async function validateCommand(files: string[], opts: { set?: string[] }, io: Io): Promise<number> {
  parseOverrides(opts.set ?? []); // a malformed --set is reported before any file is read
  const issues: InputIssue[] = [];
  for (const f of files) {
    try {
      if (f.toLowerCase().endsWith('.csv')) {
        await readRoster(f, loadCountries(DEFAULTS.countries), loadFeeSchedule(DEFAULTS.feeSchedule));
      } else await openSession(f, { set: opts.set }); // compiles the model too: expressions are checked
      io.err(`${displayPath(f)}: ok\n`);
    } catch (e) {
      if (e instanceof InputError) for (const i of e.issues) issues.push(i);
      else throw e;
    }
  }
  if (issues.length) throw new InputError(issues);
  return 0;
}
