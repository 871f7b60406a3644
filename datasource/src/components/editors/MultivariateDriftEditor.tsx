import { InlineFieldRow } from '@grafana/ui';
import { MULTIVARIATE_BAND_SCALINGS } from '@mlsight/contract';
import { getOption } from '../../queryModel';
import { EditorField } from '../fields/EditorField';
import { OptionPicker } from '../fields/inputs';
import { ModelFields } from '../fields/ModelFields';
import { FeaturesField, NumberField, SegmentFilterField } from '../fields/QueryFields';
import { bindFields, type TypeEditorProps } from './types';

const BAND_SCALING_OPTIONS = MULTIVARIATE_BAND_SCALINGS.map((m) => ({ label: m, value: m }));

/** multivariate_drift: the features the PCA is fitted on, and how the components and the band are chosen. */
export function MultivariateDriftEditor(props: TypeEditorProps) {
  const f = bindFields(props);
  return (
    <>
      <ModelFields {...props} />
      <InlineFieldRow>
        <FeaturesField {...props} />
        <SegmentFilterField {...props} />
      </InlineFieldRow>
      <InlineFieldRow>
        <NumberField {...props} name="components" step={0.05} />
        <NumberField {...props} name="chunkSize" step={1} />
        <NumberField {...props} name="bandMultiplier" step={0.5} />
        <EditorField name="bandScaling" error={f.error('bandScaling')} htmlFor={f.id('bandScaling')}>
          <OptionPicker
            id={f.id('bandScaling')}
            options={BAND_SCALING_OPTIONS}
            value={getOption(props.query, 'bandScaling', MULTIVARIATE_BAND_SCALINGS)}
            onChange={(value) => f.commit('bandScaling', value)}
            placeholder="chunk"
          />
        </EditorField>
      </InlineFieldRow>
    </>
  );
}
