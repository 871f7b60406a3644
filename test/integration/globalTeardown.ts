interface Stoppable {
  stop(): Promise<void>;
}

export default async function globalTeardown(): Promise<void> {
  const mlflow = (globalThis as { __mlsightMlflow?: Stoppable }).__mlsightMlflow;
  if (mlflow) await mlflow.stop();
}
