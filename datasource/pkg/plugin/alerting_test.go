package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/handlertest"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// A drift-trend answer (contract/src/panelFrames.ts buildDriftTrendFrame's shape): wide time series, one score.
const driftTrendFrame = `{"schema":{"name":"drift_trend","refId":"A","meta":{"type":"timeseries-wide"},
  "fields":[{"name":"time","type":"time"},{"name":"drift_score","type":"number","labels":{"model":"credit-risk"},"config":{"unit":"none"}}]},
  "data":{"values":[[1700000000000,1700000060000],[0.11,0.31]]}}`

// The request Grafana's alerting engine sends when it evaluates a Grafana-managed rule over an MLSight query:
// the rule's query model as stored (datasource ref, intervalMs, maxDataPoints next to the MLSight keys), the
// rule's relative time range resolved to absolute times, and the FromAlert header (ngalert's FromAlertHeaderName).
func alertRuleRequest(now time.Time) *backend.QueryDataRequest {
	model := `{"refId":"A","datasource":{"type":"mlsight-mlflow-datasource","uid":"mlsight"},
	  "queryType":"drift_trend","model":"credit-risk","method":"psi","intervalMs":1000,"maxDataPoints":43200}`
	return &backend.QueryDataRequest{
		PluginContext: backend.PluginContext{OrgID: 1, PluginID: "mlsight-mlflow-datasource"},
		Headers:       map[string]string{backend.FromAlertHeaderName: "true", "X-Rule-Uid": "mlsight-drift-verdict"},
		Queries: []backend.DataQuery{{
			RefID:         "A",
			QueryType:     "drift_trend",
			TimeRange:     backend.TimeRange{From: now.Add(-6 * time.Hour), To: now},
			Interval:      time.Second,
			MaxDataPoints: 43200,
			JSON:          json.RawMessage(model),
		}},
	}
}

func TestAGrafanaManagedAlertRuleEvaluatesThroughQueryData(t *testing.T) {
	proxy := newStandIn(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, `{"results":{"A":{"frames":[`+driftTrendFrame+`],"status":200}}}`)
	})
	ds := newTestDatasource(t, proxy.URL, nil)
	// The SDK's own middleware chain as backend.Manage sets it up, so the FromAlert header travels as in Grafana.
	handler, err := backend.HandlerFromMiddlewares(handlertest.Handler{QueryDataFunc: ds.QueryData}, backend.NewAlertForwarderMiddleware())
	if err != nil {
		t.Fatal(err)
	}
	now := time.UnixMilli(1700000100000)
	res, err := handler.QueryData(context.Background(), alertRuleRequest(now))
	if err != nil {
		t.Fatal(err)
	}

	seen := proxy.requests()[0]
	if seen.FromAlert != "true" {
		t.Fatalf("the proxy must see that the query comes from alerting, FromAlert = %q", seen.FromAlert)
	}
	var body struct {
		From, To int64
		Queries  []map[string]any
	}
	if err := json.Unmarshal(seen.Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.From != now.Add(-6*time.Hour).UnixMilli() || body.To != now.UnixMilli() {
		t.Fatalf("window = %d..%d", body.From, body.To)
	}
	if q := body.Queries[0]; q["queryType"] != "drift_trend" || q["model"] != "credit-risk" || q["method"] != "psi" || q["refId"] != "A" {
		t.Fatalf("query = %v", q)
	}

	a := res.Responses["A"]
	if a.Error != nil || len(a.Frames) != 1 {
		t.Fatalf("A = %+v", a)
	}
	// What Grafana's server-side expressions need to reduce and threshold the series: a wide time series with a
	// float value field.
	frame := a.Frames[0]
	if schema := frame.TimeSeriesSchema(); schema.Type != data.TimeSeriesTypeWide || len(schema.ValueIndices) != 1 {
		t.Fatalf("time-series schema = %+v", schema)
	}
	last, ok := frame.Fields[1].ConcreteAt(frame.Rows() - 1)
	if !ok || last.(float64) != 0.31 || frame.Fields[1].Labels["model"] != "credit-risk" {
		t.Fatalf("last value = %v, labels %v", last, frame.Fields[1].Labels)
	}
}

func TestAnAlertRuleOverAnUnreachableProxyGetsAnErrorNotAHang(t *testing.T) {
	proxy := newStandIn(t, func(http.ResponseWriter, *http.Request) {})
	url := proxy.URL
	proxy.Close()
	ds := newTestDatasource(t, url, nil)
	res, err := ds.QueryData(context.Background(), alertRuleRequest(time.UnixMilli(1700000100000)))
	if err != nil {
		t.Fatal(err)
	}
	// Alerting turns a downstream error into the rule's Error state (with its message), not NoData.
	if a := res.Responses["A"]; a.Error == nil || a.ErrorSource != backend.ErrorSourceDownstream || len(a.Frames) != 0 {
		t.Fatalf("A = %+v", a)
	}
}
