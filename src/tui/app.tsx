import { Box, Text, useApp, useInput, useStdin } from 'ink';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { explainMember } from '../engine/explain.js';
import { resolveRule } from '../engine/options/eligibility.js';
import type { Population } from '../engine/population.js';
import { tornado } from '../engine/tornado.js';
import type { TableContext } from '../results/run-tables.js';
import { formatCell, type Table } from '../results/table.js';
import type { Scenario } from '../scenario/schema.js';
import { thresholdChart } from './chart.js';
import {
  computeCurve,
  computeExplorer,
  editableParams,
  neutralFee,
  paygOptionId,
  type Settings,
  smeOptionId,
  THRESHOLD_PRESETS,
} from './explorer-model.js';
import { commandFor, KEY_HELP } from './keymap.js';
import { type ArmsSnapshot, type CurveSnapshot, startArmsMonteCarlo, startCurveMonteCarlo } from './mc-runner.js';
import { type Action, initialState, makeReducer, type UiState, VIEW_TITLES, VIEWS } from './state.js';
import { TableView } from './table-view.js';
import { feesTable, membersTable, overviewTable, parametersTable, sensitivityTable, sortMembers, thresholdTable } from './view-tables.js';

export class Interrupted extends Error {}

export interface AppProps {
  scenario: Scenario;
  pop: Population;
  ctx: TableContext;
  /** Monte Carlo draws (0: none) and seed. */
  draws: number;
  seed: number;
  columns: number;
  rows: number;
  color: boolean;
  /** Writes a view's table; resolves to the path written. */
  onExport(table: Table, format: 'csv' | 'md' | 'xlsx'): Promise<string>;
  /** Saves the settings as a scenario file; resolves to the path written. */
  onSave(settings: Settings): Promise<string>;
}

/** The explorer: state in a reducer, keys mapped by keymap.ts, each view drawn from a Table. */
export function App(props: AppProps) {
  const { scenario, pop, ctx, columns, rows, color } = props;
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const { reducer, valueOf } = useMemo(() => makeReducer(scenario), [scenario]);
  const [st, dispatch] = useReducer(reducer, scenario, initialState);
  // Keys can arrive faster than React renders (two in one tick): the handler works on a mirror of the
  // state that it advances itself with the same reducer, so no key ever acts on a stale view.
  const latest = useRef(st);
  const apply = useCallback(
    (a: Action) => {
      latest.current = reducer(latest.current, a);
      dispatch(a);
    },
    [reducer],
  );
  const s = st.settings;
  const slow = useMemo(() => ({ ...s, threshold: 0 }), [s.preset, s.smeFeeFactor, s.paygFeeFactor, s.params, s]);
  const data = useMemo(() => computeExplorer(scenario, pop, s), [scenario, pop, s]);
  const curve = useMemo(() => computeCurve(scenario, pop, slow), [scenario, pop, slow]);
  const [armsMc, setArmsMc] = useState<ArmsSnapshot | undefined>();
  const [curveMc, setCurveMc] = useState<CurveSnapshot | undefined>();
  // Monte Carlo restarts when the settings change; the curve only when something other than the threshold changes.
  useEffect(() => {
    if (!props.draws) return undefined;
    setArmsMc(undefined);
    const h = startArmsMonteCarlo(data.scenario, pop, { draws: props.draws, seed: props.seed, onUpdate: setArmsMc });
    return h.cancel;
  }, [data.scenario, pop, props.draws, props.seed]);
  useEffect(() => {
    if (!props.draws) return undefined;
    setCurveMc(undefined);
    const h = startCurveMonteCarlo({ ...data.scenario }, pop, { draws: props.draws, seed: props.seed, onUpdate: setCurveMc });
    return h.cancel;
  }, [pop, props.draws, props.seed, data.scenario]);
  // The revenue-neutral fee does not depend on the current SME fee: computed against the scenario's table.
  const neutral = useMemo(
    () => (st.view === 'fees' ? neutralFee(scenario, pop, { ...s, smeFeeFactor: 1 }) : null),
    [scenario, pop, s.threshold, s.paygFeeFactor, s.params, s, st.view],
  );

  const sme = smeOptionId(data.scenario);
  const members = useMemo(() => sortMembers(sme ? (data.run.payingLess[sme] ?? []) : [], st.memberSort), [data, sme, st.memberSort]);
  const tableFor = (v: UiState['view']): Table | null => {
    switch (v) {
      case 'overview':
        return overviewTable(data, ctx, armsMc?.result);
      case 'threshold':
        return curve ? thresholdTable(data, curve, st, ctx, curveMc) : null;
      case 'fees':
        return feesTable(data, ctx);
      case 'sensitivity':
        return sensitivityTable(data, st, ctx);
      case 'members':
        return membersTable(data, st, ctx);
      case 'parameters':
        return parametersTable(data, (p) => valueOf(s, p), ctx);
    }
  };

  const onInput = useCallback(
    (input: string, key: Parameters<Parameters<typeof useInput>[0]>[1]) => {
      const cur = latest.current;
      const cmd = commandFor(input, key, cur, { memberCount: members.length, armCount: data.model.arms.length });
      switch (cmd.kind) {
        case 'action':
          apply(cmd.action);
          break;
        case 'quit':
          exit();
          break;
        case 'interrupt':
          exit(new Interrupted('interrupted'));
          break;
        case 'export': {
          const t = tableFor(cur.view);
          if (!t) {
            apply({ type: 'status', text: 'nothing to export in this view' });
            break;
          }
          props.onExport(t, cmd.format).then(
            (path) => apply({ type: 'status', text: `exported ${VIEW_TITLES[cur.view]} to ${path}` }),
            (e: Error) => apply({ type: 'status', text: `export failed: ${e.message}` }),
          );
          break;
        }
        case 'save':
          props.onSave(cur.settings).then(
            (path) => apply({ type: 'status', text: `saved scenario ${path} (feesim validate accepts it)` }),
            (e: Error) => apply({ type: 'status', text: `save failed: ${e.message}` }),
          );
          break;
      }
    },
    [members.length, data, apply, props.onSave, tableFor, props.onExport, exit],
  );
  useInput(onInput, { isActive: isRawModeSupported === true });

  const bodyRows = Math.max(6, rows - 6);
  const header = `feesim — ${ctx.scenarioTitle}`;
  const prov = ctx.synthetic ? `[${ctx.rosterLabel.split(',')[0]}]` : `[roster: ${ctx.rosterLabel}]`;
  return (
    <Box flexDirection="column" width={columns}>
      <Text bold wrap="truncate-end">
        {header.slice(0, Math.max(10, columns - prov.length - 1)).padEnd(Math.max(10, columns - prov.length - 1))}{' '}
        <Text color={color ? 'yellow' : undefined} bold>
          {prov}
        </Text>
      </Text>
      <Text wrap="truncate-end">
        {VIEWS.map((v, k) => (v === st.view ? `[${k + 1} ${VIEW_TITLES[v]}]` : ` ${k + 1} ${VIEW_TITLES[v]} `)).join(' ')} ? keys q quit
      </Text>
      <Box flexDirection="column" height={bodyRows} overflow="hidden">
        {st.help ? (
          <Help width={columns} height={bodyRows} />
        ) : (
          <View
            st={st}
            data={data}
            curve={curve}
            curveMc={curveMc}
            armsMc={armsMc}
            neutral={neutral}
            members={members}
            ctx={ctx}
            width={columns}
            height={bodyRows}
            color={color}
            valueOf={(p) => valueOf(s, p)}
            tableFor={tableFor}
            pop={pop}
          />
        )}
      </Box>
      <Text wrap="truncate-end">{mcLine(armsMc, curveMc, props.draws, columns)}</Text>
      <Text wrap="truncate-end" color={color ? 'green' : undefined}>
        {st.status || ' '}
      </Text>
    </Box>
  );
}

function mcLine(arms: ArmsSnapshot | undefined, curve: CurveSnapshot | undefined, draws: number, width: number): string {
  if (!draws) return 'Monte Carlo off (explore --draws N for intervals)';
  const done = Math.min(arms?.done ?? 0, curve?.done ?? arms?.done ?? 0);
  if (done >= draws) return `Monte Carlo: ${draws} draws, seed ${arms?.seed ?? curve?.seed} — intervals are P5-P95`;
  const barW = Math.max(10, Math.min(40, width - 40));
  const fill = Math.round((done / draws) * barW);
  return `Monte Carlo [${'#'.repeat(fill)}${'.'.repeat(barW - fill)}] ${done}/${draws} draws`;
}

function Help({ width, height }: { width: number; height: number }) {
  const lines = KEY_HELP.map(([where, keys, what]) => `${where.padEnd(12)}${keys.padEnd(23)}${what}`);
  return (
    <Box flexDirection="column">
      <Text bold>Keys</Text>
      {lines.slice(0, height - 2).map((l) => (
        <Text key={l} wrap="truncate-end">
          {l.slice(0, width)}
        </Text>
      ))}
      <Text dimColor>
        {lines.length > height - 2 ? `(${lines.length - height + 2} more: enlarge the terminal) ` : ''}Press ? or Esc to close.
      </Text>
    </Box>
  );
}

interface ViewProps {
  st: UiState;
  data: ReturnType<typeof computeExplorer>;
  curve: ReturnType<typeof computeCurve>;
  curveMc?: CurveSnapshot;
  armsMc?: ArmsSnapshot;
  neutral: ReturnType<typeof neutralFee>;
  members: ReturnType<typeof sortMembers>;
  ctx: TableContext;
  width: number;
  height: number;
  color: boolean;
  valueOf: (path: string) => number;
  tableFor: (v: UiState['view']) => Table | null;
  pop: Population;
}

const chf = (v: number) => `CHF ${formatCell(v, 'chf')}`;

function describeRule(o: Scenario['options'][string]): string {
  if (!('eligibility' in o)) return '';
  const r = resolveRule(o.eligibility);
  const parts = [`preset ${o.eligibility.preset}`, `≤ ${r.maxEmployees} staff`];
  if (r.financial !== 'none')
    parts.push(`${r.financial === 'and' ? 'and' : 'or'} turnover ≤ USD ${formatCell(r.maxTurnoverUsd / 1e6, 'number')} M`);
  if (r.requireIndependent) parts.push('independent');
  return parts.join(', ');
}

function View(p: ViewProps) {
  const { st, data, width, height, color } = p;
  switch (st.view) {
    case 'overview': {
      const t = p.tableFor('overview')!;
      const best = data.run.arms[0]!;
      return (
        <Box flexDirection="column">
          <TableView table={t} width={width} maxRows={height - 3} color={color} mark={(i) => (i === 0 ? '★' : '')} />
          <Text wrap="truncate-end">{`★ best: ${best.label} (net ${chf(best.total.net)} over ${data.scenario.horizon.years} years). Baseline fee income ${chf(data.run.baseline[0]!.feeIncome)} a year.`}</Text>
        </Box>
      );
    }
    case 'threshold': {
      if (!p.curve) return <Text>This scenario has no SME-category option: nothing to explore here.</Text>;
      const sme = smeOptionId(data.scenario)!;
      const arm = data.run.arms.find((a) => a.id === sme)!;
      const t = st.settings.threshold;
      const i = p.curveMc?.atThreshold(t);
      const eligible = data.run.payingLess[sme]?.length ?? 0;
      const chart = thresholdChart(p.curve.net, t, p.curve.breakEven, width, Math.max(4, height - 7));
      return (
        <Box flexDirection="column">
          <Text wrap="truncate-end">
            <Text bold>{`Threshold ≤ ${t} employees`}</Text>
            {`  ${arm.label}   ←/→ ±1  PgUp/PgDn ±10  Home/End ±100`}
          </Text>
          <Text wrap="truncate-end">{`Rule: ${describeRule(data.scenario.options[sme]!)}`}</Text>
          <Text wrap="truncate-end">{`Presets: ${THRESHOLD_PRESETS.map((x) => `${x.key} ${x.label}`).join(' · ')}`}</Text>
          <Text wrap="truncate-end">{`Eligible incumbents ${eligible}   switching loss ${chf(arm.years[0]!.lost)}/yr   new entrants ${formatCell(arm.years[arm.years.length - 1]!.newEntrants, 'number')}/yr   SME participants ${formatCell(arm.years[arm.years.length - 1]!.smeParticipants, 'number')}`}</Text>
          <Text
            wrap="truncate-end"
            bold
          >{`Net impact ${data.scenario.horizon.startYear}-${data.scenario.horizon.startYear + data.scenario.horizon.years - 1}: ${chf(arm.total.net)}${i ? `   P5 ${chf(i.p5)}  P95 ${chf(i.p95)}  P(loss) ${formatCell(i.probLoss, 'percent')}` : ''}`}</Text>
          <Text wrap="truncate-end">{`Break-even threshold (net ≥ 0): ${p.curve.breakEven === null ? 'none in 0-1000' : p.curve.breakEven}   (B on the chart; | is the current threshold)`}</Text>
          {chart.map((l, k) => (
            <Text key={k} wrap="truncate-end">
              {l}
            </Text>
          ))}
        </Box>
      );
    }
    case 'fees': {
      const sme = smeOptionId(data.scenario);
      const payg = paygOptionId(data.scenario);
      const so = sme ? data.scenario.options[sme] : undefined;
      const po = payg ? data.scenario.options[payg] : undefined;
      const unit = p.pop.schedule.sectorMemberUnit;
      const smeLine =
        so && so.kind === 'sme-category'
          ? `SME fee ×${st.settings.smeFeeFactor.toFixed(2)}: ITU-T ${chf(so.fee.T.developed * (so.fee.basis === 'unit-fraction' ? unit : 1))} developed / ${chf(so.fee.T.developing * (so.fee.basis === 'unit-fraction' ? unit : 1))} developing; ITU-D ${chf(so.fee.D.developed * (so.fee.basis === 'unit-fraction' ? unit : 1))}   (←/→ −/+5 %)`
          : 'No SME-category option in this scenario.';
      const paygLine =
        po && po.kind === 'pay-as-you-go'
          ? `Pay-as-you-go ×${st.settings.paygFeeFactor.toFixed(2)}: ${chf(po.fee.T)} per ITU-T ${po.basis}, ${chf(po.fee.D)} per ITU-D ${po.basis}   (↓/↑ −/+5 %)`
          : 'No pay-as-you-go option in this scenario.';
      const n = p.neutral;
      const neutralLine = !n
        ? ''
        : n.factor === null
          ? `Revenue-neutral SME fee: none up to 64× (${n.method})`
          : `Revenue-neutral SME fee at threshold ${st.settings.threshold}: ITU-T developed ${chf(n.feeChf!['T.developed']!)} (×${n.factor.toFixed(3)} of the scenario's fee table)`;
      return (
        <Box flexDirection="column">
          <Text wrap="truncate-end">{smeLine}</Text>
          <Text wrap="truncate-end">{paygLine}</Text>
          <Text wrap="truncate-end" bold>
            {neutralLine}
          </Text>
          <TableView table={p.tableFor('fees')!} width={width} maxRows={height - 5} color={color} />
        </Box>
      );
    }
    case 'sensitivity': {
      const arm = data.model.arms[st.armIndex % data.model.arms.length]!;
      const { base, bars: rows } = tornado(data.model, arm.id);
      const short = (param: string) => param.replace(/^options\./, '').replace(new RegExp(`^${arm.id}\\.`), '');
      const barW = Math.max(10, width - 60);
      const max = Math.max(1, ...rows.flatMap((r) => [Math.abs(r.netAtLow - base), Math.abs(r.netAtHigh - base)]));
      return (
        <Box flexDirection="column">
          <Text
            bold
            wrap="truncate-end"
          >{`Tornado: ${arm.label}  (←/→ other option)  — P10/P90 of each assumption, others at median`}</Text>
          {rows.length === 0 ? <Text>No uncertain assumption moves this option.</Text> : null}
          {rows.slice(0, height - 2).map((r) => {
            const lo = Math.round((((Math.min(r.netAtLow, r.netAtHigh) - base) / max) * barW) / 2),
              hi = Math.round((((Math.max(r.netAtLow, r.netAtHigh) - base) / max) * barW) / 2);
            const half = Math.floor(barW / 2);
            const bar = Array.from({ length: barW + 1 }, (_, k) => {
              const x = k - half;
              return x === 0 ? '|' : x < 0 && x >= lo ? '◀' : x > 0 && x <= hi ? '▶' : ' ';
            }).join('');
            return (
              <Text
                key={r.param}
                wrap="truncate-end"
              >{`${short(r.param).slice(0, 30).padEnd(30)} ${bar} ${formatCell(r.swing, 'chf')}`}</Text>
            );
          })}
        </Box>
      );
    }
    case 'members': {
      if (st.explain && p.members[st.memberIndex]) {
        const row = data.model.pop.roster.id.indexOf(p.members[st.memberIndex]!.id);
        const e = explainMember(data.model, row);
        const lines = [...e.header, '', ...e.steps.flatMap((x) => [`${x.option}:`, ...x.lines.map((l) => `  - ${l}`)])];
        return (
          <Box flexDirection="column">
            {lines.slice(0, height - 1).map((l, k) => (
              <Text key={k} wrap="truncate-end">
                {l}
              </Text>
            ))}
            <Text dimColor>Esc: back to the list</Text>
          </Box>
        );
      }
      return (
        <Box flexDirection="column">
          <Text wrap="truncate-end">{`${p.members.length} incumbents would pay less — sorted by ${st.memberSort} (s: sort, Enter: explain)`}</Text>
          <TableView table={p.tableFor('members')!} width={width} maxRows={height - 3} selected={st.memberIndex} color={color} />
        </Box>
      );
    }
    case 'parameters': {
      const params = editableParams(data.scenario);
      return (
        <Box flexDirection="column">
          <Text wrap="truncate-end">↑/↓ choose, ←/→ change, w save as scenario file, z reset</Text>
          {params.slice(0, height - 2).map((x, k) => (
            <Text
              key={x.path}
              inverse={k === st.paramIndex && !color}
              color={k === st.paramIndex && color ? 'cyan' : undefined}
              wrap="truncate-end"
            >
              {`${k === st.paramIndex ? '>' : ' '} ${x.label.padEnd(Math.min(60, width - 20))} ${p.valueOf(x.path).toFixed(3).padStart(7)}${x.path in st.settings.params ? ' (edited)' : ''}`}
            </Text>
          ))}
          <Text wrap="truncate-end">{`Best option now: ${data.run.arms[0]!.label}, net ${chf(data.run.arms[0]!.total.net)}`}</Text>
        </Box>
      );
    }
  }
}
