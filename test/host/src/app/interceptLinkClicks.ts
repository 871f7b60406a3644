import { locationUtil } from '@grafana/data';
import { locationService } from '@grafana/runtime';

/**
 * Grafana's `interceptLinkClicks` (app.ts): a click on an `<a href>` inside the app that stays in Grafana (same
 * origin, no target, no modifier key) becomes `locationService.push` instead of a page load, so an app's links and
 * the panels' data links keep the single-page state.
 */
export function interceptLinkClicks(root: HTMLElement): () => void {
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const anchor = event.target instanceof Element ? event.target.closest('a') : null;
    const href = anchor?.getAttribute('href');
    if (!anchor || !href || (anchor.target && anchor.target !== '_self')) return;
    const url = new URL(href, window.location.href);
    if (url.origin !== window.location.origin) return;
    event.preventDefault();
    locationService.push(locationUtil.stripBaseFromUrl(`${url.pathname}${url.search}${url.hash}`));
  };
  root.addEventListener('click', onClick);
  return () => root.removeEventListener('click', onClick);
}
