// Package relay is the HTTP side of the backend: it sends requests to the MLSight proxy and reads its answers.
// Nothing here computes a statistic; the proxy stays the one place metrics are computed.
package relay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
)

// maxBodyBytes bounds what is read from the proxy, so a misconfigured URL (a file server, say) cannot exhaust the
// plugin's memory; the largest MLSight answer (a 2000-feature heatmap) is far below it.
const maxBodyBytes = 256 << 20

// Client talks to one MLSight proxy with one instance's token.
type Client struct {
	baseURL string
	token   string
	http    *http.Client
}

// NewClient builds a client for baseURL ("" is allowed: every call then fails with ErrNoProxyURL).
func NewClient(baseURL, token string, httpClient *http.Client) *Client {
	return &Client{baseURL: strings.TrimRight(baseURL, "/"), token: token, http: httpClient}
}

// BaseURL is the proxy URL the client calls, for messages that tell the user which setting to check.
func (c *Client) BaseURL() string { return c.baseURL }

// CloseIdleConnections releases pooled connections when Grafana disposes of the instance.
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }

// ErrNoProxyURL is returned when the instance has no proxy URL configured.
var ErrNoProxyURL = errors.New("set the MLSight proxy URL (for example http://localhost:8450) in the data source settings and save")

// TransportError is a request that got no HTTP answer: the proxy is down, the URL is wrong, or it took too long.
type TransportError struct {
	URL     string
	Timeout bool
	Err     error
}

func (e *TransportError) Error() string {
	if e.Timeout {
		return fmt.Sprintf("the MLSight proxy at %s did not answer in time (check that it is running; the timeout is the data source's HTTP timeout)", e.URL)
	}
	return fmt.Sprintf("cannot reach the MLSight proxy at %s: %v (check the proxy URL in the data source settings and that the proxy is running)", e.URL, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// Response is the proxy's HTTP answer, whatever its status.
type Response struct {
	Status      int
	ContentType string
	Body        []byte
}

// Request describes one call to the proxy. Public routes (/readyz) are called without the token.
type Request struct {
	Method   string
	Path     string
	RawQuery string
	Body     []byte
	Public   bool
}

// Do sends the request and returns the proxy's answer, or a *TransportError when none came.
func (c *Client) Do(ctx context.Context, r Request) (Response, error) {
	if c.baseURL == "" {
		return Response{}, ErrNoProxyURL
	}
	target := c.baseURL + r.Path
	if r.RawQuery != "" {
		target += "?" + r.RawQuery
	}
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, target, body)
	if err != nil {
		return Response{}, fmt.Errorf("the MLSight proxy URL %q is not a valid URL: %w", c.baseURL, err)
	}
	req.Header.Set("Accept", "application/json")
	if r.Body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if !r.Public && c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return Response{}, &TransportError{URL: c.baseURL, Timeout: isTimeout(ctx, err), Err: unwrapURLError(err)}
	}
	defer func() { _ = res.Body.Close() }()
	data, err := io.ReadAll(io.LimitReader(res.Body, maxBodyBytes+1))
	if err != nil {
		return Response{}, &TransportError{URL: c.baseURL, Timeout: isTimeout(ctx, err), Err: err}
	}
	if len(data) > maxBodyBytes {
		return Response{}, fmt.Errorf("the MLSight proxy's answer exceeds %d MiB", maxBodyBytes>>20)
	}
	return Response{Status: res.StatusCode, ContentType: res.Header.Get("Content-Type"), Body: data}, nil
}

func isTimeout(ctx context.Context, err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return true
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var netErr interface{ Timeout() bool }
	return errors.As(err, &netErr) && netErr.Timeout()
}

// unwrapURLError drops Go's `Post "http://…": ` prefix: the message names the URL already.
func unwrapURLError(err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return urlErr.Err
	}
	return err
}

// ProblemBody is the proxy's error body (backend-proxy/src/server/errorHandler.ts): a message and, for a 400,
// the offending field.
type ProblemBody struct {
	Message string `json:"message"`
	Error   string `json:"error"`
	Field   string `json:"field"`
}

// ReadProblem reads the proxy's error body; a non-JSON body becomes the message itself.
func ReadProblem(body []byte) ProblemBody {
	var problem ProblemBody
	if err := json.Unmarshal(body, &problem); err != nil {
		return ProblemBody{Message: strings.TrimSpace(string(body))}
	}
	if problem.Message == "" {
		problem.Message = problem.Error
	}
	return problem
}
