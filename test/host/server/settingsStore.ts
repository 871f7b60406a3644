/**
 * Data-source settings as Grafana's server keeps them: `jsonData` readable by browsers, `secureJsonData` kept on the
 * server only (Grafana encrypts it) and reported back as `secureJsonFields` flags, a version bumped on each save.
 */

export interface DataSourceRecord {
  id: number;
  uid: string;
  orgId: number;
  name: string;
  type: string;
  access: 'proxy';
  url: string;
  isDefault: boolean;
  readOnly: boolean;
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, string>;
  version: number;
}

/** What `GET /api/datasources/uid/<uid>` answers: everything but the secrets' values. */
export type PublicDataSource = Omit<DataSourceRecord, 'secureJsonData'> & { secureJsonFields: Record<string, boolean> };

export class SettingsConflictError extends Error {
  constructor() {
    super('Datasource has already been updated by someone else. Please reload and try again');
    this.name = 'SettingsConflictError';
  }
}

export class SettingsValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsValidationError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function toPublic(record: DataSourceRecord): PublicDataSource {
  const { secureJsonData, ...rest } = record;
  const secureJsonFields = Object.fromEntries(Object.keys(secureJsonData).map((key) => [key, true]));
  return { ...rest, secureJsonFields };
}

export class SettingsStore {
  private readonly records = new Map<string, DataSourceRecord>();

  add(
    record: Omit<DataSourceRecord, 'id' | 'version' | 'orgId'> & Partial<Pick<DataSourceRecord, 'orgId'>>
  ): DataSourceRecord {
    const stored: DataSourceRecord = { orgId: 1, ...record, id: this.records.size + 1, version: 1 };
    this.records.set(stored.uid, stored);
    return stored;
  }

  get(uid: string): DataSourceRecord | undefined {
    return this.records.get(uid);
  }

  /**
   * Grafana's update: name, url, jsonData replaced; each `secureJsonData` key sent replaces the stored secret (an empty
   * value removes it, which is what a reset followed by an empty field means); keys not sent keep their secret.
   */
  update(uid: string, body: unknown): DataSourceRecord | undefined {
    const current = this.records.get(uid);
    if (!current) return undefined;
    if (!isRecord(body)) throw new SettingsValidationError('The request body must be a JSON object');
    if (typeof body.version === 'number' && body.version < current.version) throw new SettingsConflictError();
    const jsonData = isRecord(body.jsonData) ? body.jsonData : current.jsonData;
    const secureJsonData = { ...current.secureJsonData };
    if (isRecord(body.secureJsonData)) {
      for (const [key, value] of Object.entries(body.secureJsonData)) {
        if (typeof value !== 'string') continue;
        if (value === '') delete secureJsonData[key];
        else secureJsonData[key] = value;
      }
    }
    const next: DataSourceRecord = {
      ...current,
      name: typeof body.name === 'string' && body.name !== '' ? body.name : current.name,
      url: typeof body.url === 'string' ? body.url : current.url,
      jsonData,
      secureJsonData,
      version: current.version + 1,
    };
    this.records.set(uid, next);
    return next;
  }
}
