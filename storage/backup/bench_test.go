package backup

import (
	"bytes"
	"crypto/rand"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"context"

	"golang.org/x/crypto/chacha20poly1305"
)

// discardTarget drops what is put (benchmarks: the CPU-bound rate).
type discardTarget struct{ Target }

func (discardTarget) Put(context.Context, string, []byte) error { return nil }

// BenchmarkIncremental: a ~50 MB item of ~200-byte records backed up in
// full, then with 1% more records appended, then unchanged.
//
//	go test -run '^$' -bench BenchmarkIncremental -benchtime 1x ./storage/backup/
func BenchmarkIncremental(b *testing.B) {
	base := records(30, 250_000) // ~50 MB
	grown := append(append([]byte(nil), base...), records(31, 2_500)...)
	b.SetBytes(int64(len(base)))
	b.ResetTimer()
	var full, inc, same Stats
	for range b.N {
		b.StopTimer()
		r, _, _ := newDirRepo(b)
		b.StartTimer()
		var err error
		if _, full, err = r.Backup(bg, []Item{bytesItem("acctlog", base)}, BackupOptions{}); err != nil {
			b.Fatal(err)
		}
		if _, inc, err = r.Backup(bg, []Item{bytesItem("acctlog", grown)}, BackupOptions{}); err != nil {
			b.Fatal(err)
		}
		if _, same, err = r.Backup(bg, []Item{bytesItem("acctlog", grown)}, BackupOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(inc.Uploaded)/float64(full.Uploaded), "uploaded-ratio")
	b.ReportMetric(float64(same.Uploaded), "unchanged-bytes")
	b.ReportMetric(float64(full.Chunks), "chunks")
	b.ReportMetric(float64(full.ManifestBytes), "manifest-bytes")
}

// BenchmarkDirThroughput: backup of 256 MB of random data from a file to
// a directory target, against io.Copy of the same file to a file (no
// fsync) in the same run.
//
//	go test -run '^$' -bench BenchmarkDirThroughput -benchtime 2x -cpuprofile cpu.out ./storage/backup/
func BenchmarkDirThroughput(b *testing.B) {
	const size = 256 << 20
	dir := b.TempDir()
	src := filepath.Join(dir, "src")
	f, err := os.Create(src)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := f.Write(benchSource(size)); err != nil {
		b.Fatal(err)
	}
	f.Close()
	item := Item{Name: "media/big", Size: size, Open: func() (io.ReadCloser, error) { return os.Open(src) }}
	s, _ := testSecret(b)
	var backupTime, copyTime, syncedCopyTime, discardTime, chunkerTime time.Duration
	b.SetBytes(size)
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		repoDir := filepath.Join(dir, "repo", string(rune('a'+i%26)))
		os.RemoveAll(repoDir)
		d, _ := NewDir(repoDir)
		r, err := Init(bg, d, s)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0 := time.Now()
		if _, _, err := r.Backup(bg, []Item{item}, BackupOptions{}); err != nil {
			b.Fatal(err)
		}
		backupTime += time.Since(t0)
		b.StopTimer()
		os.RemoveAll(repoDir)

		// The same backup to a target that drops objects (CPU bound), and
		// the chunker alone: where the time goes.
		r.t = discardTarget{r.t}
		t0 = time.Now()
		if _, _, err := r.Backup(bg, []Item{item}, BackupOptions{}); err != nil {
			b.Fatal(err)
		}
		discardTime += time.Since(t0)
		t0 = time.Now()
		in, _ := os.Open(src)
		ch, err := r.keys.newCutter()
		if err != nil {
			b.Fatal(err)
		}
		ch.reset(in)
		buf := make([]byte, maxChunkSize)
		for {
			if _, err := ch.next(buf); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
		in.Close()
		ch.release()
		chunkerTime += time.Since(t0)

		for _, synced := range []bool{false, true} {
			t0 := time.Now()
			in, _ := os.Open(src)
			out, _ := os.Create(filepath.Join(dir, "copy"))
			if _, err := io.Copy(out, in); err != nil {
				b.Fatal(err)
			}
			if synced {
				out.Sync()
			}
			in.Close()
			out.Close()
			if synced {
				syncedCopyTime += time.Since(t0)
			} else {
				copyTime += time.Since(t0)
			}
			os.Remove(filepath.Join(dir, "copy"))
		}
		b.StartTimer()
	}
	mbps := func(d time.Duration) float64 { return float64(size) * float64(b.N) / d.Seconds() / 1e6 }
	b.ReportMetric(mbps(backupTime), "backup-MB/s")
	b.ReportMetric(mbps(copyTime), "copy-MB/s")
	b.ReportMetric(mbps(syncedCopyTime), "copy+fsync-MB/s")
	b.ReportMetric(mbps(discardTime), "no-store-MB/s")
	b.ReportMetric(mbps(chunkerTime), "chunker-only-MB/s")
	b.ReportMetric(copyTime.Seconds()/backupTime.Seconds(), "throughput-ratio")
	b.ReportMetric(syncedCopyTime.Seconds()/backupTime.Seconds(), "vs-fsynced-copy-ratio")
}

var benchData []byte

// benchSource returns the same random bytes on every call (generated
// once, to keep the generator out of repeated profiles).
func benchSource(n int) []byte {
	if len(benchData) != n {
		benchData = randomBytes(50, n)
	}
	return benchData
}

// BenchmarkWrongKey: time from Open to ErrWrongKey, passphrase (Argon2id)
// and recovery key.
//
//	go test -run '^$' -bench BenchmarkWrongKey ./storage/backup/
func BenchmarkWrongKey(b *testing.B) {
	d, _ := NewDir(b.TempDir())
	right, _ := PassphraseSecret("the right passphrase")
	wrong, _ := PassphraseSecret("the wrong passphrase")
	if _, err := Init(bg, d, right); err != nil {
		b.Fatal(err)
	}
	d2, _ := NewDir(b.TempDir())
	rk, _ := testSecret(b)
	if _, err := Init(bg, d2, rk); err != nil {
		b.Fatal(err)
	}
	wrongRK, _ := testSecret(b)
	for _, c := range []struct {
		name string
		t    Target
		s    Secret
	}{{"passphrase", d, wrong}, {"recovery-key", d2, wrongRK}} {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				if _, err := Open(bg, c.t, c.s); err == nil {
					b.Fatal("opened with a wrong secret")
				}
			}
		})
	}
}

// BenchmarkSeal compares the AEADs for a typical chunk (the pick:
// AES-256-GCM).
func BenchmarkSeal(b *testing.B) {
	plain := randomBytes(40, 384<<10)
	key := make([]byte, 32)
	x, _ := chacha20poly1305.NewX(key)
	for _, c := range []struct {
		name string
		seal func(dst []byte) []byte
	}{
		{"aes256gcm", func(dst []byte) []byte {
			out, _ := seal(newGCM(key), dst, "data/x", plain)
			return out
		}},
		{"xchacha20poly1305", func(dst []byte) []byte {
			n := make([]byte, x.NonceSize())
			rand.Read(n)
			return x.Seal(dst[:0], n, plain, []byte("data/x"))
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(plain)))
			dst := make([]byte, 0, len(plain)+64)
			for range b.N {
				dst = c.seal(dst)
			}
		})
	}
}

// BenchmarkChunker compares the chunkers on random data (the pick for new
// repositories: keyed FastCDC). Both copy each chunk out, as Backup does.
func BenchmarkChunker(b *testing.B) {
	data := benchSource(64 << 20)
	s, _ := testSecret(b)
	for _, f := range []repoFormat{{Chunker: chunkerRabin}, {Chunker: chunkerFastCDC}} {
		name := f.Chunker
		if name == "" {
			name = "restic-rabin"
		}
		b.Run(name, func(b *testing.B) {
			d, _ := NewDir(b.TempDir())
			r, err := initFormat(bg, d, s, f)
			if err != nil {
				b.Fatal(err)
			}
			ch, err := r.keys.newCutter()
			if err != nil {
				b.Fatal(err)
			}
			buf := make([]byte, maxChunkSize)
			b.SetBytes(int64(len(data)))
			chunks := 0
			for range b.N {
				ch.reset(bytes.NewReader(data))
				for {
					if _, err := ch.next(buf); err == io.EOF {
						break
					} else if err != nil {
						b.Fatal(err)
					}
					chunks++
				}
			}
			b.ReportMetric(float64(len(data))*float64(b.N)/float64(chunks)/1024, "KiB/chunk")
		})
	}
}

// BenchmarkChunkName compares the keyed hashes naming a typical chunk
// (the pick for new repositories: keyed BLAKE3).
func BenchmarkChunkName(b *testing.B) {
	plain := randomBytes(41, 320<<10)
	for _, naming := range []string{namingHMAC, namingBLAKE3} {
		name := naming
		if name == "" {
			name = "hmac-sha256"
		}
		b.Run(name, func(b *testing.B) {
			k := repoKeys{master: make([]byte, 32)}.derive("00", repoFormat{Naming: naming})
			h := k.newNameHash()
			var id []byte
			b.SetBytes(int64(len(plain)))
			for range b.N {
				id = chunkID(h, id[:0], plain)
			}
		})
	}
}
