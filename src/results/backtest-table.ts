import type { BacktestRow } from '../engine/backtest.js';
import { provenanceNote, SOURCES_NOTE, type TableContext } from './run-tables.js';
import type { Table } from './table.js';

const QUALIFIER: Record<BacktestRow['qualifier'], string> = { exactly: '', over: 'over ', around: 'around ', under: 'under ' };

/** Model vs observed, side by side, with the gap, the confidence of the observation and its source. */
export function backtestTable(rows: BacktestRow[], ctx: TableContext, against: string): Table {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const num = (x: number) => x.toLocaleString('en-GB', { maximumFractionDigits: 1 });
  const isShare = (r: BacktestRow) => r.figure.includes('share');
  return {
    id: 'backtest',
    title: `${ctx.scenarioTitle} — model vs observed (${against})`,
    columns: [
      { id: 'figure', header: 'Observed figure', kind: 'text' },
      { id: 'date', header: 'Date', kind: 'text' },
      { id: 'observed', header: 'Observed', kind: 'text' },
      { id: 'model', header: 'Model', kind: 'text' },
      { id: 'gap', header: 'Gap (model − obs.)', kind: 'text' },
      { id: 'confidence', header: 'Conf.', kind: 'text' },
      { id: 'source', header: 'Source', kind: 'text' },
    ],
    rows: rows.map((r) => {
      const f = isShare(r) ? pct : num;
      return {
        figure: r.figure,
        date: r.date,
        observed: `${QUALIFIER[r.qualifier]}${f(r.observed)}`,
        model: f(r.model),
        gap: `${r.gap > 0 ? '+' : ''}${isShare(r) ? `${(r.gap * 100).toFixed(1)} points` : num(r.gap)}`,
        confidence: r.confidence,
        source: r.source,
      };
    }),
    footnotes: [
      provenanceNote(ctx),
      ...rows.map((r) => `${r.id}: ${r.implication}.`),
      'The scenario recalls the criteria and fee decided for 2020 (facts 5.5-5.7): low confidence (L). Observed figures: data/observed.yaml.',
      SOURCES_NOTE,
    ],
  };
}
