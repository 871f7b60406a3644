/**
 * The host page for app routes (`/hosts/<line>/a/<app id>/…`): index.html with the line's sub path as Grafana's
 * `appSubUrl`; build.ts writes it, the server serves it for every path below an app's root.
 */
export const APP_PAGE = 'app.html';
