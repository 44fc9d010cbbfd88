package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"sshblog/internal/config"
)

// healthTimeout bounds one health check: Docker's HEALTHCHECK kills a
// check that runs past its own --timeout (30 s by default), and a check
// that hangs tells the operator less than one that says why it failed.
const healthTimeout = 5 * time.Second

// runHealth is `sshblog health`: it asks the running server's /readyz, on
// the web address the same flags and environment name, and exits 0 when
// the server says it is ready, 1 when it is not or cannot be reached, 2
// when the settings name no web side. The distroless image has no shell
// or curl, so this is what its HEALTHCHECK runs.
func runHealth(args, environ []string, stdout, stderr io.Writer) int {
	cfg, err := config.Parse(args, environ, stderr)
	if config.IsHelp(err) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "sshblog health: %v\n", err)
		return 2
	}
	if cfg.HTTP == "" {
		fmt.Fprintln(stderr, "sshblog health: no web side to ask: set --http (SSHBLOG_HTTP), as the server has it")
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), healthTimeout)
	defer cancel()
	url := "http://" + dialAddress(cfg.HTTP) + "/readyz"
	status, err := getStatus(ctx, url)
	if err != nil {
		fmt.Fprintf(stderr, "sshblog health: %v\n", err)
		return 1
	}
	if status != http.StatusOK {
		fmt.Fprintf(stderr, "sshblog health: %s answered %d\n", url, status)
		return 1
	}
	fmt.Fprintf(stdout, "ready: %s\n", url)
	return 0
}

// dialAddress is where a client on this machine reaches a server that
// listens on addr: a listener on every address (":8080", "0.0.0.0:8080",
// "[::]:8080") is reached on loopback.
func dialAddress(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// getStatus is the status code of a GET of url.
func getStatus(ctx context.Context, url string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, fmt.Errorf("ask %s: %w", url, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("ask %s: %w", url, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	return resp.StatusCode, nil
}
