/** Folders relative to the plugin root (the working directory of `npm run build -w <plugin id>`). */
export const SOURCE_DIR = 'src';
export const DIST_DIR = 'dist';
