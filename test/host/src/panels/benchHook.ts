/** How long one data change took to reach the screen, for the render benchmark. */
export interface RenderTiming {
  /** setState → React commit with the panel's effects run (its canvas drawn), ms. */
  commitMs: number;
  /** setState → the second animation frame after it (the frame that shows the result was produced), ms. */
  frameMs: number;
}

/** What panel mode exposes as `window.__mlsightPanel` for test/bench/panelRenderBench.ts. */
export interface PanelBenchHook {
  /** Replaces the panel's frames (DataFrameJSON or DataFrame-like) and resolves once they are on screen. */
  render(frames: unknown[]): Promise<RenderTiming>;
}
