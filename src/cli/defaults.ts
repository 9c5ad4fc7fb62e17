import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Start-up: main.ts imports this module to define the commands, so it imports nothing but node:path.

/** The package root (where data/ and scenarios/ live), from dist/cli/ or src/cli/. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULTS = {
  roster: resolve(PACKAGE_ROOT, 'data/roster-synthetic.csv'),
  countries: resolve(PACKAGE_ROOT, 'data/countries.csv'),
  feeSchedule: resolve(PACKAGE_ROOT, 'data/fee-schedule.yaml'),
  pilots: resolve(PACKAGE_ROOT, 'data/pilot-smes.csv'),
  scenario: resolve(PACKAGE_ROOT, 'scenarios/pp18-options.yaml'),
  backtest: resolve(PACKAGE_ROOT, 'scenarios/backtest-2020.yaml'),
  observed: resolve(PACKAGE_ROOT, 'data/observed.yaml'),
};
