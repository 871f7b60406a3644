/** @jest-environment jsdom */
import { createTheme } from '@grafana/data';
import { changeStops, driftStops, interpolateStops, makeScale, parseColor, toCss } from './colorScale';

describe('parseColor', () => {
  it('reads hex and rgb colours', () => {
    expect(parseColor('#fff')).toEqual([255, 255, 255]);
    expect(parseColor('#1a2B3c')).toEqual([26, 43, 60]);
    expect(parseColor('#1a2b3c80')).toEqual([26, 43, 60]);
    expect(parseColor('rgba(10, 20, 30, 0.5)')).toEqual([10, 20, 30]);
  });
  it('throws naming the colour it cannot read', () => {
    expect(() => parseColor('red')).toThrow(/parseColor: unsupported colour "red"/);
  });
});

describe('interpolateStops', () => {
  const stops = [
    { at: 0, color: [0, 0, 0] as const },
    { at: 1, color: [200, 100, 50] as const },
  ];
  it('interpolates linearly and clamps at the ends', () => {
    expect(interpolateStops(stops, 0.5)).toEqual([100, 50, 25]);
    expect(interpolateStops(stops, -1)).toEqual([0, 0, 0]);
    expect(interpolateStops(stops, 2)).toEqual([200, 100, 50]);
  });
  it('throws on no stops', () => {
    expect(() => interpolateStops([], 0)).toThrow(/interpolateStops/);
  });
});

describe('theme scales', () => {
  it.each(['dark', 'light'] as const)('uses the %s theme colours: green at 0, red at the top', (mode) => {
    const theme = createTheme({ colors: { mode } });
    const scale = makeScale(driftStops(theme), 0, 1);
    const green = parseColor(theme.visualization.getColorByName('green'));
    const red = parseColor(theme.visualization.getColorByName('red'));
    expect(scale.css(0)).toBe(`rgb(${green.join(', ')})`);
    expect(scale.css(1)).toBe(`rgb(${red.join(', ')})`);
    expect(scale.css(5)).toBe(scale.css(1));
  });
  it('gives the same colour as CSS and as RGB numbers, including past the ends and for NaN', () => {
    const scale = makeScale(driftStops(createTheme({ colors: { mode: 'dark' } })), 0, 1);
    for (const v of [-1, 0, 0.13, 0.5, 0.77, 1, 3, Number.NaN]) expect(scale.css(v)).toBe(toCss(scale.rgb(v)));
    expect(scale.rgb(0.13)).not.toEqual(scale.rgb(0.77));
  });
  it('centres the change scale on the panel background', () => {
    const theme = createTheme({ colors: { mode: 'dark' } });
    const mid = parseColor(theme.colors.background.secondary);
    expect(makeScale(changeStops(theme), -1, 1).css(0)).toBe(`rgb(${mid.join(', ')})`);
  });
});
