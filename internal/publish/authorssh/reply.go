package authorssh

import (
	"errors"
	"fmt"
	"net"
	"strings"

	"charm.land/ssh"

	"sshblog/internal/publish"
)

// reply tells the author what happened: problems with hints, warnings, and
// where to read what was published.
func (h *Handler) reply(w ssh.Session, res publish.Result, err error) {
	out := w.Stderr()
	for _, p := range res.Errors {
		fmt.Fprintf(out, "%s\n", p)
		if hint := publish.Hint(p); hint != "" {
			fmt.Fprintf(out, "  hint: %s\n", hint)
		}
	}
	for _, p := range res.Warnings {
		fmt.Fprintf(out, "warning: %s\n", p)
	}
	if err != nil {
		if errors.Is(err, publish.ErrInvalid) && len(res.Errors) > 0 {
			fmt.Fprintln(out, "nothing was published")
		} else {
			fmt.Fprintf(out, "%v; nothing was published\n", err)
		}
		return
	}
	fmt.Fprint(w, h.describe(res))
}

// describe is the success reply.
func (h *Handler) describe(res publish.Result) string {
	var b strings.Builder
	what := res.File
	if res.Title != "" {
		what = fmt.Sprintf("%q", res.Title)
	}
	switch res.Action {
	case "checked":
		fmt.Fprintf(&b, "%s looks good: it would be published as %s (%s)\n", what, res.Slug, res.File)
		return b.String()
	case "draft":
		fmt.Fprintf(&b, "saved draft %s as %s (%s, %d bytes)\n", what, res.Slug, res.File, res.Bytes)
		fmt.Fprintf(&b, "preview: %s preview %s\n", h.sshCommand("-t"), res.Slug)
	case "uploaded":
		fmt.Fprintf(&b, "uploaded %s (%d bytes)\n", res.File, res.Bytes)
	default:
		fmt.Fprintf(&b, "%s %s as %s (%s, %d bytes)\n", res.Action, what, res.Slug, res.File, res.Bytes)
		fmt.Fprintf(&b, "read it: %s read %s\n", h.sshCommand(), res.Slug)
		if base := h.BaseURL; base != "" {
			fmt.Fprintf(&b, "on the web: %s/%s\n", strings.TrimRight(base, "/"), res.Slug)
		}
	}
	if res.Kept != "" {
		fmt.Fprintf(&b, "previous version kept in %s\n", res.Kept)
	}
	return b.String()
}

// sshCommand is how to reach this blog: "ssh [opts] [-p PORT] HOST".
func (h *Handler) sshCommand(opts ...string) string {
	host, port := h.SSHHost, ""
	if hp, p, err := net.SplitHostPort(host); err == nil {
		host, port = hp, p
	}
	if port != "" && port != "22" {
		opts = append(opts, "-p", port)
	}
	return strings.Join(append(append([]string{"ssh"}, opts...), host), " ")
}
