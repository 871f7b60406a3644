import { renderTextPanelMarkdown, textUtil, type InterpolateFunction } from '@grafana/data';
import type { TextOptions } from './types';

/** Grafana's `html` interpolation format: variable values are HTML-escaped before they land in the content. */
export function htmlFormat(value: string | string[]): string {
  return textUtil.escapeHtml(Array.isArray(value) ? value.join(', ') : value);
}

/**
 * Grafana's `processContent` (text panel): variables interpolated first (so they can be used in URLs), HTML-escaped
 * in markdown and HTML mode; then markdown rendered by `renderTextPanelMarkdown` — which sanitises — or HTML
 * sanitised by `textUtil.sanitize`; code is left as text. Relative links such as `/d/<uid>` are kept.
 */
export function processContent(options: TextOptions, interpolate: InterpolateFunction): string {
  const { mode } = options;
  const content = mode === 'code' ? interpolate(options.content) : interpolate(options.content, {}, htmlFormat);
  if (!content) return ' ';
  try {
    if (mode === 'markdown') return renderTextPanelMarkdown(content);
    if (mode === 'html') return textUtil.sanitize(content);
    return content;
  } catch {
    return 'Error rendering content';
  }
}
