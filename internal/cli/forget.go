package cli

import (
	"context"
	"errors"
	"fmt"
)

// forget erases what the blog remembers for the reader's key. Forgetting
// twice is not an error: either way nothing is remembered afterwards.
func (s *session) forget(ctx context.Context, args []string) error {
	if len(args) > 0 {
		return usagef("forget: takes no arguments (try: %s forget)", s.sshCommand())
	}
	if s.env.Forget == nil {
		return notFoundf("forget: this blog remembers nothing about its readers")
	}
	found, err := s.env.Forget(ctx)
	switch {
	case errors.Is(err, ErrNoKey):
		return notFoundf("forget: you came in without an SSH key, so nothing was remembered")
	case errors.Is(err, ErrNoMemory):
		return notFoundf("forget: this blog cannot reach its memory right now; try again later")
	case err != nil:
		return fmt.Errorf("forget: %w", err)
	case found:
		_, err = fmt.Fprintln(s.out, "Forgotten: nothing is remembered for your key any more.")
	default:
		_, err = fmt.Fprintln(s.out, "Nothing was remembered for your key.")
	}
	return err
}
