package config

import (
	"io"
	"net/netip"
	"testing"
)

func TestProxyRanges(t *testing.T) {
	c := Default()
	c.ProxyFrom = "10.0.0.0/8, 192.0.2.7,2001:db8::/32"
	got, err := c.ProxyRanges()
	if err != nil || len(got) != 3 || got[1] != netip.MustParsePrefix("192.0.2.7/32") {
		t.Fatalf("ProxyRanges = %v, %v", got, err)
	}
	if _, err := Parse([]string{"--proxy-protocol-from", "10.0.0.0/33"}, nil, io.Discard); err == nil {
		t.Error("a bad range was accepted")
	}
}

func TestHostKeyFromEnvironment(t *testing.T) {
	c, err := Parse(nil, []string{HostKeyEnv + "=-----BEGIN X-----"}, io.Discard)
	if err != nil || c.HostKeyPEM != "-----BEGIN X-----" || c.HostKey != "" {
		t.Fatalf("Parse: %+v, %v", c.HostKeyPEM, err)
	}
	if _, err := Parse([]string{"--host-key", "/k"}, []string{HostKeyEnv + "=x"}, io.Discard); err == nil {
		t.Error("--host-key and SSHBLOG_HOST_KEY both accepted")
	}
}
