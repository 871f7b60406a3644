import { QueryError } from '../errors';
import { parseFairnessSegment } from './fairness';

describe('parseFairnessSegment', () => {
  test('accepts the attribute bare, with the segment. prefix, and as field=value with a reference group', () => {
    expect(parseFairnessSegment('region')).toEqual({ attribute: 'region' });
    expect(parseFairnessSegment('segment.region')).toEqual({ attribute: 'region' });
    expect(parseFairnessSegment('region=north')).toEqual({ attribute: 'region', referenceGroup: 'north' });
    expect(parseFairnessSegment('segment.region = north ')).toEqual({ attribute: 'region', referenceGroup: 'north' });
    expect(parseFairnessSegment('region=')).toEqual({ attribute: 'region' });
  });

  test('refuses an empty attribute with a QueryError naming the field', () => {
    expect(() => parseFairnessSegment('segment.')).toThrow(QueryError);
    expect(() => parseFairnessSegment('=north')).toThrow(/segment: name an attribute/);
  });
});
