package render

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"sshblog/internal/content"
)

func TestScratch(t *testing.T) {
	f := os.Getenv("SCRATCH")
	if f == "" {
		t.Skip()
	}
	b, _ := os.ReadFile(f)
	w, _ := strconv.Atoi(os.Getenv("W"))
	st := Plain
	if os.Getenv("S") == "dark" {
		st = Dark
	}
	r := New(Options{})
	out, err := r.Render(context.Background(), &content.Post{Body: string(b)}, w, st)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println(out)
}
