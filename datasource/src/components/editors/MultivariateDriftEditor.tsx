import { InlineFieldRow } from '@grafana/ui';
import { ModelFields } from '../fields/ModelFields';
import { FeaturesField, NumberField, SegmentFilterField } from '../fields/QueryFields';
import type { TypeEditorProps } from './types';

/** multivariate_drift: the features the PCA is fitted on, and how the components and the band are chosen. */
export function MultivariateDriftEditor(props: TypeEditorProps) {
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
      </InlineFieldRow>
    </>
  );
}
