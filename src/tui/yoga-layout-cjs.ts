// yoga-layout, Ink's layout engine, as the CommonJS bundle holds it: scripts/bundle.mjs resolves Ink's
// `import Yoga from 'yoga-layout'` to this module in that build only. yoga-layout's own entry loads its
// WebAssembly with a top-level await, which CommonJS cannot hold; here `loadInstance` loads it, and the
// explorer awaits that before Ink renders (tui/load-tui.ts). Ink uses the instance only when it renders
// (a Yoga node per element, the layout of each frame), so its modules may be loaded before it is.
import { loadYoga, type Yoga } from 'yoga-layout/load';

export * from 'yoga-layout/load';

let instance: Yoga | undefined;
let loading: Promise<void> | undefined;

/** Loads the instance this module's default export is (once). */
export function loadInstance(): Promise<void> {
  loading ??= loadYoga().then((yoga) => {
    instance = yoga;
  });
  return loading;
}

export { instance as default };
