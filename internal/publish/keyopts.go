package publish

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// entry is one line of an authorized_keys-format file: a key and what its
// options (sshd(8), AUTHORIZED_KEYS FILE FORMAT) allow.
type entry struct {
	key  gossh.PublicKey
	name string // the comment
	line int

	// refused says why the line lets nobody in (an option the blog does
	// not support, or one that does not parse); "" for a usable line.
	refused string

	ca         bool      // cert-authority: the key signs user certificates
	principals []string  // principals= (nil: the user name must be a principal)
	from       string    // from= patterns; "" for none
	expires    time.Time // expiry-time=; zero for none
	command    string    // command=; "" for none
}

// acceptedFlags are the options without a value that are accepted: each
// takes away something the blog never grants (forwarding, agents, X11, rc
// files), or asks for what it always does (a PTY, a touch of a FIDO key,
// which x/crypto requires of every security-key signature).
var acceptedFlags = map[string]bool{
	"restrict": true, "pty": true, "no-pty": true,
	"no-port-forwarding": true, "no-agent-forwarding": true, "no-x11-forwarding": true,
	"no-user-rc": true, "touch-required": true, "no-touch-required": true,
}

// readKeysFile reads an authorized_keys-format file (ca: every line is a
// certificate authority). A line that does not parse is skipped; a line
// with an option the blog does not honour is kept but refuses its key.
// Each is logged once, naming the file, the line and the option.
func readKeysFile(path string, ca bool, log *slog.Logger) []*entry {
	data, err := os.ReadFile(path)
	if err != nil {
		log.Warn("read authors", "path", path, "err", err)
		return nil
	}
	var out []*entry
	for i, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, comment, options, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			log.Warn("skip authors line", "path", path, "line", i+1, "err", fmt.Errorf("parse key: %w", err))
			continue
		}
		e := &entry{key: key, name: comment, line: i + 1, ca: ca}
		opt, err := e.setOptions(options)
		switch {
		case err != nil:
			e.refused = err.Error()
			log.Warn("authors line refused", "path", path, "line", i+1, "option", opt, "err", err)
		case e.principals != nil && !e.ca:
			e.refused = "principals= is only for a cert-authority line"
			log.Warn("authors line refused", "path", path, "line", i+1, "option", "principals", "err", e.refused)
		}
		e.note(path, options, log)
		out = append(out, e)
	}
	return out
}

// errUnsupported means an option the blog does not honour: the line lets
// nobody in rather than let its key in without the option's limit.
var errUnsupported = errors.New("option not supported here: the key is refused")

// setOptions applies a line's options; on error it returns the option that
// failed.
func (e *entry) setOptions(options []string) (string, error) {
	for _, o := range options {
		name, raw, hasValue := strings.Cut(o, "=")
		name = strings.ToLower(name) // sshd matches option names in any case
		if !hasValue {
			if name == "cert-authority" {
				e.ca = true
			} else if !acceptedFlags[name] {
				return name, errUnsupported
			}
			continue
		}
		value, err := dequote(raw)
		if err != nil {
			return name, err
		}
		switch name {
		case "command":
			if e.command != "" {
				return name, errors.New("more than one command=")
			}
			if value == "" {
				return name, errors.New("command= is empty: the key could run nothing")
			}
			e.command = value
		case "from":
			if e.from != "" {
				return name, errors.New("more than one from=")
			}
			if err := checkFrom(value); err != nil {
				return name, err
			}
			e.from = value
		case "expiry-time":
			t, err := parseExpiry(value, time.Local)
			if err != nil {
				return name, err
			}
			if e.expires.IsZero() || t.Before(e.expires) { // sshd keeps the earliest
				e.expires = t
			}
		case "principals":
			if e.principals != nil {
				return name, errors.New("more than one principals=")
			}
			e.principals = strings.Split(value, ",")
		case "environment":
			// Ignored (noted once): the blog runs no program to pass it to.
		default:
			return name, errUnsupported
		}
	}
	return "", nil
}

// note logs what the blog reads differently from sshd on a usable line:
// environment= is ignored, and a from= hostname pattern never matches.
func (e *entry) note(path string, options []string, log *slog.Logger) {
	if e.refused != "" {
		return
	}
	for _, o := range options {
		if strings.HasPrefix(strings.ToLower(o), "environment=") {
			log.Info("authors line: environment= ignored (the blog runs no program to pass it to)", "path", path, "line", e.line)
		}
	}
	for _, p := range strings.Split(e.from, ",") {
		if p = strings.TrimPrefix(p, "!"); hostnamePattern(p) {
			log.Info("authors line: from= hostname pattern never matches (names are not resolved; use addresses)",
				"path", path, "line", e.line, "pattern", p)
		}
	}
}

// dequote reads an option's value as sshd does: in double quotes, where
// \" stands for a quote and every other byte for itself.
func dequote(raw string) (string, error) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", errors.New("the value must be in double quotes")
	}
	return strings.ReplaceAll(raw[1:len(raw)-1], `\"`, `"`), nil
}
