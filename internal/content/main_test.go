package content

import (
	"os"
	"testing"

	"sshblog/internal/testwait"
)

// TestMain gives a post's Liquid the tests' patience: the tests of its
// count and size limits must meet those limits, not the clock, on a busy
// machine. TestLiquidBudgetClock tests the clock itself.
func TestMain(m *testing.M) {
	liquidTimeout = testwait.Patience
	os.Exit(m.Run())
}
