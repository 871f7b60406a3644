import { css } from '@emotion/css';
import type { GrafanaTheme2, QueryEditorProps } from '@grafana/data';
import { Combobox, FieldValidationMessage, InlineField, InlineFieldRow, Stack, useStyles2 } from '@grafana/ui';
import { QUERY_TYPE_INFO, QUERY_TYPES, type QueryType } from '@mlsight/contract';
import { useMemo } from 'react';
import type { DataSource } from '../datasource';
import { switchQueryType, toEditableQuery, validateQuery } from '../queryModel';
import { selectors } from '../selectors';
import type { MLSightDataQuery, MLSightDataSourceQuery, MLSightOptions } from '../types';
import { QUERY_EDITORS } from './editors';
import { LABEL_WIDTH } from './fields/EditorField';
import { useDistinctChange, whenPicked } from './fields/pickerChange';

type Props = QueryEditorProps<DataSource, MLSightDataSourceQuery, MLSightOptions>;

const QUERY_TYPE_OPTIONS = QUERY_TYPES.map((type) => ({
  value: type,
  label: QUERY_TYPE_INFO[type].label,
  description: QUERY_TYPE_INFO[type].description,
}));

/**
 * The query editor: a query-type picker, then the one editor registered for that type. Fields are validated with
 * the contract's schema as the user edits, so a bad query is explained here before the proxy refuses it.
 */
export function QueryEditor({ query, onChange, onRunQuery, datasource }: Props) {
  const styles = useStyles2(getStyles);
  const current = useMemo(() => toEditableQuery(query, datasource.defaultModel), [query, datasource.defaultModel]);
  const validation = useMemo(() => validateQuery(current), [current]);
  const Editor = QUERY_EDITORS[current.queryType];

  const changeType = useDistinctChange(current.queryType, (type: QueryType) => {
    onChange(switchQueryType(current, type));
    onRunQuery();
  });
  const change = (next: MLSightDataQuery) => onChange(next);

  return (
    <div className={styles.editor} data-testid={selectors.query.container}>
      <Stack direction="column" gap={0}>
        <InlineFieldRow>
          <InlineField
            label={selectors.query.queryType.label}
            tooltip={selectors.query.queryType.tooltip}
            labelWidth={LABEL_WIDTH}
            htmlFor={`${selectors.query.queryType.id}-${current.refId}`}
          >
            <Combobox<QueryType>
              id={`${selectors.query.queryType.id}-${current.refId}`}
              options={QUERY_TYPE_OPTIONS}
              value={current.queryType}
              onChange={whenPicked(changeType)}
              width={32}
            />
          </InlineField>
        </InlineFieldRow>
        <Editor
          query={current}
          onChange={change}
          onRunQuery={onRunQuery}
          datasource={datasource}
          errors={validation.byField}
        />
        {validation.other.length > 0 && (
          <div data-testid={selectors.query.validation}>
            {validation.other.map((message) => (
              <FieldValidationMessage key={message}>{message}</FieldValidationMessage>
            ))}
          </div>
        )}
      </Stack>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  editor: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
  }),
});
