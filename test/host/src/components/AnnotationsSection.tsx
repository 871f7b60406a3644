import type { AnnotationEvent, AnnotationQuery, DataQuery, DataSourceApi } from '@grafana/data';
import { Alert, Button, Stack } from '@grafana/ui';
import { useState } from 'react';
import { lastValueFrom, of } from 'rxjs';
import { hostTimeRange } from '../hostServices';
import { runQuery } from '../runQuery';
import { hostSelectors } from '../selectors';

function initialAnnotation(ds: DataSourceApi): AnnotationQuery<DataQuery> {
  const base: AnnotationQuery<DataQuery> = {
    name: 'MLOps events',
    enable: true,
    iconColor: 'purple',
    datasource: { uid: ds.uid, type: ds.type },
    target: ds.annotations?.getDefaultQuery?.() as DataQuery | undefined,
  };
  return ds.annotations?.prepareAnnotation ? ds.annotations.prepareAnnotation(base) : base;
}

/**
 * An annotation layer as Grafana runs one for a data source with `annotations` support: the plugin's editor on the
 * layer's target, then `prepareQuery` → `query()` → `processEvents`, and the events listed.
 */
export function AnnotationsSection({ datasource }: { datasource: DataSourceApi }) {
  const [annotation, setAnnotation] = useState(() => initialAnnotation(datasource));
  const [events, setEvents] = useState<AnnotationEvent[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const support = datasource.annotations;
  const Editor = support?.QueryEditor;

  const run = async () => {
    setError(undefined);
    try {
      const target = support?.prepareQuery ? support.prepareQuery(annotation) : annotation.target;
      if (!target) throw new Error('prepareQuery returned no query for this layer');
      const response = await runQuery(datasource, [target], hostTimeRange());
      const firstError = response.errors?.[0]?.message;
      if (firstError) throw new Error(firstError);
      const processed = support?.processEvents ? support.processEvents(annotation, response.data) : of(undefined);
      setEvents((await lastValueFrom(processed)) ?? []);
    } catch (err) {
      setError(err instanceof Error ? err.message : JSON.stringify(err));
    }
  };

  return (
    <Stack direction="column" gap={1}>
      {Editor && annotation.target && (
        <div data-testid={hostSelectors.annotations.editor}>
          <Editor
            datasource={datasource}
            query={annotation.target}
            annotation={annotation}
            onChange={(target: DataQuery) => setAnnotation({ ...annotation, target })}
            onAnnotationChange={setAnnotation}
            onRunQuery={() => void run()}
          />
        </div>
      )}
      <div>
        <Button data-testid={hostSelectors.annotations.run} variant="secondary" onClick={() => void run()}>
          Run annotations
        </Button>
      </div>
      {error && (
        <div data-testid={hostSelectors.annotations.error}>
          <Alert severity="error" title={error} />
        </div>
      )}
      {events && (
        <table data-testid={hostSelectors.annotations.events} data-count={events.length}>
          <thead>
            <tr>
              <th>time</th>
              <th>title</th>
              <th>tags</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event, index) => (
              <tr key={index} data-time={event.time}>
                <td>{new Date(event.time ?? 0).toISOString()}</td>
                <td>{event.title}</td>
                <td>{(event.tags ?? []).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Stack>
  );
}
