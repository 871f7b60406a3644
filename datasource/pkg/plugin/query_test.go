package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Frames in the shape the proxy's contract builders write them (contract/src/panelFrames.ts, frameBuilder.ts).
const heatmapFrame = `{"schema":{"name":"drift_heatmap","refId":"A","meta":{"type":"timeseries-wide","custom":{"method":"psi"},
  "notices":[{"severity":"warning","text":"MLflow is unreachable: showing cached data"}]},
  "fields":[{"name":"time","type":"time"},
    {"name":"score","type":"number","labels":{"feature":"amount"},
     "config":{"displayNameFromDS":"amount","unit":"none","custom":{"threshold":0.2,"pValues":[null,0.01]}}}]},
  "data":{"values":[[1700000000000,1700003600000],[0.05,null]]}}`

const datasetDriftFrame = `{"schema":{"name":"dataset_drift","refId":"B","meta":{"preferredVisualisationType":"table"},
  "fields":[{"name":"share","type":"number","config":{"displayName":"Drifted features","unit":"percentunit","min":0,"max":1}},
    {"name":"drifted","type":"boolean"},{"name":"multiple_testing","type":"string"},{"name":"extra","type":"other"}]},
  "data":{"values":[[0.25],[true],["bh"],[{"k":1}]]}}`

func query(refID, model string, from, to time.Time) backend.DataQuery {
	return backend.DataQuery{
		RefID:         refID,
		QueryType:     "drift_heatmap",
		TimeRange:     backend.TimeRange{From: from, To: to},
		Interval:      time.Hour,
		MaxDataPoints: 720,
		JSON:          json.RawMessage(`{"queryType":"drift_heatmap","model":"` + model + `","datasource":{"uid":"mlsight"},"intervalMs":3600000}`),
	}
}

var (
	t0 = time.UnixMilli(1700000000000)
	t1 = time.UnixMilli(1700025200000)
)

func TestQueryDataRelaysTheBatchWithTokenWindowAndRefIds(t *testing.T) {
	proxy := newStandIn(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, `{"results":{"A":{"frames":[`+heatmapFrame+`],"status":200},"B":{"frames":[`+datasetDriftFrame+`],"status":200}}}`)
	})
	ds := newTestDatasource(t, proxy.URL, nil)
	res, err := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		query("A", "credit-risk", t0, t1), query("B", "credit-risk", t0, t1),
	}})
	if err != nil {
		t.Fatal(err)
	}
	seen := proxy.requests()
	if len(seen) != 1 {
		t.Fatalf("want one batch for one window, proxy saw %d requests", len(seen))
	}
	if seen[0].Method != http.MethodPost || seen[0].Path != "/api/v1/query" || seen[0].Authorization != "Bearer "+testToken {
		t.Fatalf("request = %s %s auth %q", seen[0].Method, seen[0].Path, seen[0].Authorization)
	}
	var body struct {
		From, To, IntervalMs, MaxDataPoints int64
		Queries                             []map[string]any
	}
	if err := json.Unmarshal(seen[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.From != t0.UnixMilli() || body.To != t1.UnixMilli() || body.IntervalMs != 3600000 || body.MaxDataPoints != 720 {
		t.Fatalf("window = %+v", body)
	}
	if len(body.Queries) != 2 || body.Queries[0]["refId"] != "A" || body.Queries[1]["refId"] != "B" || body.Queries[0]["model"] != "credit-risk" {
		t.Fatalf("queries = %v", body.Queries)
	}

	heatmap := res.Responses["A"].Frames[0]
	if res.Responses["A"].Error != nil || heatmap.Name != "drift_heatmap" || heatmap.RefID != "A" {
		t.Fatalf("A = %+v", res.Responses["A"])
	}
	if heatmap.Fields[0].Type() != data.FieldTypeNullableTime || heatmap.Fields[1].Type() != data.FieldTypeNullableFloat64 {
		t.Fatalf("field types = %s, %s", heatmap.Fields[0].Type(), heatmap.Fields[1].Type())
	}
	if at, _ := heatmap.Fields[0].ConcreteAt(1); !at.(time.Time).Equal(time.UnixMilli(1700003600000)) {
		t.Fatalf("time[1] = %v", at)
	}
	if v, _ := heatmap.Fields[1].ConcreteAt(0); v.(float64) != 0.05 {
		t.Fatalf("score[0] = %v", v)
	}
	if _, ok := heatmap.Fields[1].ConcreteAt(1); ok {
		t.Fatal("the proxy's null score must stay null, not become 0")
	}
	score := heatmap.Fields[1]
	if score.Labels["feature"] != "amount" || score.Config.DisplayNameFromDS != "amount" || score.Config.Unit != "none" || score.Config.Custom["threshold"] != 0.2 {
		t.Fatalf("score labels/config = %v %+v", score.Labels, score.Config)
	}
	if heatmap.Meta.Type != data.FrameTypeTimeSeriesWide || len(heatmap.Meta.Notices) != 1 || heatmap.Meta.Notices[0].Severity != data.NoticeSeverityWarning || heatmap.Meta.Custom.(map[string]any)["method"] != "psi" {
		t.Fatalf("meta = %+v", heatmap.Meta)
	}

	table := res.Responses["B"].Frames[0]
	wantTypes := []data.FieldType{data.FieldTypeNullableFloat64, data.FieldTypeNullableBool, data.FieldTypeNullableString, data.FieldTypeNullableJSON}
	for i, want := range wantTypes {
		if table.Fields[i].Type() != want {
			t.Fatalf("field %s type = %s, want %s", table.Fields[i].Name, table.Fields[i].Type(), want)
		}
	}
	if table.Fields[0].Config.DisplayName != "Drifted features" || *table.Fields[0].Config.Max != 1 || table.Meta.PreferredVisualization != data.VisTypeTable {
		t.Fatalf("table config/meta = %+v %+v", table.Fields[0].Config, table.Meta)
	}
}

func TestQueryDataSendsOneBatchPerTimeWindow(t *testing.T) {
	proxy := newStandIn(t, func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Queries []struct{ RefID string } }
		_ = json.NewDecoder(r.Body).Decode(&body)
		writeJSON(w, 200, `{"results":{"`+body.Queries[0].RefID+`":{"frames":[],"status":200}}}`)
	})
	ds := newTestDatasource(t, proxy.URL, nil)
	res, _ := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		query("A", "m", t0, t1), query("B", "m", t0.Add(-time.Hour), t1),
	}})
	if n := len(proxy.requests()); n != 2 {
		t.Fatalf("two windows, want two proxy requests, got %d", n)
	}
	for _, refID := range []string{"A", "B"} {
		if res.Responses[refID].Error != nil {
			t.Fatalf("%s: %v", refID, res.Responses[refID].Error)
		}
	}
}

func TestQueryDataReportsTheProxysPerQueryErrorOnItsRefIdOnly(t *testing.T) {
	proxy := newStandIn(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, `{"results":{"A":{"frames":[`+heatmapFrame+`],"status":200},
		  "B":{"frames":[],"error":"model \"nope\" is not registered in MLflow","status":404}}}`)
	})
	ds := newTestDatasource(t, proxy.URL, nil)
	res, _ := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		query("A", "credit-risk", t0, t1), query("B", "nope", t0, t1),
	}})
	if res.Responses["A"].Error != nil || len(res.Responses["A"].Frames) != 1 {
		t.Fatalf("A = %+v", res.Responses["A"])
	}
	b := res.Responses["B"]
	if b.Error == nil || b.Error.Error() != `model "nope" is not registered in MLflow` || b.Status != backend.StatusNotFound || b.ErrorSource != backend.ErrorSourceDownstream {
		t.Fatalf("B = %+v", b)
	}
}

func TestQueryDataBlamesTheQueryAProxy400Names(t *testing.T) {
	proxy := newStandIn(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 400, `{"statusCode":400,"error":"Bad Request","message":"queries[1].model: is required","field":"queries[1].model"}`)
	})
	ds := newTestDatasource(t, proxy.URL, nil)
	res, _ := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		query("A", "m", t0, t1), query("B", "m", t0, t1),
	}})
	if got := res.Responses["B"].Error.Error(); got != "The MLSight proxy refused the request (400): queries[1].model: is required" {
		t.Fatalf("B = %q", got)
	}
	if got := res.Responses["A"].Error.Error(); got != "Not run: the proxy refused the batch because of query B" {
		t.Fatalf("A = %q", got)
	}
	if res.Responses["B"].Status != backend.StatusBadRequest {
		t.Fatalf("B status = %d", res.Responses["B"].Status)
	}
}

func TestQueryDataSaysTheTokenWasRejected(t *testing.T) {
	proxy := newStandIn(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 401, `{"statusCode":401,"error":"Unauthorized","message":"invalid bearer token"}`)
	})
	ds := newTestDatasource(t, proxy.URL, nil)
	res, _ := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{query("A", "m", t0, t1)}})
	want := "The MLSight proxy rejected the API token (401). Set a valid token in the data source settings: invalid bearer token"
	if a := res.Responses["A"]; a.Error == nil || a.Error.Error() != want || a.Status != backend.StatusUnauthorized {
		t.Fatalf("A = %+v", a)
	}
}

func TestQueryDataWhenTheProxyIsDownAnswersEachQueryWithAReadableError(t *testing.T) {
	proxy := newStandIn(t, func(http.ResponseWriter, *http.Request) {})
	url := proxy.URL
	proxy.Close()
	ds := newTestDatasource(t, url, nil)
	res, err := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		query("A", "m", t0, t1), query("B", "m", t0, t1),
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, refID := range []string{"A", "B"} {
		r := res.Responses[refID]
		if r.Error == nil || !strings.HasPrefix(r.Error.Error(), "cannot reach the MLSight proxy at "+url+": ") || r.Status != backend.StatusBadGateway {
			t.Fatalf("%s = %+v", refID, r)
		}
	}
}

// A proxy that accepts the connection but never answers must not hang the query: the caller's deadline (Grafana's
// request context, or the instance's HTTP timeout) ends it with a timeout error.
func TestQueryDataEndsAHangingProxyCallAtTheDeadline(t *testing.T) {
	release := make(chan struct{})
	proxy := newStandIn(t, func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	ds := newTestDatasource(t, proxy.URL, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	res, _ := ds.QueryData(ctx, &backend.QueryDataRequest{Queries: []backend.DataQuery{query("A", "m", t0, t1)}})
	a := res.Responses["A"]
	if a.Error == nil || !strings.Contains(a.Error.Error(), "did not answer in time") || a.Status != backend.StatusTimeout {
		t.Fatalf("A = %+v", a)
	}
}

func TestQueryDataTimesOutWithTheInstancesHTTPTimeout(t *testing.T) {
	release := make(chan struct{})
	proxy := newStandIn(t, func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	ds := newTestDatasource(t, proxy.URL, map[string]any{"timeout": 1})
	res, _ := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{query("A", "m", t0, t1)}})
	if a := res.Responses["A"]; a.Error == nil || !strings.Contains(a.Error.Error(), "did not answer in time") {
		t.Fatalf("A = %+v", a)
	}
}

func TestQueryDataWithoutAProxyURLSaysWhatToSet(t *testing.T) {
	ds := newTestDatasource(t, "", nil)
	res, _ := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{query("A", "m", t0, t1)}})
	if a := res.Responses["A"]; a.Error == nil || !strings.Contains(a.Error.Error(), "set the MLSight proxy URL") {
		t.Fatalf("A = %+v", a)
	}
}

func TestQueryDataRejectsAQueryThatIsNotAJSONObject(t *testing.T) {
	proxy := newStandIn(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, `{"results":{"A":{"frames":[],"status":200}}}`)
	})
	ds := newTestDatasource(t, proxy.URL, nil)
	bad := query("B", "m", t0, t1)
	bad.JSON = json.RawMessage(`["not","an","object"]`)
	res, _ := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{query("A", "m", t0, t1), bad}})
	if res.Responses["A"].Error != nil {
		t.Fatalf("A = %+v", res.Responses["A"])
	}
	if b := res.Responses["B"]; b.Error == nil || b.Status != backend.StatusBadRequest {
		t.Fatalf("B = %+v", b)
	}
}

func TestQueryDataReportsAFrameItCannotRead(t *testing.T) {
	proxy := newStandIn(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, `{"results":{"A":{"frames":[{"schema":{"fields":[{"name":"x","type":"complex"}]},"data":{"values":[[1]]}}]}}}`)
	})
	ds := newTestDatasource(t, proxy.URL, nil)
	res, _ := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{query("A", "m", t0, t1)}})
	if a := res.Responses["A"]; a.Error == nil || !strings.Contains(a.Error.Error(), `type "complex"`) {
		t.Fatalf("A = %+v", a)
	}
}

// A query with this model JSON, the way Grafana's server sends a saved query (an alert rule's, a shared dashboard's).
func queryWithModel(refID, modelJSON string) backend.DataQuery {
	q := query(refID, "unused", t0, t1)
	q.JSON = json.RawMessage(`{"queryType":"feature_drift",` + modelJSON + `"datasource":{"uid":"mlsight"}}`)
	return q
}

func TestQueryDataFillsTheInstancesDefaultModelIntoQueriesThatNameNone(t *testing.T) {
	proxy := newStandIn(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, `{"results":{}}`)
	})
	ds := newTestDatasource(t, proxy.URL, map[string]any{"defaultModel": " credit-risk "})
	_, err := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		queryWithModel("ABSENT", ``),
		queryWithModel("EMPTY", `"model":"",`),
		queryWithModel("NULL", `"model":null,`),
		queryWithModel("NAMED", `"model":"fraud",`),
	}})
	if err != nil {
		t.Fatal(err)
	}
	var body struct{ Queries []map[string]any }
	if err := json.Unmarshal(proxy.requests()[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	for _, q := range body.Queries {
		got[q["refId"].(string)] = q["model"]
	}
	want := map[string]any{"ABSENT": "credit-risk", "EMPTY": "credit-risk", "NULL": "credit-risk", "NAMED": "fraud"}
	for refID, model := range want {
		if got[refID] != model {
			t.Fatalf("%s: model = %v, want %v (all: %v)", refID, got[refID], model, got)
		}
	}
}

func TestQueryDataWithoutADefaultModelLeavesTheModelOutForTheProxyToNameIt(t *testing.T) {
	proxy := newStandIn(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, `{"results":{}}`)
	})
	ds := newTestDatasource(t, proxy.URL, map[string]any{"defaultModel": ""})
	if _, err := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{queryWithModel("A", ``)}}); err != nil {
		t.Fatal(err)
	}
	var body struct{ Queries []map[string]any }
	if err := json.Unmarshal(proxy.requests()[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	if _, ok := body.Queries[0]["model"]; ok {
		t.Fatalf("no default model: the query must reach the proxy without one (its 400 says model is required), got %v", body.Queries[0])
	}
}
