package node

import (
	"context"
	"log/slog"

	golog "github.com/ipfs/go-log/v2"
	"go.uber.org/zap/zapcore"
)

// routeGoLog sends the logs of go-log users (kad-dht, parts of libp2p) to h.
// go-log is process-wide, like libp2p's own logging.
func routeGoLog(h slog.Handler) {
	golog.SetPrimaryCore(&zapToSlog{h: h})
}

// zapToSlog is a zapcore.Core that writes entries to a slog.Handler, with
// the entry's fields as attributes.
type zapToSlog struct {
	h      slog.Handler
	fields []zapcore.Field
}

func zapLevel(l zapcore.Level) slog.Level {
	switch {
	case l >= zapcore.ErrorLevel:
		return slog.LevelError
	case l == zapcore.WarnLevel:
		return slog.LevelWarn
	case l == zapcore.InfoLevel:
		return slog.LevelInfo
	}
	return slog.LevelDebug
}

func (z *zapToSlog) Enabled(l zapcore.Level) bool {
	return z.h.Enabled(context.Background(), zapLevel(l))
}

func (z *zapToSlog) With(fields []zapcore.Field) zapcore.Core {
	return &zapToSlog{h: z.h, fields: append(append([]zapcore.Field(nil), z.fields...), fields...)}
}

func (z *zapToSlog) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if z.Enabled(e.Level) {
		return ce.AddCore(e, z)
	}
	return ce
}

func (z *zapToSlog) Write(e zapcore.Entry, fields []zapcore.Field) error {
	enc := zapcore.NewMapObjectEncoder()
	for _, f := range z.fields {
		f.AddTo(enc)
	}
	for _, f := range fields {
		f.AddTo(enc)
	}
	r := slog.NewRecord(e.Time, zapLevel(e.Level), e.Message, 0)
	if e.LoggerName != "" {
		r.AddAttrs(slog.String("logger", e.LoggerName))
	}
	for k, v := range enc.Fields {
		r.AddAttrs(slog.Any(k, v))
	}
	return z.h.Handle(context.Background(), r)
}

func (z *zapToSlog) Sync() error { return nil }
