import type { GrafanaTheme2 } from '@grafana/data';

export type Rgb = readonly [number, number, number];
export interface ColorStop {
  at: number;
  color: Rgb;
}
/** A colour scale as CSS (canvas fills, the legend) and as RGB numbers (bitmap pixels); both give the same colour. */
export interface ColorScale {
  css(intensity: number): string;
  rgb(intensity: number): Rgb;
}

const HEX = /^#([0-9a-f]{3}|[0-9a-f]{6})([0-9a-f]{2})?$/i;
const RGB = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i;

/**
 * Parses `#rgb`, `#rrggbb(aa)` and `rgb(a)(…)` colours as Grafana's theme gives them.
 * @throws Error naming the colour when it is in another format
 */
export function parseColor(css: string): Rgb {
  const hex = HEX.exec(css.trim());
  if (hex?.[1]) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1];
    return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
  }
  const rgb = RGB.exec(css.trim());
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  throw new Error(`parseColor: unsupported colour "${css}"`);
}

/**
 * Linear interpolation between sorted colour stops; positions outside the stops take the end colours.
 * @throws Error when there are no stops
 */
export function interpolateStops(stops: readonly ColorStop[], t: number): Rgb {
  const first = stops[0];
  const last = stops[stops.length - 1];
  if (!first || !last) throw new Error('interpolateStops: needs at least one stop');
  if (t <= first.at) return first.color;
  if (t >= last.at) return last.color;
  for (let i = 1; i < stops.length; i++) {
    const a = stops[i - 1];
    const b = stops[i];
    if (a && b && t <= b.at) {
      const u = b.at === a.at ? 1 : (t - a.at) / (b.at - a.at);
      const mix = (k: 0 | 1 | 2) => Math.round(a.color[k] + (b.color[k] - a.color[k]) * u);
      return [mix(0), mix(1), mix(2)];
    }
  }
  return last.color;
}

export const toCss = (c: Rgb): string => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;

/**
 * Builds a scale from stops, cached on 256 steps (a heatmap asks for thousands of colours per frame); intensities
 * outside [min, max] take the end colours, NaN the first stop's.
 */
export function makeScale(stops: readonly ColorStop[], min: number, max: number): ColorScale {
  const steps = 256;
  const rgbs = Array.from({ length: steps + 1 }, (_, i) => interpolateStops(stops, min + ((max - min) * i) / steps));
  const css = rgbs.map(toCss);
  const fallback = stops[0]?.color ?? ([0, 0, 0] as const);
  const step = (v: number) => Math.round(((Math.min(max, Math.max(min, v)) - min) / (max - min)) * steps);
  return {
    css: (v) => css[step(v)] ?? toCss(fallback),
    rgb: (v) => rgbs[step(v)] ?? fallback,
  };
}

/** Drift scale from the theme: green (none) → yellow (threshold, 0.5) → orange → red (twice the threshold). */
export function driftStops(theme: GrafanaTheme2): ColorStop[] {
  const c = (name: string) => parseColor(theme.visualization.getColorByName(name));
  return [
    { at: 0, color: c('green') },
    { at: 0.5, color: c('yellow') },
    { at: 0.75, color: c('orange') },
    { at: 1, color: c('red') },
  ];
}

/** Share-change scale from the theme: blue (share fell) → panel background (unchanged) → red (share rose). */
export function changeStops(theme: GrafanaTheme2): ColorStop[] {
  const c = (name: string) => parseColor(theme.visualization.getColorByName(name));
  return [
    { at: -1, color: c('blue') },
    { at: 0, color: parseColor(theme.colors.background.secondary) },
    { at: 1, color: c('red') },
  ];
}
