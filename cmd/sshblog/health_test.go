package main

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"sshblog/internal/blogtest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestHealthAsksReadyz(t *testing.T) {
	t.Parallel()
	var ready atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" {
			http.NotFound(w, r)
			return
		}
		if !ready.Load() {
			http.Error(w, "draining", http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	addr := srv.Listener.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	closed := blogtest.FreeAddr(t) // nothing listens there

	tests := []struct {
		name  string
		args  []string
		env   []string
		ready bool
		code  int
		says  string
	}{
		{"ready", []string{"--http", addr}, nil, true, 0, "ready: http://" + addr + "/readyz"},
		{"draining", []string{"--http", addr}, nil, false, 1, "answered 503"},
		{"every address means loopback", []string{"--http", ":" + port}, nil, true, 0, "ready: http://127.0.0.1:" + port},
		{"from the environment, as the image sets it", nil, []string{"SSHBLOG_HTTP=" + addr}, true, 0, "ready"},
		{"nobody listening", []string{"--http", closed}, nil, true, 1, "connection refused"},
		{"no web side", nil, nil, true, 2, "set --http"},
		{"a bad flag", []string{"--no-such-flag"}, nil, true, 2, "no-such-flag"},
	}
	for _, tc := range tests {
		ready.Store(tc.ready)
		var out bytes.Buffer
		code := runHealth(tc.args, tc.env, &out, &out)
		if code != tc.code || !strings.Contains(out.String(), tc.says) {
			t.Errorf("%s: exit %d, said %q; want exit %d saying %q", tc.name, code, out.String(), tc.code, tc.says)
		}
	}
}
