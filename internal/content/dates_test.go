package content

import (
	"errors"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	lisbon, err := time.LoadLocation("Europe/Lisbon")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   string
		loc  *time.Location
		want time.Time
	}{
		{"2024-10-04", time.UTC, date("2024-10-04T00:00:00Z")},
		{" 2024-10-04 ", time.UTC, date("2024-10-04T00:00:00Z")},
		{"2024-10-04", lisbon, date("2024-10-03T23:00:00Z")},
		{"2024-10-04T10:00:00Z", time.UTC, date("2024-10-04T10:00:00Z")},
		{"2024-10-04T10:00:00.5+02:00", time.UTC, date("2024-10-04T08:00:00.5Z")},
		{"2024-10-04T10:00:00+0200", time.UTC, date("2024-10-04T08:00:00Z")},
		{"2024-10-04T10:00+02:00", time.UTC, date("2024-10-04T08:00:00Z")},
		{"2024-10-04 10:00:00 +0200", time.UTC, date("2024-10-04T08:00:00Z")},
		{"2024-10-04 10:00:00 -07:00", time.UTC, date("2024-10-04T17:00:00Z")},
		{"2024-10-04 10:00 +0200", time.UTC, date("2024-10-04T08:00:00Z")},
		{"2024-10-04 10:00:00 +0000 UTC", time.UTC, date("2024-10-04T10:00:00Z")},
		{"2024-10-04T10:00", time.UTC, date("2024-10-04T10:00:00Z")},
		{"2024-10-04T10:00:30", lisbon, date("2024-10-04T09:00:30Z")},
		{"2024-10-04 10:00:00", time.UTC, date("2024-10-04T10:00:00Z")},
		{"2024-10-04 10:00", time.UTC, date("2024-10-04T10:00:00Z")},
	}
	for _, tt := range tests {
		got, err := parseDate(tt.in, tt.loc)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("parseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "04/10/2024", "2024-13-01", "2024-10-04T25:00"} {
		if _, err := parseDate(bad, time.UTC); !errors.Is(err, ErrBadField) {
			t.Errorf("parseDate(%q) err = %v, want ErrBadField", bad, err)
		}
	}
}

func TestJekyllDate(t *testing.T) {
	tests := []struct {
		name, rest string
		ok         bool
	}{
		{"2024-10-04-hello-world", "hello-world", true},
		{"2024-10-04-", "2024-10-04-", false},
		{"2024-02-30-bad", "2024-02-30-bad", false},
		{"hello", "hello", false},
		{"24-10-04-short", "24-10-04-short", false},
	}
	for _, tt := range tests {
		d, rest, ok := jekyllDate(tt.name, time.UTC)
		if ok != tt.ok || rest != tt.rest || (ok && d.Format("2006-01-02") != tt.name[:10]) {
			t.Errorf("jekyllDate(%q) = %v %q %v", tt.name, d, rest, ok)
		}
	}
}
