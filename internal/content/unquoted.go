package content

// splitUnquoted splits s at every byte sep says is a separator, except
// inside a '…' or "…" string (an unclosed quote runs to the end). Parts
// may be empty; the separators go.
func splitUnquoted(s string, sep func(byte) bool) []string {
	var parts []string
	start, quote := 0, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case sep(c):
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}
