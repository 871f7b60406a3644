import { isSafeLink, joinLink } from './safeLink';

describe('isSafeLink', () => {
  it.each(['https://mlflow.example/#/runs/1', 'http://127.0.0.1:5000', '/d/abc?var-x=1', 'runs/1', '#/models', '?a=b'])(
    'accepts %s',
    (url) => expect(isSafeLink(url)).toBe(true)
  );
  it.each([
    'javascript:alert(1)',
    ' JavaScript:alert(1)',
    'data:text/html,x',
    'vbscript:x',
    '//evil.example/x',
    '',
    'java\tscript:x',
  ])('refuses %s', (url) => expect(isSafeLink(url)).toBe(false));
});

describe('joinLink', () => {
  it('joins a relative link to the base with one slash', () => {
    expect(joinLink('http://mlflow:5000/', '/#/experiments/1')).toBe('http://mlflow:5000/#/experiments/1');
    expect(joinLink('http://mlflow:5000', '#/experiments/1')).toBe('http://mlflow:5000/#/experiments/1');
  });
  it('keeps absolute http(s) links and refuses unsafe ones, whatever the base', () => {
    expect(joinLink('http://a', 'https://b/x')).toBe('https://b/x');
    expect(joinLink('http://a', 'javascript:alert(1)')).toBeUndefined();
    expect(joinLink('javascript:', 'x')).toBeUndefined();
    expect(joinLink('http://a', '')).toBeUndefined();
  });
  it('returns a relative link as is when there is no base', () => {
    expect(joinLink('', '#/runs/1')).toBe('#/runs/1');
  });
});
