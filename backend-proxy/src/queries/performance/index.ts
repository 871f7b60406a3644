export { performanceHandler } from './performanceHandler';
export { estimatedPerformanceHandler } from './estimatedPerformanceHandler';
export { championChallengerHandler } from './championChallengerHandler';
