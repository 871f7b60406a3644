/** Grafana 12's text options (`panelcfg.gen.ts` of the text panel). */
export type TextMode = 'markdown' | 'html' | 'code';

export interface CodeOptions {
  language: string;
  showLineNumbers: boolean;
  showMiniMap: boolean;
}

export interface TextOptions {
  mode: TextMode;
  content: string;
  code?: CodeOptions;
}

/** @grafana/schema 12.0.2's text `defaultOptions` and `defaultCodeOptions`. */
export const TEXT_DEFAULTS: Required<TextOptions> = {
  mode: 'markdown',
  content: '# Title\n\nFor markdown syntax help: [commonmark.org/help](https://commonmark.org/help/)',
  code: { language: 'plaintext', showLineNumbers: false, showMiniMap: false },
};

export const CODE_LANGUAGES = ['plaintext', 'yaml', 'xml', 'typescript', 'sql', 'go', 'markdown', 'html', 'json'];
