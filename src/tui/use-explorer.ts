import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { Population } from '../engine/population.js';
import type { PayingLessRow } from '../engine/run.js';
import type { TableContext } from '../results/run-tables.js';
import type { Table } from '../results/table.js';
import type { Scenario } from '../scenario/schema.js';
import {
  applySettings,
  type Curve,
  computeCurve,
  computeExplorer,
  type ExplorerData,
  initialSettings,
  type Settings,
} from './explorer-model.js';
import { createMcStore, type McStore, type McSummary, type Schedule } from './mc-store.js';
import { type Action, initialState, makeReducer, type UiState } from './state.js';
import { contextFor, sortMembers } from './view-tables.js';

/** A second scenario opened beside the first (`feesim explore a.yaml b.yaml`): pinned as A. */
export interface PinnedScenario {
  scenario: Scenario;
  pop: Population;
  /** How A is named on screen and in exports (the file name). */
  name: string;
  /** A's own table context (its roster); default: B's. */
  ctx?: TableContext;
}

export interface ExplorerProps {
  scenario: Scenario;
  pop: Population;
  ctx: TableContext;
  /** Monte Carlo draws (0: none) and seed. */
  draws: number;
  seed: number;
  /** A second scenario pinned as A from the start. */
  a?: PinnedScenario;
  /** How B (the scenario being explored) is named when A is a file. */
  name?: string;
  /** Runs the Monte Carlo's chunks (tests step it by hand); default: setImmediate. */
  schedule?: Schedule;
  /** Writes tables (the first is the view's, or the A-B comparison); resolves to the path written. */
  onExport(tables: Table[], format: 'csv' | 'md' | 'xlsx', settings: Settings, pinned?: PinnedExport | null): Promise<string>;
  /** Saves the settings as a scenario file; resolves to the path written. */
  onSave(settings: Settings): Promise<string>;
}

/** What an export needs to record how A was computed, while A is pinned. */
export interface PinnedExport {
  /** A's settings, on the file pinned (`file`) or on the scenario explored. */
  settings: Settings;
  file: boolean;
  name: string;
  bName: string;
}

/** The Monte Carlo as the screen shows it: figures, whether they are final, and the progress line. */
export interface McState {
  summary?: McSummary;
  /** The figures are from earlier settings, or not all draws are in yet: shown dimmed. */
  stale: boolean;
  done: number;
  total: number;
  /** A run for new settings is under way while earlier figures stay on screen. */
  updating: boolean;
}

/** One side of the screen: the data and Monte Carlo of a setting (B, the current one, or A, the pinned one). */
export interface Side {
  name: string;
  data: ExplorerData;
  /**
   * The table context of the settings computed (the edited scenario): its baseline and every option's
   * rule in the footnotes, never the scenario file's defaults.
   */
  ctx: TableContext;
  /** The settings computed (on the side's own scenario: the file pinned as A, or the one explored). */
  settings: Settings;
  /** A only: A is the scenario file given first on the command line, not settings pinned with `a`. */
  file?: boolean;
  mc: McState;
  /** Threshold option's eligible incumbents (paying less) at this setting. */
  eligible: (optionId: string) => number;
  threshold: number;
}

export interface Explorer {
  props: ExplorerProps;
  st: UiState;
  apply(a: Action): void;
  /** The latest state, advanced synchronously by apply (keys can arrive faster than renders). */
  latest(): UiState;
  b: Side;
  a: Side | null;
  /** The threshold option's curve (computed when first needed, once per setting other than the threshold). */
  curve(): Curve | null;
  /** Incumbents paying less under the threshold option, in the chosen order. */
  members: PayingLessRow[];
  /** The option whose threshold the Threshold view moves (settings.thresholdOption). */
  smeId: string | undefined;
  /** The threshold option's P5–P95 at the current threshold, from the stored draws. */
  curveMc(): ReturnType<McStore['curveAt']>;
  /** The same at any threshold 0 … CURVE_MAX. */
  curveMcAt(t: number): ReturnType<McStore['curveAt']>;
}

const slowOf = (s: Settings): Settings => ({ ...s, threshold: s.preset ? s.threshold : 0 });

/**
 * The explorer's state and everything derived from it, computed during render (so one key gives one
 * frame). Monte Carlo stores live per setting other than the threshold and are shared by A and B
 * when they differ only in the threshold.
 */
export function useExplorer(props: ExplorerProps): Explorer {
  const { scenario, pop, draws, seed } = props;
  const { reducer } = useMemo(() => makeReducer(scenario), [scenario]);
  const [st, dispatch] = useReducer(reducer, scenario, (s) => initialState(s, { pinnedFile: props.a !== undefined }));
  const latestRef = useRef(st);
  const apply = useCallback(
    (a: Action) => {
      latestRef.current = reducer(latestRef.current, a);
      dispatch(a);
    },
    [reducer],
  );
  const [, setTick] = useState(0);
  const onProgress = useCallback(() => setTick((k) => k + 1), []);

  // Monte Carlo stores by (scenario, setting other than the threshold): kept while on screen.
  const stores = useRef(new Map<string, { store: McStore }>());
  const storeFor = (base: Scenario, p: Population, settings: Settings, tag: string): McStore | undefined => {
    if (!draws) return undefined;
    const slow = slowOf(settings);
    const key = `${tag}|${JSON.stringify(slow)}`;
    let hit = stores.current.get(key);
    if (!hit) {
      const sme = settings.thresholdOption ?? undefined;
      hit = {
        store: createMcStore(applySettings(base, settings), p, {
          draws,
          seed,
          thresholdOption: sme,
          threshold: settings.threshold,
          atThreshold: (t) => applySettings(base, { ...slow, threshold: t }),
          schedule: props.schedule,
        }),
      };
      stores.current.set(key, hit);
    }
    return hit.store;
  };

  const s = st.settings;
  const dataB = useMemo(() => computeExplorer(scenario, pop, s), [scenario, pop, s]);
  const storeB = storeFor(scenario, pop, s, 'B');
  // When new settings need new draws, the previous store's figures stay on screen (dimmed) until the new run ends.
  const shown = useRef<{ now?: McStore; prev?: McStore }>({});
  if (shown.current.now !== storeB) {
    if (shown.current.now && shown.current.now.done > 0) shown.current.prev = shown.current.now;
    shown.current.now = storeB;
  }
  if (storeB?.finished) shown.current.prev = undefined;
  const prevB = shown.current.prev;

  const pinned = st.pinned;
  const aBase = pinned?.kind === 'file' && props.a ? props.a.scenario : scenario;
  const aPop = pinned?.kind === 'file' && props.a ? props.a.pop : pop;
  const aSettings = useMemo(
    () => (pinned?.kind === 'settings' ? pinned.settings : pinned?.kind === 'file' && props.a ? initialSettings(props.a.scenario) : null),
    [pinned, props.a],
  );
  const dataA = useMemo(() => (aSettings ? computeExplorer(aBase, aPop, aSettings) : null), [aBase, aPop, aSettings]);
  const storeA = aSettings ? storeFor(aBase, aPop, aSettings, pinned?.kind === 'file' ? 'A' : 'B') : undefined;

  // run what is on screen; pause what is not (kept while it is the previous figures, for going back)
  useEffect(() => {
    const live = [storeB, storeA];
    for (const [k, v] of stores.current) {
      if (live.includes(v.store)) continue;
      v.store.cancel();
      if (v.store !== prevB) stores.current.delete(k);
    }
    for (const x of live) x?.start(onProgress);
  });
  useEffect(() => {
    // a store shared by A and B (they differ only in the threshold) follows both thresholds
    if (storeA && aSettings && storeA !== storeB) storeA.follow([aSettings.threshold]);
    storeB?.follow(storeA === storeB && aSettings ? [s.threshold, aSettings.threshold] : [s.threshold]);
  }, [storeA, storeB, aSettings, s.threshold]);

  const mcOf = (store: McStore | undefined, prev: McStore | undefined, t: number): McState => {
    if (!store) return { stale: false, done: 0, total: 0, updating: false };
    const now = store.summaryAt(t);
    if (!store.finished && prev) {
      const old = prev.summaryAt(t);
      if (old) return { summary: old, stale: true, done: store.done, total: store.draws, updating: true };
    }
    const partial = !store.finished || (now?.arms.some((x) => x.updating) ?? false);
    return { summary: now, stale: partial, done: store.done, total: store.draws, updating: false };
  };
  const smeId = s.thresholdOption ?? undefined;
  const eligibleOf = (d: ExplorerData) => (id: string) => d.run.payingLess[id]?.length ?? 0;
  const ctxB = useMemo(() => contextFor(props.ctx, dataB.scenario), [props.ctx, dataB]);
  const ctxA = useMemo(
    () => (dataA ? contextFor(pinned?.kind === 'file' && props.a?.ctx ? props.a.ctx : props.ctx, dataA.scenario) : null),
    [props.ctx, props.a, pinned, dataA],
  );
  const b: Side = {
    name: props.name ?? 'now',
    data: dataB,
    ctx: ctxB,
    settings: s,
    mc: mcOf(storeB, prevB, s.threshold),
    eligible: eligibleOf(dataB),
    threshold: s.threshold,
  };
  const a: Side | null =
    dataA && aSettings && ctxA
      ? {
          name: pinned?.kind === 'file' && props.a ? props.a.name : 'pinned',
          data: dataA,
          ctx: ctxA,
          settings: aSettings,
          file: pinned?.kind === 'file',
          mc: mcOf(storeA, undefined, aSettings.threshold),
          eligible: eligibleOf(dataA),
          threshold: aSettings.threshold,
        }
      : null;

  const curves = useRef(new Map<string, Curve | null>());
  const curve = () => {
    const key = JSON.stringify(slowOf(s));
    if (!curves.current.has(key)) {
      curves.current.clear();
      curves.current.set(key, computeCurve(scenario, pop, slowOf(s)));
    }
    return curves.current.get(key) ?? null;
  };
  const members = useMemo(
    () => sortMembers(smeId ? (dataB.run.payingLess[smeId]?.rows() ?? []) : [], st.memberSort),
    [dataB, smeId, st.memberSort],
  );
  return {
    props,
    st,
    apply,
    latest: () => latestRef.current,
    b,
    a,
    curve,
    members,
    smeId,
    curveMc: () => (prevB ?? storeB)?.curveAt(s.threshold),
    curveMcAt: (t) => (prevB ?? storeB)?.curveAt(t),
  };
}
