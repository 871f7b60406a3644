package plugin

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func withUser(login, role string) backend.PluginContext {
	return backend.PluginContext{User: &backend.User{Login: login, Role: role}}
}

func TestPromoteRelaysWithTheSignedInUserAsActor(t *testing.T) {
	proxy := newStandIn(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, `{"version":"3"}`) })
	ds := newTestDatasource(t, proxy.URL, nil)
	// An actor in the body is ignored: the plugin context says who is signed in.
	body := `{"model":"credit risk","alias":"champion","version":"3","reason":"better AUC","expectedVersion":"2","actor":{"login":"mallory","role":"Admin"}}`
	res := callResource(t, ds, &backend.CallResourceRequest{
		PluginContext: withUser("alice", "Editor"), Method: "POST", Path: "aliases/promote", URL: "aliases/promote", Body: []byte(body),
	})
	if res.Status != 200 {
		t.Fatalf("response = %d %s", res.Status, res.Body)
	}
	seen := proxy.requests()[0]
	if seen.Method != "POST" || seen.Path != "/api/v1/models/credit risk/aliases/champion" || seen.Authorization != "Bearer "+testToken {
		t.Fatalf("proxy saw %+v", seen)
	}
	var sent map[string]any
	if err := json.Unmarshal(seen.Body, &sent); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"version": "3", "reason": "better AUC", "expectedVersion": "2", "actor": map[string]any{"login": "alice", "role": "Editor"}}
	if got, _ := json.Marshal(sent); string(got) != mustJSON(t, want) {
		t.Fatalf("proxy body = %s", got)
	}
}

func TestPromoteSendsANullExpectedVersionForAnUnsetAlias(t *testing.T) {
	proxy := newStandIn(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, `{}`) })
	ds := newTestDatasource(t, proxy.URL, nil)
	body := `{"model":"m","alias":"challenger","version":"1","reason":"first","expectedVersion":null}`
	callResource(t, ds, &backend.CallResourceRequest{PluginContext: withUser("bob", "Admin"), Method: "POST", Path: "aliases/promote", Body: []byte(body)})
	var sent map[string]any
	if err := json.Unmarshal(proxy.requests()[0].Body, &sent); err != nil {
		t.Fatal(err)
	}
	if v, present := sent["expectedVersion"]; !present || v != nil {
		t.Fatalf("expectedVersion = %v (present %v)", v, present)
	}
}

func TestViewersAndAnonymousCallsAreRefusedBeforeTheProxy(t *testing.T) {
	proxy := newStandIn(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, `{}`) })
	ds := newTestDatasource(t, proxy.URL, nil)
	promote := `{"model":"m","alias":"champion","version":"1","reason":"r","expectedVersion":null}`
	for _, req := range []*backend.CallResourceRequest{
		{PluginContext: withUser("vera", "Viewer"), Method: "POST", Path: "aliases/promote", Body: []byte(promote)},
		{PluginContext: withUser("vera", "Viewer"), Method: "POST", Path: "retrain", Body: []byte(`{"model":"m","reason":"r"}`)},
		{PluginContext: withUser("nobody", ""), Method: "POST", Path: "aliases/promote", Body: []byte(promote)},
		{Method: "POST", Path: "aliases/promote", Body: []byte(promote)},
	} {
		res := callResource(t, ds, req)
		if res.Status != 403 {
			t.Fatalf("%s as %+v = %d", req.Path, req.PluginContext.User, res.Status)
		}
	}
	res := callResource(t, ds, &backend.CallResourceRequest{PluginContext: withUser("vera", "Viewer"), Method: "POST", Path: "aliases/promote", Body: []byte(promote)})
	if string(res.Body) != `{"message":"vera is a Viewer: promote, roll back and retrain need the Editor or Admin role"}` {
		t.Fatalf("body = %s", res.Body)
	}
	if n := len(proxy.requests()); n != 0 {
		t.Fatalf("nothing may reach the proxy, it saw %d requests", n)
	}
}

func TestAliasesListAndRetrainRelay(t *testing.T) {
	proxy := newStandIn(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, `{"model":"m"}`) })
	ds := newTestDatasource(t, proxy.URL, nil)
	res := callResource(t, ds, &backend.CallResourceRequest{PluginContext: withUser("vera", "Viewer"), Method: "GET", Path: "aliases", URL: "aliases?model=m"})
	if res.Status != 200 {
		t.Fatalf("a Viewer may list aliases: %d %s", res.Status, res.Body)
	}
	callResource(t, ds, &backend.CallResourceRequest{PluginContext: withUser("alice", "Editor"), Method: "POST", Path: "retrain", Body: []byte(`{"model":"m","reason":"drift"}`)})
	seen := proxy.requests()
	if seen[0].Method != "GET" || seen[0].Path != "/api/v1/models/m/aliases" {
		t.Fatalf("list: proxy saw %+v", seen[0])
	}
	if seen[1].Path != "/api/v1/models/m/retrain" || string(seen[1].Body) != `{"actor":{"login":"alice","role":"Editor"},"reason":"drift"}` {
		t.Fatalf("retrain: proxy saw %+v %s", seen[1], seen[1].Body)
	}
	missing := callResource(t, ds, &backend.CallResourceRequest{Method: "GET", Path: "aliases", URL: "aliases"})
	if missing.Status != 400 {
		t.Fatalf("aliases without a model = %d", missing.Status)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
