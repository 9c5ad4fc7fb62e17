import type { Chart } from './specs.js';

/**
 * Draws a chart headless: Vega-Lite → Vega → SVG (no canvas), and SVG → PNG with resvg. The three
 * libraries are imported here, on first use only (ENGINEERING.md: they are heavy at start-up), so
 * commands that do not draw never load them.
 */

/** What every rendered chart carries, as tables do: title, generated description, caption, provenance. */
export interface ChartMeta {
  /** One line naming the tool, inputs and seed (the provenance record, flattened). */
  source: string;
  /** The exact command that regenerates the chart. */
  reproduce?: string;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The chart as an SVG document, with <title>, <desc> and <metadata> (provenance) inside. */
export async function renderSvg(chart: Chart, meta: ChartMeta): Promise<string> {
  const [vl, vega] = await Promise.all([import('vega-lite'), import('vega')]);
  const compiled = vl.compile(chart.spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const head = [
    `<title>${escapeXml(chart.title)}</title>`,
    `<desc>${escapeXml([chart.description, ...chart.caption].join(' '))}</desc>`,
    `<metadata><feesim xmlns="urn:feesim:chart" kind="${chart.kind}" source="${escapeXml(meta.source)}"${
      meta.reproduce ? ` reproduce="${escapeXml(meta.reproduce)}"` : ''
    }/></metadata>`,
  ].join('');
  const open = svg.indexOf('>') + 1;
  return `${svg.slice(0, open)}${head}${svg.slice(open)}\n`;
}

/** PNG at `width` pixels (2× the chart's layout width by default, crisp in Word), with text chunks. */
export async function svgToPng(svg: string, chart: Chart, meta: ChartMeta, width?: number): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  const layoutWidth = Number(/<svg[^>]*\bwidth="([\d.]+)"/.exec(svg)?.[1] ?? 800);
  const png = new Resvg(svg, {
    fitTo: { mode: 'width', value: Math.round(width ?? layoutWidth * 2) },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    background: 'white',
  })
    .render()
    .asPng();
  return withPngText(new Uint8Array(png), {
    Title: chart.title,
    Description: [chart.description, ...chart.caption].join(' '),
    Source: meta.source,
    ...(meta.reproduce ? { Comment: `Reproduce: ${meta.reproduce}` } : {}),
  });
}

/** Pixel size from a PNG's IHDR chunk. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: v.getUint32(16), height: v.getUint32(20) };
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Inserts iTXt chunks (UTF-8 text; keywords Title, Description, Source, Comment) after IHDR, so the
 * PNG carries the same description and provenance as the SVG.
 */
export function withPngText(png: Uint8Array, text: Record<string, string>): Uint8Array {
  const enc = new TextEncoder();
  const chunks = Object.entries(text).map(([k, v]) => {
    // keyword \0 compression-flag(0) compression-method(0) language-tag \0 translated-keyword \0 text
    const body = new Uint8Array([...enc.encode(k), 0, 0, 0, 0, 0, ...enc.encode(v)]);
    const type = enc.encode('iTXt');
    const out = new Uint8Array(12 + body.length);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, body.length);
    out.set(type, 4);
    out.set(body, 8);
    const crcInput = new Uint8Array(4 + body.length);
    crcInput.set(type, 0);
    crcInput.set(body, 4);
    dv.setUint32(8 + body.length, crc32(crcInput));
    return out;
  });
  const ihdrEnd = 8 + 8 + 13 + 4; // signature, IHDR length+type, IHDR data, CRC
  const extra = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(png.length + extra);
  out.set(png.subarray(0, ihdrEnd), 0);
  let off = ihdrEnd;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  out.set(png.subarray(ihdrEnd), off);
  return out;
}
