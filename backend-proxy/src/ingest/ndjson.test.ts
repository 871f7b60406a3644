import { InvalidRow } from '../store/validate';
import { parseNdjson } from './ndjson';

describe('parseNdjson', () => {
  it('parses one row per line, skips blank lines and accepts CRLF and a missing final newline', () => {
    expect(parseNdjson('{"a":1}\r\n\n  {"a":2}\n{"a":3}')).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(parseNdjson('')).toEqual([]);
  });

  it('turns a bad line into an InvalidRow naming the line, keeping the others', () => {
    const rows = parseNdjson('{"a":1}\n{"a":\n{"a":3}\n');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toBeInstanceOf(InvalidRow);
    expect((rows[1] as InvalidRow).reason).toMatch(/^line 2: invalid JSON/);
    expect(rows[2]).toEqual({ a: 3 });
  });

  it('uses the given line parser', () => {
    const parser = jest.fn((line: string) => ({ parsed: line }));
    expect(parseNdjson('x\ny', parser)).toEqual([{ parsed: 'x' }, { parsed: 'y' }]);
  });
});
