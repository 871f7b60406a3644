import type { CellBitmap } from './drawHeatmap';

/** A one-pixel-per-cell image on an offscreen canvas; null where the browser has no 2D canvas (jsdom). */
export const canvasCellBitmap: CellBitmap = (cols, rows, rgba) => {
  if (typeof ImageData === 'undefined') return null;
  const canvas = document.createElement('canvas');
  canvas.width = cols;
  canvas.height = rows;
  const ctx = canvas.getContext('2d');
  if (!ctx || typeof ctx.putImageData !== 'function') return null;
  // The pixels are wrapped, not copied: drawHeatmap builds a fresh array for every draw.
  ctx.putImageData(new ImageData(rgba, cols, rows), 0, 0);
  return canvas;
};
