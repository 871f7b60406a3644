/**
 * @grafana/ui's Icon fetches `public/img/icons/<name>.svg` through react-inlinesvg; jsdom has no Grafana server,
 * so tests get an empty <svg> carrying the icon name as its test id instead of failed fetches.
 */
const SVG_NAME = /(?:.*\/)?(.+)\.svg$/;

export default function InlineSVG({ src }: { src: string }) {
  return <svg xmlns="http://www.w3.org/2000/svg" data-testid={src.replace(SVG_NAME, '$1')} viewBox="0 0 24 24" />;
}
