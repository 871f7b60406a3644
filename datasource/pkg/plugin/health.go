package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/mlsight/mlsight/datasource/pkg/relay"
)

// proxyReadinessPath answers per dependency without a token (backend-proxy/src/server/health.ts).
const proxyReadinessPath = "/readyz"

type dependencyCheck struct {
	Name      string  `json:"name"`
	Status    string  `json:"status"`
	LatencyMs float64 `json:"latencyMs"`
	Detail    string  `json:"detail,omitempty"`
}

type readiness struct {
	Status string `json:"status"`
	Checks map[string]struct {
		Status    string  `json:"status"`
		LatencyMs float64 `json:"latencyMs"`
		Detail    string  `json:"detail"`
	} `json:"checks"`
}

var dependencyLabels = map[string]string{"mlflow": "MLflow", "store": "the drift store"}

var dependencyConsequences = map[string]string{
	"mlflow": "queries that read MLflow (runs, versions, lineage, KPIs) fail until it is back",
	"store":  "drift, performance and data-quality queries fail until it is back",
}

func dependencyLabel(name string) string {
	if label, ok := dependencyLabels[name]; ok {
		return label
	}
	return name
}

func dependencyConsequence(name string) string {
	if text, ok := dependencyConsequences[name]; ok {
		return text
	}
	return "queries that need it fail until it is back"
}

// CheckHealth is "Save & test": the proxy's /readyz names the dependency that is down (MLflow, the drift store);
// an authenticated empty batch then tells a rejected token from an accepted one (the proxy authenticates before
// it validates, so a valid token gets 400 and touches neither MLflow nor the store).
func (d *Datasource) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	checks, err := d.readiness(ctx)
	if err != nil {
		return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: err.Error()}, nil
	}
	var problems []string
	if authProblem := d.tokenProblem(ctx); authProblem != "" {
		problems = append(problems, authProblem)
	}
	for _, check := range checks {
		if check.Status == "ok" {
			continue
		}
		detail := ""
		if check.Detail != "" {
			detail = " (" + check.Detail + ")"
		}
		problems = append(problems, fmt.Sprintf("%s is down%s: %s", dependencyLabel(check.Name), detail, dependencyConsequence(check.Name)))
	}
	details, err := json.Marshal(map[string]any{"checks": checks})
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		result := &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: problems[0], JSONDetails: details}
		if len(problems) > 1 {
			result.JSONDetails, _ = json.Marshal(map[string]any{"checks": checks, "message": strings.Join(problems[1:], "\n")})
		}
		return result, nil
	}
	summary := make([]string, 0, len(checks))
	for _, check := range checks {
		summary = append(summary, fmt.Sprintf("%s ok (%.0f ms)", dependencyLabel(check.Name), check.LatencyMs))
	}
	message := fmt.Sprintf("Connected to the MLSight proxy at %s; token accepted", d.proxy.BaseURL())
	if len(summary) > 0 {
		message += "; " + strings.Join(summary, ", ")
	}
	return &backend.CheckHealthResult{Status: backend.HealthStatusOk, Message: message, JSONDetails: details}, nil
}

func (d *Datasource) readiness(ctx context.Context) ([]dependencyCheck, error) {
	res, err := d.proxy.Do(ctx, relay.Request{Method: http.MethodGet, Path: proxyReadinessPath, Public: true})
	if err != nil {
		return nil, err
	}
	notProxy := fmt.Errorf("%s answered, but not like an MLSight proxy (no readiness report at /readyz)", d.proxy.BaseURL())
	// 503 is the proxy's own answer when a dependency is down; its body still lists every check.
	if res.Status != http.StatusOK && res.Status != http.StatusServiceUnavailable {
		return nil, notProxy
	}
	var body readiness
	if err := json.Unmarshal(res.Body, &body); err != nil || body.Checks == nil {
		return nil, notProxy
	}
	checks := make([]dependencyCheck, 0, len(body.Checks))
	for name, check := range body.Checks {
		status := "down"
		if check.Status == "ok" {
			status = "ok"
		}
		checks = append(checks, dependencyCheck{Name: name, Status: status, LatencyMs: check.LatencyMs, Detail: check.Detail})
	}
	// MLflow first, as /readyz lists it; then the others by name, so the message is stable.
	sort.SliceStable(checks, func(i, j int) bool {
		if (checks[i].Name == "mlflow") != (checks[j].Name == "mlflow") {
			return checks[i].Name == "mlflow"
		}
		return checks[i].Name < checks[j].Name
	})
	return checks, nil
}

func (d *Datasource) tokenProblem(ctx context.Context) string {
	res, err := d.proxy.Do(ctx, relay.Request{Method: http.MethodPost, Path: proxyQueryPath, Body: []byte(`{"from":0,"to":0,"queries":[]}`)})
	if err != nil {
		return err.Error()
	}
	if res.Status == http.StatusUnauthorized || res.Status == http.StatusForbidden {
		return describeStatus(res.Status, relay.ReadProblem(res.Body).Message)
	}
	return ""
}
