import { describeBaseline } from '../domain/baseline-pilot.js';
import { type EngineIssue, InputError, type InputIssue } from '../domain/issues.js';
import { loadExpressionEngineFor } from '../engine/expr/compile-expression.js';
import { checkDeterministic } from '../engine/finite.js';
import { compileModel, type Model, ModelError } from '../engine/model.js';
import { makePopulation, type Population } from '../engine/population.js';
import { keyAssumptions } from '../results/key-assumptions.js';
import type { TableContext } from '../results/run-tables.js';
import { type Override, shownSetArg } from '../scenario/load-scenario.js';
import { hasPath, locate, parseYaml } from '../scenario/yaml-source.js';
import { checkDeclaredOutputs } from './atomic-write.js';
import { displayPath, parseOverrides, readScenarioInputs, readText, type ScenarioInputs } from './inputs.js';
import { checkDraws } from './limits.js';
import { projectRoot, rootRelative } from './provenance.js';

/** Model issues carry a scenario path; find the file of the extends chain that sets it, and its line. */
function locateInChain(chain: string[], issue: InputIssue, overrides: Override[] = []): InputIssue {
  const path = issue.path.split('.');
  // a value given with --set is named by its --set argument, not by the file it replaced
  const ov = [...overrides].reverse().find((o) => o.path.every((seg, i) => path[i] === seg));
  if (ov) return { file: '--set', path: shownSetArg(ov.raw), message: issue.message };
  for (const file of chain) {
    const { source } = parseYaml(readText(file) ?? '', file);
    if (source && hasPath(source, path)) return { ...issue, file: displayPath(file), ...locate(source, path) };
  }
  return issue;
}

/** Engine issues (a scenario path each) as an input error located in the file, or the --set, that set the path. */
export function locatedEngineIssues(inputs: ScenarioInputs, issues: EngineIssue[]): InputError {
  const file = displayPath(inputs.loaded.file);
  return new InputError(
    issues.map((i) => locateInChain(inputs.loaded.chain, { file, path: i.path, message: i.message }, inputs.loaded.overrides)),
  );
}

export interface Session {
  inputs: ScenarioInputs;
  pop: Population;
  model: Model;
  ctx: TableContext;
}

/** Scenario + roster + fees -> compiled model, with every input problem raised as an InputError. */
export async function openSession(file: string, opts: { set?: string[]; members?: string; draws?: number }): Promise<Session> {
  const inputs = await readScenarioInputs(file, parseOverrides(opts.set ?? []), opts.members);
  // the inputs are known: an output declared before (-o, --junit) may not be one of them; refused
  // now, before the deterministic run and any Monte Carlo (docs/outputs.md)
  checkDeclaredOutputs();
  checkDraws(opts.draws, inputs.roster.size);
  await loadExpressionEngineFor(inputs.loaded.scenario);
  const pop = makePopulation(inputs.roster, inputs.fee, inputs.schedule);
  let model: Model;
  try {
    model = compileModel(inputs.loaded.scenario, pop, displayPath(inputs.loaded.file));
  } catch (e) {
    if (e instanceof ModelError) throw new InputError(e.issues.map((i) => locateInChain(inputs.loaded.chain, i, inputs.loaded.overrides)));
    throw e;
  }
  // no silent NaN (engine/finite.ts): every parameter's expected value and every deterministic figure finite
  const nonFinite = checkDeterministic(model);
  if (nonFinite.length) throw locatedEngineIssues(inputs, nonFinite);
  const prov = inputs.roster.provenance;
  // named relative to the project root, never the working directory: the label goes into every footnote
  const rosterPath = rootRelative(projectRoot(inputs.loaded.file).dir, prov.file ?? '');
  return {
    inputs,
    pop,
    model,
    ctx: {
      rosterLabel: prov.kind === 'synthetic' ? `SYNTHETIC roster (seed ${prov.seed}), ${rosterPath}` : rosterPath,
      synthetic: prov.kind === 'synthetic',
      scenarioTitle: inputs.loaded.scenario.title,
      baseline: describeBaseline(inputs.loaded.scenario.baseline.pilot),
      assumptions: keyAssumptions(inputs.loaded.scenario),
    },
  };
}
