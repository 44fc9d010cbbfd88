package cli

import (
	"fmt"
	"strings"
)

// Split splits an SSH command string into arguments with the quoting rules
// of a POSIX shell, and nothing else: no variable, glob, tilde, command or
// history expansion, no redirection, no operators. The string never reaches a
// shell.
//
//   - Unquoted spaces, tabs, newlines and carriage returns separate arguments.
//   - 'single quotes' keep everything inside literally.
//   - "double quotes" keep everything literally except \" \\ \$ \` (the
//     backslash is dropped) and backslash-newline (both are dropped).
//   - Outside quotes a backslash makes the next byte literal; backslash-newline
//     is dropped.
//   - Adjacent parts join: a'b'"c" is one argument "abc"; "" is an empty one.
//
// A quote left open or a final lone backslash is an error wrapping
// [ErrUnterminatedQuote] or [ErrTrailingBackslash]. Only ASCII bytes have a
// meaning, so UTF-8 (valid or not) passes through unchanged.
func Split(command string) ([]string, error) {
	var (
		args []string
		cur  strings.Builder
		open bool // an argument has started (it may still be empty: "")
	)
	for i := 0; i < len(command); i++ {
		c := command[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if open {
				args = append(args, cur.String())
				cur.Reset()
				open = false
			}
		case c == '\\':
			if i+1 >= len(command) {
				return nil, fmt.Errorf("split command: %w", ErrTrailingBackslash)
			}
			i++
			if command[i] != '\n' {
				cur.WriteByte(command[i])
				open = true
			}
		case c == '\'':
			end := strings.IndexByte(command[i+1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("split command: %w (' at byte %d)", ErrUnterminatedQuote, i)
			}
			cur.WriteString(command[i+1 : i+1+end])
			i += end + 1
			open = true
		case c == '"':
			n, err := doubleQuoted(&cur, command[i+1:])
			if err != nil {
				return nil, fmt.Errorf("split command: %w (\" at byte %d)", err, i)
			}
			i += n + 1
			open = true
		default:
			cur.WriteByte(c)
			open = true
		}
	}
	if open {
		args = append(args, cur.String())
	}
	return args, nil
}

// doubleQuoted copies the inside of a double-quoted part of s (which starts
// just after the opening quote) to b, and returns the index of the closing
// quote in s.
func doubleQuoted(b *strings.Builder, s string) (int, error) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			return i, nil
		case '\\':
			if i+1 < len(s) {
				switch s[i+1] {
				case '"', '\\', '$', '`':
					b.WriteByte(s[i+1])
					i++
					continue
				case '\n':
					i++
					continue
				}
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return 0, ErrUnterminatedQuote
}
