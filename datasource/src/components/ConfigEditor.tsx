import { css } from '@emotion/css';
import type { DataSourcePluginOptionsEditorProps, GrafanaTheme2 } from '@grafana/data';
import { InlineField, Input, SecretInput, Stack, Text, useStyles2 } from '@grafana/ui';
import { useState, type ChangeEvent } from 'react';
import { selectors } from '../selectors';
import type { MLSightOptions, MLSightSecureJsonData } from '../types';

type Props = DataSourcePluginOptionsEditorProps<MLSightOptions, MLSightSecureJsonData>;

const LABEL_WIDTH = 20;
const INPUT_WIDTH = 48;

/** Whether a setting is an absolute http(s) URL; empty counts as valid for optional settings. */
export function isHttpUrl(value: string | undefined): boolean {
  if (!value) return true;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Data-source settings: where the proxy is, its token (kept in secureJsonData, which Grafana never returns to a
 * browser once saved), the MLflow UI for links, and the model used when a query names none.
 */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const styles = useStyles2(getStyles);
  const { jsonData, secureJsonFields, secureJsonData } = options;
  // URLs are judged once the user leaves the field, not while typing the first characters.
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const touch = (key: string) => setTouched((t) => ({ ...t, [key]: true }));

  const setJson = <K extends keyof MLSightOptions>(key: K, value: MLSightOptions[K]) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, [key]: value } });

  // The instance URL mirrors the proxy URL: Grafana lists it, and its data proxy validates it.
  const onProxyUrl = (e: ChangeEvent<HTMLInputElement>) => {
    const proxyUrl = e.currentTarget.value.trim();
    onOptionsChange({ ...options, url: proxyUrl, jsonData: { ...jsonData, proxyUrl } });
  };
  const onToken = (e: ChangeEvent<HTMLInputElement>) =>
    onOptionsChange({ ...options, secureJsonData: { ...secureJsonData, apiToken: e.currentTarget.value } });
  const onResetToken = () =>
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, apiToken: false },
      secureJsonData: { ...secureJsonData, apiToken: '' },
    });

  const proxyUrlError = proxyUrlProblem(jsonData.proxyUrl, touched.proxyUrl === true);
  const mlflowUiError =
    touched.mlflowUiUrl && !isHttpUrl(jsonData.mlflowUiUrl) ? selectors.config.mlflowUiUrl.invalid : undefined;
  const s = selectors.config;

  return (
    <Stack direction="column" gap={1}>
      <div className={styles.intro}>
        <Text color="secondary">
          Grafana forwards every request to the MLSight proxy and adds the token itself, so the token never reaches the
          browser.
        </Text>
      </div>
      <InlineField
        label={s.proxyUrl.label}
        tooltip={s.proxyUrl.tooltip}
        labelWidth={LABEL_WIDTH}
        required
        invalid={proxyUrlError !== undefined}
        error={proxyUrlError}
        htmlFor={s.proxyUrl.id}
      >
        <Input
          id={s.proxyUrl.id}
          value={jsonData.proxyUrl ?? ''}
          placeholder={s.proxyUrl.placeholder}
          width={INPUT_WIDTH}
          onChange={onProxyUrl}
          onBlur={() => touch('proxyUrl')}
        />
      </InlineField>
      <InlineField
        label={s.apiToken.label}
        tooltip={s.apiToken.tooltip}
        labelWidth={LABEL_WIDTH}
        htmlFor={s.apiToken.id}
      >
        <SecretInput
          id={s.apiToken.id}
          isConfigured={secureJsonFields?.apiToken === true}
          value={secureJsonData?.apiToken ?? ''}
          placeholder={s.apiToken.placeholder}
          width={INPUT_WIDTH}
          onReset={onResetToken}
          onChange={onToken}
        />
      </InlineField>
      <InlineField
        label={s.mlflowUiUrl.label}
        tooltip={s.mlflowUiUrl.tooltip}
        labelWidth={LABEL_WIDTH}
        invalid={mlflowUiError !== undefined}
        error={mlflowUiError}
        htmlFor={s.mlflowUiUrl.id}
      >
        <Input
          id={s.mlflowUiUrl.id}
          value={jsonData.mlflowUiUrl ?? ''}
          placeholder={s.mlflowUiUrl.placeholder}
          width={INPUT_WIDTH}
          onChange={(e: ChangeEvent<HTMLInputElement>) =>
            setJson('mlflowUiUrl', e.currentTarget.value.trim() || undefined)
          }
          onBlur={() => touch('mlflowUiUrl')}
        />
      </InlineField>
      <InlineField
        label={s.defaultModel.label}
        tooltip={s.defaultModel.tooltip}
        labelWidth={LABEL_WIDTH}
        htmlFor={s.defaultModel.id}
      >
        <Input
          id={s.defaultModel.id}
          value={jsonData.defaultModel ?? ''}
          placeholder={s.defaultModel.placeholder}
          width={INPUT_WIDTH}
          onChange={(e: ChangeEvent<HTMLInputElement>) =>
            setJson('defaultModel', e.currentTarget.value.trim() || undefined)
          }
        />
      </InlineField>
    </Stack>
  );
}

function proxyUrlProblem(proxyUrl: string | undefined, touched: boolean): string | undefined {
  if (!touched) return undefined;
  if (!proxyUrl) return 'The proxy URL is required';
  return isHttpUrl(proxyUrl) ? undefined : selectors.config.proxyUrl.invalid;
}

const getStyles = (theme: GrafanaTheme2) => ({
  intro: css({ maxWidth: theme.spacing(100), marginBottom: theme.spacing(1) }),
});
