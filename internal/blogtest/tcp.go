package blogtest

import (
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

// DialTCP opens a bare TCP connection: a client that speaks no SSH. It is
// closed when the test ends.
func DialTCP(t testing.TB, addr string) *net.TCPConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, Patience)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c.(*net.TCPConn)
}

// FreeAddr is a loopback address nothing listens on just now: for a
// process the test starts, which must be told its address beforehand.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// ResetConn vanishes like a client whose machine died: an RST, no FIN.
func ResetConn(c *net.TCPConn) {
	_ = c.SetLinger(0)
	_ = c.Close()
}

// ReadUntilClosed reads c until the server closes it (or Patience passes)
// and returns what the server sent and whether it closed.
func ReadUntilClosed(c net.Conn) ([]byte, bool) {
	_ = c.SetReadDeadline(time.Now().Add(Patience))
	b, err := io.ReadAll(c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return b, false
	}
	return b, true
}
