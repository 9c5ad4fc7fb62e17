import { resolve } from 'node:path';
import { flagError } from '../../domain/issues.js';
import { RESULT_SCHEMAS, type ResultKind, resultJsonSchema } from '../../results/result-schema.js';
import { scenarioJsonSchema } from '../../scenario/json-schema.js';
import { writeFileAtomic } from '../atomic-write.js';
import type { Io } from '../io.js';

/**
 * `feesim schema`: the scenario JSON Schema; with `--result [kind]` the JSON Schema of a result
 * document: run (default), sweep, sweep-grid, tornado or solve.
 */
export async function schemaCommand(opts: { output?: string; result?: string | boolean }, io: Io): Promise<number> {
  let schema: unknown;
  if (opts.result === undefined || opts.result === false) schema = scenarioJsonSchema();
  else {
    const kind = opts.result === true ? 'run' : opts.result;
    if (!(kind in RESULT_SCHEMAS))
      throw flagError('--result', `expected one of ${Object.keys(RESULT_SCHEMAS).join(', ')}, found "${kind}"`);
    schema = resultJsonSchema(kind as ResultKind);
  }
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  if (opts.output) await writeFileAtomic(resolve(opts.output), text);
  else io.out(text);
  return 0;
}
