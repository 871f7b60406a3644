package plugin

import (
	"context"
	"net/http"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// callResource runs CallResource and returns the one response it sent.
func callResource(t *testing.T, ds *Datasource, req *backend.CallResourceRequest) *backend.CallResourceResponse {
	t.Helper()
	var got *backend.CallResourceResponse
	err := ds.CallResource(context.Background(), req, backend.CallResourceResponseSenderFunc(func(res *backend.CallResourceResponse) error {
		got = res
		return nil
	}))
	if err != nil || got == nil {
		t.Fatalf("CallResource: %v, response %v", err, got)
	}
	return got
}

func TestCallResourceRelaysVariablesWithTheQueryString(t *testing.T) {
	proxy := newStandIn(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, `[{"text":"3","value":"3"}]`)
	})
	ds := newTestDatasource(t, proxy.URL, nil)
	res := callResource(t, ds, &backend.CallResourceRequest{Method: "GET", Path: "variables/versions", URL: "variables/versions?model=credit-risk&search=3"})
	if res.Status != 200 || string(res.Body) != `[{"text":"3","value":"3"}]` {
		t.Fatalf("response = %d %s", res.Status, res.Body)
	}
	seen := proxy.requests()[0]
	if seen.Path != "/api/v1/variables/versions" || seen.RawQuery != "model=credit-risk&search=3" || seen.Authorization != "Bearer "+testToken {
		t.Fatalf("proxy saw %+v", seen)
	}
}

func TestCallResourceRelaysAnnotationsWithTheBody(t *testing.T) {
	proxy := newStandIn(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, `[{"time":1,"title":"v3 deployed","text":"","tags":[],"kind":"deployment"}]`)
	})
	ds := newTestDatasource(t, proxy.URL, nil)
	body := `{"from":0,"to":10,"model":"credit-risk"}`
	res := callResource(t, ds, &backend.CallResourceRequest{Method: "POST", Path: "annotations", URL: "annotations", Body: []byte(body)})
	if res.Status != 200 || res.Headers["Content-Type"][0] != "application/json; charset=utf-8" {
		t.Fatalf("response = %d %v", res.Status, res.Headers)
	}
	if seen := proxy.requests()[0]; seen.Method != "POST" || seen.Path != "/api/v1/annotations" || string(seen.Body) != body {
		t.Fatalf("proxy saw %+v", seen)
	}
}

func TestCallResourcePassesTheProxysRefusalOn(t *testing.T) {
	refusal := `{"statusCode":400,"error":"Bad Request","message":"model: is required","field":"model"}`
	proxy := newStandIn(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 400, refusal) })
	ds := newTestDatasource(t, proxy.URL, nil)
	res := callResource(t, ds, &backend.CallResourceRequest{Method: "GET", Path: "variables/versions", URL: "variables/versions"})
	if res.Status != 400 || string(res.Body) != refusal {
		t.Fatalf("response = %d %s", res.Status, res.Body)
	}
}

func TestCallResourceIsNotAnOpenProxy(t *testing.T) {
	proxy := newStandIn(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, `{}`) })
	ds := newTestDatasource(t, proxy.URL, nil)
	for _, req := range []*backend.CallResourceRequest{
		{Method: "POST", Path: "ingest/predictions"},
		{Method: "GET", Path: "variables/../../admin"},
		{Method: "DELETE", Path: "annotations"},
	} {
		if res := callResource(t, ds, req); res.Status != 404 {
			t.Fatalf("%s %s = %d", req.Method, req.Path, res.Status)
		}
	}
	if n := len(proxy.requests()); n != 0 {
		t.Fatalf("nothing may reach the proxy, it saw %d requests", n)
	}
}

func TestCallResourceWhenTheProxyIsDown(t *testing.T) {
	proxy := newStandIn(t, func(http.ResponseWriter, *http.Request) {})
	url := proxy.URL
	proxy.Close()
	ds := newTestDatasource(t, url, nil)
	res := callResource(t, ds, &backend.CallResourceRequest{Method: "GET", Path: "variables/models", URL: "variables/models"})
	if res.Status != 502 {
		t.Fatalf("response = %d %s", res.Status, res.Body)
	}
}
