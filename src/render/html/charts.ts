import { escapeHtml, num } from './escape.js';

// Small inline SVG charts drawn by jury: a few dozen elements each, no library (none would earn its weight for
// bars, intervals and a heat map). Presentation attributes only, so the page's style policy needs no exceptions.

const BLUE = '#0072B2';
const ORANGE = '#E69F00';
const RED = '#D55E00';
const GREEN = '#009E73';
const GREY = '#8a8a8a';

/** Bars of counts per scale point, one small chart per judge (same y scale across them). */
export function distributionBars(title: string, points: string[], counts: number[], max: number): string {
  // Bars as wide as their labels (category names are words, not digits), a long label shortened with its whole
  // text in the bar's tooltip.
  const shown = points.map((p) => (p.length > 14 ? `${p.slice(0, 13)}…` : p));
  const w = Math.max(18, Math.max(...shown.map((p) => p.length)) * 6.5);
  const h = 60;
  const width = points.length * (w + 4) + 4;
  const bars = points.map((p, i) => {
    const bh = max ? Math.round((counts[i]! / max) * h) : 0;
    const x = 4 + i * (w + 4);
    return `<rect x="${x}" y="${h - bh + 2}" width="${w}" height="${bh}" fill="${BLUE}"><title>${escapeHtml(`${title}: ${counts[i]} at ${p}`)}</title></rect><text x="${x + w / 2}" y="${h + 14}" text-anchor="middle">${escapeHtml(shown[i]!)}</text>`;
  });
  return `<figure><svg role="img" aria-label="${escapeHtml(`${title}: ${points.map((p, i) => `${counts[i]} at ${p}`).join(', ')}`)}" width="${width}" height="${h + 18}" viewBox="0 0 ${width} ${h + 18}">${bars.join('')}</svg><figcaption>${escapeHtml(title)}</figcaption></figure>`;
}

/** Alpha with its CI on a 0–1 line, with the 0.667 (tentative) and 0.8 (reliable) thresholds drawn. */
export function alphaLine(alpha: number | null, ci: { low: number; high: number } | null): string {
  const width = 240;
  const x = (v: number) => 10 + Math.max(0, Math.min(1, v)) * (width - 20);
  const parts = [`<line x1="${x(0)}" y1="20" x2="${x(1)}" y2="20" stroke="${GREY}"/>`];
  for (const [v, label] of [[0.667, '0.667'], [0.8, '0.8']] as const) parts.push(`<line x1="${x(v)}" y1="8" x2="${x(v)}" y2="32" stroke="${ORANGE}" stroke-dasharray="3 2"/><text x="${x(v)}" y="44" text-anchor="middle">${label}</text>`);
  parts.push(`<text x="${x(0)}" y="44" text-anchor="middle">0</text><text x="${x(1)}" y="44" text-anchor="middle">1</text>`);
  if (ci) parts.push(`<line x1="${x(ci.low)}" y1="20" x2="${x(ci.high)}" y2="20" stroke="${BLUE}" stroke-width="4"/>`);
  if (alpha !== null) parts.push(`<circle cx="${x(alpha)}" cy="20" r="5" fill="${alpha >= 0.667 ? GREEN : RED}"/>`);
  const label = alpha === null ? 'alpha undefined' : `alpha ${num(alpha, 3)}${ci ? ` (95% CI ${num(ci.low, 3)} to ${num(ci.high, 3)})` : ''}`;
  return `<figure><svg role="img" aria-label="${escapeHtml(label)}" width="${width}" height="50" viewBox="0 0 ${width} 50">${parts.join('')}</svg><figcaption>${escapeHtml(label)}; dashed: 0.667 and 0.8</figcaption></figure>`;
}

/** Judge × judge agreement (kappa) as a heat map: darker is higher, the value written in every cell. */
export function heatMap(judges: string[], value: (a: string, b: string) => number | null): string {
  const cell = 46;
  // Room for the longest judge id: row labels to the left, column labels slanted above.
  const longest = Math.max(0, ...judges.map((j) => j.length));
  const left = Math.max(90, longest * 7 + 12);
  const top = Math.max(20, Math.round(longest * 5) + 12);
  const size = judges.length * cell;
  const parts: string[] = [];
  judges.forEach((a, i) => {
    parts.push(`<text x="${left - 6}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end">${escapeHtml(a)}</text>`);
    const cx = left + i * cell + cell / 2;
    parts.push(`<text x="${cx}" y="${top - 6}" text-anchor="start" transform="rotate(-40 ${cx} ${top - 6})">${escapeHtml(a)}</text>`);
    judges.forEach((b, j) => {
      const v = i === j ? 1 : value(a, b);
      const shade = v === null ? '#eeeeee' : `rgb(${Math.round(255 - Math.max(0, v) * 200)},${Math.round(255 - Math.max(0, v) * 140)},${Math.round(255 - Math.max(0, v) * 70)})`;
      parts.push(`<rect x="${left + j * cell}" y="${top + i * cell}" width="${cell - 2}" height="${cell - 2}" fill="${shade}"><title>${escapeHtml(`${a} × ${b}: ${v === null ? 'undefined' : num(v, 2)}`)}</title></rect>`);
      parts.push(`<text x="${left + j * cell + cell / 2 - 1}" y="${top + i * cell + cell / 2 + 3}" text-anchor="middle"${v !== null && v > 0.6 ? ' fill="#fff"' : ''}>${v === null ? '–' : num(v, 2)}</text>`);
    });
  });
  const width = left + size + 4 + Math.round(longest * 4);
  return `<figure><svg role="img" aria-label="judge by judge agreement" width="${width}" height="${top + size + 4}" viewBox="0 0 ${width} ${top + size + 4}">${parts.join('')}</svg><figcaption>pairwise kappa between judges</figcaption></figure>`;
}

/** A forest plot: per row Δ with its CI around zero, regressions in red, improvements in green. */
export function forestPlot(rows: { label: string; difference: number | null; low: number | null; high: number | null; change: string }[]): string {
  const width = 620;
  const left = 300;
  const rowH = 22;
  const extent = Math.max(0.5, ...rows.flatMap((r) => [Math.abs(r.low ?? 0), Math.abs(r.high ?? 0), Math.abs(r.difference ?? 0)]));
  const x = (v: number) => left + ((v + extent) / (2 * extent)) * (width - left - 20);
  const parts = [`<line x1="${x(0)}" y1="0" x2="${x(0)}" y2="${rows.length * rowH + 4}" stroke="${GREY}"/>`];
  rows.forEach((r, i) => {
    const y = i * rowH + 12;
    const colour = r.change === 'regressed' ? RED : r.change === 'improved' ? GREEN : GREY;
    parts.push(`<text x="${left - 8}" y="${y + 4}" text-anchor="end">${escapeHtml(r.label)}</text>`);
    if (r.low !== null && r.high !== null) parts.push(`<line x1="${x(r.low)}" y1="${y}" x2="${x(r.high)}" y2="${y}" stroke="${colour}" stroke-width="3"/>`);
    if (r.difference !== null) parts.push(`<rect x="${x(r.difference) - 4}" y="${y - 4}" width="8" height="8" fill="${colour}"><title>${escapeHtml(`${r.label}: Δ ${num(r.difference)} (${r.change})`)}</title></rect>`);
  });
  const h = rows.length * rowH + 24;
  parts.push(`<text x="${x(-extent)}" y="${h - 4}">${num(-extent)}</text><text x="${x(0)}" y="${h - 4}" text-anchor="middle">0</text><text x="${x(extent)}" y="${h - 4}" text-anchor="end">+${num(extent)}</text>`);
  return `<figure><svg role="img" aria-label="shift per criterion with its interval at the level Holm tested it" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}">${parts.join('')}</svg><figcaption>Hodges–Lehmann shift (candidate − base) per criterion with its signed-rank interval at the level Holm tested it at; red regressed, green improved, grey no significant change</figcaption></figure>`;
}
