package cli

import (
	"context"
	"errors"
	"testing"
)

func TestForget(t *testing.T) {
	env := testEnv(t)
	forgetting := func(found bool, err error) Env {
		e := env
		e.Forget = func(context.Context) (bool, error) { return found, err }
		return e
	}
	runCases(t, forgetting(true, nil), []cliCase{
		{name: "found", args: []string{"forget"}, stdout: "Forgotten: nothing is remembered for your key any more.\n"},
		{name: "argument", args: []string{"forget", "all"}, code: 2, stderrHas: []string{"forget: takes no arguments"}},
	})
	runCases(t, forgetting(false, nil), []cliCase{
		{name: "nothing", args: []string{"forget"}, stdout: "Nothing was remembered for your key.\n"},
	})
	runCases(t, forgetting(false, ErrNoKey), []cliCase{
		{name: "no key", args: []string{"forget"}, code: 1, stderrHas: []string{"without an SSH key"}},
	})
	runCases(t, forgetting(false, ErrNoMemory), []cliCase{
		{name: "store down", args: []string{"forget"}, code: 1, stderrHas: []string{"cannot reach its memory"}},
	})
	runCases(t, forgetting(false, errors.New("disk on fire")), []cliCase{
		{name: "other error", args: []string{"forget"}, code: 1, stderrHas: []string{"forget: disk on fire"}},
	})
	runCases(t, env, []cliCase{
		{name: "memory off", args: []string{"forget"}, code: 1, stderrHas: []string{"remembers nothing"}},
	})
}
