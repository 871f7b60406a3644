package models

import (
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func TestLoadPluginSettingsReadsProxyURLAndToken(t *testing.T) {
	got, err := LoadPluginSettings(backend.DataSourceInstanceSettings{
		JSONData:                []byte(`{"proxyUrl":" http://proxy:8450/ ","defaultModel":"credit-risk"}`),
		DecryptedSecureJSONData: map[string]string{"apiToken": "secret"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.ProxyURL != "http://proxy:8450" || got.DefaultModel != "credit-risk" || got.Secrets.APIToken != "secret" {
		t.Fatalf("settings = %+v", got)
	}
}

func TestLoadPluginSettingsFallsBackToTheURLField(t *testing.T) {
	got, err := LoadPluginSettings(backend.DataSourceInstanceSettings{URL: "http://proxy:8450", JSONData: []byte(`{}`)})
	if err != nil {
		t.Fatal(err)
	}
	if got.ProxyURL != "http://proxy:8450" || got.Secrets.APIToken != "" {
		t.Fatalf("settings = %+v", got)
	}
}

func TestLoadPluginSettingsRejectsMalformedJSONData(t *testing.T) {
	if _, err := LoadPluginSettings(backend.DataSourceInstanceSettings{JSONData: []byte(`{"proxyUrl":`)}); err == nil {
		t.Fatal("expected an error for truncated jsonData")
	}
}
