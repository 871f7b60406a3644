/** @jest-environment jsdom */
import { setBackendSrv, setTemplateSrv, type BackendSrv } from '@grafana/runtime';
import { QUERY_TYPE_INFO, QUERY_TYPES, querySchemas, type QueryType } from '@mlsight/contract';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { DataSource } from '../datasource';
import { switchQueryType } from '../queryModel';
import { selectors, type QueryFieldName } from '../selectors';
import { FakeBackendSrv, ok } from '../testing/fakeBackendSrv';
import { FakeTemplateSrv } from '../testing/fakeTemplateSrv';
import { instanceSettings } from '../testing/settings';
import type { MLSightDataQuery, MLSightDataSourceQuery } from '../types';
import { QueryEditor } from './QueryEditor';

let backend: FakeBackendSrv;

// Combobox menus are virtualised and render only the rows that fit; jsdom lays nothing out, so give elements a size.
beforeAll(() => {
  for (const [prop, value] of [
    ['offsetHeight', 600],
    ['offsetWidth', 600],
    ['clientHeight', 600],
    ['clientWidth', 600],
  ] as const) {
    Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => value });
  }
});

beforeEach(() => {
  backend = new FakeBackendSrv((req) =>
    ok(
      req.url.endsWith('/models')
        ? [
            { text: 'churn', value: 'churn' },
            { text: 'fraud', value: 'fraud' },
          ]
        : []
    )
  );
  setBackendSrv(backend as Pick<BackendSrv, 'fetch'> as BackendSrv);
  setTemplateSrv(new FakeTemplateSrv([]));
});

function renderEditor(query: MLSightDataSourceQuery, onChange = jest.fn(), onRunQuery = jest.fn()) {
  const datasource = new DataSource(instanceSettings({ defaultModel: 'churn' }));
  const view = render(
    <QueryEditor query={query} datasource={datasource} onChange={onChange} onRunQuery={onRunQuery} />
  );
  return { ...view, onChange, onRunQuery };
}

/** Which query field each rendered label stands for (labels come from selectors). */
const FIELD_BY_LABEL = new Map<string, QueryFieldName>(
  Object.entries(selectors.query.fields).map(([name, text]) => [text.label, name as QueryFieldName])
);

function renderedFields(container: HTMLElement): QueryFieldName[] {
  return [...container.querySelectorAll('label')]
    .map((label) => FIELD_BY_LABEL.get(label.textContent?.trim() ?? ''))
    .filter((name): name is QueryFieldName => name !== undefined);
}

const base: MLSightDataQuery = { refId: 'A', queryType: 'kpis', model: 'churn' };

describe('QueryEditor', () => {
  it.each(QUERY_TYPES)(
    '%s: shows its type and exactly fields the contract has, including every required one',
    (type: QueryType) => {
      const { container } = renderEditor(switchQueryType(base, type));
      const picker = screen.getByLabelText(selectors.query.queryType.label);
      expect(picker).toHaveValue(QUERY_TYPE_INFO[type].label);

      const shape: Record<string, { safeParse(v: unknown): { success: boolean } }> = querySchemas[type].shape;
      const shown = renderedFields(container);
      for (const field of shown) {
        const known = field === 'pin' ? 'version' in shape && 'alias' in shape : field in shape;
        expect({ type, field, known }).toEqual({ type, field, known: true });
      }
      const required = Object.keys(shape).filter(
        (k) => !['refId', 'queryType'].includes(k) && shape[k]?.safeParse(undefined).success === false
      );
      for (const field of required) expect(shown).toContain(field);
    }
  );

  it('offers the false-alarm rate under calibrated thresholds and the threshold under fixed ones, never both', () => {
    const drift = switchQueryType(base, 'drift_heatmap');
    const calibrated = renderedFields(renderEditor(drift).container);
    expect(calibrated).toEqual(expect.arrayContaining(['thresholdMode', 'falseAlarmRate']));
    expect(calibrated).not.toContain('threshold');
    for (const fixed of [
      { ...drift, thresholdMode: 'fixed' },
      { ...drift, method: 'psi', threshold: 0.2 },
    ] as MLSightDataQuery[]) {
      const { container, unmount } = renderEditor(fixed);
      const shown = renderedFields(container);
      expect(shown).toContain('threshold');
      expect(shown).not.toContain('falseAlarmRate');
      unmount();
    }
    const multivariate = renderedFields(renderEditor(switchQueryType(base, 'multivariate_drift')).container);
    expect(multivariate).toContain('bandScaling');
  });

  it("shows the contract's validation message beside the field", () => {
    renderEditor({ refId: 'A', queryType: 'category_drift', model: 'churn', feature: '' });
    expect(screen.getByText('must not be empty')).toBeInTheDocument();
  });

  it('shows a bad version number as such, but not a field holding a dashboard variable', () => {
    const { rerender } = renderEditor({ refId: 'A', queryType: 'kpis', model: 'churn', version: 'three' });
    expect(screen.getByText('must be a version number such as "3"')).toBeInTheDocument();
    const datasource = new DataSource(instanceSettings());
    rerender(
      <QueryEditor
        query={{ refId: 'A', queryType: 'kpis', model: 'churn', version: '$version' }}
        datasource={datasource}
        onChange={jest.fn()}
        onRunQuery={jest.fn()}
      />
    );
    expect(screen.queryByText(/must be a version number/)).not.toBeInTheDocument();
  });

  it('turns a new, empty query into the default KPI query of the default model', () => {
    renderEditor({ refId: 'B' } as MLSightDataSourceQuery);
    expect(screen.getByLabelText(selectors.query.queryType.label)).toHaveValue(QUERY_TYPE_INFO.kpis.label);
    expect(screen.getByLabelText(selectors.query.fields.model.label)).toHaveValue('churn');
  });

  it('switches the query type from the picker, keeping the model, and runs the query', async () => {
    const { onChange, onRunQuery } = renderEditor(base);
    const picker = screen.getByLabelText(selectors.query.queryType.label);
    await act(async () => {
      fireEvent.click(picker);
      fireEvent.change(picker, { target: { value: 'Fairness' } });
    });
    const option = await screen.findByRole('option', { name: /Fairness/ });
    await act(async () => fireEvent.click(option));
    expect(onChange).toHaveBeenCalledWith(
      expect.objectContaining({ refId: 'A', queryType: 'fairness', model: 'churn', segment: '' })
    );
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('regression (12.0.2): Escape on the closed type picker keeps the type instead of crashing on a null option', async () => {
    const datasource = new DataSource(instanceSettings({ defaultModel: 'churn' }));
    const changes: MLSightDataSourceQuery[] = [];
    function Host() {
      const [query, setQuery] = useState<MLSightDataSourceQuery>(base);
      const onChange = (next: MLSightDataSourceQuery) => {
        changes.push(next);
        setQuery(next);
      };
      return <QueryEditor query={query} datasource={datasource} onChange={onChange} onRunQuery={jest.fn()} />;
    }
    render(<Host />);
    const picker = screen.getByLabelText(selectors.query.queryType.label);
    await act(async () => {
      fireEvent.click(picker);
      fireEvent.change(picker, { target: { value: 'Fairness' } });
    });
    const option = await screen.findByRole('option', { name: /Fairness/ });
    await act(async () => fireEvent.click(option));
    await act(async () => fireEvent.keyDown(picker, { key: 'Escape' }));
    expect(changes.map((q) => q.queryType)).toEqual(['fairness']);
  });

  it('fills the model picker from the variables API', async () => {
    renderEditor(base);
    const model = screen.getByLabelText(selectors.query.fields.model.label);
    await act(async () => {
      fireEvent.click(model);
      fireEvent.change(model, { target: { value: 'fr' } });
    });
    const listbox = await screen.findByRole('listbox');
    expect(await within(listbox).findByRole('option', { name: /fraud/ })).toBeInTheDocument();
    expect(
      backend.requests.some((r) => r.url.endsWith('/resources/variables/models') && r.params?.search === 'fr')
    ).toBe(true);
  });
});
