import { Screen } from './screen.js';
import { type ExplorerProps, useExplorer } from './use-explorer.js';
import { useExplorerInput } from './use-explorer-input.js';

export { Interrupted } from './use-explorer-input.js';

export interface AppProps extends ExplorerProps {
  columns: number;
  rows: number;
  color: boolean;
}

/** The explorer: state and derived figures (use-explorer), keys (use-explorer-input), drawing (screen, views/). */
export function App(props: AppProps) {
  const { columns, rows, color, ...rest } = props;
  const ex = useExplorer(rest);
  useExplorerInput(ex, { columns, rows });
  return <Screen ex={ex} columns={columns} rows={rows} color={color} />;
}
