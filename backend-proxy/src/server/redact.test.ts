import { redactUrl, redactUserInfo } from './redact';

describe('redactUrl', () => {
  it.each([
    // The MLflow password of MLSIGHT_MLFLOW_URL was logged at start (issue 14).
    ['http://admin:s3cret@mlflow:5000/api', 'http://[redacted]@mlflow:5000/api'],
    ['https://token@mlflow.example.com', 'https://[redacted]@mlflow.example.com'],
    // A token in the query string was logged in req.url (issue 14).
    ['/api/v1/query?token=abc&x=1', '/api/v1/query?token=[redacted]&x=1'],
    ['/a?access_token=abc#frag', '/a?access_token=[redacted]#frag'],
    [
      '/a?api_key=1&API-KEY=2&apikey=3&password=4&sig=5',
      '/a?api_key=[redacted]&API-KEY=[redacted]&apikey=[redacted]&password=[redacted]&sig=[redacted]',
    ],
    ['/a?%74oken=abc', '/a?%74oken=[redacted]'],
    ['/api/v1/variables/versions?model=churn&version=3', '/api/v1/variables/versions?model=churn&version=3'],
    ['/plain/path', '/plain/path'],
    ['/a?flag&token', '/a?flag&token'],
  ])('%s → %s', (url, expected) => expect(redactUrl(url)).toBe(expected));
});

describe('redactUserInfo', () => {
  it('redacts every URL in a text and nothing else', () => {
    expect(redactUserInfo('failed: fetch http://u:p@a/x then postgres://me:pw@db/x?y=1')).toBe(
      'failed: fetch http://[redacted]@a/x then postgres://[redacted]@db/x?y=1'
    );
    expect(redactUserInfo('mail me@example.com')).toBe('mail me@example.com');
  });
});
