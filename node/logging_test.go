package node

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"go.uber.org/zap"
)

func TestZapToSlog(t *testing.T) {
	var buf bytes.Buffer
	h := slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn})
	l := zap.New(&zapToSlog{h: h}).Named("dht").With(zap.String("peer", "p1"))
	l.Info("not shown")
	l.Error("lookup failed", zap.Int("tries", 3))
	out := buf.String()
	for _, want := range []string{"lookup failed", "level=ERROR", "logger=dht", "peer=p1", "tries=3"} {
		if !strings.Contains(out, want) {
			t.Errorf("output %q lacks %q", out, want)
		}
	}
	if strings.Contains(out, "not shown") {
		t.Errorf("info entry passed a warn handler: %q", out)
	}
}
