/** @jest-environment jsdom */
import { getDefaultTimeRange, LoadingState, toDataFrame } from '@grafana/data';
import { SceneDataNode, SceneFlexItem, SceneFlexLayout, SceneQueryRunner } from '@grafana/scenes';
import { ChampionChallenger } from './ChampionChallenger';

/** The object under a data node holding a model_versions answer (version, aliases), activated as a page would. */
function onVersions(aliases: string[]): ChampionChallenger {
  const object = new ChampionChallenger({ datasourceUid: 'mlsight', model: 'fraud-screen' });
  const versions = toDataFrame({
    fields: [
      { name: 'version', values: aliases.map((_, i) => String(i + 1)) },
      { name: 'aliases', values: aliases },
    ],
  });
  new SceneFlexLayout({
    $data: new SceneDataNode({
      data: { state: LoadingState.Done, series: [versions], timeRange: getDefaultTimeRange() },
    }),
    children: [new SceneFlexItem({ body: object })],
  });
  object.activate();
  return object;
}

describe('ChampionChallenger', () => {
  it('says which alias is missing instead of asking the proxy for a comparison it refuses', () => {
    const { panel, notice } = onVersions(['', 'champion']).state;
    expect(panel).toBeUndefined();
    expect(notice).toContain('No version of fraud-screen has the alias "challenger"');
  });

  it('compares the two aliased versions when both exist', () => {
    const { panel, notice } = onVersions(['challenger, shadow', 'champion']).state;
    expect(notice).toBeUndefined();
    const runner = panel?.state.$data as SceneQueryRunner | undefined;
    expect(runner?.state.queries).toEqual([
      expect.objectContaining({
        queryType: 'champion_challenger',
        model: 'fraud-screen',
        champion: 'champion',
        challenger: 'challenger',
      }),
    ]);
  });
});
