import { TextLink } from '@grafana/ui';
import React from 'react';
import { fleetUrl } from '../constants';

/** What /models shows without a model: where to pick one. */
export function ModelsIndex() {
  return (
    <p>
      Pick a model on the{' '}
      <TextLink href={fleetUrl()} inline>
        fleet page
      </TextLink>
      : every model&apos;s page has its drift, performance, explanations, data quality, lineage and deployments.
    </p>
  );
}
