package backup

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/pigeon-net/pigeon/internal/miniotest"
)

// fakeS3 serves an in-process S3 (gofakes3) over TLS on 127.0.0.1.
func fakeS3(t *testing.T, bucket string) S3Options {
	t.Helper()
	be := s3mem.New()
	if err := be.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(gofakes3.New(be).Server())
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the bad-CA test's handshake failures
	srv.StartTLS()
	t.Cleanup(srv.Close)
	pool := srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	return S3Options{
		Endpoint:  strings.TrimPrefix(srv.URL, "https://"),
		Region:    "us-east-1",
		AccessKey: "test-access", SecretKey: "test-secret-key",
		PathStyle: true,
		RootCAs:   pool,
	}
}

// s3RoundTrip: init, two backups, restore, verify, forget+prune, and the
// Target contract, against any S3 endpoint.
func s3RoundTrip(t *testing.T, bucket string, o S3Options) {
	t.Helper()
	ctx, cancel := context.WithTimeout(bg, 2*time.Minute)
	defer cancel()
	tg, err := NewS3(bucket, "pigeon/alice", o)
	if err != nil {
		t.Fatal(err)
	}
	if s := tg.String(); strings.Contains(s, o.SecretKey) || strings.Contains(s, o.AccessKey) {
		t.Fatalf("String() shows credentials: %s", s)
	}
	if _, err := tg.Get(ctx, "config"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get of a missing object: %v", err)
	}
	if err := tg.Delete(ctx, "data/none"); err != nil {
		t.Fatalf("delete of a missing object: %v", err)
	}
	s, _ := testSecret(t)
	r, err := Init(ctx, tg, s)
	if err != nil {
		t.Fatal(err)
	}
	data := map[string][]byte{"acctlog": records(20, 10000), "media/a": randomBytes(21, 1<<20)}
	s1, st, err := r.Backup(ctx, itemsOf(data), BackupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r2, err := Open(ctx, tg, s)
	if err != nil {
		t.Fatal(err)
	}
	mustRestoreEqual(t, r2, "latest", data)
	data["acctlog"] = append(data["acctlog"], records(22, 100)...)
	_, st2, err := r2.Backup(ctx, itemsOf(data), BackupOptions{Time: s1.Time.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if st2.Uploaded*3 > st.Uploaded {
		t.Fatalf("incremental uploaded %d of %d", st2.Uploaded, st.Uploaded)
	}
	mustRestoreEqual(t, r2, "latest", data)
	if _, err := r2.Verify(ctx, true, nil); err != nil {
		t.Fatal(err)
	}
	objs, err := tg.List(ctx, "snapshots/")
	if err != nil || len(objs) != 2 || !strings.HasPrefix(objs[0].Name, "snapshots/") || objs[0].Size <= 0 {
		t.Fatalf("list snapshots/: %+v %v", objs, err)
	}
	removed, err := r2.Forget(ctx, Retention{Daily: 1}, s1.Time.Add(2*time.Hour))
	if err != nil || len(removed) != 1 || removed[0] != s1.ID {
		t.Fatalf("forget: %v %v", removed, err)
	}
	r2.now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	if n, _, err := r2.Prune(ctx); err != nil || n == 0 {
		t.Fatalf("prune: %d %v", n, err)
	}
	mustRestoreEqual(t, r2, "latest", data)
}

func TestS3FakeTLS(t *testing.T) {
	o := fakeS3(t, "backups")
	o.Endpoint = "https://" + o.Endpoint + "/" // as pasted from a browser
	s3RoundTrip(t, "backups", o)
	if _, err := NewS3("backups", "", S3Options{Endpoint: "http://127.0.0.1:9000"}); err == nil {
		t.Fatal("plain http endpoint accepted without Insecure")
	}
}

// TestS3VirtualHost: without PathStyle the bucket goes in the host name
// (bucket.endpoint), as AWS and R2 want.
func TestS3VirtualHost(t *testing.T) {
	be := s3mem.New()
	if err := be.CreateBucket("backups"); err != nil {
		t.Fatal(err)
	}
	hosts := make(chan string, 1000)
	srv := httptest.NewUnstartedServer(nil)
	addr := srv.Listener.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	fake := gofakes3.New(be, gofakes3.WithHostBucketBase("pigeon.test:"+port)).Server()
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case hosts <- r.Host:
		default:
		}
		fake.ServeHTTP(w, r)
	})
	srv.Start()
	t.Cleanup(srv.Close)
	s3Dial = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	t.Cleanup(func() { s3Dial = nil })
	o := S3Options{Endpoint: "pigeon.test:" + port, Region: "us-east-1", AccessKey: "a", SecretKey: "b", Insecure: true}
	tg, err := NewS3("backups", "p", o)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := testSecret(t)
	r, err := Init(bg, tg, s)
	if err != nil {
		t.Fatal(err)
	}
	data := map[string][]byte{"a": records(25, 1000)}
	if _, _, err := r.Backup(bg, itemsOf(data), BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	mustRestoreEqual(t, r, "latest", data)
	if h := <-hosts; h != "backups.pigeon.test:"+port {
		t.Fatalf("request to host %q, want the bucket in the host name", h)
	}
}

func TestS3FakeFaults(t *testing.T) {
	o := fakeS3(t, "backups")
	tg, err := NewS3("backups", "", o)
	if err != nil {
		t.Fatal(err)
	}
	ft := &faultTarget{Target: tg}
	s, _ := testSecret(t)
	r, err := Init(bg, ft, s)
	if err != nil {
		t.Fatal(err)
	}
	first := map[string][]byte{"acctlog": records(23, 3000)}
	if _, _, err := r.Backup(bg, itemsOf(first), BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	second := map[string][]byte{"acctlog": records(23, 3000), "media/v": randomBytes(24, 6<<20)}
	ft.setHook(func(_ context.Context, n int64, name string) error {
		if n > 4 {
			return errors.New("connection reset by peer")
		}
		return nil
	})
	if _, _, err := r.Backup(bg, itemsOf(second), BackupOptions{}); err == nil {
		t.Fatal("backup through failing puts succeeded")
	}
	ft.setHook(nil)
	mustRestoreEqual(t, r, "latest", first)
	_, st, err := r.Backup(bg, itemsOf(second), BackupOptions{})
	if err != nil || st.NewChunks >= st.Chunks {
		t.Fatalf("resumed run: %+v %v", st, err)
	}
	mustRestoreEqual(t, r, "latest", second)

	// A wrong CA: the TLS handshake fails, and says so.
	o.RootCAs = nil
	tg2, _ := NewS3("backups", "", o)
	if _, err := Open(bg, tg2, s); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("open without the server's CA: %v", err)
	}
}

// TestMinIO runs a round trip against a real MinIO server started from the
// minio binary in PATH (or $PIGEON_MINIO) on 127.0.0.1, path-style.
func TestMinIO(t *testing.T) {
	srv := miniotest.Start(t, "pigeon-backups")
	s3RoundTrip(t, "pigeon-backups", S3Options{Endpoint: srv.Addr, Region: srv.Region, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey, PathStyle: true, Insecure: true})
}
