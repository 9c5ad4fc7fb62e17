import { InputError } from '../../domain/issues.js';
import { backtest } from '../../engine/backtest.js';
import { runDeterministic } from '../../engine/run.js';
import { backtestTable } from '../../results/backtest-table.js';
import { renderText } from '../../results/table.js';
import { ObservedSchema } from '../../scenario/observed.js';
import { parseYaml, validateYaml } from '../../scenario/yaml-source.js';
import { displayPath } from '../inputs.js';
import type { Io } from '../io.js';
import { readInputFile } from '../read-input.js';
import { openSession } from '../session.js';

/** `feesim backtest [scenario] [--observed file]`: model vs published outcomes, side by side. */
export async function backtestCommand(
  file: string,
  opts: { observed: string; set?: string[]; members?: string; json?: boolean },
  io: Io,
): Promise<number> {
  const read = readInputFile(opts.observed, 'observed figures', 'table', displayPath(opts.observed));
  if (read.problem !== undefined)
    throw new InputError([{ file: displayPath(opts.observed), path: '', message: `observed figures ${read.problem}` }]);
  const text = read.text;
  const { source, issues } = parseYaml(text, displayPath(opts.observed));
  if (!source) throw new InputError(issues);
  const v = validateYaml(source, ObservedSchema);
  if (!v.data) throw new InputError(v.issues);
  const s = await openSession(file, opts);
  const optionId = Object.entries(s.model.scenario.options).find(([, o]) => 'eligibility' in o)?.[0];
  if (!optionId)
    throw new InputError([{ file: displayPath(file), path: 'options', message: 'a back-test needs an option with an eligibility rule' }]);
  const run = runDeterministic(s.model);
  const rows = backtest(s.model, run, optionId, v.data.observed);
  if (opts.json) {
    io.out(`${JSON.stringify({ option: optionId, rows }, null, 2)}\n`);
    return 0;
  }
  io.out(renderText(backtestTable(rows, s.ctx, run.arms.find((a) => a.id === optionId)?.label ?? optionId)));
  return 0;
}
