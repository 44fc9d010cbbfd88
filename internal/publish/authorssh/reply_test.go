package authorssh

import (
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"sshblog/internal/publish"
)

// TestSSHCommand: the way back to the blog that replies print names the
// port only when it is not 22, after any options (BSD ssh stops reading
// options at the host).
func TestSSHCommand(t *testing.T) {
	for _, tc := range []struct {
		host string
		opts []string
		want string
	}{
		{"blog.example", nil, "ssh blog.example"},
		{"blog.example:22", nil, "ssh blog.example"},
		{"blog.example:2222", nil, "ssh -p 2222 blog.example"},
		{"blog.example:2222", []string{"-t"}, "ssh -t -p 2222 blog.example"},
		{"[::1]:2222", nil, "ssh -p 2222 ::1"},
	} {
		h := &Handler{SSHHost: tc.host}
		if got := h.sshCommand(tc.opts...); got != tc.want {
			t.Errorf("host %q, opts %q: %q, want %q", tc.host, tc.opts, got, tc.want)
		}
	}
}

// TestDescribe: each kind of success says where to find what was written.
func TestDescribe(t *testing.T) {
	h := &Handler{SSHHost: "blog.example:2222", BaseURL: "https://blog.example/"}
	for _, tc := range []struct {
		res  publish.Result
		want string
	}{
		{publish.Result{Action: "checked", Title: "Hi", Slug: "hi", File: "hi.md"},
			"\"Hi\" looks good: it would be published as hi (hi.md)\n"},
		{publish.Result{Action: "draft", Slug: "hi", File: "hi.md", Bytes: 3},
			"saved draft hi.md as hi (hi.md, 3 bytes)\npreview: ssh -t -p 2222 blog.example preview hi\n"},
		{publish.Result{Action: "uploaded", File: "images/a.png", Bytes: 9},
			"uploaded images/a.png (9 bytes)\n"},
		{publish.Result{Action: "published", Title: "Hi", Slug: "hi", File: "hi.md", Bytes: 3, Kept: ".history/hi.md"},
			"published \"Hi\" as hi (hi.md, 3 bytes)\nread it: ssh -p 2222 blog.example read hi\n" +
				"on the web: https://blog.example/hi\nprevious version kept in .history/hi.md\n"},
	} {
		if got := h.describe(tc.res); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.res.Action, got, tc.want)
		}
	}
}

// TestSubsystemAllowed: sftp is the one subsystem; anything else, or a
// payload that does not parse, is refused.
func TestSubsystemAllowed(t *testing.T) {
	for name, want := range map[string]bool{"sftp": true, "SFTP": false, "sftp-server": false, "": false} {
		if got := SubsystemAllowed(gossh.Marshal(struct{ Name string }{name})); got != want {
			t.Errorf("%q: %v, want %v", name, got, want)
		}
	}
	if SubsystemAllowed([]byte{0, 0}) {
		t.Error("a malformed payload is allowed")
	}
}
