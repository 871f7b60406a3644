// Explanations: global importance (mean |attribution|), ranking comparison (nDCG), importance change. Pure, no I/O.
export * from './importance';
export * from './ndcg';
export * from './importanceChange';
