/** A small log-log line chart as an SVG string, for the benchmark's scaling curves. */
export interface Series { readonly name: string; readonly points: ReadonlyArray<readonly [number, number]>; readonly dashed?: boolean }

const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

export function lineChartSvg(title: string, xLabel: string, yLabel: string, series: readonly Series[]): string {
  const W = 760, H = 420, left = 70, right = 250, top = 40, bottom = 50;
  const xs = series.flatMap((s) => s.points.map((p) => p[0])).filter((v) => v > 0);
  const ys = series.flatMap((s) => s.points.map((p) => p[1])).filter((v) => v > 0);
  const lx0 = Math.floor(Math.log10(Math.min(...xs))), lx1 = Math.ceil(Math.log10(Math.max(...xs)));
  const ly0 = Math.floor(Math.log10(Math.min(...ys))), ly1 = Math.ceil(Math.log10(Math.max(...ys)));
  const px = (x: number): number => left + ((Math.log10(x) - lx0) / Math.max(lx1 - lx0, 1)) * (W - left - right);
  const py = (y: number): number => H - bottom - ((Math.log10(y) - ly0) / Math.max(ly1 - ly0, 1)) * (H - top - bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, sans-serif" font-size="12">`,
    `<title>${title}</title><desc>${series.map((s) => s.name).join('; ')}</desc>`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${left}" y="22" font-size="14">${title}</text>`,
  ];
  for (let e = lx0; e <= lx1; e++) parts.push(`<line x1="${px(10 ** e).toFixed(1)}" y1="${top}" x2="${px(10 ** e).toFixed(1)}" y2="${H - bottom}" stroke="#ddd"/><text x="${px(10 ** e).toFixed(1)}" y="${H - bottom + 16}" text-anchor="middle">1e${e}</text>`);
  for (let e = ly0; e <= ly1; e++) parts.push(`<line x1="${left}" y1="${py(10 ** e).toFixed(1)}" x2="${W - right}" y2="${py(10 ** e).toFixed(1)}" stroke="#ddd"/><text x="${left - 6}" y="${(py(10 ** e) + 4).toFixed(1)}" text-anchor="end">1e${e}</text>`);
  parts.push(`<text x="${(left + W - right) / 2}" y="${H - 10}" text-anchor="middle">${xLabel}</text>`);
  parts.push(`<text transform="translate(16 ${(top + H - bottom) / 2}) rotate(-90)" text-anchor="middle">${yLabel}</text>`);
  series.forEach((s, i) => {
    const colour = COLOURS[Math.floor(i / 2) % COLOURS.length] as string;
    const pts = s.points.filter((p) => p[0] > 0 && p[1] > 0).map((p) => `${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2"${s.dashed === true ? ' stroke-dasharray="5,4"' : ''} points="${pts}"/>`);
    parts.push(`<line x1="${W - right + 12}" y1="${top + 8 + i * 18}" x2="${W - right + 36}" y2="${top + 8 + i * 18}" stroke="${colour}" stroke-width="2"${s.dashed === true ? ' stroke-dasharray="5,4"' : ''}/><text x="${W - right + 42}" y="${top + 12 + i * 18}">${s.name}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
