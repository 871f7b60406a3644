/**
 * Ground truth: MLflow's own REST API (`/api/2.0/mlflow/<path>`), called directly, past the proxy and its caches.
 * GET without a body, POST with one; DELETE (alias and tag removal) takes its fields as a JSON body, as MLflow's
 * handlers read every non-GET request.
 * @throws Error naming the path, the status and MLflow's answer when it is not 2xx
 */
export async function mlflowRest<T>(
  baseUrl: string,
  path: string,
  body?: unknown,
  method: 'GET' | 'POST' | 'DELETE' = body === undefined ? 'GET' : 'POST'
): Promise<T> {
  const response = await fetch(`${baseUrl}/api/2.0/mlflow/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`MLflow ${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
