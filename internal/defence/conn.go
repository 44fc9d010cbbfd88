package defence

import (
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// TrackedConn is an accepted connection that runs its release once, the
// first time it is closed (freeing its Slot), and notes when the client last
// sent anything, for keepalives.
type TrackedConn struct {
	net.Conn
	once     sync.Once
	release  func()
	lastRead atomic.Int64 // unix nanoseconds of the client's last bytes
}

// NewTrackedConn wraps c, accepted at now; release runs when it is first
// closed.
func NewTrackedConn(c net.Conn, now time.Time, release func()) *TrackedConn {
	t := &TrackedConn{Conn: c, release: release}
	t.lastRead.Store(now.UnixNano())
	return t
}

// Close closes the connection and, the first time, releases it.
func (t *TrackedConn) Close() error {
	err := t.Conn.Close()
	t.once.Do(t.release)
	return err
}

// Read notes when the client last sent anything: a connection that has
// sent nothing for a keepalive interval gets a keepalive request.
func (t *TrackedConn) Read(p []byte) (int, error) {
	n, err := t.Conn.Read(p)
	if n > 0 {
		t.lastRead.Store(time.Now().UnixNano())
	}
	return n, err
}

// SilentFor is how long the client has sent nothing, at now.
func (t *TrackedConn) SilentFor(now time.Time) time.Duration {
	return now.Sub(time.Unix(0, t.lastRead.Load()))
}
