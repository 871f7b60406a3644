// The build is shared by the data source and the panels: see .config/plugin-webpack at the repository root.
export { default, type Env } from '../../../../.config/plugin-webpack/webpack.config';
