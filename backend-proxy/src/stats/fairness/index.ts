// Group fairness of binary decisions (fairlearn's definitions, the four-fifths rule). Pure, no I/O.
export * from './groupCounts';
export * from './fairness';
