package backup

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRecoveryKey(t *testing.T) {
	k, err := NewRecoveryKey()
	if err != nil {
		t.Fatal(err)
	}
	groups := strings.Split(k, "-")
	if len(groups) != 16 || len(strings.ReplaceAll(k, "-", "")) != 64 {
		t.Fatalf("display form %q: want 16 groups of 4", k)
	}
	s1, err := ParseRecoveryKey(k)
	if err != nil {
		t.Fatal(err)
	}
	// Forgiving: lower case, spaces instead of dashes, O for 0, l for 1.
	loose := strings.ToLower(strings.ReplaceAll(k, "-", " "))
	loose = strings.ReplaceAll(strings.ReplaceAll(loose, "0", "o"), "1", "l")
	s2, err := ParseRecoveryKey("  " + loose + "\n")
	if err != nil {
		t.Fatalf("loose form %q: %v", loose, err)
	}
	if !bytes.Equal(s1.material, s2.material) || !s1.IsRecoveryKey() {
		t.Fatal("loose form parsed to another key")
	}
	if strings.Contains(s1.String(), string(s1.material)) || !strings.Contains(s1.String(), "recovery-key") {
		t.Fatalf("String() = %q", s1.String())
	}
	raw := []byte(strings.ReplaceAll(k, "-", ""))
	for i := range raw { // every single-character typo is caught
		typo := append([]byte(nil), raw...)
		typo[i] = crockford[(strings.IndexByte(crockford, typo[i])+1)%32]
		if _, err := ParseRecoveryKey(string(typo)); !errors.Is(err, ErrBadRecoveryKey) {
			t.Fatalf("typo at %d: err = %v", i, err)
		}
	}
	for i := 0; i+1 < len(raw); i++ { // and swapped neighbours
		if raw[i] == raw[i+1] {
			continue
		}
		sw := append([]byte(nil), raw...)
		sw[i], sw[i+1] = sw[i+1], sw[i]
		if _, err := ParseRecoveryKey(string(sw)); !errors.Is(err, ErrBadRecoveryKey) {
			t.Fatalf("swap at %d: err = %v", i, err)
		}
	}
	for _, bad := range []string{"", string(raw[:63]), string(raw) + "0", strings.Replace(string(raw), string(raw[5]), "U", 1)} {
		if _, err := ParseRecoveryKey(bad); !errors.Is(err, ErrBadRecoveryKey) {
			t.Fatalf("ParseRecoveryKey(%q) = %v, want ErrBadRecoveryKey", bad, err)
		}
	}
}

func TestPassphrase(t *testing.T) {
	if _, err := PassphraseSecret("short"); !errors.Is(err, ErrWeakPassphrase) {
		t.Fatalf("short passphrase: %v", err)
	}
	if _, err := PassphraseSecret("ünïcödé!"); !errors.Is(err, ErrWeakPassphrase) {
		t.Fatalf("8 characters in 12 bytes: %v", err)
	}
	// NFC: a composed and a decomposed é are the same passphrase.
	a, err := PassphraseSecret("caf\u00e9 au lait")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := PassphraseSecret("cafe\u0301 au lait")
	if !bytes.Equal(a.material, b.material) || a.IsRecoveryKey() {
		t.Fatal("NFC forms differ")
	}
}

func TestDirRoundTrip(t *testing.T) {
	r, ft, dir := newDirRepo(t)
	data := map[string][]byte{
		"acctlog":     records(1, 20000), // ~4 MB, many chunks
		"media/empty": {},
		"media/small": []byte("hi"),
		"media/photo": randomBytes(2, 3<<20),
	}
	var last Progress
	calls := 0
	snap1, st, err := r.Backup(bg, itemsOf(data), BackupOptions{Meta: map[string]string{"account": "a1"},
		Progress: func(p Progress) { last = p; calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	if calls == 0 || last.ItemsDone != 4 || last.Items != 4 || last.BytesDone != st.Bytes || last.Uploaded != st.Uploaded {
		t.Fatalf("last progress %+v after %d calls, stats %+v", last, calls, st)
	}
	if st.Items != 4 || st.Bytes != int64(len(data["acctlog"])+len(data["media/photo"])+2) || st.NewChunks == 0 || st.NewChunks != st.Chunks {
		t.Fatalf("first backup stats %+v", st)
	}
	mustRestoreEqual(t, r, "latest", data)

	// Unchanged: only a manifest goes up.
	snap2, st2, err := r.Backup(bg, itemsOf(data), BackupOptions{Time: snap1.Time.Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if st2.NewChunks != 0 || st2.Uploaded != st2.ManifestBytes || st2.ManifestBytes > 64<<10 {
		t.Fatalf("unchanged backup stats %+v", st2)
	}

	// A new Repo from the same directory and key sees both, newest first.
	d2, _ := NewDir(dir)
	raw, _ := os.ReadFile(filepath.Join(dir, "config"))
	h, err := ParseHeader(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.CheckSecret(Secret{kind: kindRecovery, material: r.keysForTest()}); err == nil {
		t.Fatal("check accepted a wrong key")
	}
	snaps, err := r.Snapshots(bg)
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != 2 || snaps[0].ID != snap2.ID || snaps[1].ID != snap1.ID || snaps[1].Meta["account"] != "a1" || len(snaps[0].Items) != 4 {
		t.Fatalf("snapshots %+v", snaps)
	}
	mustRestoreEqual(t, r, snap1.ID, data)
	if _, err := Init(bg, d2, Secret{kind: kindRecovery, material: make([]byte, 32)}); !errors.Is(err, ErrExists) {
		t.Fatalf("Init over a repo: %v", err)
	}
	for _, full := range []bool{false, true} {
		rep, err := r.Verify(bg, full, nil)
		if err != nil || rep.Snapshots != 2 || rep.Chunks == 0 || len(rep.Problems) != 0 {
			t.Fatalf("verify full=%v: %+v %v", full, rep, err)
		}
	}
	_ = ft
}

// keysForTest returns a 32-byte value that is not the repository's key.
func (r *Repo) keysForTest() []byte { return bytes.Repeat([]byte{7}, 32) }

func TestIncrementalAppend(t *testing.T) {
	r, _, _ := newDirRepo(t)
	base := records(3, 50000) // ~10 MB
	_, full, err := r.Backup(bg, []Item{bytesItem("acctlog", base)}, BackupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	grown := append(append([]byte(nil), base...), records(4, 500)...)
	_, inc, err := r.Backup(bg, []Item{bytesItem("acctlog", grown)}, BackupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if inc.Uploaded*10 > full.Uploaded {
		t.Fatalf("appending 1%% uploaded %d of a full %d", inc.Uploaded, full.Uploaded)
	}
	mustRestoreEqual(t, r, "latest", map[string][]byte{"acctlog": grown})
}

func TestWrongKeyReadsOnlyConfig(t *testing.T) {
	d, err := NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ft := &faultTarget{Target: d}
	s, err := PassphraseSecret("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Init(bg, ft, s)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Backup(bg, []Item{bytesItem("x", records(5, 100))}, BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	wrong, _ := PassphraseSecret("correct horse battery staple")
	rk, _ := testSecret(t)
	for _, s := range []Secret{wrong, rk} {
		ft.gets.Store(0)
		ft.getNames = nil
		_, err := Open(bg, ft, s)
		if !errors.Is(err, ErrWrongKey) {
			t.Fatalf("open with %v: %v", s, err)
		}
		if ft.gets.Load() != 1 || ft.getNames[0] != "config" {
			t.Fatalf("open with a wrong key read %v", ft.getNames)
		}
		if err := r.Header().CheckSecret(s); !errors.Is(err, ErrWrongKey) {
			t.Fatalf("CheckSecret: %v", err)
		}
	}
	if err := r.Header().CheckSecret(s); err != nil {
		t.Fatalf("CheckSecret with the right passphrase: %v", err)
	}
	r2, err := Open(bg, ft, s)
	if err != nil {
		t.Fatal(err)
	}
	mustRestoreEqual(t, r2, "", map[string][]byte{"x": records(5, 100)})

	// Changing the secret: the new one opens it, the old one no longer does,
	// and the data is still readable.
	if err := r2.ChangeSecret(bg, rk); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(bg, ft, s); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("old passphrase after the change: %v", err)
	}
	r3, err := Open(bg, ft, rk)
	if err != nil {
		t.Fatal(err)
	}
	mustRestoreEqual(t, r3, "", map[string][]byte{"x": records(5, 100)})
	if !r3.Header().UsesRecoveryKey() {
		t.Fatal("header still says passphrase")
	}
}

func TestSignedSnapshots(t *testing.T) {
	r, _, _ := newDirRepo(t)
	pub, priv, _ := ed25519.GenerateKey(nil)
	other, _, _ := ed25519.GenerateKey(nil)
	data := map[string][]byte{"acctlog": records(6, 100)}
	snap, _, err := r.Backup(bg, itemsOf(data), BackupOptions{Sign: priv})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(snap.Signer, pub) {
		t.Fatal("snapshot signer not reported")
	}
	snaps, err := r.Snapshots(bg)
	if err != nil || !bytes.Equal(snaps[0].Signer, pub) {
		t.Fatalf("listed signer: %v", err)
	}
	if _, err := restoreAll(t, r, snap.ID, RestoreOptions{Signer: pub}); err != nil {
		t.Fatal(err)
	}
	if _, err := restoreAll(t, r, snap.ID, RestoreOptions{Signer: other}); !errors.Is(err, ErrTampered) {
		t.Fatalf("restore demanding another signer: %v", err)
	}
	unsigned, _, err := r.Backup(bg, itemsOf(data), BackupOptions{Time: snap.Time.Add(time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := restoreAll(t, r, unsigned.ID, RestoreOptions{Signer: pub}); !errors.Is(err, ErrTampered) {
		t.Fatalf("restore of an unsigned snapshot demanding a signer: %v", err)
	}
}

func TestBadItems(t *testing.T) {
	r, _, _ := newDirRepo(t)
	it := bytesItem("a", []byte("x"))
	for _, items := range [][]Item{{it, it}, {{Name: "", Open: it.Open}}, {{Name: "b"}}} {
		if _, _, err := r.Backup(bg, items, BackupOptions{}); err == nil {
			t.Fatalf("Backup(%v) succeeded", items)
		}
	}
}

func TestParseLocation(t *testing.T) {
	for _, c := range []struct{ in, kind, bucket, prefix string }{
		{"/var/backups/pigeon/", "dir", "", "/var/backups/pigeon"},
		{"backups", "dir", "", "backups"},
		{"s3://my-bucket", "s3", "my-bucket", ""},
		{"s3://my-bucket/pigeon/alice/", "s3", "my-bucket", "pigeon/alice"},
	} {
		k, b, p, err := ParseLocation(c.in)
		if err != nil || k != c.kind || b != c.bucket || p != c.prefix {
			t.Errorf("ParseLocation(%q) = %q %q %q %v", c.in, k, b, p, err)
		}
	}
	for _, bad := range []string{"", "s3://", "s3://UPPER/x", "s3://ab", "s3://bucket/../x", "ftp://host/x", "s3://bucket/a//b"} {
		if _, _, _, err := ParseLocation(bad); err == nil {
			t.Errorf("ParseLocation(%q) accepted", bad)
		}
	}
}
