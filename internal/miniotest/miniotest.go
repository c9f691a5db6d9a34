// Package miniotest starts a real MinIO server on loopback for tests of
// the S3 target (storage/backup) and of the CLI against it (cmd/pigeon).
//
// The minio binary comes from $PIGEON_MINIO or PATH (.ci/run installs
// the pinned release and puts it on PATH). Without one a test skips,
// unless PIGEON_REQUIRE_MINIO=1 (CI), where it fails.
package miniotest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Server is a running MinIO server.
type Server struct {
	Addr      string // 127.0.0.1:PORT, plain http
	AccessKey string // the root user
	SecretKey string
	Region    string
}

// Start starts MinIO on 127.0.0.1 with fresh random credentials and data
// in tb.TempDir(), waits until it is live, makes the buckets, and stops
// it at cleanup.
func Start(tb testing.TB, buckets ...string) *Server {
	tb.Helper()
	bin := os.Getenv("PIGEON_MINIO")
	if bin == "" {
		bin, _ = exec.LookPath("minio")
	}
	if bin == "" {
		if os.Getenv("PIGEON_REQUIRE_MINIO") == "1" {
			tb.Fatal("no minio binary in PATH or $PIGEON_MINIO, and PIGEON_REQUIRE_MINIO=1")
		}
		tb.Skip("no minio binary in PATH or $PIGEON_MINIO")
	}
	s := &Server{Addr: freeAddr(tb), AccessKey: randomHex(tb, 8), SecretKey: randomHex(tb, 16), Region: "us-east-1"}
	cmd := exec.Command(bin, "server", "--quiet", "--address", s.Addr, "--console-address", freeAddr(tb), filepath.Join(tb.TempDir(), "data"))
	cmd.Env = append(os.Environ(), "MINIO_ROOT_USER="+s.AccessKey, "MINIO_ROOT_PASSWORD="+s.SecretKey, "MINIO_BROWSER=off", "MINIO_UPDATE=off")
	logs := new(syncBuffer)
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	tb.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get("http://" + s.Addr + "/minio/health/live")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case <-done:
			tb.Fatalf("minio exited: %s", logs.String())
		default:
		}
		if time.Now().After(deadline) {
			tb.Fatalf("minio not live after 60 s: %v\n%s", err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	mc, err := minio.New(s.Addr, &minio.Options{Creds: credentials.NewStaticV4(s.AccessKey, s.SecretKey, ""), BucketLookup: minio.BucketLookupPath})
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, b := range buckets {
		if err := mc.MakeBucket(ctx, b, minio.MakeBucketOptions{Region: s.Region}); err != nil {
			tb.Fatal(err)
		}
	}
	return s
}

func freeAddr(tb testing.TB) string {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func randomHex(tb testing.TB, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// syncBuffer collects the server's output; the process writes it from
// its own goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
