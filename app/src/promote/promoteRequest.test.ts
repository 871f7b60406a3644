/** @jest-environment jsdom */
import { createDataFrame, FieldType } from '@grafana/data';
import {
  aliasVersion,
  canPromote,
  promoteErrorMessage,
  promoteProblem,
  promoteUrl,
  REASON_MAX,
  versionChoices,
} from './promoteRequest';

const versions = createDataFrame({
  name: 'credit-risk versions',
  fields: [
    { name: 'version', type: FieldType.string, values: ['2', '10', '3'] },
    { name: 'aliases', type: FieldType.string, values: ['champion', '', 'challenger, shadow'] },
  ],
});

describe('canPromote', () => {
  it('lets Editors and Admins promote, nobody else', () => {
    expect(['Admin', 'Editor', 'Viewer', 'None', '', undefined].map(canPromote)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('versionChoices / aliasVersion', () => {
  const choices = versionChoices(versions);

  it('lists versions newest first by number, not by text', () => {
    expect(choices.map((c) => c.version)).toEqual(['10', '3', '2']);
  });

  it('finds where an alias points, null when unset', () => {
    expect(aliasVersion(choices, 'champion')).toBe('2');
    expect(aliasVersion(choices, 'shadow')).toBe('3');
    expect(aliasVersion(choices, 'canary')).toBeNull();
  });
});

describe('promoteProblem', () => {
  const body = { model: 'm', alias: 'champion', version: '3', reason: 'better recall', expectedVersion: '2' };

  it('accepts a complete form', () => {
    expect(promoteProblem(body)).toBeUndefined();
  });

  it('asks for a version, a different version and a reason within the limit', () => {
    expect(promoteProblem({ ...body, version: '' })).toMatch(/Choose a version/);
    expect(promoteProblem({ ...body, version: '2' })).toMatch(/already points at version 2/);
    expect(promoteProblem({ ...body, reason: '   ' })).toMatch(/Say why/);
    expect(promoteProblem({ ...body, reason: 'x'.repeat(REASON_MAX + 1) })).toMatch(/at most 500/);
  });
});

describe('promoteErrorMessage', () => {
  it("shows the proxy's conflict message", () => {
    const conflict = { status: 409, data: { error: 'conflict', message: 'champion points at version 4, not 2' } };
    expect(promoteErrorMessage(conflict)).toBe('champion points at version 4, not 2');
  });

  it('explains a bare 409 and 403, and falls back to the status', () => {
    expect(promoteErrorMessage({ status: 409, data: {} })).toMatch(/moved meanwhile/);
    expect(promoteErrorMessage({ status: 403 })).toMatch(/Editors and Admins/);
    expect(promoteErrorMessage({ status: 502, data: 'x' })).toBe('Promote failed (HTTP 502).');
    expect(promoteErrorMessage(new Error('offline'))).toBe('offline');
  });
});

describe('promoteUrl', () => {
  it("is the data source's resource route, uid encoded", () => {
    expect(promoteUrl('ml sight')).toBe('/api/datasources/uid/ml%20sight/resources/aliases/promote');
  });
});
