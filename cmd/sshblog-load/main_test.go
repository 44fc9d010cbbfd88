package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestCheckLoopback(t *testing.T) {
	tests := []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:2222", true},
		{"127.8.9.10:22", true},
		{"[::1]:2222", true},
		{"localhost:2222", true},
		{"LOCALHOST:2222", true},
		{"[::ffff:127.0.0.1]:22", true},
		{"10.0.0.1:2222", false},
		{"192.168.1.5:22", false},
		{"[2001:db8::1]:22", false},
		{"0.0.0.0:2222", false},
		{":2222", false},
		{"example.com:22", false},
		{"127.0.0.1", false},
		{"localhost.example.com:22", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			if err := checkLoopback(tt.addr); (err == nil) != tt.ok {
				t.Errorf("checkLoopback(%q) = %v, want ok %v", tt.addr, err, tt.ok)
			}
		})
	}
}

func TestRunRefusesBadUsage(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"remote host", []string{"-addr", "10.1.2.3:22"}, "not loopback"},
		{"remote blog in compare", []string{"compare", "-blog-addr", "192.0.2.1:22"}, "not loopback"},
		{"bare on every interface", []string{"bare", "-listen", "0.0.0.0:2223"}, "not loopback"},
		{"unknown command", []string{"hammer"}, "unknown command"},
		{"nothing to do", []string{"-c", "0"}, "nothing to do"},
		{"zero ramp", []string{"-ramp", "0"}, "-ramp"},
		{"huge window", []string{"-w", "5000"}, "window"},
		{"stray argument", []string{"-c", "1", "extra"}, "unexpected argument"},
		{"bad escape", []string{"-prelude", `\q`}, "-prelude"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(tt.args, &stdout, &stderr); code != 2 {
				t.Errorf("exit %d, want 2; stderr %q", code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.wantErr) {
				t.Errorf("stderr %q does not mention %q", stderr.String(), tt.wantErr)
			}
		})
	}
}

func TestUnescape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"j", "j"},
		{`\r`, "\r"},
		{`\x1b[B`, "\x1b[B"},
		{`say "hi"\n`, "say \"hi\"\n"},
	}
	for _, tt := range tests {
		got, err := unescape(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("unescape(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
