import type { StandardEditorProps } from '@grafana/data';
import { Input } from '@grafana/ui';

/**
 * Stands in for core's own editors of object-valued options (line style, null spanning, group-by and folder
 * pickers): no package exports them and the host has no options pane, so the value is shown read-only.
 */
export function ValueOptionEditor(props: StandardEditorProps<unknown>) {
  return <Input id={props.id} readOnly value={JSON.stringify(props.value ?? null)} />;
}
