/** Test ids of the app's own elements (E2E and unit tests find them by these; panels keep their own). */
export const selectors = {
  fleet: {
    table: 'mlsight-app-fleet-table',
    rows: 'mlsight-app-fleet-rows',
  },
  categoryDrift: 'mlsight-app-category-drift',
  championChallenger: 'mlsight-app-champion-challenger',
  promote: {
    open: 'mlsight-app-promote-open',
    modal: 'mlsight-app-promote-modal',
    version: 'mlsight-app-promote-version',
    reason: 'mlsight-app-promote-reason',
    confirm: 'mlsight-app-promote-confirm',
    error: 'mlsight-app-promote-error',
    done: 'mlsight-app-promote-done',
  },
} as const;
