/**
 * Small inline SVG charts for the HTML report: no scripts, no fonts to fetch, readable when
 * printed. Each returns a complete `<svg>` element.
 */
export function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const INK = "#1f2937";
const MUTED = "#6b7280";
const GRID = "#e5e7eb";

/** Share reviewed over time (0–1) against a target line. */
export function trendChart(points: { label: string; value: number }[], target: number): string {
  const w = 460;
  const h = 220;
  const left = 40;
  const right = 34;
  const top = 16;
  const bottom = 36;
  const x = (i: number) =>
    left + (points.length <= 1 ? (w - left - right) / 2 : (i * (w - left - right)) / (points.length - 1));
  const y = (v: number) => top + (1 - v) * (h - top - bottom);
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (v) =>
        `<line x1="${left}" x2="${w - right}" y1="${y(v)}" y2="${y(v)}" stroke="${GRID}"/><text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11" fill="${MUTED}">${Math.round(v * 100)}%</text>`,
    )
    .join("");
  const path = points
    .map((p, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`)
    .join(" ");
  const area =
    points.length > 1
      ? `<path d="${path} L${x(points.length - 1)},${y(0)} L${x(0)},${y(0)} Z" fill="#2563eb" opacity="0.08"/>`
      : "";
  const dots = points
    .map(
      (p, i) =>
        `<circle cx="${x(i)}" cy="${y(p.value)}" r="4" fill="${p.value >= target ? "#16a34a" : "#dc2626"}"/><text x="${x(i)}" y="${y(p.value) - 9}" text-anchor="middle" font-size="11" fill="${INK}">${Math.round(p.value * 100)}%</text><text x="${x(i)}" y="${h - bottom + 16}" text-anchor="middle" font-size="10" fill="${MUTED}">${esc(p.label.slice(5))}</text>`,
    )
    .join("");
  const targetLine = `<line x1="${left}" x2="${w - right}" y1="${y(target)}" y2="${y(target)}" stroke="#16a34a" stroke-dasharray="5 4"/><text x="${left + 4}" y="${y(target) - 5}" font-size="11" fill="#16a34a">target ${Math.round(target * 100)}%</text>`;
  return svg(
    w,
    h,
    "Share of files reviewed within their interval, over time",
    `${grid}${area}${targetLine}<path d="${path}" fill="none" stroke="#2563eb" stroke-width="2"/>${dots}`,
  );
}

/** Horizontal bars: one row per label, stacked values (e.g. overdue and other failing files). */
export function barChart(
  rows: { label: string; values: number[] }[],
  colors: string[],
  legend: string[],
): string {
  const rowH = 24;
  const w = 460;
  const labelW = 150;
  const h = Math.max(1, rows.length) * rowH + 40;
  const max = Math.max(1, ...rows.map((r) => r.values.reduce((a, b) => a + b, 0)));
  const scale = (v: number) => (v * (w - labelW - 40)) / max;
  const bars = rows
    .map((r, i) => {
      const yy = 8 + i * rowH;
      let at = labelW;
      const parts = r.values
        .map((v, j) => {
          const rect =
            v > 0
              ? `<rect x="${at}" y="${yy}" width="${scale(v).toFixed(1)}" height="${rowH - 8}" rx="3" fill="${colors[j]}"/>`
              : "";
          at += scale(v);
          return rect;
        })
        .join("");
      const total = r.values.reduce((a, b) => a + b, 0);
      return `<text x="${labelW - 8}" y="${yy + rowH / 2}" text-anchor="end" font-size="12" fill="${INK}">${esc(r.label)}</text>${parts}<text x="${at + 6}" y="${yy + rowH / 2}" font-size="11" fill="${MUTED}">${total}</text>`;
    })
    .join("");
  const keys = legend
    .map(
      (l, j) =>
        `<rect x="${labelW + j * 130}" y="${h - 22}" width="10" height="10" rx="2" fill="${colors[j]}"/><text x="${labelW + 14 + j * 130}" y="${h - 13}" font-size="11" fill="${MUTED}">${esc(l)}</text>`,
    )
    .join("");
  return svg(w, h, legend.join(" and "), `${bars}${keys}`);
}

/** Vertical bars: a histogram. */
export function histogram(bins: { label: string; count: number; color: string }[]): string {
  const w = 460;
  const h = 220;
  const left = 16;
  const bottom = 36;
  const top = 20;
  const max = Math.max(1, ...bins.map((b) => b.count));
  const slot = (w - 2 * left) / Math.max(1, bins.length);
  const bars = bins
    .map((b, i) => {
      const bh = (b.count / max) * (h - top - bottom);
      const x = left + i * slot + slot * 0.15;
      const yy = h - bottom - bh;
      return `<rect x="${x}" y="${yy}" width="${slot * 0.7}" height="${bh}" rx="3" fill="${b.color}"/><text x="${x + slot * 0.35}" y="${yy - 5}" text-anchor="middle" font-size="11" fill="${INK}">${b.count}</text><text x="${x + slot * 0.35}" y="${h - bottom + 16}" text-anchor="middle" font-size="11" fill="${MUTED}">${esc(b.label)}</text>`;
    })
    .join("");
  return svg(
    w,
    h,
    "Files by days since their last review",
    `<line x1="${left}" x2="${w - left}" y1="${h - bottom}" y2="${h - bottom}" stroke="${GRID}"/>${bars}`,
  );
}

function svg(w: number, h: number, title: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="100%" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title>${body}</svg>`;
}
