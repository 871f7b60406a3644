import { LoadingState, type DataFrame } from '@grafana/data';
import {
  sceneGraph,
  SceneObjectBase,
  type SceneComponentProps,
  type SceneObjectState,
  type VizPanel,
} from '@grafana/scenes';
import { Alert } from '@grafana/ui';
import React from 'react';

export interface ChosenPanelState extends SceneObjectState {
  panel?: VizPanel;
  /** Why there is no panel, said instead of one. */
  notice?: string;
}

/**
 * A panel that depends on what another answer says (which feature is categorical, which aliases exist): it waits
 * for the nearest ancestor's data, then `choose` either makes the panel or says why there is none — so the page
 * never asks a query the proxy would refuse.
 */
export abstract class ChosenPanel<S extends ChosenPanelState> extends SceneObjectBase<S> {
  constructor(state: S) {
    super(state);
    this.addActivationHandler(() => {
      const data = sceneGraph.getData(this);
      const onData = () => {
        if (data.state.data?.state === LoadingState.Done) this.choose(data.state.data.series[0]);
      };
      onData();
      const sub = data.subscribeToState(onData);
      return () => sub.unsubscribe();
    });
  }

  /** Makes the panel from the ancestor's first frame (`setPanel`), or says why not (`setNotice`). */
  protected abstract choose(frame: DataFrame | undefined): void;

  protected setNotice(notice: string): void {
    if (this.state.notice !== notice) this.setState({ panel: undefined, notice } as Partial<S>);
  }

  protected setPanel(panel: VizPanel): void {
    this.setState({ notice: undefined, panel } as Partial<S>);
  }
}

/** The renderer of a {@link ChosenPanel}: the panel, or the notice as an info alert, under a test id. */
export function chosenPanelRenderer(testId: string) {
  return function ChosenPanelRenderer({ model }: SceneComponentProps<ChosenPanel<ChosenPanelState>>) {
    const { panel, notice } = model.useState();
    return (
      <div data-testid={testId} style={{ height: '100%', width: '100%' }}>
        {panel && <panel.Component model={panel} />}
        {!panel && notice && <Alert severity="info" title={notice} />}
      </div>
    );
  };
}
