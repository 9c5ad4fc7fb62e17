import type * as RunTui from './run-tui.js';

/**
 * The explorer's Ink part (run-tui.tsx), ready to render. In the ES module builds yoga-layout, Ink's
 * layout engine, loads its WebAssembly with a top-level await as it is imported. The CommonJS bundle
 * cannot hold one: there 'yoga-layout' is ./yoga-layout-cjs.ts (scripts/bundle.mjs), whose instance is
 * loaded here, its WebAssembly compiled while Ink's chunk loads.
 */
export async function loadTui(): Promise<typeof RunTui> {
  const [, tui] = await Promise.all([
    // first: the WebAssembly compiles while the next import loads Ink
    import('yoga-layout').then((yoga) => ('loadInstance' in yoga ? (yoga.loadInstance as () => Promise<void>)() : undefined)),
    import('./run-tui.js'),
  ]);
  return tui;
}
