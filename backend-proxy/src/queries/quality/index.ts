export { dataQualityHandler } from './dataQuality';
export { fairnessHandler } from './fairness';
