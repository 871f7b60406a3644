import { ConfigError, isLoopback, loadConfig, parseDurationMs, parseTokens } from './config';

const TOKEN = 'tok-0123456789abcdef-0123456789';
const OTHER_TOKEN = 'other-token-fedcba9876543210';

describe('loadConfig', () => {
  it('defaults to loopback:8450, sqlite and a local MLflow', () => {
    const config = loadConfig({ MLSIGHT_TOKENS: `${TOKEN}:read` });
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(8450);
    expect(config.store).toEqual({ engine: 'sqlite', sqlitePath: '.data/mlsight.db' });
    expect(config.mlflow.url).toBe('http://127.0.0.1:5000');
    expect(config.auth).toEqual({ enabled: true, tokens: [{ token: TOKEN, scopes: ['read'] }] });
  });

  it('names the bad setting', () => {
    expect(() => loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_PORT: 'eighty' })).toThrow(/MLSIGHT_PORT/);
    expect(() => loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MLFLOW_URL: 'ftp://x' })).toThrow(/MLSIGHT_MLFLOW_URL/);
    expect(() => loadConfig({ MLSIGHT_AUTH: 'maybe' })).toThrow(/MLSIGHT_AUTH/);
    expect(() => loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_STORE: 'postgres' })).toThrow(/MLSIGHT_DATABASE_URL/);
    expect(() => loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MLFLOW_AUTH: 'basic' })).toThrow(/MLSIGHT_MLFLOW_USERNAME/);
  });

  it('requires tokens when auth is on', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    expect(() => loadConfig({})).toThrow(/MLSIGHT_TOKENS: is required when MLSIGHT_AUTH is on/);
  });

  it('allows auth off only on loopback', () => {
    expect(loadConfig({ MLSIGHT_AUTH: 'off' }).auth.enabled).toBe(false);
    expect(() => loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_HOST: '0.0.0.0' })).toThrow(/loopback/);
  });

  it('reads MLflow basic auth and strips trailing slashes', () => {
    const config = loadConfig({
      MLSIGHT_AUTH: 'off',
      MLSIGHT_MLFLOW_URL: 'http://mlflow:5000/',
      MLSIGHT_MLFLOW_AUTH: 'basic',
      MLSIGHT_MLFLOW_USERNAME: 'u',
      MLSIGHT_MLFLOW_PASSWORD: 'p',
    });
    expect(config.mlflow.url).toBe('http://mlflow:5000');
    expect(config.mlflow.auth).toEqual({ type: 'basic', username: 'u', password: 'p' });
  });
});

describe('monitor settings', () => {
  it('defaults to a run every 60 s over the trailing hour', () => {
    expect(loadConfig({ MLSIGHT_AUTH: 'off' }).monitor).toEqual({ intervalMs: 60_000, windowMs: 3_600_000 });
  });

  it('reads durations with units, bare seconds, and 0 as off', () => {
    expect(loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MONITOR_INTERVAL: '500ms' }).monitor.intervalMs).toBe(500);
    expect(loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MONITOR_INTERVAL: '30' }).monitor.intervalMs).toBe(30_000);
    expect(loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MONITOR_INTERVAL: '0' }).monitor.intervalMs).toBe(0);
    expect(loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MONITOR_WINDOW: '6h' }).monitor.windowMs).toBe(21_600_000);
  });

  it('names the bad monitor setting and the accepted range', () => {
    expect(() => loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MONITOR_INTERVAL: 'soon' })).toThrow(
      /MLSIGHT_MONITOR_INTERVAL: "soon" must be a duration/
    );
    expect(() => loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MONITOR_INTERVAL: '10ms' })).toThrow(
      /MLSIGHT_MONITOR_INTERVAL: "10ms" must be 0 \(off\) or between 100ms and 1d/
    );
    expect(() => loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MONITOR_WINDOW: '0' })).toThrow(
      /MLSIGHT_MONITOR_WINDOW: "0" must be between 1m and 30d/
    );
    expect(() => loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MONITOR_WINDOW: '-1h' })).toThrow(/MLSIGHT_MONITOR_WINDOW/);
  });
});

describe('parseDurationMs', () => {
  it.each([
    ['250ms', 250],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['45', 45_000],
    ['1w', undefined],
    ['', undefined],
  ])('%s → %s', (text, expected) => expect(parseDurationMs(text)).toBe(expected));
});

describe('limits', () => {
  it('default to bounded values and are validated at start, naming the setting', () => {
    expect(loadConfig({ MLSIGHT_AUTH: 'off' }).limits).toEqual({
      maxFeatures: 2000,
      maxStringLength: 4096,
      maxBatchRows: 1_000_000,
      maxQueryCells: 100_000,
    });
    expect(loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MAX_FEATURES: '50' }).limits.maxFeatures).toBe(50);
    expect(() => loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MAX_FEATURES: '0' })).toThrow(
      /MLSIGHT_MAX_FEATURES: "0" must be at least 1/
    );
    expect(() => loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MAX_BATCH_ROWS: 'many' })).toThrow(/MLSIGHT_MAX_BATCH_ROWS/);
    expect(() => loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MAX_QUERY_CELLS: '1.5' })).toThrow(
      /MLSIGHT_MAX_QUERY_CELLS/
    );
    expect(() => loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MAX_STRING_LENGTH: '1' })).toThrow(
      /MLSIGHT_MAX_STRING_LENGTH/
    );
  });
});

describe('parseTokens', () => {
  it('reads several tokens with scopes', () => {
    expect(parseTokens(`${TOKEN}:read+ingest, ${OTHER_TOKEN}:admin`)).toEqual([
      { token: TOKEN, scopes: ['read', 'ingest'] },
      { token: OTHER_TOKEN, scopes: ['admin'] },
    ]);
  });

  it('refuses short tokens and unknown scopes', () => {
    expect(() => parseTokens('short:read')).toThrow(/shorter than 16/);
    expect(() => parseTokens(`${TOKEN}:write`)).toThrow(/unknown scope "write"/);
  });

  it('refuses a token of 16 identical characters (issue 14), and one of two alternating characters', () => {
    expect(() => parseTokens(`${'a'.repeat(16)}:read`)).toThrow(/token #1 has fewer than 6 different characters/);
    expect(() => parseTokens(`${TOKEN}:read,${'ab'.repeat(20)}:read`)).toThrow(/token #2 has fewer than 6/);
  });
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['10.0.0.1', false],
    ['example.com', false],
  ])('%s → %s', (host, expected) => expect(isLoopback(host)).toBe(expected));
});
