package github

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Stats counts what a crawl cost.
type Stats struct {
	Requests     atomic.Int64 // HTTP requests sent, retries included
	Retries      atomic.Int64
	RateLimited  atomic.Int64 // responses that were primary/secondary limits or 429s
	WaitedMillis atomic.Int64 // time spent waiting out limits
}

// countingTransport counts every request that goes on the wire.
type countingTransport struct {
	next  http.RoundTripper
	stats *Stats
}

func (t countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.stats.Requests.Add(1)
	return t.next.RoundTrip(r)
}

// newRetryingClient wraps base in go-retryablehttp with GitHub's rules:
// 5xx and connection errors back off exponentially; 429, secondary limits
// (403 with Retry-After or the secondary-limit documentation URL) and
// exhausted primary limits (403/429 with X-RateLimit-Remaining: 0) wait for
// Retry-After or X-RateLimit-Reset, up to maxWait per wait.
func newRetryingClient(base http.RoundTripper, stats *Stats, log *slog.Logger, maxRetries int, maxWait time.Duration) *http.Client {
	rc := retryablehttp.NewClient()
	rc.HTTPClient = &http.Client{Transport: countingTransport{next: base, stats: stats}}
	rc.RetryMax = maxRetries
	rc.RetryWaitMin = 250 * time.Millisecond
	rc.RetryWaitMax = maxWait
	rc.Logger = nil
	// Hand the last response to go-github, which turns it into a typed error.
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	rc.CheckRetry = func(ctx context.Context, resp *http.Response, err error) (bool, error) {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		retry, cerr := retryablehttp.DefaultRetryPolicy(ctx, resp, err)
		if resp != nil && isRateLimited(resp) {
			stats.RateLimited.Add(1)
			retry = true
		}
		if retry {
			stats.Retries.Add(1)
			if resp != nil {
				log.Debug("retrying GitHub request", "url", resp.Request.URL.Path, "status", resp.StatusCode)
			} else if err != nil {
				log.Info("retrying GitHub request", "err", err)
			}
		}
		return retry, cerr
	}
	rc.Backoff = func(min, max time.Duration, attempt int, resp *http.Response) time.Duration {
		var d time.Duration
		if resp != nil {
			d = limitWait(resp, time.Now())
		}
		if d == 0 {
			d = time.Duration(math.Pow(2, float64(attempt))) * min
		}
		if d > max {
			d = max
		}
		if resp != nil && isRateLimited(resp) {
			log.Info("GitHub rate limit: waiting", "seconds", d.Seconds(), "status", resp.StatusCode)
		}
		stats.WaitedMillis.Add(d.Milliseconds())
		return d
	}
	return &http.Client{Transport: &pacer{next: rc.StandardClient().Transport, stats: stats, maxWait: maxWait, log: log}}
}

// isRateLimited reports a primary limit, a secondary limit or a 429.
func isRateLimited(resp *http.Response) bool {
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		return true
	case http.StatusForbidden:
		if resp.Header.Get("Retry-After") != "" || resp.Header.Get("X-RateLimit-Remaining") == "0" {
			return true
		}
		body := peekBody(resp)
		return bytes.Contains(body, []byte("secondary rate limit")) || bytes.Contains(body, []byte("secondary-rate-limits")) ||
			bytes.Contains(body, []byte("abuse-rate-limits"))
	}
	return false
}

// peekBody reads the body and puts it back, so the decision to retry does not
// consume what go-github needs to build its error.
func peekBody(resp *http.Response) []byte {
	if resp.Body == nil {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return b
}

// limitWait is how long the response asks us to wait: Retry-After, else the
// primary reset when no requests remain, else 0.
func limitWait(resp *http.Response, now time.Time) time.Duration {
	if ra := resp.Header.Get("Retry-After"); ra != "" {
		if secs, err := strconv.Atoi(strings.TrimSpace(ra)); err == nil && secs >= 0 {
			return time.Duration(secs) * time.Second
		}
		if t, err := http.ParseTime(ra); err == nil {
			return max(t.Sub(now), 0)
		}
	}
	if resp.Header.Get("X-RateLimit-Remaining") == "0" {
		if reset, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64); err == nil {
			return max(time.Unix(reset, 0).Sub(now), 0) + 500*time.Millisecond
		}
	}
	return 0
}

// pacer waits out an exhausted primary limit after a successful response
// that spent the last request, so that go-github (which refuses to send
// while it believes none remain) and concurrent workers do not fail fast.
type pacer struct {
	next    http.RoundTripper
	stats   *Stats
	maxWait time.Duration
	log     *slog.Logger
}

func (p *pacer) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := p.next.RoundTrip(r)
	if err != nil || resp.StatusCode >= 300 || resp.Header.Get("X-RateLimit-Remaining") != "0" {
		return resp, err
	}
	d := min(limitWait(resp, time.Now()), p.maxWait)
	if d <= 0 {
		return resp, nil
	}
	p.log.Info("GitHub primary rate limit spent: waiting for reset", "seconds", d.Seconds())
	p.stats.WaitedMillis.Add(d.Milliseconds())
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
	return resp, nil
}
