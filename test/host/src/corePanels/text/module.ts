import { PanelPlugin, standardEditorsRegistry } from '@grafana/data';
import { TextPanel } from './TextPanel';
import { CODE_LANGUAGES, TEXT_DEFAULTS, type TextOptions } from './types';

const TEXT = ['Text'];
const isCode = (options: TextOptions) => options.mode === 'code';

/** Grafana 12's text panel: mode, code settings and content; no field config (it runs no queries). */
export function textPlugin(): PanelPlugin<TextOptions> {
  return new PanelPlugin<TextOptions>(TextPanel).setPanelOptions((builder) => {
    builder
      .addRadio({
        path: 'mode',
        name: 'Mode',
        category: TEXT,
        settings: {
          options: [
            { value: 'markdown', label: 'Markdown' },
            { value: 'html', label: 'HTML' },
            { value: 'code', label: 'Code' },
          ],
        },
        defaultValue: TEXT_DEFAULTS.mode,
      })
      .addSelect({
        path: 'code.language',
        name: 'Language',
        category: TEXT,
        settings: { options: CODE_LANGUAGES.map((value) => ({ value, label: value })) },
        defaultValue: TEXT_DEFAULTS.code.language,
        showIf: isCode,
      })
      .addBooleanSwitch({
        path: 'code.showLineNumbers',
        name: 'Show line numbers',
        category: TEXT,
        defaultValue: TEXT_DEFAULTS.code.showLineNumbers,
        showIf: isCode,
      })
      .addBooleanSwitch({
        path: 'code.showMiniMap',
        name: 'Show mini map',
        category: TEXT,
        defaultValue: TEXT_DEFAULTS.code.showMiniMap,
        showIf: isCode,
      })
      .addCustomEditor({
        id: 'content',
        path: 'content',
        name: 'Content',
        category: TEXT,
        // Core's editor is a Monaco code editor; the host's registered text editor stands in.
        editor: standardEditorsRegistry.get('text').editor,
        defaultValue: TEXT_DEFAULTS.content,
      });
  });
}
