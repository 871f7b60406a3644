import { DataSourcePluginContextProvider, type DataSourceSettings } from '@grafana/data';
import { Alert, Button, Stack } from '@grafana/ui';
import { useEffect, useState } from 'react';
import type { HostServices } from '../hostServices';
import type { StoredDataSource } from '../runtime/dataSourceSrv';
import { hostSelectors } from '../selectors';

interface TestResult {
  status: 'success' | 'error';
  message: string;
  details?: string;
}

function toEditorSettings(stored: StoredDataSource, services: HostServices): DataSourceSettings {
  return {
    id: stored.id,
    uid: stored.uid,
    orgId: stored.orgId,
    name: stored.name,
    typeLogoUrl: services.meta.info.logos.small,
    type: stored.type,
    typeName: services.meta.name,
    access: stored.access,
    url: stored.url,
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: stored.isDefault,
    jsonData: stored.jsonData,
    secureJsonFields: stored.secureJsonFields,
    readOnly: stored.readOnly,
    withCredentials: false,
    version: stored.version,
  };
}

function detailsOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !('details' in value)) return undefined;
  const details: unknown = value.details;
  if (typeof details === 'object' && details !== null && 'message' in details && typeof details.message === 'string') {
    return details.message;
  }
  return undefined;
}

function resultOf(value: unknown): TestResult {
  if (typeof value === 'object' && value !== null && 'status' in value && 'message' in value) {
    const status = value.status === 'success' ? 'success' : 'error';
    const details = detailsOf(value);
    return { status, message: String(value.message), ...(details ? { details } : {}) };
  }
  return { status: 'error', message: 'The data source returned no test result' };
}

/**
 * Grafana's data-source settings page: the plugin's ConfigEditor on the stored settings, and "Save & test" —
 * PUT the settings (secrets included, once), reload them (secrets now only flags), then `testDatasource()` on a
 * fresh instance, with the result shown as an alert.
 */
export function ConfigSection({ services, onSaved }: { services: HostServices; onSaved: () => void }) {
  const [options, setOptions] = useState<DataSourceSettings | undefined>();
  const [result, setResult] = useState<TestResult | undefined>();
  const [busy, setBusy] = useState(false);
  const ConfigEditor = services.dataSourceSrv.pluginComponents().ConfigEditor;

  useEffect(() => {
    void services.backendSrv
      .get<StoredDataSource>(`/api/datasources/uid/${services.uid}`)
      .then((stored) => setOptions(toEditorSettings(stored, services)));
  }, [services]);

  const saveAndTest = async () => {
    if (!options) return;
    setBusy(true);
    setResult(undefined);
    try {
      const saved = await services.backendSrv.put<{ datasource: StoredDataSource }>(
        `/api/datasources/uid/${services.uid}`,
        options
      );
      setOptions(toEditorSettings(saved.datasource, services));
      services.dataSourceSrv.setStored([saved.datasource]);
      const ds = await services.getDataSource();
      setResult(resultOf(await ds.testDatasource()));
      onSaved();
    } catch (err) {
      // DataSourceWithBackend rejects with `{ status, message }`, not an Error; Grafana's page shows its message.
      const message =
        err instanceof Error
          ? err.message
          : typeof err === 'object' && err !== null && 'message' in err && typeof err.message === 'string'
            ? err.message
            : JSON.stringify(err);
      setResult({ status: 'error', message });
    } finally {
      setBusy(false);
    }
  };

  if (!options || !ConfigEditor) return <div>Loading settings…</div>;
  const instanceSettings = services.dataSourceSrv.getInstanceSettings(services.uid);
  return (
    <Stack direction="column" gap={2}>
      {instanceSettings ? (
        <DataSourcePluginContextProvider instanceSettings={instanceSettings}>
          <ConfigEditor options={options} onOptionsChange={setOptions} />
        </DataSourcePluginContextProvider>
      ) : (
        <ConfigEditor options={options} onOptionsChange={setOptions} />
      )}
      {result && (
        <div data-testid={hostSelectors.config.alert} data-status={result.status}>
          <Alert severity={result.status} title={result.message}>
            {result.details}
          </Alert>
        </div>
      )}
      <div>
        <Button data-testid={hostSelectors.config.saveAndTest} onClick={() => void saveAndTest()} disabled={busy}>
          Save &amp; test
        </Button>
      </div>
    </Stack>
  );
}
