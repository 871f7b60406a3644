/**
 * Browser APIs that @grafana/ui and @grafana/data expect and jsdom lacks. Guarded, so node-environment suites of
 * the same jest project (contract, proxy) are untouched.
 */
import '@testing-library/jest-dom';
import { TextDecoder, TextEncoder } from 'util';

if (typeof window !== 'undefined') {
  Object.assign(globalThis, { TextEncoder, TextDecoder });

  if (!window.matchMedia) {
    Object.defineProperty(window, 'matchMedia', {
      writable: true,
      value: (query: string): MediaQueryList => ({
        matches: false,
        media: query,
        onchange: null,
        addListener: () => undefined,
        removeListener: () => undefined,
        addEventListener: () => undefined,
        removeEventListener: () => undefined,
        dispatchEvent: () => false,
      }),
    });
  }

  // Layout observers: jsdom lays nothing out, so there is never anything to report.
  class ObserverStub {
    readonly root = null;
    readonly rootMargin = '';
    readonly thresholds = [];
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
    takeRecords(): [] {
      return [];
    }
  }
  for (const name of ['ResizeObserver', 'IntersectionObserver']) {
    if (!(name in window)) Object.assign(globalThis, { [name]: ObserverStub });
  }

  // jsdom has no canvas engine; @grafana/ui measures text (Combobox widths) through a 2D context.
  const context2d = { font: '', measureText: (text: string) => ({ width: text.length * 7 }) };
  Object.defineProperty(HTMLCanvasElement.prototype, 'getContext', { value: () => context2d, writable: true });
}
