import { Box } from 'ink';
import { formatCell } from '../../results/table.js';
import { safe } from '../text.js';
import type { Explorer, Side } from '../use-explorer.js';
import { Grid, type GridRow, money } from './grid.js';

/** The figures the A-B comparison sets side by side, for one option of one side. */
export function abFigures(side: Side, optionId: string) {
  const arm = side.data.run.arms.find((x) => x.id === optionId);
  const mc = side.mc.summary?.arms.find((x) => x.id === optionId);
  const last = arm?.years[arm.years.length - 1];
  return {
    net: arm?.total.net ?? Number.NaN,
    p5: mc?.total.p5 ?? Number.NaN,
    p95: mc?.total.p95 ?? Number.NaN,
    participants: last?.smeParticipants ?? Number.NaN,
    eligible: side.eligible(optionId),
    stale: side.mc.stale || (mc?.updating ?? false),
  };
}

/** Lines the panel takes: a header and A, B, B − A. */
export const AB_PANEL_ROWS = 4;

const signed = (v: number, kind: 'chf' | 'number' | 'int') => (Number.isFinite(v) && v > 0 ? '+' : '') + formatCell(v, kind);

/**
 * A beside B with the difference, for the option the view is about: net, P5–P95, participants in the
 * last year and eligible incumbents. Four lines, on every view while A is pinned.
 */
export function AbPanel(props: { ex: Explorer; optionId: string | undefined; width: number; color: boolean }) {
  const { ex, optionId, width, color } = props;
  if (!ex.a || !optionId) return null;
  const a = abFigures(ex.a, optionId);
  const b = abFigures(ex.b, optionId);
  const label = safe(ex.b.data.run.arms.find((x) => x.id === optionId)?.label ?? optionId);
  const row = (key: string, name: string, f: typeof a): GridRow => ({
    key,
    cells: [
      name,
      money(formatCell(f.net, 'chf'), f.net),
      money(Number.isFinite(f.p5) ? formatCell(f.p5, 'chf') : '…', f.p5, { dim: f.stale }),
      money(Number.isFinite(f.p95) ? formatCell(f.p95, 'chf') : '…', f.p95, { dim: f.stale }),
      formatCell(f.participants, 'number'),
      formatCell(f.eligible, 'int'),
    ],
  });
  const d = {
    net: b.net - a.net,
    p5: b.p5 - a.p5,
    p95: b.p95 - a.p95,
    participants: b.participants - a.participants,
    eligible: b.eligible - a.eligible,
  };
  const diff: GridRow = {
    key: 'd',
    cells: [
      'B − A',
      money(signed(d.net, 'chf'), d.net),
      money(Number.isFinite(d.p5) ? signed(d.p5, 'chf') : '…', d.p5, { dim: a.stale || b.stale }),
      money(Number.isFinite(d.p95) ? signed(d.p95, 'chf') : '…', d.p95, { dim: a.stale || b.stale }),
      signed(d.participants, 'number'),
      signed(d.eligible, 'int'),
    ].map((c) => (typeof c === 'string' ? { text: c, bold: true } : { ...c, bold: true })),
  };
  return (
    <Box flexDirection="column">
      <Grid
        columns={[
          { header: `A/B ${label}`, flex: true },
          { header: 'Net', width: 11, align: 'right' },
          { header: 'P5', width: 11, align: 'right' },
          { header: 'P95', width: 11, align: 'right' },
          { header: 'Partic.', width: 7, align: 'right' },
          { header: 'Eligible', width: 8, align: 'right' },
        ]}
        rows={[row('a', `A ${safe(ex.a.name)}`, a), row('b', `B ${safe(ex.b.name)}`, b), diff]}
        width={width}
        maxRows={AB_PANEL_ROWS}
        color={color}
        windowNote={false}
      />
    </Box>
  );
}
