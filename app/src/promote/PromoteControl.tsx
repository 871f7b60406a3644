import { LoadingState, type SelectableValue } from '@grafana/data';
import { config, getBackendSrv } from '@grafana/runtime';
import {
  sceneGraph,
  SceneObjectBase,
  SceneQueryRunner,
  type SceneComponentProps,
  type SceneObjectState,
} from '@grafana/scenes';
import { Alert, Button, Field, Modal, RadioButtonGroup, Select, TextArea } from '@grafana/ui';
import React, { useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { selectors } from '../selectors';
import {
  aliasVersion,
  canPromote,
  promoteErrorMessage,
  promoteProblem,
  promoteUrl,
  REASON_MAX,
  versionChoices,
  type PromoteBody,
} from './promoteRequest';

interface PromoteControlState extends SceneObjectState {
  datasourceUid: string;
  model: string;
}

const ALIASES: Array<SelectableValue<string>> = [
  { label: 'champion', value: 'champion' },
  { label: 'challenger', value: 'challenger' },
];

/**
 * Promote / roll back: moves an alias of the model to a chosen version through the data source's resource route,
 * with a reason (written to MLflow as the version's mlsight.promote_reason). Shown to Editors and Admins only; the
 * versions and where the alias points now come from this object's model_versions data.
 */
export class PromoteControl extends SceneObjectBase<PromoteControlState> {
  static Component = PromoteControlRenderer;
}

function PromoteControlRenderer({ model }: SceneComponentProps<PromoteControl>) {
  const { datasourceUid, model: modelName } = model.useState();
  const { data } = sceneGraph.getData(model).useState();
  const [open, setOpen] = useState(false);
  const [alias, setAlias] = useState('champion');
  const [version, setVersion] = useState('');
  const [reason, setReason] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();

  if (!canPromote(config.bootData?.user?.orgRole)) return null;

  const choices = versionChoices(data?.series[0]);
  const expectedVersion = aliasVersion(choices, alias);
  const body: PromoteBody = { model: modelName, alias, version, reason: reason.trim(), expectedVersion };
  const problem = promoteProblem(body);
  const options = choices.map((c) => ({
    label: `Version ${c.version}`,
    value: c.version,
    description: c.aliases.length > 0 ? c.aliases.join(', ') : undefined,
  }));

  const close = () => {
    setOpen(false);
    setError(undefined);
  };
  const send = async () => {
    setSending(true);
    setError(undefined);
    try {
      await lastValueFrom(
        getBackendSrv().fetch({ method: 'POST', url: promoteUrl(datasourceUid), data: body, showErrorAlert: false })
      );
      setDone(`${alias} → version ${version}`);
      setOpen(false);
      setReason('');
      // The versions (and the deployments tab) read the alias again.
      const versions = sceneGraph.getData(model);
      if (versions instanceof SceneQueryRunner) versions.runQueries();
    } catch (err) {
      setError(promoteErrorMessage(err));
    } finally {
      setSending(false);
    }
  };

  return (
    <>
      <Button
        icon="exchange-alt"
        variant="secondary"
        data-testid={selectors.promote.open}
        disabled={data?.state === LoadingState.Loading}
        onClick={() => setOpen(true)}
      >
        Promote / roll back
      </Button>
      {done && (
        <span data-testid={selectors.promote.done} role="status">
          {done}
        </span>
      )}
      <Modal title={`Move an alias of ${modelName}`} isOpen={open} onDismiss={close}>
        <div data-testid={selectors.promote.modal}>
          <Field label="Alias">
            <RadioButtonGroup options={ALIASES} value={alias} onChange={setAlias} />
          </Field>
          <Field
            label="Version"
            description={expectedVersion ? `${alias} points at version ${expectedVersion} now` : `${alias} is unset`}
          >
            <Select
              inputId={selectors.promote.version}
              options={options}
              value={version === '' ? null : version}
              onChange={(choice) => setVersion(choice?.value ?? '')}
              placeholder="Choose a version"
            />
          </Field>
          <Field label="Reason" description={`Why (at most ${REASON_MAX} characters); recorded with who and when`}>
            <TextArea
              data-testid={selectors.promote.reason}
              value={reason}
              maxLength={REASON_MAX}
              onChange={(e) => setReason(e.currentTarget.value)}
            />
          </Field>
          {error && (
            <Alert severity="error" title="Not moved" data-testid={selectors.promote.error}>
              {error}
            </Alert>
          )}
          <Modal.ButtonRow>
            <Button variant="secondary" fill="outline" onClick={close}>
              Cancel
            </Button>
            <Button
              data-testid={selectors.promote.confirm}
              disabled={problem !== undefined || sending}
              tooltip={problem}
              onClick={() => void send()}
            >
              {sending ? 'Moving…' : 'Confirm'}
            </Button>
          </Modal.ButtonRow>
        </div>
      </Modal>
    </>
  );
}
