/** A recording 2D context: jsdom has no canvas engine, so tests check what would have been drawn. */
export interface FakeContext {
  calls: Array<{ op: string; args: unknown[]; fillStyle: string }>;
  ctx: Record<string, unknown>;
}

const OPS = [
  'fillRect',
  'strokeRect',
  'clearRect',
  'fillText',
  'beginPath',
  'moveTo',
  'lineTo',
  'stroke',
  'save',
  'restore',
  'rect',
  'clip',
  'setTransform',
  'drawImage',
];

export function fakeContext(): FakeContext {
  const calls: FakeContext['calls'] = [];
  const ctx: Record<string, unknown> = {
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    font: '',
    textAlign: 'left',
    textBaseline: 'alphabetic',
    measureText: (text: string) => ({ width: text.length * 7 }),
  };
  for (const op of OPS) {
    ctx[op] = (...args: unknown[]) => calls.push({ op, args, fillStyle: String(ctx.fillStyle) });
  }
  return { calls, ctx };
}

/** Makes every canvas return this context; returns a restore function. */
export function installFakeCanvas(fake: FakeContext): () => void {
  const original = Object.getOwnPropertyDescriptor(HTMLCanvasElement.prototype, 'getContext');
  Object.defineProperty(HTMLCanvasElement.prototype, 'getContext', {
    value: () => fake.ctx,
    writable: true,
    configurable: true,
  });
  return () => {
    if (original) Object.defineProperty(HTMLCanvasElement.prototype, 'getContext', original);
  };
}
