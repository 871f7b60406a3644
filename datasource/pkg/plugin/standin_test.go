package plugin

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

const testToken = "read-token"

// seenRequest is what the proxy stand-in received.
type seenRequest struct {
	Method, Path, RawQuery, Authorization, FromAlert string
	Body                                             []byte
}

// standIn is an httptest stand-in of the MLSight proxy: it records each request and answers with the handler.
type standIn struct {
	*httptest.Server
	mu   sync.Mutex
	seen []seenRequest
}

func newStandIn(t *testing.T, answer http.HandlerFunc) *standIn {
	t.Helper()
	s := &standIn{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.seen = append(s.seen, seenRequest{
			Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
			Authorization: r.Header.Get("Authorization"), FromAlert: r.Header.Get(backend.FromAlertHeaderName), Body: body,
		})
		s.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		answer(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *standIn) requests() []seenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seenRequest(nil), s.seen...)
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// newTestDatasource builds an instance the way Grafana does: from instance settings through NewDatasource.
func newTestDatasource(t *testing.T, proxyURL string, jsonData map[string]any) *Datasource {
	t.Helper()
	settings := map[string]any{"proxyUrl": proxyURL}
	for k, v := range jsonData {
		settings[k] = v
	}
	raw, err := json.Marshal(settings)
	if err != nil {
		t.Fatal(err)
	}
	instance, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{
		UID:                     "mlsight",
		Type:                    "mlsight-mlflow-datasource",
		JSONData:                raw,
		DecryptedSecureJSONData: map[string]string{"apiToken": testToken},
	})
	if err != nil {
		t.Fatal(err)
	}
	ds, ok := instance.(*Datasource)
	if !ok {
		t.Fatalf("NewDatasource returned %T", instance)
	}
	t.Cleanup(ds.Dispose)
	return ds
}
