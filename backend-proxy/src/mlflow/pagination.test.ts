import { MlflowError } from './errors';
import { arrayField, collectPages, type Page } from './pagination';

const where = { baseUrl: 'http://127.0.0.1:5000', endpoint: 'GET /x' };

/** Pages over 0..total-1 with numeric-offset tokens, honouring the requested page size. */
function pager(total: number) {
  const asked: number[] = [];
  const fetchPage = async (token: string | undefined, max: number): Promise<Page<number>> => {
    asked.push(max);
    const start = token ? Number(token) : 0;
    const items = Array.from({ length: Math.max(0, Math.min(max, total - start)) }, (_, i) => start + i);
    const next = start + items.length;
    return { items, ...(next < total ? { nextPageToken: String(next) } : {}) };
  };
  return { fetchPage, asked };
}

describe('collectPages', () => {
  it('reads every page to the end', async () => {
    const { fetchPage, asked } = pager(7);
    expect(await collectPages(fetchPage, { ...where, pageSize: 3 })).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(asked).toEqual([3, 3, 3]);
  });

  it('asks for min(pageSize, remaining) and stops at the limit', async () => {
    const { fetchPage, asked } = pager(100);
    expect(await collectPages(fetchPage, { ...where, pageSize: 3, limit: 5 })).toEqual([0, 1, 2, 3, 4]);
    expect(asked).toEqual([3, 2]);
  });

  it('trims a server that sends more than asked for', async () => {
    const fetchPage = async (): Promise<Page<number>> => ({ items: [1, 2, 3, 4], nextPageToken: 't' });
    expect(await collectPages(fetchPage, { ...where, pageSize: 10, limit: 2 })).toEqual([1, 2]);
  });

  it('fails instead of looping when MLflow repeats a token', async () => {
    const fetchPage = async (): Promise<Page<number>> => ({ items: [], nextPageToken: 'same' });
    const failure = collectPages(fetchPage, { ...where, pageSize: 10 });
    await expect(failure).rejects.toBeInstanceOf(MlflowError);
    await expect(failure).rejects.toMatchObject({ kind: 'bad_response' });
  });
});

describe('arrayField', () => {
  it('treats an omitted list as empty and rejects a non-list', () => {
    expect(arrayField({}, 'runs', where)).toEqual([]);
    expect(arrayField({ runs: [{ a: 1 }, 'junk'] }, 'runs', where)).toEqual([{ a: 1 }]);
    expect(() => arrayField({ runs: 'nope' }, 'runs', where)).toThrow(/"runs" is not a list/);
  });
});
