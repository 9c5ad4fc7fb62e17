import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { BASELINE_PILOT, BASELINE_PILOT_EXPECTED } from '../domain/baseline-pilot.js';
import { setMaxInputMb, takeWarnings } from '../domain/input-state.js';
import { EngineError, InputError } from '../domain/issues.js';
import { formatGrouped } from '../domain/number-format.js';
import { escapeControl } from '../domain/text.js';
import { FORMATS } from '../export/formats.js';
import { cleanUpThenExit, forgetInputs } from './atomic-write.js';
import { DEFAULTS } from './defaults.js';
import { EXIT } from './exit-codes.js';
import { type Io, processIo } from './io.js';
import { issueLines } from './report-issues.js';
import { PARALLEL_FROM_DRAWS } from './threads.js';
import { VERSION } from './version.js';

// Start-up (README, Performance): this module loads only commander and small modules, so that
// `--version` and `--help` answer at once. Each command's module, and what it needs (zod, yaml, the
// engine, exceljs, ink), is imported when that command runs: register an action with
// `lazy(() => import('./commands/x.js'), 'xCommand')`, never with a static import of a command module.

/** Loads a command's module, after the settings every command shares (zod without its JIT). */
async function command<M>(load: () => Promise<M>): Promise<M> {
  await import('./zod-jitless.js');
  return load();
}

/** A command handler: the command's arguments, its options, then the shell's streams; returns the exit code. */
// biome-ignore lint/suspicious/noExplicitAny: each command declares its own arguments and options
type Handler = (...args: any[]) => Promise<number>;

/** Flags take plain decimal numbers only: no `0x10`, no empty `--draws=`, no `1e3` for a count. */
export function parseInteger(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (text: string): number => {
    const v = /^\s*-?\d+\s*$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(v) || v < min || v > max)
      throw new InvalidArgumentError(
        `${name}: expected a whole number in [${min}, ${max}], found "${escapeControl(text, { newlines: false })}"`,
      );
    return v;
  };
}
export function parseFinite(name: string) {
  return (text: string): number => {
    const v = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(text) ? Number(text) : NaN;
    if (!Number.isFinite(v))
      throw new InvalidArgumentError(`${name}: expected a decimal number, found "${escapeControl(text, { newlines: false })}"`);
    return v;
  };
}
const collect = (v: string, prev: string[] = []) => [...prev, v];
function parsePositive(name: string) {
  const f = parseFinite(name);
  return (text: string): number => {
    const v = f(text);
    if (!(v > 0))
      throw new InvalidArgumentError(`${name}: expected a positive number, found "${escapeControl(text, { newlines: false })}"`);
    return v;
  };
}
const MAX_INPUT_HELP = 'size limit in MB for each input file (default: scenarios 4, tables 16, rosters 512)';
// Monte Carlo flags, the same on every command that has them
const parseDraws = parseInteger('--draws', 0, 10_000_000);
const parseSeed = parseInteger('--seed', 0, 2 ** 31 - 1);
const parseThreads = parseInteger('--threads', 1, 64);
const SEED_HELP = 'random seed (chosen and printed when omitted)';
const THREADS_HELP = `worker threads for Monte Carlo (default: 1 below ${formatGrouped(PARALLEL_FROM_DRAWS)} draws, else the cores); results do not depend on it`;

export const HELP_EXAMPLES = `
Examples:
  feesim                              the interactive explorer (the overview table through a pipe)
  feesim run scenarios/pp18-options.yaml --draws 10000 --seed 1
  feesim run --set options.sme-category.eligibility.maxEmployees=100 --json
  feesim sweep --param options.sme-category.eligibility.maxEmployees --from 0 --to 500 --step 10
  feesim solve --option sme-category --break-even 500000 --neutral-fee
  feesim export scenarios/pp18-options.yaml --draws 10000 --seed 1 -o pp18.xlsx
  feesim check scenarios/*.yaml --expected test/expected
  feesim verify pp18.xlsx             re-run the command recorded in an export; exit 1 if it differs
  feesim validate scenarios/*.yaml data/roster-synthetic.csv
  feesim roster                       summary of the bundled SYNTHETIC roster
  feesim backtest                     the decided 2020 scheme vs published outcomes

Exit codes: 0 ok, 1 check found a regression, 2 usage or input error, 3 internal error, 130 interrupted.`;

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  /** The action of a lazily loaded command: imports the module when the command runs, then calls `name`. */
  const lazy =
    <M, K extends keyof M>(load: () => Promise<M>, name: K) =>
    async (...args: unknown[]) =>
      // commander passes the declared arguments, the options, then the Command itself (dropped)
      setExit(await ((await command(load))[name] as Handler)(...args.slice(0, -1), io));
  const program = new Command()
    .name('feesim')
    .description('Revenue impact of the PP-18 SME options on ITU membership fees')
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(s),
      // a flag's bad value, as our parsers word it ("--draws: expected …, found "abc""), without
      // commander's own lead-in, which named the flag and the value a second time
      outputError: (s, write) => write(s.replace(/^error: option '[^\n]*?' argument '[^\n]*?' is invalid\. (?=--[\w-]+: )/, 'error: ')),
    })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', HELP_EXAMPLES)
    // --baseline is a --set of baseline.pilot, so that every command, and the provenance it records, sees it
    .hook('preAction', (_root, action) => {
      const { baseline, set } = action.opts<{ baseline?: string; set?: string[] }>();
      if (baseline === undefined) return;
      if (!BASELINE_PILOT.test(baseline))
        throw new InputError([
          { file: '--baseline', path: 'baseline.pilot', message: `${BASELINE_PILOT_EXPECTED}; found "${escapeControl(baseline)}"` },
        ]);
      action.setOptionValue('set', [...(set ?? []), `baseline.pilot=${baseline}`]);
    });

  program
    .command('validate')
    .description('check scenario files (with their roster and fee schedule) and roster CSVs; report every problem')
    .argument('<file...>', 'scenario .yaml files or roster .csv files')
    .option('--set <path=value>', 'override a scenario value (repeatable)', collect)
    .option('--max-input-mb <mb>', MAX_INPUT_HELP, parsePositive('--max-input-mb'))
    .action(lazy(() => import('./commands/validate.js'), 'validateCommand'));

  const roster = program
    .command('roster')
    .description('summarise a roster: memberships, baseline income, sizes, eligible counts')
    .argument('[file]', 'roster CSV (default: the bundled SYNTHETIC roster)')
    .option('--json', 'print one JSON document')
    .option('--max-input-mb <mb>', MAX_INPUT_HELP, parsePositive('--max-input-mb'))
    .action(lazy(() => import('./commands/roster.js'), 'rosterSummaryCommand'));
  roster
    .command('synth')
    .description('generate a SYNTHETIC roster calibrated to published figures')
    .addOption(new Option('--seed <n>', 'random seed').argParser(parseSeed).default(2018))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(lazy(() => import('./commands/roster.js'), 'rosterSynthCommand'));

  const scenarioOptions = (c: Command) =>
    c
      .option(
        '--set <path=value>',
        'override a scenario value, e.g. options.sme-category.eligibility.maxEmployees=100 (repeatable)',
        collect,
      )
      .option('--members <roster.csv>', 'use this roster instead of the one the scenario names')
      .option('--baseline <pilot>', 'the pilot in the baseline: "continues" or "ends <year>" (as --set baseline.pilot=…)')
      .option('--max-input-mb <mb>', MAX_INPUT_HELP, parsePositive('--max-input-mb'));
  scenarioOptions(
    program
      .command('run')
      .description('compare the options of a scenario against the baseline, ranked by net impact')
      .argument('[scenario]', 'scenario file', DEFAULTS.scenario),
  )
    .option('--json', 'print one versioned JSON document with provenance')
    .option('--draws <n>', 'Monte Carlo draws (0: deterministic only)', parseDraws)
    .option('--seed <n>', SEED_HELP, parseSeed)
    .option('--threads <n>', THREADS_HELP, parseThreads)
    .addOption(new Option('--format <format>', 'write the result tables in this format (as feesim export)').choices([...FORMATS]))
    .option('-o, --output <file>', 'write the result tables to a file (as feesim export)')
    .action(async (file: string, opts) =>
      setExit(
        opts.format || opts.output
          ? await (await command(() => import('./commands/export.js'))).exportCommand([file], opts, io)
          : await (await command(() => import('./commands/run.js'))).runCommand(file, opts, io),
      ),
    );
  scenarioOptions(
    program
      .command('backtest')
      .description('the decided 2020 scheme against published outcomes: model vs observed, the gap and what it implies')
      .argument('[scenario]', 'scenario file', DEFAULTS.backtest),
  )
    .option('--observed <file>', 'observed figures (YAML)', DEFAULTS.observed)
    .option('--json', 'print one JSON document')
    .action(lazy(() => import('./commands/backtest.js'), 'backtestCommand'));
  scenarioOptions(
    program
      .command('explain')
      .description("one membership's path: eligibility tests, fee today, fee under each option, expected switch")
      .argument('[scenario]', 'scenario file', DEFAULTS.scenario)
      .requiredOption('--member <id>', 'membership id (roster column id)'),
  ).action(lazy(() => import('./commands/run.js'), 'explainCommand'));

  scenarioOptions(
    program
      .command('sweep')
      .description('net impact and participation at each value of a parameter (a grid with --param2)')
      .argument('[scenario]', 'scenario file', DEFAULTS.scenario)
      .requiredOption('--param <path>', 'scenario path, e.g. options.sme-category.eligibility.maxEmployees')
      .requiredOption('--from <a>', 'first value', parseFinite('--from'))
      .requiredOption('--to <b>', 'last value', parseFinite('--to'))
      .requiredOption('--step <s>', 'step', parseFinite('--step'))
      .option('--param2 <path>', 'second parameter for a grid (heat map), e.g. options.sme-category.fee.T.developed')
      .option('--from2 <a>', 'first value of --param2', parseFinite('--from2'))
      .option('--to2 <b>', 'last value of --param2', parseFinite('--to2'))
      .option('--step2 <s>', 'step of --param2', parseFinite('--step2'))
      .option('--draws <n>', 'Monte Carlo draws per step', parseDraws)
      .option('--seed <n>', SEED_HELP, parseSeed)
      .option('--json', 'print one JSON document'),
  ).action(lazy(() => import('./commands/analysis.js'), 'sweepCommand'));
  scenarioOptions(
    program
      .command('tornado')
      .description('each uncertain assumption at its P10 and P90, others at median, ranked by swing in net impact')
      .argument('[scenario]', 'scenario file', DEFAULTS.scenario)
      .option('--option <id>', 'only this option')
      .option('--json', 'print one JSON document'),
  ).action(lazy(() => import('./commands/analysis.js'), 'tornadoCommand'));
  scenarioOptions(
    program
      .command('solve')
      .description('break-even threshold, revenue-neutral SME fee, threshold maximising participation')
      .argument('[scenario]', 'scenario file', DEFAULTS.scenario)
      .requiredOption('--option <id>', 'the option to solve for (one with an employee threshold; --neutral-fee: one with a fee table)')
      .option('--break-even <chf>', 'largest threshold whose horizon net loss is at most this many CHF', parseFinite('--break-even'))
      .option('--neutral-fee', 'SME fee level at which the option is revenue-neutral')
      .option(
        '--max-participation <floor-chf>',
        'threshold with most SME participants whose horizon net is at least this',
        parseFinite('--max-participation'),
      )
      .option('--upper <employees>', 'largest threshold considered', parseInteger('--upper', 1, 10_000_000), 10_000)
      .option('--json', 'print one JSON document'),
  ).action(lazy(() => import('./commands/analysis.js'), 'solveCommand'));
  scenarioOptions(
    program
      .command('export')
      .description(
        'write the result tables (comparison, per year, breakdowns, eligible incumbents, tornado, sweep) as CSV, Markdown, XLSX or JSON',
      )
      .argument('<scenario...>', 'scenario files')
      .addOption(new Option('--format <format>', 'output format (default: from the -o extension)').choices([...FORMATS]))
      .option('-o, --output <file>', 'output file (CSV: a folder of <table>.csv files, published as a whole; docs/outputs.md)')
      .option('--draws <n>', 'Monte Carlo draws (adds intervals)', parseDraws)
      .option('--seed <n>', SEED_HELP, parseSeed)
      .option('--threads <n>', THREADS_HELP, parseThreads)
      .option(
        '--columns <list>',
        'comparison columns: document (Markdown default), all (default elsewhere), or ids such as rank,option,net,p5p95,pLoss',
      )
      .option('--charts', 'add PNG charts: a Charts sheet in XLSX; files next to the Markdown, linked from it')
      .option('--sweep-param <path>', 'add a sweep table of this parameter')
      .option('--from <a>', 'sweep start', parseFinite('--from'))
      .option('--to <b>', 'sweep end', parseFinite('--to'))
      .option('--step <s>', 'sweep step', parseFinite('--step')),
  ).action(lazy(() => import('./commands/export.js'), 'exportCommand'));
  scenarioOptions(
    program
      .command('brief')
      .description(
        'a brief for a Council or Conference document (Markdown, or Word with the threshold curve and tornado as figures): question, options table, assumptions, largest sensitivities, caveats, provenance',
      )
      .argument('[scenario...]', 'scenario files (several: one table over all their options, and the difference A − B)', [
        DEFAULTS.scenario,
      ])
      .option('-o, --output <file>', 'write to brief.md or brief.docx (default: Markdown on stdout)')
      .option('--columns <list>', 'options table columns: document (default), all, or ids such as rank,option,net,p5p95,pLoss')
      .option('--a <arm>', 'several scenarios: option A of the difference, scenario-name:option-id')
      .option('--b <arm>', 'several scenarios: option B')
      .option('--draws <n>', 'Monte Carlo draws (adds intervals)', parseDraws)
      .option('--seed <n>', SEED_HELP, parseSeed)
      .option('--threads <n>', THREADS_HELP, parseThreads),
  ).action(lazy(() => import('./commands/brief.js'), 'briefCommand'));
  scenarioOptions(
    program
      .command('check')
      .description('compare results with reviewed expected values; exit 1 when a metric moved beyond its tolerance')
      .argument('<scenario...>', 'scenario files')
      .requiredOption('--expected <file-or-dir>', 'expected-results file, or a folder with <scenario>.expected files')
      .option('--update', 'rewrite the expected files from this run and show the diff')
      .option('--junit <file>', 'also write a JUnit XML report')
      .option('--draws <n>', 'override the draws recorded in the expected file', parseDraws)
      .option('--seed <n>', 'override the seed recorded in the expected file', parseSeed),
  ).action(lazy(() => import('./commands/check.js'), 'checkCommand'));
  scenarioOptions(
    program
      .command('explore')
      .description('interactive terminal UI (the default command); prints the overview table when not on a terminal')
      .argument('[scenario...]', 'scenario file; with two, the first is pinned as A and the second explored as B', [DEFAULTS.scenario])
      .option('--draws <n>', 'Monte Carlo draws for intervals (default 2000; 0: off)', parseDraws)
      .option('--seed <n>', SEED_HELP, parseSeed)
      .option('--out-dir <dir>', 'where exports and saved scenarios go (default: the current folder)'),
  ).action(lazy(() => import('./commands/explore.js'), 'exploreCommand'));
  scenarioOptions(
    program
      .command('chart')
      .description('draw a chart as SVG or PNG: threshold curve, options compared, tornado, heat map, net impact per year')
      .argument('<kind>', 'threshold | options | tornado | heatmap | yearly')
      .argument('[scenario...]', 'scenario files (several: options and yearly charts label arms by scenario)', [DEFAULTS.scenario])
      .option('-o, --output <file>', 'file.svg or file.png (with --spec: file.json, or stdout)')
      .option('--spec', 'write the Vega-Lite specification (JSON) instead of drawing, to restyle it')
      .option('--option <id>', 'the option to draw (threshold, tornado, heatmap)')
      .option('--draws <n>', 'Monte Carlo draws (P5–P95 bands and whiskers)', parseDraws)
      .option('--seed <n>', SEED_HELP, parseSeed)
      .option('--threads <n>', THREADS_HELP, parseThreads)
      .option('--width <px>', 'PNG width in pixels (default: twice the layout width)', parseInteger('--width', 100, 10_000))
      .option('--from <a>', 'threshold chart: first threshold (default 0); heat map: first value of --param', parseFinite('--from'))
      .option('--to <b>', 'threshold chart: last threshold (default 500); heat map: last value of --param', parseFinite('--to'))
      .option('--step <s>', 'threshold chart: step (default 10); heat map: step of --param', parseFinite('--step'))
      .option('--param <path>', 'heat map rows (default: the employee threshold)')
      .option('--param2 <path>', 'heat map columns (default: the ITU-T developed-country SME fee)')
      .option('--from2 <a>', 'first value of --param2', parseFinite('--from2'))
      .option('--to2 <b>', 'last value of --param2', parseFinite('--to2'))
      .option('--step2 <s>', 'step of --param2', parseFinite('--step2')),
  ).action(lazy(() => import('./commands/chart.js'), 'chartCommand'));
  scenarioOptions(
    program
      .command('compare')
      .description('every option of several scenarios in one ranked table, and the difference A − B with P5–P95 and P(A better than B)')
      .argument('<scenario...>', 'scenario files')
      .option(
        '--a <arm>',
        "option A of the difference: scenario-name:option-id (default: the first scenario's option that the second also has)",
      )
      .option('--b <arm>', 'option B (the reference of the Δ column)')
      .option('--columns <list>', 'all (default), document, or column ids such as rank,scenario,option,net,p5p95,diff,pBetter')
      .option('--draws <n>', 'Monte Carlo draws (the same random numbers in every scenario)', parseDraws)
      .option('--seed <n>', SEED_HELP, parseSeed)
      .option('--json', 'print one JSON document'),
  ).action(lazy(() => import('./commands/compare.js'), 'compareCommand'));
  program
    .command('diff')
    .description('what a scenario changes against its parent (or any other scenario): resolved values side by side')
    .argument('<scenario>', 'the scenario')
    .argument('[other]', 'the scenario to compare with (default: the one it extends)')
    .option('--set <path=value>', 'override a value of the first scenario (repeatable)', collect)
    .option('--json', 'print one JSON document')
    .option('--markdown', 'print a Markdown table')
    .action(lazy(() => import('./commands/diff.js'), 'diffCommand'));
  program
    .command('verify')
    .description(
      're-run the command recorded in exports and --json documents; exit 0 identical, 1 different (names changed inputs), 2 bad input',
    )
    .argument('<file...>', 'files written by feesim: JSON, Markdown, XLSX, a CSV set (its folder, a CSV of it or its provenance.json)')
    .option(
      '--root <dir>',
      "folder the recorded paths are relative to, for scenarios outside the feesim package (default: the file's folder)",
    )
    .action(lazy(() => import('./commands/verify.js'), 'verifyCommand'));
  program
    .command('schema')
    .description("print the scenario JSON Schema (shipped as schema/scenario.schema.json), or with --result a result document's")
    .option('--result [kind]', 'the JSON Schema of a result document: run (default; run --json), sweep, sweep-grid, tornado, solve')
    .option('-o, --output <file>', 'write to a file')
    .action(lazy(() => import('./commands/schema.js'), 'schemaCommand'));

  return program;
}

let epipeHandled = false;
/**
 * `feesim run --json | head`: exit quietly when the reader goes away. Installed once per process, not
 * per call of main: stdout may still be flushing (and fail with EPIPE) after main has returned.
 */
function exitQuietlyOnEpipe(): void {
  if (epipeHandled) return;
  epipeHandled = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
}

const SIGNALS = { SIGINT: EXIT.interrupted, SIGTERM: 128 + 15, SIGHUP: 128 + 1 } as const;
/**
 * While a command runs, an interrupt removes the temporary files it is writing (atomic-write.ts) and
 * exits 130 (SIGINT) or 128 + the signal's number. Returns the function that removes the handlers
 * again, so that a process calling main many times (tests) does not pile up listeners.
 */
export function handleInterrupts(): () => void {
  const installed = (Object.keys(SIGNALS) as (keyof typeof SIGNALS)[]).map((signal) => {
    const handler = () => cleanUpThenExit(() => process.exit(SIGNALS[signal]));
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of installed) process.off(signal, handler);
  };
}

/** Runs the CLI; returns the exit code. Never throws. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  exitQuietlyOnEpipe();
  const release = handleInterrupts();
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  // --max-input-mb applies to every input the command reads
  program.hook('preAction', (_root, command) => setMaxInputMb(command.opts().maxInputMb));
  try {
    // `feesim` alone, or with explore's options or scenarios, is `feesim explore` (the overview when not on a terminal)
    await program.parseAsync(exploreByDefault(argv, program), { from: 'user' });
    printWarnings(io);
    return code;
  } catch (e) {
    printWarnings(io);
    return reportError(e, io);
  } finally {
    release();
    forgetInputs(); // the inputs a command read are that command's: -o checks of a later call must not see them
  }
}

function printWarnings(io: Io): void {
  for (const w of takeWarnings()) io.err(`${escapeControl(w, { newlines: false })}\n`);
}

export { MAX_PRINTED_ISSUES } from './report-issues.js';

const OUTPUT_FLAGS = new Set(['-o', '--junit', '--expected', '--out-dir']);

/** The arguments with `explore` put first unless they name a command or ask for the tool's help or version. */
export function exploreByDefault(argv: string[], program: Command): string[] {
  const first = argv[0];
  if (first === undefined) return ['explore'];
  const own = ['-h', '--help', '-V', '--version', 'help'];
  return own.includes(first) || program.commands.some((c) => c.name() === first) ? argv : ['explore', ...argv];
}

export function reportError(e: unknown, io: Io): number {
  // an engine issue no command located (a scenario path each): still an input problem, exit 2
  if (e instanceof EngineError) e = new InputError(e.issues.map((i) => ({ file: '(scenario)', path: i.path, message: i.message })));
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
    return EXIT.input; // commander already printed the message
  }
  if (e instanceof InputError) {
    const n = e.issues.length;
    const text = issueLines(e.issues);
    io.err(text);
    const output = e.issues.every((i) => OUTPUT_FLAGS.has(i.file));
    io.err(`${formatGrouped(n)} problem${n === 1 ? '' : 's'} found; ${output ? 'nothing was written' : 'nothing was run'}.\n`);
    return EXIT.input;
  }
  io.err(`feesim: internal error: ${escapeControl((e as Error)?.message ?? String(e), { newlines: false })}\n`);
  if (process.env.FEESIM_DEBUG) io.err(`${(e as Error)?.stack ?? ''}\n`);
  else io.err('This is a bug in feesim; run again with FEESIM_DEBUG=1 for details.\n');
  return EXIT.internal;
}
