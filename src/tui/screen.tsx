import { Box, Text } from 'ink';
import { AB_PANEL_ROWS, AbPanel } from './components/ab-panel.js';
import { Help } from './components/help.js';
import { KeyBar, keyBarItems } from './components/key-bar.js';
import { describeOption } from './describe.js';
import { GLOBAL_KEYS } from './keymap.js';
import { bodyRowsFor, helpBodyRowsFor } from './layout.js';
import { cells, fitWords, safe } from './text.js';
import type { Explorer, McState } from './use-explorer.js';
import { VIEWS, viewOf } from './views/index.js';

function mcLine(mc: McState, width: number): string {
  if (!mc.total) return 'Monte Carlo off (explore --draws N for P5–P95)';
  const n = (x: number) => x.toLocaleString('en-GB');
  if (mc.done >= mc.total && !mc.stale)
    return `Monte Carlo: ${n(mc.total)} draws, seed ${mc.summary?.seed ?? ''}; P5–P95 and P(…) from them`;
  const what = mc.updating ? 'Monte Carlo updating for the new settings (dimmed: earlier figures)' : 'Monte Carlo running';
  const tail = ` ${n(mc.done)}/${n(mc.total)}`;
  const barW = Math.max(6, Math.min(30, width - cells(what) - cells(tail) - 3));
  const fill = Math.round((mc.done / mc.total) * barW);
  return `${what} [${'#'.repeat(fill)}${'.'.repeat(barW - fill)}]${tail}`;
}

/** The whole frame: the view chosen in the state, inside the fixed chrome. Only draws; keys are elsewhere. */
export function Screen({ ex, columns, rows, color }: { ex: Explorer; columns: number; rows: number; color: boolean }) {
  const { st } = ex;
  const width = Math.max(20, columns);
  const view = viewOf(st.view);
  const body = st.help ? helpBodyRowsFor(rows) : bodyRowsFor(rows);
  const focus = view.focus(ex);
  const ab = ex.a && !st.help && body >= AB_PANEL_ROWS + 4;
  const viewRows = ab ? body - AB_PANEL_ROWS : body;
  const { ctx } = ex.props;
  const tag = ctx.synthetic ? '[SYNTHETIC roster]' : '[your roster]';
  const title = `feesim · ${fitWords(safe(ctx.scenarioTitle), width - cells(tag) - 11)}`;
  const desc = describeOption(ex.b.data.scenario, focus);
  const status = st.status && st.status.view === st.view ? st.status.text : '';
  return (
    <Box flexDirection="column" width={width}>
      <Box width={width}>
        <Box flexGrow={1}>
          <Text bold wrap="truncate-end">
            {title}
          </Text>
        </Box>
        <Text bold color={color ? 'yellow' : undefined}>
          {tag}
        </Text>
      </Box>
      <Text wrap="truncate-end">
        {VIEWS.map((v, k) => {
          const on = v.id === st.view && !st.help;
          return (
            <Text key={v.id} inverse={on && color} bold={on}>
              {`${on ? '›' : ' '}${k + 1} ${v.title}${on ? ' ' : ' '}`}
            </Text>
          );
        })}
        {ex.a ? (
          <Text bold color={color ? 'magenta' : undefined}>
            {' A/B'}
          </Text>
        ) : null}
      </Text>
      {st.help ? null : (
        <Text wrap="truncate-end" color={color ? 'cyan' : undefined}>
          {fitWords(safe(desc), width) || ' '}
        </Text>
      )}
      <Box flexDirection="column" height={body} overflow="hidden">
        {st.help ? (
          <Help width={width} height={body} scroll={st.helpScroll} />
        ) : (
          <>
            <Box flexDirection="column" height={viewRows} overflow="hidden">
              <view.Body ex={ex} width={width} height={viewRows} color={color} />
            </Box>
            {ab ? <AbPanel ex={ex} optionId={focus} width={width} color={color} /> : null}
          </>
        )}
      </Box>
      {st.help ? null : (
        <>
          <Text wrap="truncate-end" dimColor={ex.b.mc.stale}>
            {mcLine(ex.b.mc, width)}
          </Text>
          <Text wrap="truncate-end" color={color ? 'green' : undefined}>
            {status || ' '}
          </Text>
        </>
      )}
      <KeyBar items={keyBarItems(st.help ? [] : view.keys, GLOBAL_KEYS, width)} color={color} />
    </Box>
  );
}
