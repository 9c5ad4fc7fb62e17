import type * as RunTui from './run-tui.js';

/**
 * The explorer's Ink part (run-tui.tsx), ready to render. In the ES module builds yoga-layout, Ink's
 * layout engine, loads its WebAssembly with a top-level await as it is imported. The CommonJS bundle
 * cannot hold one: there 'yoga-layout' is ./yoga-layout-cjs.ts (scripts/bundle.mjs), whose instance is
 * loaded here — started before Ink's chunk loads, so that its WebAssembly's asynchronous part runs
 * meanwhile, and awaited before Ink renders.
 */
export async function loadTui(): Promise<typeof RunTui> {
  const yoga = await import('yoga-layout');
  const yogaLoaded = 'loadInstance' in yoga ? (yoga.loadInstance as () => Promise<void>)() : undefined;
  const [tui] = await Promise.all([import('./run-tui.js'), yogaLoaded]);
  return tui;
}
