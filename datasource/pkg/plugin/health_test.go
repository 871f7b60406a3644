package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// proxyWithReadiness answers /readyz with the given status and body and the token probe with queryStatus.
func proxyWithReadiness(t *testing.T, readyStatus int, readyBody string, queryStatus int) *standIn {
	return newStandIn(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/readyz":
			writeJSON(w, readyStatus, readyBody)
		case "/api/v1/query":
			writeJSON(w, queryStatus, `{"message":"queries: needs at least one query"}`)
		default:
			writeJSON(w, 404, `{"message":"not found"}`)
		}
	})
}

const allUp = `{"status":"ok","checks":{"store":{"status":"ok","latencyMs":2},"mlflow":{"status":"ok","latencyMs":7}}}`

func TestCheckHealthOkNamesEveryDependencyAndAcceptsTheToken(t *testing.T) {
	proxy := proxyWithReadiness(t, 200, allUp, 400)
	ds := newTestDatasource(t, proxy.URL, nil)
	res, err := ds.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if err != nil {
		t.Fatal(err)
	}
	want := "Connected to the MLSight proxy at " + proxy.URL + "; token accepted; MLflow ok (7 ms), the drift store ok (2 ms)"
	if res.Status != backend.HealthStatusOk || res.Message != want {
		t.Fatalf("health = %v %q", res.Status, res.Message)
	}
	seen := proxy.requests()
	if seen[0].Path != "/readyz" || seen[0].Authorization != "" {
		t.Fatalf("/readyz is public: it must be called without the token, got %+v", seen[0])
	}
	if seen[1].Path != "/api/v1/query" || seen[1].Authorization != "Bearer "+testToken {
		t.Fatalf("token probe = %+v", seen[1])
	}
	var details struct{ Checks []dependencyCheck }
	if err := json.Unmarshal(res.JSONDetails, &details); err != nil || len(details.Checks) != 2 || details.Checks[0].Name != "mlflow" {
		t.Fatalf("details = %s (%v)", res.JSONDetails, err)
	}
}

func TestCheckHealthNamesTheFailingDependency(t *testing.T) {
	proxy := proxyWithReadiness(t, 503, `{"status":"degraded","checks":{"mlflow":{"status":"ok","latencyMs":3},
	  "store":{"status":"down","latencyMs":1,"detail":"connect ECONNREFUSED 127.0.0.1:5432"}}}`, 400)
	ds := newTestDatasource(t, proxy.URL, nil)
	res, _ := ds.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	want := "the drift store is down (connect ECONNREFUSED 127.0.0.1:5432): drift, performance and data-quality queries fail until it is back"
	if res.Status != backend.HealthStatusError || res.Message != want {
		t.Fatalf("health = %v %q", res.Status, res.Message)
	}
}

func TestCheckHealthSaysTheTokenIsRejectedBeforeDependencies(t *testing.T) {
	proxy := proxyWithReadiness(t, 503, `{"status":"degraded","checks":{"mlflow":{"status":"down","latencyMs":3,"detail":"timeout"}}}`, 401)
	ds := newTestDatasource(t, proxy.URL, nil)
	res, _ := ds.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if res.Status != backend.HealthStatusError || !strings.HasPrefix(res.Message, "The MLSight proxy rejected the API token (401)") {
		t.Fatalf("health = %v %q", res.Status, res.Message)
	}
	var details struct{ Message string }
	if err := json.Unmarshal(res.JSONDetails, &details); err != nil || !strings.HasPrefix(details.Message, "MLflow is down (timeout)") {
		t.Fatalf("the other problems belong in the details: %s", res.JSONDetails)
	}
}

func TestCheckHealthOfSomethingThatIsNotAnMLSightProxy(t *testing.T) {
	proxy := newStandIn(t, func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(404)
		_, _ = w.Write([]byte("<html>nginx</html>"))
	})
	ds := newTestDatasource(t, proxy.URL, nil)
	res, _ := ds.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if res.Status != backend.HealthStatusError || res.Message != proxy.URL+" answered, but not like an MLSight proxy (no readiness report at /readyz)" {
		t.Fatalf("health = %v %q", res.Status, res.Message)
	}
}

func TestCheckHealthWhenTheProxyIsDown(t *testing.T) {
	proxy := newStandIn(t, func(http.ResponseWriter, *http.Request) {})
	url := proxy.URL
	proxy.Close()
	ds := newTestDatasource(t, url, nil)
	res, _ := ds.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if res.Status != backend.HealthStatusError || !strings.HasPrefix(res.Message, "cannot reach the MLSight proxy at "+url) {
		t.Fatalf("health = %v %q", res.Status, res.Message)
	}
}

func TestCheckHealthWithoutAProxyURL(t *testing.T) {
	ds := newTestDatasource(t, "", nil)
	res, _ := ds.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "set the MLSight proxy URL") {
		t.Fatalf("health = %v %q", res.Status, res.Message)
	}
}
