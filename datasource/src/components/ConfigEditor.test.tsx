/** @jest-environment jsdom */
import type { DataSourceSettings } from '@grafana/data';
import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { selectors } from '../selectors';
import type { MLSightOptions, MLSightSecureJsonData } from '../types';
import { ConfigEditor, isHttpUrl } from './ConfigEditor';

type Settings = DataSourceSettings<MLSightOptions, MLSightSecureJsonData>;

function settings(patch: Partial<Settings> = {}): Settings {
  return {
    id: 1,
    uid: 'mlsight',
    orgId: 1,
    name: 'MLSight',
    type: 'mlsight-mlflow-datasource',
    typeName: 'MLSight',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    jsonData: {},
    secureJsonFields: {},
    readOnly: false,
    withCredentials: false,
    ...patch,
  };
}

/** Grafana keeps the settings; the editor only reports changes. This keeps them the same way. */
function Harness({ initial, onSave }: { initial: Settings; onSave: (s: Settings) => void }) {
  const [options, setOptions] = useState(initial);
  return (
    <ConfigEditor
      options={options}
      onOptionsChange={(next) => {
        setOptions(next);
        onSave(next);
      }}
    />
  );
}

describe('ConfigEditor', () => {
  it('stores the proxy URL in jsonData and as the instance URL', () => {
    const onSave = jest.fn();
    render(<Harness initial={settings()} onSave={onSave} />);
    fireEvent.change(screen.getByLabelText(new RegExp(selectors.config.proxyUrl.label)), {
      target: { value: 'http://127.0.0.1:8080' },
    });
    expect(onSave).toHaveBeenLastCalledWith(
      expect.objectContaining({ url: 'http://127.0.0.1:8080', jsonData: { proxyUrl: 'http://127.0.0.1:8080' } })
    );
  });

  it('explains an invalid proxy URL once the field is left', () => {
    render(<Harness initial={settings()} onSave={jest.fn()} />);
    const input = screen.getByLabelText(new RegExp(selectors.config.proxyUrl.label));
    fireEvent.change(input, { target: { value: 'localhost:8080' } });
    expect(screen.queryByText(selectors.config.proxyUrl.invalid)).not.toBeInTheDocument();
    fireEvent.blur(input);
    expect(screen.getByText(selectors.config.proxyUrl.invalid)).toBeInTheDocument();
  });

  it('puts a new token in secureJsonData only', () => {
    const onSave = jest.fn();
    render(<Harness initial={settings()} onSave={onSave} />);
    fireEvent.change(screen.getByLabelText(selectors.config.apiToken.label), { target: { value: 's3cret' } });
    const saved: Settings = onSave.mock.lastCall[0];
    expect(saved.secureJsonData).toEqual({ apiToken: 's3cret' });
    expect(JSON.stringify(saved.jsonData)).not.toContain('s3cret');
  });

  it('shows a saved token as configured, without its value, and resets it', () => {
    const onSave = jest.fn();
    render(<Harness initial={settings({ secureJsonFields: { apiToken: true } })} onSave={onSave} />);
    expect(screen.getByLabelText(selectors.config.apiToken.label)).toHaveValue('configured');
    fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(onSave).toHaveBeenLastCalledWith(
      expect.objectContaining({ secureJsonFields: { apiToken: false }, secureJsonData: { apiToken: '' } })
    );
    expect(screen.getByLabelText(selectors.config.apiToken.label)).toHaveValue('');
  });

  it('stores the MLflow UI URL and the default model, and removes them when cleared', () => {
    const onSave = jest.fn();
    render(<Harness initial={settings({ jsonData: { proxyUrl: 'http://p' } })} onSave={onSave} />);
    fireEvent.change(screen.getByLabelText(selectors.config.defaultModel.label), { target: { value: ' churn ' } });
    fireEvent.change(screen.getByLabelText(selectors.config.mlflowUiUrl.label), {
      target: { value: 'http://mlflow:5000' },
    });
    expect(onSave).toHaveBeenLastCalledWith(
      expect.objectContaining({
        jsonData: { proxyUrl: 'http://p', defaultModel: 'churn', mlflowUiUrl: 'http://mlflow:5000' },
      })
    );
    fireEvent.change(screen.getByLabelText(selectors.config.defaultModel.label), { target: { value: '' } });
    expect(onSave.mock.lastCall[0].jsonData.defaultModel).toBeUndefined();
  });
});

describe('isHttpUrl', () => {
  it.each([
    ['http://localhost:8080', true],
    ['https://mlsight.example.com/base', true],
    ['', true],
    ['localhost:8080', false],
    ['ftp://x', false],
    ['not a url', false],
  ])('%s → %s', (value, expected) => {
    expect(isHttpUrl(value)).toBe(expected);
  });
});
