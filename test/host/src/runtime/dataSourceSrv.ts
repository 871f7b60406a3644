import type {
  DataSourceApi,
  DataSourceInstanceSettings,
  DataSourcePlugin,
  DataSourceRef,
  DataSourcePluginMeta,
} from '@grafana/data';
import type { DataSourceSrv } from '@grafana/runtime';

/** The settings of one data source as Grafana's `/api/datasources/uid/<uid>` returns them (no secrets). */
export interface StoredDataSource {
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
  secureJsonFields: Record<string, boolean>;
  version: number;
}

/** Grafana's browser-side data-source URL: its data proxy, never the upstream URL. */
export function dataProxyUrl(uid: string): string {
  return `/api/datasources/proxy/uid/${encodeURIComponent(uid)}`;
}

type AnyDataSourcePlugin = DataSourcePlugin<DataSourceApi>;

/** A data source compiled into Grafana (e.g. Prometheus): no module to load, built by the host. */
export interface CoreDataSourceType {
  meta: DataSourcePluginMeta;
  create(settings: DataSourceInstanceSettings): DataSourceApi;
}

/**
 * Grafana's dataSourceSrv for the plugin under test and the core types the host builds (Prometheus): instance
 * settings like Grafana's frontend settings (`url` is the data proxy), instances built with the plugin's class,
 * `components` and `meta` set on them as Grafana's loader does, and `reload()` after settings were saved.
 */
export class HostDataSourceSrv implements DataSourceSrv {
  private settings: StoredDataSource[] = [];
  private readonly instances = new Map<string, DataSourceApi>();

  constructor(
    private readonly plugin: AnyDataSourcePlugin,
    private readonly meta: DataSourcePluginMeta,
    private readonly coreTypes: Record<string, CoreDataSourceType> = {}
  ) {}

  private metaOf(type: string): DataSourcePluginMeta {
    return this.coreTypes[type]?.meta ?? this.meta;
  }

  setStored(settings: StoredDataSource[]): void {
    this.settings = settings;
    this.instances.clear();
  }

  private find(ref?: DataSourceRef | string | null): StoredDataSource | undefined {
    if (ref === undefined || ref === null) return this.settings.find((s) => s.isDefault) ?? this.settings[0];
    const key = typeof ref === 'string' ? ref : ref.uid;
    return this.settings.find((s) => s.uid === key || s.name === key);
  }

  getInstanceSettings(ref?: DataSourceRef | string | null): DataSourceInstanceSettings | undefined {
    const stored = this.find(ref);
    if (!stored) return undefined;
    return {
      id: stored.id,
      uid: stored.uid,
      type: stored.type,
      name: stored.name,
      meta: this.metaOf(stored.type),
      url: dataProxyUrl(stored.uid),
      jsonData: stored.jsonData,
      access: 'proxy',
      readOnly: stored.readOnly,
      isDefault: stored.isDefault,
    };
  }

  getList(): DataSourceInstanceSettings[] {
    return this.settings.flatMap((s) => {
      const settings = this.getInstanceSettings(s.uid);
      return settings ? [settings] : [];
    });
  }

  async get(ref?: DataSourceRef | string | null): Promise<DataSourceApi> {
    const settings = this.getInstanceSettings(ref);
    if (!settings) throw new Error(`Data source ${JSON.stringify(ref)} was not found`);
    const cached = this.instances.get(settings.uid);
    if (cached) return cached;
    const core = this.coreTypes[settings.type];
    if (core) {
      const instance = core.create(settings);
      instance.meta = core.meta;
      this.instances.set(settings.uid, instance);
      return instance;
    }
    const DataSourceClass = this.plugin.DataSourceClass;
    const instance = new DataSourceClass(settings);
    instance.components = this.plugin.components;
    instance.meta = this.meta;
    this.instances.set(settings.uid, instance);
    return instance;
  }

  /** The plugin's editors (ConfigEditor, QueryEditor, …) as registered by its module. */
  pluginComponents(): AnyDataSourcePlugin['components'] {
    return this.plugin.components;
  }

  reload(): void {
    this.instances.clear();
  }

  registerRuntimeDataSource(): void {
    throw new Error('Runtime data sources are not supported by the host');
  }
}
