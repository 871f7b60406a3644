import { AppPlugin } from '@grafana/data';
import { App } from './components/App';
import type { AppSettings } from './settings';

export const plugin = new AppPlugin<AppSettings>().setRootPage(App);
