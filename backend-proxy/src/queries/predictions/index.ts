export { predictionsHandler } from './predictionsHandler';
