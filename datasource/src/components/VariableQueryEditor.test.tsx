/** @jest-environment jsdom */
import { setBackendSrv, setTemplateSrv, type BackendSrv } from '@grafana/runtime';
import { fireEvent, render, screen } from '@testing-library/react';
import { DataSource } from '../datasource';
import { selectors } from '../selectors';
import { FakeBackendSrv, ok } from '../testing/fakeBackendSrv';
import { FakeTemplateSrv } from '../testing/fakeTemplateSrv';
import { instanceSettings } from '../testing/settings';
import type { MLSightVariableQuery } from '../types';
import { AnnotationQueryEditor } from './AnnotationQueryEditor';
import { VariableQueryEditor } from './VariableQueryEditor';

beforeEach(() => {
  setBackendSrv(new FakeBackendSrv(() => ok([])) as Pick<BackendSrv, 'fetch'> as BackendSrv);
  setTemplateSrv(new FakeTemplateSrv([]));
});

describe('VariableQueryEditor', () => {
  const datasource = () => new DataSource(instanceSettings());

  it('reads the provisioning text form and edits the model', () => {
    const onChange = jest.fn();
    // Provisioned dashboards store the text form; Grafana hands it to the editor as is.
    const stored = 'versions?model=churn' as unknown as MLSightVariableQuery;
    render(<VariableQueryEditor query={stored} datasource={datasource()} onChange={onChange} onRunQuery={jest.fn()} />);
    expect(screen.getByLabelText(selectors.variable.kind.label)).toHaveValue('versions');
    expect(screen.getByText('versions?model=churn')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText(selectors.variable.model.label), { target: { value: '$model' } });
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'variable', kind: 'versions', model: '$model' });
  });

  it('asks for no model where the kind takes none', () => {
    const query: MLSightVariableQuery = { refId: 'v', kind: 'models' };
    render(<VariableQueryEditor query={query} datasource={datasource()} onChange={jest.fn()} onRunQuery={jest.fn()} />);
    expect(screen.queryByLabelText(selectors.variable.model.label)).not.toBeInTheDocument();
  });
});

describe('AnnotationQueryEditor', () => {
  it('sets the model of an annotation layer, keeping its event kinds', () => {
    const onChange = jest.fn();
    render(
      <AnnotationQueryEditor
        query={{ refId: 'Anno', queryType: 'annotations', kinds: ['retrain'] }}
        onChange={onChange}
      />
    );
    fireEvent.change(screen.getByLabelText(selectors.annotation.model.label), { target: { value: '$model' } });
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'Anno',
      queryType: 'annotations',
      kinds: ['retrain'],
      model: '$model',
    });
  });
});
