import { css } from '@emotion/css';
import type { GrafanaTheme2, NavModelItem } from '@grafana/data';
import type { PluginPageProps } from '@grafana/runtime';
import { Stack, Tab, TabsBar, Text, TextLink, useStyles2 } from '@grafana/ui';
import { hostSelectors } from '../selectors';

function breadcrumbs(item: NavModelItem | undefined): NavModelItem[] {
  const trail: NavModelItem[] = [];
  for (let at = item?.parentItem; at; at = at.parentItem) if (!at.hideFromBreadcrumbs) trail.unshift(at);
  return trail;
}

/**
 * What Grafana's `PluginPage` draws around an app page (its `Page` with the page nav): breadcrumbs of the parent
 * items, the title, the sub title, the actions inline with the title, and the page's tabs (`pageNav.children`) as
 * links. Grafana's navigation tree, page toolbar and info items are not drawn.
 */
export function HostPluginPage({ pageNav, actions, subTitle, renderTitle, children }: PluginPageProps) {
  const styles = useStyles2(getStyles);
  const title = pageNav?.text ?? '';
  const tabs = pageNav?.children ?? [];
  return (
    <div className={styles.page} data-testid={hostSelectors.appPlugin.page}>
      <nav aria-label="Breadcrumbs">
        <Stack direction="row" gap={1}>
          {breadcrumbs(pageNav).map((crumb) => (
            <TextLink key={crumb.url ?? crumb.text} href={crumb.url ?? ''} inline={false} color="secondary">
              {crumb.text}
            </TextLink>
          ))}
        </Stack>
      </nav>
      <Stack direction="row" justifyContent="space-between" alignItems="center" wrap="wrap">
        {renderTitle ? renderTitle(title) : <Text element="h1">{title}</Text>}
        {actions && (
          <Stack direction="row" gap={1} alignItems="center">
            {actions}
          </Stack>
        )}
      </Stack>
      {subTitle && <Text color="secondary">{subTitle}</Text>}
      {tabs.length > 0 && (
        <TabsBar>
          {tabs.map((tab) => (
            <Tab
              key={tab.url ?? tab.text}
              label={tab.text}
              href={tab.url}
              active={tab.active}
              icon={tab.icon as never}
            />
          ))}
        </TabsBar>
      )}
      <div className={styles.body}>{children}</div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  body: css({ display: 'flex', flexDirection: 'column', flexGrow: 1, paddingTop: theme.spacing(1) }),
});
