export { explanationsGlobalHandler } from './globalExplanations';
export { explanationsLocalHandler } from './localExplanation';
export { explanationDriftHandler } from './explanationDrift';
