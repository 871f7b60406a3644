import { css, cx } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { useMemo } from 'react';
import { processContent } from './processContent';
import type { TextOptions } from './types';

/**
 * Grafana's text panel: markdown or HTML, sanitised by @grafana/data, set as the inner HTML of a `markdown-html`
 * container (the class Grafana's global styles give markdown). Code mode shows the text in a read-only monospace
 * block: Grafana uses its Monaco `CodeEditor` there, which needs Grafana's own Monaco bundle.
 */
export function TextPanel({ options, replaceVariables }: PanelProps<TextOptions>) {
  const styles = useStyles2(getStyles);
  const content = useMemo(() => processContent(options, replaceVariables), [options, replaceVariables]);
  if (options.mode === 'code') {
    return (
      <pre className={styles.code} data-testid="TextPanel-code">
        {content}
      </pre>
    );
  }
  return (
    <div className={styles.container}>
      <div
        className={cx('markdown-html', styles.markdown)}
        data-testid="TextPanel-converted-content"
        // The HTML is renderTextPanelMarkdown's / textUtil.sanitize's output: sanitised, as Grafana sets it.
        dangerouslySetInnerHTML={{ __html: content }}
      />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ position: 'relative', height: '100%', overflowY: 'auto' }),
  markdown: css({ height: '100%' }),
  code: css({
    height: '100%',
    margin: 0,
    overflow: 'auto',
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});
