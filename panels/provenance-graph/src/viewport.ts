/** Pan/zoom state of the graph: screen = graph × k + (x, y). */
export interface Viewport {
  k: number;
  x: number;
  y: number;
}

export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 4;

const clampZoom = (k: number) => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, k));

/** The viewport that fits a graph of this size into the view with a margin, centred, never zoomed in beyond 1. */
export function fitToView(
  graphWidth: number,
  graphHeight: number,
  viewWidth: number,
  viewHeight: number,
  margin = 16
): Viewport {
  const w = Math.max(1, viewWidth - 2 * margin);
  const h = Math.max(1, viewHeight - 2 * margin);
  const k = clampZoom(Math.min(1, w / Math.max(1, graphWidth), h / Math.max(1, graphHeight)));
  return { k, x: (viewWidth - graphWidth * k) / 2, y: (viewHeight - graphHeight * k) / 2 };
}

/** Zooms by a factor keeping the screen point (px, py) fixed (under the mouse, or the view's centre). */
export function zoomAt(v: Viewport, factor: number, px: number, py: number): Viewport {
  const k = clampZoom(v.k * factor);
  const ratio = k / v.k;
  return { k, x: px - (px - v.x) * ratio, y: py - (py - v.y) * ratio };
}

export function panBy(v: Viewport, dx: number, dy: number): Viewport {
  return { ...v, x: v.x + dx, y: v.y + dy };
}
