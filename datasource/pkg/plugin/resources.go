package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/mlsight/mlsight/datasource/pkg/relay"
)

// Resource paths the frontend calls through getResource/postResource, relayed to the proxy's routes
// (backend-proxy/src/server/routes.ts). Anything else is a 404: the backend is not an open proxy.
var variablesPath = regexp.MustCompile(`^variables/([a-z_]+)$`)

const annotationsPath = "annotations"

// CallResource relays `GET variables/<kind>?…` to GET /api/v1/variables/<kind>, `POST annotations` to
// POST /api/v1/annotations and the model actions (actions.go) to their routes, with the instance's token, returning
// the proxy's status and JSON body.
func (d *Datasource) CallResource(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	target, ok := resourceTarget(req)
	if !ok {
		var refused *refusal
		target, refused, ok = actionTarget(req)
		if refused != nil {
			return sendJSON(sender, refused.status, map[string]string{"message": refused.message})
		}
	}
	if !ok {
		return sendJSON(sender, http.StatusNotFound, map[string]string{"message": "no MLSight resource " + req.Method + " " + req.Path})
	}
	res, err := d.proxy.Do(ctx, target)
	if err != nil {
		status := http.StatusBadGateway
		var transport *relay.TransportError
		if errors.As(err, &transport) && transport.Timeout {
			status = http.StatusGatewayTimeout
		} else if errors.Is(err, relay.ErrNoProxyURL) {
			status = http.StatusBadRequest
		}
		return sendJSON(sender, status, map[string]string{"message": err.Error()})
	}
	contentType := res.ContentType
	if contentType == "" {
		contentType = "application/json"
	}
	return sender.Send(&backend.CallResourceResponse{
		Status:  res.Status,
		Headers: map[string][]string{"Content-Type": {contentType}},
		Body:    res.Body,
	})
}

func resourceTarget(req *backend.CallResourceRequest) (relay.Request, bool) {
	if m := variablesPath.FindStringSubmatch(req.Path); m != nil && req.Method == http.MethodGet {
		return relay.Request{Method: http.MethodGet, Path: "/api/v1/variables/" + m[1], RawQuery: rawQueryOf(req.URL)}, true
	}
	if req.Path == annotationsPath && req.Method == http.MethodPost {
		return relay.Request{Method: http.MethodPost, Path: "/api/v1/annotations", Body: req.Body}, true
	}
	return relay.Request{}, false
}

// rawQueryOf keeps the query string Grafana forwarded (req.URL is the path relative to the resource root).
func rawQueryOf(resourceURL string) string {
	parsed, err := url.Parse(resourceURL)
	if err != nil {
		return ""
	}
	return parsed.RawQuery
}

func sendJSON(sender backend.CallResourceResponseSender, status int, body any) error {
	data, err := json.Marshal(body)
	if err != nil {
		return err
	}
	return sender.Send(&backend.CallResourceResponse{
		Status:  status,
		Headers: map[string][]string{"Content-Type": {"application/json"}},
		Body:    data,
	})
}
