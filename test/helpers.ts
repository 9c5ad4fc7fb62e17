import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { forgetInputs } from '../src/cli/atomic-write.js';
import { DEFAULTS, loadCountries, loadFeeSchedule, nodeScenarioIo } from '../src/cli/inputs.js';
import { buildProgram, reportError } from '../src/cli/main.js';
import { compileModel } from '../src/engine/model.js';
import { makePopulation } from '../src/engine/population.js';
import { computeFees } from '../src/fees/fee-schedule.js';
import { parseRoster } from '../src/roster/parse-roster.js';
import { loadScenario, type Override } from '../src/scenario/load-scenario.js';
import type { Scenario } from '../src/scenario/schema.js';

export const ROOT = resolve(import.meta.dirname, '..');
export const countries = loadCountries(DEFAULTS.countries);
export const schedule = loadFeeSchedule(DEFAULTS.feeSchedule);

export const HEADER = 'id,entity,name,category,sector,country,employees,turnover_usd,class_units,independent,meetings_per_year';

/**
 * A hand-made roster covering every category, Sector and development status. Expected fees
 * (CHF, from data/fee-schedule.yaml, unit 63,600):
 *  T-SM-half   T sector-member 1/2 CHE (developed)      31,800
 *  R-SM-two    R sector-member 2   USA                  127,200
 *  D-SM-8th    D sector-member 1/8 FRA                    7,950
 *  D-SM-16th   D sector-member 1/16 EGY (developing)      3,975
 *  T-SM-4th    T sector-member 1/4 KEN (developing)      15,900
 *  R-AS-dev    R associate EGY                            10,600  (no verified R/T reduction)
 *  T-AS        T associate JPN                            10,600
 *  D-AS        D associate GBR                             3,975
 *  D-AS-ldc    D associate NPL (least developed)           1,987.5
 *  AC-1-T      academia DEU                                3,975
 *  AC-1-D      academia DEU, same entity: covered           0
 *  AC-2        academia BRA                                1,987.5
 *  P-1         sme-pilot                                   0
 *  X-1         exempt                                      0
 */
export const SMALL_ROSTER = `${HEADER}
T-SM-half,E1,Half Unit SA,sector-member,T,CHE,100,5000000,1/2,true,
R-SM-two,E2,Big Corp,sector-member,R,USA,5000,900000000,2,false,
D-SM-8th,E3,Petit SARL,sector-member,D,FRA,40,,1/8,true,
D-SM-16th,E4,Cairo Tech,sector-member,D,EGY,30,,1/16,true,
T-SM-4th,E5,Nairobi Net,sector-member,T,KEN,280,,1/4,true,3
R-AS-dev,E6,Nile Radio,associate,R,EGY,20,,,true,
T-AS,E7,Tokyo Labs,associate,T,JPN,600,,,true,
D-AS,E8,London Dev,associate,D,GBR,10,,,true,
D-AS-ldc,E9,Kathmandu ICT,associate,D,NPL,12,,,true,
AC-1-T,U1,Uni Berlin,academia,T,DEU,,,,true,
AC-1-D,U1,Uni Berlin,academia,D,DEU,,,,true,
AC-2,U2,Uni Sao Paulo,academia,R,BRA,,,,true,
P-1,P1,Pilot SME,sme-pilot,T,EGY,20,,,true,
X-1,X1,Intl Org,exempt,T,CHE,,,,true,
`;

export function smallRoster() {
  const { roster, issues } = parseRoster(SMALL_ROSTER, 'small.csv', countries);
  if (!roster) throw new Error(JSON.stringify(issues));
  const { fee, issues: feeIssues } = computeFees(roster, schedule);
  if (feeIssues.length) throw new Error(JSON.stringify(feeIssues));
  return { roster, fee };
}

/** The bundled SYNTHETIC roster (data/roster-synthetic.csv) and its fees, as smallRoster gives its own. */
export function bundledRoster() {
  const file = resolve(ROOT, 'data/roster-synthetic.csv');
  const { roster, issues } = parseRoster(readFileSync(file, 'utf8'), file, countries);
  if (!roster) throw new Error(JSON.stringify(issues));
  return { roster, fee: computeFees(roster, schedule).fee };
}

export function scenarioWith(file: string, overrides: Record<string, unknown>): Scenario {
  const list: Override[] = Object.entries(overrides).map(([p, value]) => ({ path: p.split('.'), value, raw: p }));
  const { loaded, issues } = loadScenario(resolve(ROOT, file), nodeScenarioIo, list);
  if (!loaded) throw new Error(JSON.stringify(issues));
  return loaded.scenario;
}

export function modelOf(scenario: Scenario, r = smallRoster()) {
  return compileModel(scenario, makePopulation(r.roster, r.fee, schedule));
}

/** Every CLI process the tests start checks at exit that no prototype was polluted (exit 99 if so). */
export const PROTOTYPE_GUARD = pathToFileURL(resolve(ROOT, 'test/setup/prototype-guard-child.mjs')).href;

export function cli(args: string[], opts: { input?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, ['--import', PROTOTYPE_GUARD, resolve(ROOT, 'bin/feesim.mjs'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    input: opts.input ?? '',
    env: { ...process.env, CI: 'true', ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs feesim in this process (much faster than spawning a child); returns the exit code and both streams. */
export async function feesimInProcess(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  let code = 0;
  const io = {
    out: (t: string) => {
      out += t;
    },
    err: (t: string) => {
      err += t;
    },
    stderrIsTty: false,
  };
  try {
    await buildProgram(io, (c) => {
      code = c;
    }).parseAsync(args, { from: 'user' });
  } catch (e) {
    code = reportError(e, io);
  } finally {
    forgetInputs(); // as main() does: the inputs of this call are not the next one's
  }
  return { code, out, err };
}
