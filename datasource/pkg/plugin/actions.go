package plugin

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/mlsight/mlsight/datasource/pkg/relay"
)

// Model actions the app calls through the data source (contract/src/fleet.ts): the actor is the signed-in Grafana
// user from the plugin context, never a field of the request, so a browser cannot claim to be someone else.
const (
	aliasesPath = "aliases"
	promotePath = "aliases/promote"
	retrainPath = "retrain"
)

type actor struct {
	Login string `json:"login"`
	Role  string `json:"role"`
}

type promoteBody struct {
	Model           string  `json:"model"`
	Alias           string  `json:"alias"`
	Version         string  `json:"version"`
	Reason          string  `json:"reason"`
	ExpectedVersion *string `json:"expectedVersion"`
}

type retrainBody struct {
	Model  string `json:"model"`
	Reason string `json:"reason"`
}

// refusal is an answer the backend gives itself, without calling the proxy.
type refusal struct {
	status  int
	message string
}

// actorOf is the plugin context's user when Grafana's role lets them change a model (Editor or Admin).
func actorOf(req *backend.CallResourceRequest) (actor, *refusal) {
	user := req.PluginContext.User
	if user == nil || user.Login == "" {
		return actor{}, &refusal{http.StatusForbidden, "no signed-in Grafana user: promote, roll back and retrain need an Editor or Admin"}
	}
	switch user.Role {
	case "Editor", "Admin":
		return actor{Login: user.Login, Role: user.Role}, nil
	default:
		role := user.Role
		if role == "" {
			role = "no role"
		}
		return actor{}, &refusal{http.StatusForbidden, user.Login + " is a " + role + ": promote, roll back and retrain need the Editor or Admin role"}
	}
}

func modelPath(model string, rest ...string) string {
	parts := append([]string{"/api/v1/models", url.PathEscape(model)}, rest...)
	return strings.Join(parts, "/")
}

// actionTarget maps the model-action resources onto the proxy's routes; ok is false for any other path.
func actionTarget(req *backend.CallResourceRequest) (target relay.Request, refused *refusal, ok bool) {
	switch {
	case req.Path == aliasesPath && req.Method == http.MethodGet:
		parsed, err := url.Parse(req.URL)
		model := ""
		if err == nil {
			model = parsed.Query().Get("model")
		}
		if model == "" {
			return relay.Request{}, &refusal{http.StatusBadRequest, "model: is required (aliases?model=<name>)"}, true
		}
		return relay.Request{Method: http.MethodGet, Path: modelPath(model, "aliases")}, nil, true
	case req.Path == promotePath && req.Method == http.MethodPost:
		who, refused := actorOf(req)
		if refused != nil {
			return relay.Request{}, refused, true
		}
		var body promoteBody
		if err := json.Unmarshal(req.Body, &body); err != nil || body.Model == "" || body.Alias == "" {
			return relay.Request{}, &refusal{http.StatusBadRequest, "body: needs model, alias, version, reason and expectedVersion"}, true
		}
		payload, err := json.Marshal(map[string]any{
			"version":         body.Version,
			"reason":          body.Reason,
			"expectedVersion": body.ExpectedVersion,
			"actor":           who,
		})
		if err != nil {
			return relay.Request{}, &refusal{http.StatusInternalServerError, err.Error()}, true
		}
		return relay.Request{Method: http.MethodPost, Path: modelPath(body.Model, "aliases", url.PathEscape(body.Alias)), Body: payload}, nil, true
	case req.Path == retrainPath && req.Method == http.MethodPost:
		who, refused := actorOf(req)
		if refused != nil {
			return relay.Request{}, refused, true
		}
		var body retrainBody
		if err := json.Unmarshal(req.Body, &body); err != nil || body.Model == "" {
			return relay.Request{}, &refusal{http.StatusBadRequest, "body: needs model and reason"}, true
		}
		payload, err := json.Marshal(map[string]any{"reason": body.Reason, "actor": who})
		if err != nil {
			return relay.Request{}, &refusal{http.StatusInternalServerError, err.Error()}, true
		}
		return relay.Request{Method: http.MethodPost, Path: modelPath(body.Model, "retrain"), Body: payload}, nil, true
	}
	return relay.Request{}, nil, false
}
