// Package models reads a data-source instance's settings as the config editor saves them.
package models

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// PluginSettings mirrors MLSightOptions (src/types.ts) plus the secret the config editor stores.
type PluginSettings struct {
	// ProxyURL is the MLSight proxy's base URL as the Grafana server reaches it.
	ProxyURL string `json:"proxyUrl"`
	// DefaultModel fills the model of queries that name none, in the frontend and in QueryData alike.
	DefaultModel string `json:"defaultModel"`
	// Secrets hold the bearer token (secureJsonData.apiToken), never read from jsonData.
	Secrets SecretPluginSettings `json:"-"`
}

// SecretPluginSettings mirrors MLSightSecureJsonData (src/types.ts).
type SecretPluginSettings struct {
	APIToken string
}

// LoadPluginSettings reads jsonData and the decrypted secure JSON data of an instance. The proxy URL falls back
// to the instance's URL field so a data source provisioned with `url:` works too.
func LoadPluginSettings(source backend.DataSourceInstanceSettings) (PluginSettings, error) {
	settings := PluginSettings{}
	if len(source.JSONData) > 0 {
		if err := json.Unmarshal(source.JSONData, &settings); err != nil {
			return PluginSettings{}, fmt.Errorf("jsonData is not valid JSON: %w", err)
		}
	}
	if strings.TrimSpace(settings.ProxyURL) == "" {
		settings.ProxyURL = source.URL
	}
	settings.ProxyURL = strings.TrimRight(strings.TrimSpace(settings.ProxyURL), "/")
	settings.Secrets.APIToken = source.DecryptedSecureJSONData["apiToken"]
	return settings, nil
}
