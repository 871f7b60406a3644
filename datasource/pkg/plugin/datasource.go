// Package plugin is the MLSight data source's backend: QueryData, CheckHealth and CallResource, each relayed to
// the MLSight proxy (backend-proxy/), which answers in Grafana's own shapes.
package plugin

import (
	"context"
	"fmt"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"

	"github.com/mlsight/mlsight/datasource/pkg/models"
	"github.com/mlsight/mlsight/datasource/pkg/relay"
)

// The instance implements every handler Grafana may call and is disposed of when its settings change.
var (
	_ backend.QueryDataHandler      = (*Datasource)(nil)
	_ backend.CheckHealthHandler    = (*Datasource)(nil)
	_ backend.CallResourceHandler   = (*Datasource)(nil)
	_ instancemgmt.InstanceDisposer = (*Datasource)(nil)
)

// Datasource is one configured MLSight data source: its proxy client and settings.
type Datasource struct {
	proxy *relay.Client
	// defaultModel (jsonData.defaultModel) goes into queries that name no model, as the frontend does.
	defaultModel string
}

// NewDatasource builds an instance from its settings. Grafana's HTTP options of the instance apply (timeout from
// jsonData.timeout, 30 s by default; the FromAlert header forwarded by the SDK's middleware). A missing proxy URL
// is not an error here, so "Save & test" can say what to set.
func NewDatasource(ctx context.Context, settings backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	config, err := models.LoadPluginSettings(settings)
	if err != nil {
		return nil, err
	}
	opts, err := settings.HTTPClientOptions(ctx)
	if err != nil {
		return nil, fmt.Errorf("http client options: %w", err)
	}
	client, err := httpclient.New(opts)
	if err != nil {
		return nil, fmt.Errorf("http client: %w", err)
	}
	return &Datasource{
		proxy:        relay.NewClient(config.ProxyURL, config.Secrets.APIToken, client),
		defaultModel: strings.TrimSpace(config.DefaultModel),
	}, nil
}

// Dispose releases the instance's pooled connections when Grafana replaces it after a settings change.
func (d *Datasource) Dispose() {
	d.proxy.CloseIdleConnections()
}
