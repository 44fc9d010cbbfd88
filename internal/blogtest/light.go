package blogtest

import (
	"io"
	"strings"

	gossh "golang.org/x/crypto/ssh"
)

// LightReader is a PTY session whose output is only recorded, not drawn:
// cheap enough to hold hundreds under -race.
type LightReader struct {
	Client  *gossh.Client
	Session *gossh.Session
	Stdin   io.WriteCloser
	Out     *Buffer
	ErrOut  *Buffer
	Done    chan error // the session's end
}

// OpenLight connects a light reader with a w×h PTY running the shell.
func OpenLight(addr string, w, h int) (*LightReader, error) {
	client, err := gossh.Dial("tcp", addr, ClientConfig())
	if err != nil {
		return nil, err
	}
	return StartLight(client, w, h, "")
}

// StartLight opens a light reader on client, running cmd ("" is the
// shell); client is closed if it fails.
func StartLight(client *gossh.Client, w, h int, cmd string) (*LightReader, error) {
	sess, err := client.NewSession()
	if err != nil {
		_ = client.Close()
		return nil, err
	}
	r := &LightReader{Client: client, Session: sess, Out: &Buffer{}, ErrOut: &Buffer{}, Done: make(chan error, 1)}
	sess.Stdout, sess.Stderr = r.Out, r.ErrOut
	if r.Stdin, err = sess.StdinPipe(); err != nil {
		_ = client.Close()
		return nil, err
	}
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		_ = client.Close()
		return nil, err
	}
	if cmd == "" {
		err = sess.Shell()
	} else {
		err = sess.Start(cmd)
	}
	if err != nil {
		_ = client.Close()
		return nil, err
	}
	go func() { r.Done <- sess.Wait() }()
	return r, nil
}

// Close drops the connection.
func (r *LightReader) Close() { _ = r.Client.Close() }

// WaitOutput reports whether the output (stdout or stderr) holds want
// within Patience.
func (r *LightReader) WaitOutput(want string) bool {
	return Until(Patience, func() bool { return strings.Contains(r.Out.String()+r.ErrOut.String(), want) })
}
