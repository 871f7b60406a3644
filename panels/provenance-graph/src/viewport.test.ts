import { fitToView, MAX_ZOOM, MIN_ZOOM, panBy, zoomAt } from './viewport';

describe('fitToView', () => {
  it('scales a large graph down to fit inside the margins, centred', () => {
    const v = fitToView(2000, 500, 800, 400, 16);
    expect(2000 * v.k).toBeLessThanOrEqual(800 - 32 + 1e-9);
    expect(500 * v.k).toBeLessThanOrEqual(400 - 32 + 1e-9);
    expect(v.x + (2000 * v.k) / 2).toBeCloseTo(400, 9);
    expect(v.y + (500 * v.k) / 2).toBeCloseTo(200, 9);
  });
  it('never zooms a small graph in beyond 1', () => {
    expect(fitToView(100, 50, 800, 400).k).toBe(1);
  });
  it('clamps the zoom of a huge graph', () => {
    expect(fitToView(1e9, 1e9, 800, 400).k).toBe(MIN_ZOOM);
  });
});

describe('zoomAt / panBy', () => {
  it('keeps the point under the cursor fixed', () => {
    const v = { k: 1, x: 10, y: 20 };
    const z = zoomAt(v, 2, 300, 200);
    const graphPoint = { x: (300 - v.x) / v.k, y: (200 - v.y) / v.k };
    expect(graphPoint.x * z.k + z.x).toBeCloseTo(300, 9);
    expect(graphPoint.y * z.k + z.y).toBeCloseTo(200, 9);
  });
  it('clamps the zoom', () => {
    expect(zoomAt({ k: 3, x: 0, y: 0 }, 10, 0, 0).k).toBe(MAX_ZOOM);
  });
  it('pans by the drag distance', () => {
    expect(panBy({ k: 2, x: 1, y: 1 }, 5, -3)).toEqual({ k: 2, x: 6, y: -2 });
  });
});
