package content

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	// Embedded zone data, so a post's "timezone: Europe/Lisbon" works even in
	// a minimal container without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// Time zones. A date written without a zone ("2024-10-04", "2024-10-04T10:00",
// a TOML local date) is read in the zone the post's front matter names in
// "timezone" (an IANA name, e.g. timezone: America/Sao_Paulo), else in the
// site's (Jekyll's timezone, Hugo's timeZone: [Options.Zone]), else in UTC.
// UTC, not the server's zone, so the same folder gives the same dates on
// every machine.
// Dates that carry an offset keep it: the author's wall clock is what a reader
// sees, and ordering compares instants.

// timeValue is a decoded TOML date: zoned is false for TOML's local dates
// and date-times, which get the post's zone later.
type timeValue struct {
	t     time.Time
	zoned bool
}

// tomlTime recognises BurntSushi/toml's dates. Local ones come back with
// placeholder zones named "date-local", "datetime-local" and "time-local".
func tomlTime(v any) (timeValue, bool) {
	t, ok := v.(time.Time)
	if !ok {
		return timeValue{}, false
	}
	switch t.Location().String() {
	case "date-local", "datetime-local", "time-local":
		return timeValue{t: t, zoned: false}, true
	}
	return timeValue{t: t, zoned: true}, true
}

// in places a zoneless date in loc, keeping its wall clock.
func (v timeValue) in(loc *time.Location) time.Time {
	if v.zoned {
		return v.t
	}
	y, m, d := v.t.Date()
	return time.Date(y, m, d, v.t.Hour(), v.t.Minute(), v.t.Second(), v.t.Nanosecond(), loc)
}

// dateLayouts are the accepted spellings, most specific first. Fractional
// seconds are accepted after the seconds by every layout (time.Parse does so).
var dateLayouts = []struct {
	layout string
	zoned  bool
}{
	{time.RFC3339, true},                    // 2024-10-04T10:00:00+02:00, ...Z
	{"2006-01-02T15:04:05Z0700", true},      // 2024-10-04T10:00:00+0200
	{"2006-01-02T15:04Z07:00", true},        // 2024-10-04T10:00+02:00
	{"2006-01-02 15:04:05 -0700", true},     // Jekyll: 2024-10-04 10:00:00 +0200
	{"2006-01-02 15:04:05 -07:00", true},    // 2024-10-04 10:00:00 +02:00
	{"2006-01-02 15:04:05Z07:00", true},     // 2024-10-04 10:00:00+02:00
	{"2006-01-02 15:04 -0700", true},        // 2024-10-04 10:00 +0200
	{"2006-01-02 15:04:05 -0700 MST", true}, // Go's time.Time.String
	{"2006-01-02T15:04:05", false},          // 2024-10-04T10:00:00
	{"2006-01-02T15:04", false},             // 2024-10-04T10:00
	{"2006-01-02 15:04:05", false},
	{"2006-01-02 15:04", false},
	{"2006-01-02", false},
}

// parseDate reads a date in any of the accepted spellings; zoneless ones are
// read in loc.
func parseDate(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if l.zoned {
			if t, err := time.Parse(l.layout, s); err == nil {
				return t, nil
			}
			continue
		}
		if t, err := time.ParseInLocation(l.layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: date %q is not YYYY-MM-DD, RFC 3339 or YYYY-MM-DD HH:MM:SS +ZZZZ", ErrBadField, s)
}

// fieldDate reads a date field of either front matter format.
func fieldDate(f field, loc *time.Location) (time.Time, error) {
	switch f.kind {
	case timeField:
		return f.time.in(loc), nil
	case scalarField:
		return parseDate(f.str, loc)
	}
	return time.Time{}, fmt.Errorf("%w: date is a list or a map", ErrBadField)
}

var jekyllName = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})-(.+)$`)

// jekyllDate splits a Jekyll file name ("2024-10-04-my-post", without its
// extension) into its date and the rest. ok is false when the name does not
// start with a valid date.
func jekyllDate(name string, loc *time.Location) (date time.Time, rest string, ok bool) {
	m := jekyllName.FindStringSubmatch(name)
	if m == nil {
		return time.Time{}, name, false
	}
	t, err := time.ParseInLocation("2006-01-02", m[1], loc)
	if err != nil {
		return time.Time{}, name, false
	}
	return t, m[2], true
}

// location reads the "timezone" field; zone (the site's, nil for UTC) when
// absent or unusable.
func location(fields map[string]field, zone *time.Location) (*time.Location, error) {
	if zone == nil {
		zone = time.UTC
	}
	f, ok := fields["timezone"]
	if !ok || f.kind != scalarField || strings.TrimSpace(f.str) == "" {
		return zone, nil
	}
	loc, err := time.LoadLocation(strings.TrimSpace(f.str))
	if err != nil {
		return zone, fmt.Errorf("%w: timezone %q: %v", ErrBadField, f.str, err)
	}
	return loc, nil
}
