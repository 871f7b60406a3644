package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/mlsight/mlsight/datasource/pkg/relay"
)

// proxyQueryPath is the proxy's query route (backend-proxy/src/server/routes.ts).
const proxyQueryPath = "/api/v1/query"

// window is what the proxy's request carries once for all its queries (contract/src/request.ts QueryRequest).
// Grafana may send queries with different ranges in one request (an alert rule's relative time ranges), so the
// queries are batched by window.
type window struct {
	fromMs, toMs, intervalMs, maxDataPoints int64
}

type proxyRequest struct {
	From          int64             `json:"from"`
	To            int64             `json:"to"`
	IntervalMs    int64             `json:"intervalMs,omitempty"`
	MaxDataPoints int64             `json:"maxDataPoints,omitempty"`
	Queries       []json.RawMessage `json:"queries"`
}

type proxyResult struct {
	Frames []json.RawMessage `json:"frames"`
	Error  string            `json:"error,omitempty"`
	Status int               `json:"status,omitempty"`
}

type proxyResponse struct {
	Results map[string]proxyResult `json:"results"`
}

type batch struct {
	window  window
	refIDs  []string
	queries []json.RawMessage
}

func windowOf(q backend.DataQuery) window {
	return window{
		fromMs:        q.TimeRange.From.UnixMilli(),
		toMs:          q.TimeRange.To.UnixMilli(),
		intervalMs:    q.Interval.Milliseconds(),
		maxDataPoints: q.MaxDataPoints,
	}
}

// proxyQuery is the query as the proxy reads it: Grafana's query JSON (the contract's MLSightQuery plus Grafana's
// own keys, which the proxy ignores) with the refId Grafana assigned, and the instance's default model where the
// query names none — what the frontend's normalizeQuery does (datasource/src/prepareQuery.ts), so a query Grafana's
// server sends without the browser (an alert rule, a shared dashboard) means what it means in a panel.
//
// The frontend fills the model only into query types that have the field; here it is filled into every query that
// lacks one, because the contract's schemas drop keys a type does not have (zod's default), and this keeps the Go
// side free of a hand-copied list of the contract's query types.
func proxyQuery(q backend.DataQuery, defaultModel string) (json.RawMessage, error) {
	model := map[string]json.RawMessage{}
	if len(q.JSON) > 0 {
		if err := json.Unmarshal(q.JSON, &model); err != nil {
			return nil, fmt.Errorf("the query is not a JSON object: %w", err)
		}
	}
	refID, err := json.Marshal(q.RefID)
	if err != nil {
		return nil, err
	}
	model["refId"] = refID
	if defaultModel != "" && namesNoModel(model["model"]) {
		name, err := json.Marshal(defaultModel)
		if err != nil {
			return nil, err
		}
		model["model"] = name
	}
	return json.Marshal(model)
}

// namesNoModel is the frontend's `model === undefined || model === ”` on the raw JSON value (null counts as absent).
func namesNoModel(raw json.RawMessage) bool {
	if len(raw) == 0 || string(raw) == "null" {
		return true
	}
	var text string
	return json.Unmarshal(raw, &text) == nil && text == ""
}

// QueryData relays the queries to the proxy's POST /api/v1/query, one request per time window, and returns the
// proxy's frames as SDK frames. Every failure is reported on the refIds it concerns; the others still answer.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	response := backend.NewQueryDataResponse()
	var batches []*batch
	byWindow := map[window]*batch{}
	for _, q := range req.Queries {
		body, err := proxyQuery(q, d.defaultModel)
		if err != nil {
			response.Responses[q.RefID] = backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream, err.Error())
			continue
		}
		w := windowOf(q)
		b, ok := byWindow[w]
		if !ok {
			b = &batch{window: w}
			byWindow[w] = b
			batches = append(batches, b)
		}
		b.refIDs = append(b.refIDs, q.RefID)
		b.queries = append(b.queries, body)
	}
	for _, b := range batches {
		for refID, res := range d.relayBatch(ctx, b) {
			response.Responses[refID] = res
		}
	}
	return response, nil
}

func (d *Datasource) relayBatch(ctx context.Context, b *batch) backend.Responses {
	body, err := json.Marshal(proxyRequest{
		From:          b.window.fromMs,
		To:            b.window.toMs,
		IntervalMs:    b.window.intervalMs,
		MaxDataPoints: b.window.maxDataPoints,
		Queries:       b.queries,
	})
	if err != nil {
		return sameForAll(b.refIDs, backend.ErrDataResponse(backend.StatusInternal, err.Error()))
	}
	res, err := d.proxy.Do(ctx, relay.Request{Method: http.MethodPost, Path: proxyQueryPath, Body: body})
	if err != nil {
		return sameForAll(b.refIDs, transportFailure(err))
	}
	if res.Status != http.StatusOK {
		return batchRefused(b.refIDs, res)
	}
	var answer proxyResponse
	if err := json.Unmarshal(res.Body, &answer); err != nil {
		message := fmt.Sprintf("the MLSight proxy at %s answered something that is not a query response: %v", d.proxy.BaseURL(), err)
		return sameForAll(b.refIDs, backend.ErrDataResponseWithSource(backend.StatusBadGateway, backend.ErrorSourceDownstream, message))
	}
	out := backend.Responses{}
	for _, refID := range b.refIDs {
		out[refID] = resultToResponse(answer.Results, refID)
	}
	return out
}

func resultToResponse(results map[string]proxyResult, refID string) backend.DataResponse {
	result, ok := results[refID]
	if !ok {
		return backend.ErrDataResponseWithSource(backend.StatusBadGateway, backend.ErrorSourceDownstream, "the MLSight proxy returned no result for this query")
	}
	frames, err := relay.DecodeFrames(result.Frames)
	if err != nil {
		return backend.ErrDataResponseWithSource(backend.StatusBadGateway, backend.ErrorSourceDownstream, "cannot read the MLSight proxy's frames: "+err.Error())
	}
	response := backend.DataResponse{Frames: frames}
	if result.Error != "" {
		status := result.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		response.Error = errors.New(result.Error)
		response.Status = backend.Status(status)
		response.ErrorSource = backend.ErrorSourceDownstream
	}
	return response
}

func sameForAll(refIDs []string, res backend.DataResponse) backend.Responses {
	out := backend.Responses{}
	for _, refID := range refIDs {
		out[refID] = res
	}
	return out
}

func transportFailure(err error) backend.DataResponse {
	var transport *relay.TransportError
	switch {
	case errors.As(err, &transport) && transport.Timeout:
		return backend.ErrDataResponseWithSource(backend.StatusTimeout, backend.ErrorSourceDownstream, err.Error())
	case errors.As(err, &transport):
		return backend.ErrDataResponseWithSource(backend.StatusBadGateway, backend.ErrorSourceDownstream, err.Error())
	case errors.Is(err, relay.ErrNoProxyURL):
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream, err.Error())
	default:
		return backend.ErrDataResponseWithSource(backend.StatusBadGateway, backend.ErrorSourceDownstream, err.Error())
	}
}

// batchField reads the query index out of the proxy's 400 field, `queries[2].model` → 2.
var batchField = regexp.MustCompile(`^queries\[(\d+)\]`)

// batchRefused maps a non-200 answer to the whole batch. A 400 naming `queries[i]` blames query i; the others
// were only not run. 401/403 say what to change in the settings.
func batchRefused(refIDs []string, res relay.Response) backend.Responses {
	problem := relay.ReadProblem(res.Body)
	message := describeStatus(res.Status, problem.Message)
	blamed := -1
	if res.Status == http.StatusBadRequest {
		if m := batchField.FindStringSubmatch(problem.Field); m != nil {
			if i, err := strconv.Atoi(m[1]); err == nil && i < len(refIDs) {
				blamed = i
			}
		}
	}
	out := backend.Responses{}
	for i, refID := range refIDs {
		text := message
		if blamed >= 0 && i != blamed {
			text = fmt.Sprintf("Not run: the proxy refused the batch because of query %s", refIDs[blamed])
		}
		out[refID] = backend.ErrDataResponseWithSource(backend.Status(res.Status), backend.ErrorSourceFromHTTPStatus(res.Status), text)
	}
	return out
}

func withDetail(text, detail string) string {
	if detail == "" {
		return text
	}
	return text + ": " + detail
}

// describeStatus words a proxy status the way the frontend did (src/errors.ts), so panels read the same.
func describeStatus(status int, detail string) string {
	switch {
	case status == http.StatusUnauthorized:
		return withDetail("The MLSight proxy rejected the API token (401). Set a valid token in the data source settings", detail)
	case status == http.StatusForbidden:
		return withDetail("The API token is valid but not allowed to do this (403)", detail)
	case status == http.StatusNotFound:
		return withDetail("Not found (404): is the proxy URL the base URL of an MLSight proxy?", detail)
	case status >= 400 && status < 500:
		return withDetail(fmt.Sprintf("The MLSight proxy refused the request (%d)", status), detail)
	default:
		return withDetail(fmt.Sprintf("The MLSight proxy failed (%d %s)", status, http.StatusText(status)), detail)
	}
}
